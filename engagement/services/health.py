"""Relationship health: who has gone quiet, and how much engagement there was."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, func, select
from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import Interaction, InteractionStakeholder, Stakeholder
from engagement.schemas import MonthlyActivity, StatRow
from engagement.services import meetings
from engagement.services.dormant import dormant as dormant
from engagement.vocab import InteractionStatus, MeetingFormat

STAT_GROUPS = ("kind", "country", "month", "format")


def stats(
    session: Session,
    *,
    start: date | None,
    end: date | None,
    by: str,
    meeting_format: MeetingFormat | None = None,
    sidelines_of: str | None = None,
) -> list[StatRow]:
    """Interactions and distinct stakeholders per kind, country or month of the period.

    One aggregate query over the period's links. The links carry copies of their interaction's
    days, status and kind (migration 0009), so for a recent period the query reads one range of
    the covering ``ix_interaction_stakeholders_period`` index and nothing else; the country joins
    the stakeholders, the meeting format (and the meeting filters) the interactions. Its cost is
    the period's links (a year of a large log: ~320,000), which no summary by month can replace,
    as distinct stakeholders do not add up across months (see docs/architecture.md, "Counting at
    scale").
    """
    if by not in STAT_GROUPS:
        raise ValidationFailed("by", by, f"is not a grouping; use {', '.join(STAT_GROUPS)}")
    link = InteractionStakeholder
    meeting = meetings.filters(meeting_format, sidelines_of)
    recent = _recent(session, start, end)
    if not recent or meeting or by == "format":
        return _stats_by_interaction(session, start, end, by, meeting)
    group: Any
    if by == "kind":
        group = func.coalesce(link.kind, link.kind)
    elif by == "country":
        group = func.coalesce(Stakeholder.country, "")
    else:
        group = _month(session, link.start_on)
    query = select(
        group.label("group"),
        func.count(distinct(link.interaction_id)).label("count"),
        func.count(distinct(link.stakeholder_id)).label("people"),
    ).where(*_link_window(start, end))
    if by == "country":
        # A country is a stakeholder's, so an interaction counts once per country it touched.
        query = query.join(Stakeholder, Stakeholder.id == link.stakeholder_id)
    return _rows(session, query.group_by(group))


def _rows(session: Session, query: Any) -> list[StatRow]:
    found = {str(row.group): (int(row[1]), int(row[2])) for row in session.execute(query)}
    return [
        StatRow(group=key, interactions=found[key][0], stakeholders=found[key][1])
        for key in sorted(found)
    ]


def _link_window(start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """The period's live interactions as their links see them: the range on the copied
    ``last_on`` (a recent period), the other end through ``coalesce`` so that no planner walks
    the long range instead."""
    link = InteractionStakeholder
    conditions: list[ColumnElement[bool]] = [link.status != InteractionStatus.CANCELLED.value]
    if start is not None:
        conditions.append(link.last_on >= start)
    if end is not None:
        conditions.append(func.coalesce(link.start_on, link.start_on) <= end)
    return conditions


def _recent(session: Session, start: date | None, end: date | None) -> bool:
    """Whether the period is read along ``last_on`` (its open end is the shorter one); a
    period near the beginning of the log is read along the interactions' ``start_on``."""
    if start is None or end is None:
        return start is not None or end is None
    first = session.scalar(select(func.min(Interaction.start_on)))
    last = session.scalar(select(func.max(Interaction.last_on)))
    return first is None or last is None or (last - start) <= (end - first)


def _stats_by_interaction(
    session: Session,
    start: date | None,
    end: date | None,
    by: str,
    meeting: list[ColumnElement[bool]],
) -> list[StatRow]:
    """The same counts driven by the interactions' indexes: for the meeting format and
    filters (columns the links do not carry) and for periods near the beginning of the log."""
    group: Any
    if by == "kind":
        # An expression, not the bare column: grouping by the indexed column lets SQLite walk
        # the whole kind index to avoid a sort, instead of the period's range.
        group = func.coalesce(Interaction.kind, Interaction.kind)
    elif by == "country":
        group = func.coalesce(Stakeholder.country, "")
    elif by == "format":
        group = func.coalesce(Interaction.meeting_format, "")
    else:
        group = _month(session)
    window = [*_window(session, start, end), *meeting]
    link = InteractionStakeholder
    if by == "country":
        # The period's ids first, materialised: left to itself, SQLite reads every link of the
        # log and looks each interaction up, rather than the other way round.
        period = select(Interaction.id).where(*window).cte("period").prefix_with("MATERIALIZED")
        joined = (
            select(
                group.label("group"),
                func.count(distinct(period.c.id)).label("count"),
                func.count(distinct(link.stakeholder_id)).label("people"),
            )
            .select_from(period)
            .join(link, link.interaction_id == period.c.id)
            .join(Stakeholder, Stakeholder.id == link.stakeholder_id)
            .group_by(group)
        )
        return _rows(session, joined)
    # The interactions with at least one stakeholder, as the join always required.
    joined = (
        select(
            group.label("group"),
            func.count(distinct(Interaction.id)).label("count"),
            func.count(distinct(link.stakeholder_id)).label("people"),
        )
        .select_from(Interaction)
        .join(link, link.interaction_id == Interaction.id)
        .where(*window)
        .group_by(group)
    )
    return _rows(session, joined)


def _window(session: Session, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """The period's live interactions, read along one date index.

    An interaction overlaps the period when ``last_on >= start`` and ``start_on <= end``; each
    is an open range, and the scan should follow the one whose open end is shorter (``last_on``
    for a recent period, the usual case). The other column is compared through ``coalesce``,
    which no planner serves from an index, so SQLite cannot pick the long range by mistake.
    """
    start_on: Any = Interaction.start_on
    last_on: Any = Interaction.last_on
    conditions: list[ColumnElement[bool]] = [
        Interaction.status != InteractionStatus.CANCELLED.value
    ]
    if start is not None and end is not None:
        first = session.scalar(select(func.min(Interaction.start_on)))
        last = session.scalar(select(func.max(Interaction.last_on)))
        if first is None or last is None or (last - start) <= (end - first):
            start_on = func.coalesce(start_on, start_on)
        else:
            last_on = func.coalesce(last_on, last_on)
    if start is not None:
        conditions.append(last_on >= start)
    if end is not None:
        conditions.append(start_on <= end)
    return conditions


def monthly_by_kind(session: Session, *, start: date, end: date) -> MonthlyActivity:
    """Interactions (not cancelled) begun in each month of ``start``–``end``, by the kind of
    their lead stakeholder, in one grouped query: an interaction with a ministry and an embassy
    is one interaction, counted once, under the first one linked, so stacked bars add up to the
    real number (the same as :func:`stats` by month). The scan is bounded by the indexed
    ``interactions.start_on``; links are reached through their primary key."""
    link = InteractionStakeholder
    lead = (
        select(link.interaction_id, func.min(link.position).label("position"))
        .join(Interaction, Interaction.id == link.interaction_id)
        .where(
            Interaction.start_on >= start,
            Interaction.start_on <= end,
            Interaction.status != InteractionStatus.CANCELLED.value,
        )
        .group_by(link.interaction_id)
        .subquery()
    )
    month = _month(session)
    query = (
        select(month.label("month"), Stakeholder.kind, func.count(Interaction.id))
        .select_from(lead)
        .join(
            link,
            and_(link.interaction_id == lead.c.interaction_id, link.position == lead.c.position),
        )
        .join(Interaction, Interaction.id == link.interaction_id)
        .join(Stakeholder, Stakeholder.id == link.stakeholder_id)
        .group_by(month, Stakeholder.kind)
    )
    months = month_keys(start, end)
    index = {key: n for n, key in enumerate(months)}
    series: dict[str, list[int]] = {}
    for key, kind, count in session.execute(query):
        series.setdefault(str(kind), [0] * len(months))[index[str(key)]] += int(count)
    ordered = sorted(series.items(), key=lambda item: (-sum(item[1]), item[0]))
    return MonthlyActivity(months=months, series=dict(ordered))


def monthly_for_stakeholder(
    session: Session, stakeholder_id: int, *, start: date, end: date
) -> MonthlyActivity:
    """One stakeholder's interactions (not cancelled) per month: one grouped query on the
    history index (stakeholder, start day)."""
    link = InteractionStakeholder
    month = _month(session, link.start_on)
    query = (
        select(month.label("month"), func.count(link.interaction_id))
        .join(Interaction, Interaction.id == link.interaction_id)
        .where(
            link.stakeholder_id == stakeholder_id,
            link.start_on >= start,
            link.start_on <= end,
            Interaction.status != InteractionStatus.CANCELLED.value,
        )
        .group_by(month)
    )
    months = month_keys(start, end)
    counts = dict.fromkeys(months, 0)
    for key, count in session.execute(query):
        counts[str(key)] = int(count)
    return MonthlyActivity(months=months, series={"all": [counts[key] for key in months]})


def month_keys(start: date, end: date) -> list[str]:
    """Keys ("YYYY-MM") of every month from ``start``'s to ``end``'s, both included."""
    keys = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _month(session: Session, column: Any = Interaction.start_on) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(column, "YYYY-MM")
    # Dates are stored as ISO text on SQLite: the month is the first seven characters.
    return func.substr(column, 1, 7)
