"""The library's front door: one object, one method per use case.

Scripts, notebooks, the CLI and the TUI all go through :class:`Tracker`. Each method is one short
unit of work (a transaction of its own) and returns pydantic read models, never ORM objects.

>>> from engagement import Tracker
>>> tracker = Tracker("sqlite://")
>>> tracker.add_stakeholder("Russian Red Cross", kind="national_society", country="RU",
...                         aliases=["RRC"]).name
'Russian Red Cross'
>>> meeting = tracker.log_interaction(
...     "Emergency stocks for four branches", with_=["RRC"], when="June 2025", kind="operation")
>>> meeting.when, meeting.precision, meeting.stakeholders
('June 2025', 'month', ['Russian Red Cross'])
>>> [item.title for item in tracker.history("russian red cross")]
['Emergency stocks for four branches']
>>> tracker.close()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from engagement.schemas import (
    AffiliationCreate,
    AffiliationRead,
    DatasetImport,
    FollowUpCreate,
    FollowUpRead,
    ImportSummary,
    InteractionCreate,
    InteractionRead,
    InteractionUpdate,
    StakeholderCreate,
    StakeholderProfile,
    StakeholderRead,
    StakeholderUpdate,
    clean_name,
    validated,
)
from engagement.storage import Database, resolve_url
from engagement.vocab import StakeholderKind

Clock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(UTC).astimezone()


class Tracker:
    """An open engagement database.

    ``db_url`` is any SQLAlchemy URL or a file path; ``None`` uses ``$ENGAGEMENT_DB`` or the
    default file in the user's data directory. The schema is created or upgraded on open
    unless ``migrate`` is false. ``clock`` returns "now" (tests pass a fixed one).
    """

    def __init__(
        self, db_url: str | None = None, *, migrate: bool = True, clock: Clock | None = None
    ) -> None:
        self.url = resolve_url(db_url)
        self.db = Database(self.url)
        self._clock = clock or _system_clock
        self.schema_status = "unchecked"
        if migrate:
            from engagement.migrate import ensure_schema

            try:
                self.schema_status = ensure_schema(self.db)
            except BaseException:
                self.db.dispose()
                raise

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.dispose()

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return self._clock().date()

    # --- stakeholders -----------------------------------------------------------------

    def add_stakeholder(
        self,
        name: str,
        *,
        kind: StakeholderKind | str,
        country: str | None = None,
        parent: str | None = None,
        aliases: Iterable[str] = (),
        tags: Iterable[str] = (),
        notes: str = "",
    ) -> StakeholderRead:
        data = validated(
            StakeholderCreate,
            {
                "name": name,
                "kind": kind,
                "country": country,
                "parent": parent,
                "aliases": list(aliases),
                "tags": list(tags),
                "notes": notes,
            },
        )
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add(s, data))

    def update_stakeholder(self, stakeholder: str, /, **changes: Any) -> StakeholderRead:
        """Change the given fields only (name, kind, country, parent, notes, tags, archived);
        ``expected_version`` guards against overwriting someone else's edit."""
        data = validated(StakeholderUpdate, changes)
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.update(s, stakeholder, data))

    def archive_stakeholder(self, name: str, archived: bool = True) -> StakeholderRead:
        return self.update_stakeholder(name, archived=archived)

    def add_alias(self, name: str, alias: str) -> StakeholderRead:
        cleaned = clean_name(alias, field="alias")
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add_alias(s, name, cleaned))

    def add_affiliation(
        self,
        person: str,
        organisation: str,
        *,
        title: str,
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> AffiliationRead:
        data = validated(
            AffiliationCreate,
            {
                "person": person,
                "organisation": organisation,
                "title": title,
                "start": start,
                "end": end,
            },
        )
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add_affiliation(s, data))

    def get_stakeholder(self, name: str) -> StakeholderRead:
        from engagement.services import stakeholders

        return self.db.read(lambda s: stakeholders.get(s, name))

    def stakeholder_profile(self, name: str) -> StakeholderProfile:
        from engagement.services import stakeholders

        today = self.today()
        return self.db.read(lambda s: stakeholders.profile(s, name, today=today))

    def list_stakeholders(
        self,
        *,
        kind: StakeholderKind | str | None = None,
        country: str | None = None,
        tag: str | None = None,
        parent: str | None = None,
        include_archived: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StakeholderRead]:
        from engagement.countries import normalise_country
        from engagement.schemas import clean_tag
        from engagement.services import stakeholders

        kind_value = _kind(kind)
        code = normalise_country(country)
        tag_value = clean_tag(tag) if tag else None
        return self.db.read(
            lambda s: stakeholders.list_(
                s,
                kind=kind_value,
                country=code,
                tag=tag_value,
                parent=parent,
                include_archived=include_archived,
                limit=limit,
                offset=offset,
            )
        )

    # --- interactions -----------------------------------------------------------------

    def log_interaction(
        self,
        title: str,
        *,
        with_: Sequence[str | dict[str, str]],
        when: str,
        until: str | None = None,
        timezone: str | None = None,
        **fields: Any,
    ) -> InteractionRead:
        """Log an interaction. ``when``/``until`` take the forms people write ("16 May 2025",
        "2025-05", "June 30 to July 8", "tomorrow 15:00 Europe/Moscow"); other keyword
        arguments are the fields of :class:`engagement.schemas.InteractionCreate`."""
        data = validated(
            InteractionCreate,
            {
                "title": title,
                "stakeholders": list(with_),
                "when": when,
                "until": until,
                "timezone": timezone,
                **fields,
            },
        )
        return self.log(data)

    def log(self, data: InteractionCreate) -> InteractionRead:
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.log(s, data, now=now))

    def update_interaction(self, interaction_id: int, /, **changes: Any) -> InteractionRead:
        data = validated(InteractionUpdate, changes)
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.update_(s, interaction_id, data, now=now))

    def cancel_interaction(self, interaction_id: int) -> InteractionRead:
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.cancel(s, interaction_id, now=now))

    def get_interaction(self, interaction_id: int) -> InteractionRead:
        from engagement.services import interactions

        today = self.today()
        return self.db.read(lambda s: interactions.get(s, interaction_id, today=today))

    # --- follow-ups -------------------------------------------------------------------

    def add_follow_up(
        self, interaction_id: int, text: str, *, due: date | str | None = None, owner: str = ""
    ) -> FollowUpRead:
        data = validated(FollowUpCreate, {"text": text, "due": due, "owner": owner})
        from engagement.services import followups

        today = self.today()
        return self.db.write(lambda s: followups.add(s, interaction_id, data, today=today))

    def complete_follow_up(self, follow_up_id: int, *, done: bool = True) -> FollowUpRead:
        from engagement.services import followups

        today = self.today()
        return self.db.write(lambda s: followups.complete(s, follow_up_id, done=done, today=today))

    # --- looking back and ahead -------------------------------------------------------

    def history(
        self,
        name: str,
        *,
        start: date | None = None,
        end: date | None = None,
        include_related: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[InteractionRead]:
        from engagement.services import history

        today = self.today()
        return self.db.read(
            lambda s: history.history(
                s,
                name,
                today=today,
                start=start,
                end=end,
                include_related=include_related,
                limit=limit,
                offset=offset,
            )
        )

    def upcoming(self, days: int = 14) -> Any:
        """Interactions and due follow-ups in the next ``days`` days
        (:class:`engagement.schemas.Upcoming`)."""
        from engagement.services import history

        now = self.now()
        return self.db.read(lambda s: history.upcoming(s, now=now, days=days))

    def recent(self, limit: int = 10) -> list[InteractionRead]:
        """The latest interactions that have started, newest first."""
        from engagement.services import history

        today = self.today()
        return self.db.read(lambda s: history.recent(s, today=today, limit=limit))

    # --- data sets --------------------------------------------------------------------

    def import_dataset(self, data: DatasetImport | dict[str, Any]) -> ImportSummary:
        """Import a whole data set in one transaction; importing it again changes nothing."""
        document = data if isinstance(data, DatasetImport) else validated(DatasetImport, data)
        from engagement.services.dataset import import_dataset

        now = self.now()
        return self.db.write(lambda s: import_dataset(s, document, now=now))

    def load_sample(self, *, with_examples: bool = False) -> ImportSummary:
        """Load the sample data set built from the seed report (idempotent)."""
        from engagement import sample

        summary = self.import_dataset(sample.load_document())
        if with_examples:
            extra = self.import_dataset(sample.upcoming_examples(self.now()))
            summary.interactions_added += extra.interactions_added
            summary.interactions_updated += extra.interactions_updated
        return summary


def _kind(kind: StakeholderKind | str | None) -> StakeholderKind | None:
    if kind is None or isinstance(kind, StakeholderKind):
        return kind
    try:
        return StakeholderKind(kind.strip().lower())
    except ValueError:
        from engagement.errors import ValidationFailed
        from engagement.vocab import choices

        raise ValidationFailed(
            "kind", kind, f"is not a stakeholder kind; use {choices(StakeholderKind)}"
        ) from None
