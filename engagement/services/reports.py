"""What the activity report reads from the database.

Every query is bounded by the report's period through the indexed ``start_on``/``last_on``
columns (or, for recurring interactions, through the stakeholders flagged ``ongoing`` and the
history index), selects plain columns with Core, and runs a fixed number of times whatever the
size of the log: the builder gets light rows for the whole period and reads the text of an
interaction (title, place, notes: :func:`line_texts`) only for the lines it prints. Interactions
above the confidentiality levels asked for are never selected; summarised ones are selected
without their text. The stakeholders the report files under and names are read by
:mod:`engagement.services.report_stakeholders`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from engagement.dates import Period, period_from_storage
from engagement.models import (
    FollowUp,
    Interaction,
    InteractionStakeholder,
    InteractionTag,
    Stakeholder,
)
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
)

# Keeps every IN (...) list well under SQLite's limit on bound parameters.
CHUNK = 500
# Looked up rather than constructed: a year of a large log is a hundred thousand rows.
_KINDS = {kind.value: kind for kind in InteractionKind}
_LEVELS = {level.value: level for level in Confidentiality}


@dataclass(frozen=True)
class PeriodRow:
    """An interaction of the period without its text. The :class:`Period` is rebuilt only when
    asked for (a printed line, a recurrence to expand): counting needs the plain days alone."""

    id: int
    kind: InteractionKind
    confidentiality: Confidentiality
    start_on: date
    last_on: date
    recurrence: str | None
    stored: tuple[str, str | None, date, date | None, datetime | None, datetime | None]

    @functools.cached_property
    def period(self) -> Period:
        return period_from_storage(*self.stored)


class LinkRow(NamedTuple):
    """A link of the period: a tuple, as a year of a large log has hundreds of thousands."""

    interaction_id: int
    stakeholder_id: int
    role: str
    position: int


@dataclass(frozen=True)
class LineText:
    """What a printed line tells of an interaction beyond its light row: title, place and
    notes (empty when they are off the record: they never leave the database)."""

    id: int
    title: str
    location: str
    summary: str
    attribution: Attribution


@dataclass(frozen=True)
class Window:
    """The report's period and the levels it may select, with the index that bounds the scan.

    One-off interactions overlap the period when ``start_on <= end`` and ``last_on >= start``;
    each condition alone is an open range. The scan follows the one whose open end is shorter:
    ``last_on`` for a period near the end of the log (the usual case, a recent period),
    ``start_on`` for one near its beginning. The other column is compared through
    ``coalesce(x, x)``, which no planner can serve from an index: SQLite, which keeps no
    statistics by default, would otherwise guess, and read most of the log through the wrong
    range. Status and level go through ``lower()`` for the same reason (their indexes are not
    selective).
    """

    start: date
    end: date
    levels: tuple[str, ...]
    by_last_on: bool

    @classmethod
    def of(
        cls, session: Session, start: date, end: date, levels: Sequence[Confidentiality]
    ) -> Window:
        # Two statements: SQLite answers a lone min() or max() from the index, not a pair.
        first = log_start(session)
        last = session.scalar(select(func.max(Interaction.last_on)))
        recent = first is None or last is None or (last - start) <= (end - first)
        return cls(start, end, tuple(level.value for level in levels), recent)

    def one_off(self, query: Any) -> Any:
        """Restrict ``query`` (which reads ``interactions``) to the held one-off interactions of
        the period, read through one date index."""
        start_on: Any = Interaction.start_on
        last_on: Any = Interaction.last_on
        if self.by_last_on:
            start_on = func.coalesce(start_on, start_on)
        else:
            last_on = func.coalesce(last_on, last_on)
        return query.where(
            start_on <= self.end,
            last_on >= self.start,
            Interaction.recurrence.is_(None),
            func.lower(Interaction.status) == InteractionStatus.HELD.value,
            func.lower(Interaction.confidentiality).in_(self.levels),
        )

    def overlaps(self) -> ColumnElement[bool]:
        """A plain filter for queries driven by another table's index (tags, follow-ups): the
        period's one-off interactions, or recurring ones started by its end."""
        return and_(
            Interaction.start_on <= self.end,
            or_(Interaction.last_on >= self.start, Interaction.recurrence.is_not(None)),
            Interaction.confidentiality.in_(self.levels),
        )

    def recurring_ids(self, session: Session) -> list[int]:
        """Held recurring interactions started by the end of the period, found through the
        stakeholders flagged ``ongoing`` (the few with such an interaction) and the history
        index; whether they occur in the period is checked against their rule afterwards."""
        ongoing = list(session.scalars(select(Stakeholder.id).where(Stakeholder.ongoing.is_(True))))
        found: set[int] = set()
        for chunk in chunks(ongoing):
            found.update(
                session.scalars(
                    select(Interaction.id)
                    .join(
                        InteractionStakeholder,
                        InteractionStakeholder.interaction_id == Interaction.id,
                    )
                    .where(
                        InteractionStakeholder.stakeholder_id.in_(chunk),
                        InteractionStakeholder.start_on <= self.end,
                        Interaction.recurrence.is_not(None),
                        Interaction.status == InteractionStatus.HELD.value,
                        Interaction.confidentiality.in_(self.levels),
                    )
                )
            )
        return sorted(found)


_ROW_COLUMNS = (
    Interaction.id,
    Interaction.kind,
    Interaction.confidentiality,
    Interaction.precision,
    Interaction.timezone,
    Interaction.start_on,
    Interaction.end_on,
    Interaction.last_on,
    Interaction.start_at,
    Interaction.end_at,
    Interaction.recurrence,
)


def period_rows(session: Session, window: Window, recurring: Sequence[int]) -> list[PeriodRow]:
    """The period's interactions: one-off ones by the date range, recurring ones by id."""
    if not window.levels:
        return []
    # Through the connection: plain rows, without the ORM's per-row bookkeeping.
    connection = session.connection()
    results = list(connection.execute(window.one_off(select(*_ROW_COLUMNS))).all())
    for chunk in chunks(recurring):
        results += connection.execute(select(*_ROW_COLUMNS).where(Interaction.id.in_(chunk))).all()
    rows = [
        PeriodRow(
            id=row.id,
            kind=_KINDS[row.kind],
            confidentiality=_LEVELS[row.confidentiality],
            start_on=row.start_on,
            last_on=row.last_on,
            recurrence=row.recurrence,
            stored=(
                row.precision,
                row.timezone,
                row.start_on,
                row.end_on,
                row.start_at,
                row.end_at,
            ),
        )
        for row in results
    ]
    rows.sort(key=lambda row: (row.start_on, row.last_on, row.id))
    return rows


def period_links(session: Session, window: Window, recurring: Sequence[int]) -> list[LinkRow]:
    if not window.levels:
        return []
    columns = (
        InteractionStakeholder.interaction_id,
        InteractionStakeholder.stakeholder_id,
        InteractionStakeholder.role,
        InteractionStakeholder.position,
    )
    joined = select(*columns).join(
        Interaction, Interaction.id == InteractionStakeholder.interaction_id
    )
    connection = session.connection()
    results = list(connection.execute(window.one_off(joined)).all())
    for chunk in chunks(recurring):
        results += connection.execute(
            select(*columns).where(InteractionStakeholder.interaction_id.in_(chunk))
        ).all()
    links = [LinkRow._make(row) for row in results]
    links.sort(key=lambda link: (link.interaction_id, link.position))
    return links


def tagged(session: Session, window: Window, ids: Sequence[int], tags: Sequence[str]) -> set[int]:
    """Which of ``ids`` (the period's interactions) carry any of ``tags``: read through the tag
    index, which is selective for tags such as "first-contact", each tagged interaction checked
    against the period by its primary key (an ``IN (subquery)`` would list the whole log up to
    the end of the period first)."""
    if not tags or not ids:
        return set()
    query = (
        select(InteractionTag.interaction_id)
        .select_from(Interaction)
        .join(InteractionTag, InteractionTag.interaction_id == Interaction.id)
        .where(InteractionTag.tag.in_(list(tags)), window.overlaps())
    )
    return set(session.scalars(query)) & set(ids)


def follow_up_counts(
    session: Session, window: Window, ids: Sequence[int]
) -> dict[int, tuple[int, int]]:
    """Per interaction of the period: its follow-ups, and how many of them are done. Read
    from the follow-ups table (far smaller than the log) joined to the period's rows."""
    if not ids:
        return {}
    query = (
        select(
            FollowUp.interaction_id,
            func.count(FollowUp.id),
            func.count(case((FollowUp.done.is_(True), 1))),
        )
        .join(Interaction, Interaction.id == FollowUp.interaction_id)
        .where(window.overlaps())
        .group_by(FollowUp.interaction_id)
    )
    wanted = set(ids)
    return {
        row[0]: (int(row[1]), int(row[2])) for row in session.execute(query) if row[0] in wanted
    }


def log_start(session: Session) -> date | None:
    """The first day of the log: before it, nobody can have been engaged "for the first time"
    with any certainty."""
    return session.scalar(select(func.min(Interaction.start_on)))


def line_texts(session: Session, ids: Sequence[int]) -> dict[int, LineText]:
    """Title, place and notes of the interactions the report prints, in chunks: four plain
    columns, not full read models (a report of a large log prints thousands of lines)."""
    found: dict[int, LineText] = {}
    columns = (
        Interaction.id,
        Interaction.title,
        Interaction.location,
        Interaction.summary,
        Interaction.attribution,
    )
    for chunk in chunks(ids):
        for row in session.execute(select(*columns).where(Interaction.id.in_(chunk))):
            rule = Attribution(row.attribution)
            summary = "" if rule is Attribution.OFF_RECORD else row.summary
            found[row.id] = LineText(row.id, row.title, row.location, summary, rule)
    return found


def recurring_months(row: PeriodRow, months: Sequence[tuple[date, date]]) -> list[int]:
    """Indexes of the months in which a recurring interaction has an occurrence."""
    from engagement.services.history import next_occurrence

    rule = row.recurrence or ""
    return [
        index
        for index, (first, last) in enumerate(months)
        if next_occurrence(row.period, rule, first, last) is not None
    ]


def occurs_between(row: PeriodRow, start: date, end: date) -> bool:
    if row.recurrence is None:
        return row.start_on <= end and row.last_on >= start
    from engagement.services.history import next_occurrence

    return next_occurrence(row.period, row.recurrence, start, end) is not None


def group_links(links: Iterable[LinkRow]) -> dict[int, list[LinkRow]]:
    grouped: dict[int, list[LinkRow]] = defaultdict(list)
    for link in links:
        grouped[link.interaction_id].append(link)
    return grouped


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids`` without repeats, ``CHUNK`` at a time, for ``IN (...)`` lists."""
    items = list(dict.fromkeys(ids))
    for index in range(0, len(items), CHUNK):
        yield items[index : index + CHUNK]
