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

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import UnaryExpression

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


# Beyond this many recurring interactions, the one-off ones are told apart by reading their
# rows rather than by excluding a list of ids.
MAX_EXCLUDED = 1000
_Stored = tuple[str, str | None, date, date | None, datetime | None, datetime | None]


class PeriodRow:
    """An interaction of the period without its text: counting needs the plain days alone. How
    its period is stored (precision, zone, times) is read only for the rows a line is printed
    for (:func:`stored_periods`), and the :class:`Period` rebuilt from it when asked for."""

    __slots__ = (
        "_period",
        "confidentiality",
        "id",
        "kind",
        "last_on",
        "recurrence",
        "start_on",
        "stored",
    )

    def __init__(
        self,
        id: int,
        kind: InteractionKind,
        confidentiality: Confidentiality,
        start_on: date,
        last_on: date,
        recurrence: str | None,
        stored: _Stored | None = None,
    ) -> None:
        self.id = id
        self.kind = kind
        self.confidentiality = confidentiality
        self.start_on = start_on
        self.last_on = last_on
        self.recurrence = recurrence
        self.stored = stored
        self._period: Period | None = None

    @property
    def period(self) -> Period:
        if self._period is None:
            assert self.stored is not None, "stored_periods() was not called for this row"
            self._period = period_from_storage(*self.stored)
        return self._period


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
    range. Status and level go through :meth:`unindexed` for the same reason (their indexes are
    not selective).
    """

    start: date
    end: date
    levels: tuple[str, ...]
    by_last_on: bool
    sqlite: bool = False

    @classmethod
    def of(
        cls, session: Session, start: date, end: date, levels: Sequence[Confidentiality]
    ) -> Window:
        # Two statements: SQLite answers a lone min() or max() from the index, not a pair.
        first = log_start(session)
        last = session.scalar(select(func.max(Interaction.last_on)))
        recent = first is None or last is None or (last - start) <= (end - first)
        sqlite = session.get_bind().dialect.name == "sqlite"
        return cls(start, end, tuple(level.value for level in levels), recent, sqlite)

    def unindexed(self, column: Any) -> Any:
        """``column`` as an expression no planner serves from an index: a unary ``+`` on
        SQLite (free, where ``lower()`` costs a function call per link of the period),
        ``lower()`` on PostgreSQL (the values are lower-case already)."""
        if self.sqlite:
            return UnaryExpression(column, operator=operators.custom_op("+"), type_=String)
        return func.lower(column)

    def one_off(self, query: Any, columns: Any = Interaction, excluded: Sequence[int] = ()) -> Any:
        """Restrict ``query`` to the held one-off interactions of the period, read through one
        date index: of ``interactions``, or (``columns=InteractionStakeholder``) of their links,
        which carry the same columns. The recurring interactions started by the end of the
        period (:meth:`recurring_started`) are ``excluded`` by id, so that the covering indexes
        answer without reading a row; when there are too many, by reading the rows."""
        start_on: Any = columns.start_on
        last_on: Any = columns.last_on
        if self.by_last_on:
            start_on = func.coalesce(start_on, start_on)
        else:
            last_on = func.coalesce(last_on, last_on)
        query = query.where(
            start_on <= self.end,
            last_on >= self.start,
            self.unindexed(columns.status) == InteractionStatus.HELD.value,
            self.unindexed(columns.confidentiality).in_(self.levels),
        )
        if len(excluded) > MAX_EXCLUDED:
            if columns is not Interaction:
                query = query.join(Interaction, Interaction.id == columns.interaction_id)
            return query.where(Interaction.recurrence.is_(None))
        ident = Interaction.id if columns is Interaction else columns.interaction_id
        return query.where(ident.not_in(list(excluded))) if excluded else query

    def recurring_started(self, session: Session) -> list[int]:
        """Every recurring interaction started by the end of the period, whatever its status
        or level, through the small partial index on them: what a one-off scan leaves out."""
        return list(
            session.scalars(
                select(Interaction.id).where(
                    Interaction.recurrence.is_not(None), Interaction.start_on <= self.end
                )
            )
        )

    def overlaps(self) -> ColumnElement[bool]:
        """A plain filter for queries driven by another table's index (tags, follow-ups): the
        period's one-off interactions, or recurring ones started by its end. Its days go
        through ``coalesce`` so that no planner walks the log's date range instead of that
        table, nor the level's (the interactions are then looked up by their primary key)."""
        start_on = func.coalesce(Interaction.start_on, Interaction.start_on)
        last_on = func.coalesce(Interaction.last_on, Interaction.last_on)
        return and_(
            start_on <= self.end,
            or_(last_on >= self.start, Interaction.recurrence.is_not(None)),
            func.lower(Interaction.confidentiality).in_(self.levels),
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


_DAYS: dict[Any, date] = {}


def as_day(value: Any) -> date:
    """A day read as plain text (SQLite) or as a date (PostgreSQL): SQLAlchemy's own
    conversion costs more than the rest of reading a row, and a year repeats 365 days."""
    if isinstance(value, date):
        return value
    day = _DAYS.get(value)
    if day is None:
        day = _DAYS[value] = date.fromisoformat(value)
    return day


def _plain_day(column: Any) -> Any:
    return type_coerce(column, String)


_LIGHT_COLUMNS = (
    Interaction.id,
    Interaction.kind,
    Interaction.confidentiality,
    _plain_day(Interaction.start_on),
    _plain_day(Interaction.last_on),
)
_STORED_COLUMNS = (
    Interaction.id,
    Interaction.precision,
    Interaction.timezone,
    Interaction.start_on,
    Interaction.end_on,
    Interaction.start_at,
    Interaction.end_at,
)


def period_rows(
    session: Session, window: Window, recurring: Sequence[int], excluded: Sequence[int]
) -> list[PeriodRow]:
    """The period's interactions: one-off ones by the date range (from the covering period
    index, without their stored period), recurring ones by id (with it: their occurrences are
    worked out from it)."""
    if not window.levels:
        return []
    # Through the connection: plain rows, without the ORM's per-row bookkeeping.
    connection = session.connection()
    query = window.one_off(select(*_LIGHT_COLUMNS), excluded=excluded)
    days, kinds, levels = _DAYS.get, _KINDS, _LEVELS
    rows = [
        PeriodRow(
            ident,
            kinds[kind],
            levels[level],
            days(first) or as_day(first),
            days(last) or as_day(last),
            None,
        )
        for ident, kind, level, first, last in connection.execute(query).all()
    ]
    for chunk in chunks(recurring):
        for row in connection.execute(
            select(*_LIGHT_COLUMNS, Interaction.recurrence).where(Interaction.id.in_(chunk))
        ):
            rows.append(
                PeriodRow(
                    row[0],
                    _KINDS[row[1]],
                    _LEVELS[row[2]],
                    as_day(row[3]),
                    as_day(row[4]),
                    row[5],
                )
            )
    stored_periods(session, [row for row in rows if row.recurrence is not None])
    rows.sort(key=attrgetter("start_on", "last_on", "id"))
    return rows


def stored_periods(session: Session, rows: Iterable[PeriodRow]) -> None:
    """Read how the period of these rows is stored (for their :attr:`PeriodRow.period`)."""
    missing = {row.id: row for row in rows if row.stored is None}
    for chunk in chunks(missing):
        for row in session.execute(select(*_STORED_COLUMNS).where(Interaction.id.in_(chunk))):
            missing[row[0]].stored = tuple(row[1:])  # type: ignore[assignment]


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


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids`` without repeats, ``CHUNK`` at a time, for ``IN (...)`` lists."""
    items = list(dict.fromkeys(ids))
    for index in range(0, len(items), CHUNK):
        yield items[index : index + CHUNK]
