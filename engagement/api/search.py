"""Use cases for finding things: stakeholders by any spelling, interactions by full text, and
the relationship-health views (dormant stakeholders, statistics)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from engagement.api.base import UseCases
from engagement.schemas import (
    DormantEntry,
    MonthlyActivity,
    SearchHit,
    StakeholderPage,
    StakeholderRead,
    StatRow,
)
from engagement.vocab import Confidentiality, InteractionKind, MeetingFormat, StakeholderKind

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class SearchUseCases(UseCases):
    def find_stakeholders(
        self,
        text: str = "",
        *,
        kind: StakeholderKind | str | None = None,
        country: str | None = None,
        include_archived: bool = False,
        limit: int = 100,
        offset: int = 0,
        count_limit: int | None = None,
    ) -> StakeholderPage:
        """Stakeholders whose name or alias matches ``text`` as typed so far (any script, any
        word order, prefixes of words, typos as a fallback), alphabetically, one page at a
        time. An empty ``text`` lists everyone. With ``count_limit``, matches are counted up
        to that many (``at_least`` says there are more): a list filtered as the user types."""
        from engagement.api.stakeholders import _kind
        from engagement.countries import normalise_country
        from engagement.services import stakeholder_search

        kind_value = _kind(kind)
        code = normalise_country(country)
        return self.db.read(
            lambda s: stakeholder_search.find_stakeholders(
                s,
                text,
                kind=kind_value,
                country=code,
                include_archived=include_archived,
                limit=limit,
                offset=offset,
                count_limit=count_limit,
            )
        )

    def suggest_names(self, text: str, *, limit: int = 8) -> list[str]:
        """Canonical names for autocompletion as the user types."""
        page = self.find_stakeholders(text, limit=limit)
        return [item.name for item in page.items]

    def resolve_stakeholder(self, name: str, *, country: str | None = None) -> StakeholderRead:
        """The one stakeholder ``name`` designates, or a clear error (not found with
        suggestions, or ambiguous with the candidates)."""
        from engagement.countries import normalise_country
        from engagement.services import stakeholders
        from engagement.services.resolve import resolve

        code = normalise_country(country)
        return self.db.read(lambda s: stakeholders.read(s, resolve(s, name, country=code).id))

    def search(
        self,
        query: str,
        *,
        kind: InteractionKind | str | None = None,
        stakeholder: str | None = None,
        tag: str | None = None,
        start: date | None = None,
        end: date | None = None,
        confidentiality_max: Confidentiality | str | None = None,
        limit: int = 50,
        offset: int = 0,
        meeting_format: MeetingFormat | str | None = None,
        sidelines_of: str | None = None,
    ) -> list[SearchHit]:
        """Full-text search over interactions (words, "phrases", -excluded, OR, prefix*),
        best match first, newest first on ties."""
        from engagement.services import search

        options = search.SearchOptions.build(
            kind=kind,
            stakeholder=stakeholder,
            tag=tag,
            start=start,
            end=end,
            confidentiality_max=confidentiality_max,
            limit=limit,
            offset=offset,
            meeting_format=meeting_format,
            sidelines_of=sidelines_of,
        )
        today = self.today()
        return self.db.read(lambda s: search.search_interactions(s, query, options, today=today))

    def rewrite_pending_documents(self) -> int:
        """Rewrite the search documents another PostgreSQL role could not, after renaming a
        participant of interactions it may not see (see migration 0011); return how many of
        those this role may see were rewritten. Called when a tracker opens."""
        from engagement.services import search_index

        if not self.db.read(lambda s: search_index.pending(s.connection())):
            return 0
        return self.db.write(lambda s: search_index.drain_pending(s.connection()))

    def tags(self, prefix: str = "", *, limit: int = 50) -> list[str]:
        """Tags in use, most used first, for autocompletion."""
        from engagement.services import search

        return self.db.read(lambda s: search.tags(s, prefix, limit=limit))

    def dormant(
        self,
        days: int = 180,
        *,
        kind: StakeholderKind | str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[DormantEntry]:
        """Stakeholders with no held interaction in ``days`` days, the longest silent first
        (never contacted ones before all others)."""
        from engagement.api.stakeholders import _kind
        from engagement.services import health

        kind_value = _kind(kind)
        today = self.today()
        return self.db.read(
            lambda s: health.dormant(
                s, days=days, kind=kind_value, today=today, limit=limit, offset=offset
            )
        )

    def stats(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        by: str = "kind",
        meeting_format: MeetingFormat | str | None = None,
        sidelines_of: str | None = None,
    ) -> list[StatRow]:
        """Interactions and distinct stakeholders per kind, country, month or meeting format;
        ``meeting_format``/``sidelines_of`` count only those meetings."""
        from engagement.services import health, meetings

        wanted = meetings.parse_format(meeting_format)
        return self.db.read(
            lambda s: health.stats(
                s, start=start, end=end, by=by, meeting_format=wanted, sidelines_of=sidelines_of
            )
        )

    def activity_by_month(self, start: date, end: date) -> MonthlyActivity:
        """Interactions per month from ``start``'s month to ``end``'s, split by the kind of
        their lead stakeholder (for the Insights chart)."""
        from engagement.services import health

        first, last = _month_bounds(start, end)
        return self.db.read(lambda s: health.monthly_by_kind(s, start=first, end=last))

    def stakeholder_activity(self, name: str, *, months: int = 24) -> MonthlyActivity:
        """One stakeholder's interactions per month over the last ``months`` months, this one
        included (for the activity sparkline)."""
        from engagement.errors import ValidationFailed
        from engagement.services import health
        from engagement.services.resolve import resolve

        if not 1 <= months <= 600:
            raise ValidationFailed("months", months, "must be between 1 and 600")
        today = self.today()
        index = today.year * 12 + today.month - 1 - (months - 1)
        first, last = _month_bounds(date(index // 12, index % 12 + 1, 1), today)

        def read(session: Session) -> MonthlyActivity:
            stakeholder_id = resolve(session, name).id
            return health.monthly_for_stakeholder(session, stakeholder_id, start=first, end=last)

        return self.db.read(read)


def _month_bounds(start: date, end: date) -> tuple[date, date]:
    """The first day of ``start``'s month and the last of ``end``'s."""
    import calendar

    if end < start:
        from engagement.errors import ValidationFailed

        raise ValidationFailed("end", end.isoformat(), "is before the start")
    last = calendar.monthrange(end.year, end.month)[1]
    return start.replace(day=1), end.replace(day=last)
