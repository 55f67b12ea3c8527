"""Relationship health: who has gone quiet, and how much engagement there was."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, distinct, func, select
from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import Interaction, InteractionStakeholder, Stakeholder
from engagement.schemas import DormantEntry, MonthlyActivity, StatRow
from engagement.services import stakeholders
from engagement.vocab import InteractionStatus, StakeholderKind

STAT_GROUPS = ("kind", "country", "month")


def dormant(
    session: Session,
    *,
    days: int,
    today: date,
    kind: StakeholderKind | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[DormantEntry]:
    """Reads the maintained ``last_contact_on`` column through its index: never contacted
    first, then the oldest last contact."""
    if days < 0:
        raise ValidationFailed("days", days, "must be zero or more")
    cutoff = today - timedelta(days=days)
    query = (
        select(Stakeholder.id, Stakeholder.last_contact_on)
        .where(
            Stakeholder.archived.is_(False),
            Stakeholder.ongoing.is_(False),
            (Stakeholder.last_contact_on.is_(None)) | (Stakeholder.last_contact_on < cutoff),
        )
        .order_by(
            Stakeholder.last_contact_on.is_not(None),
            Stakeholder.last_contact_on,
            Stakeholder.name_key,
        )
    )
    if kind is not None:
        query = query.where(Stakeholder.kind == kind.value)
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    rows = session.execute(query).all()
    reads = stakeholders.read_many(session, [row.id for row in rows])
    return [
        DormantEntry(
            stakeholder=read,
            last_contact=row.last_contact_on,
            days_since=None if row.last_contact_on is None else (today - row.last_contact_on).days,
        )
        for read, row in zip(reads, rows, strict=True)
    ]


def stats(session: Session, *, start: date | None, end: date | None, by: str) -> list[StatRow]:
    if by not in STAT_GROUPS:
        raise ValidationFailed("by", by, f"is not a grouping; use {', '.join(STAT_GROUPS)}")
    group: Any
    if by == "kind":
        group = Interaction.kind
    elif by == "country":
        group = func.coalesce(Stakeholder.country, "")
    else:
        group = _month(session)
    query = (
        select(
            group.label("group"),
            func.count(distinct(Interaction.id)).label("interactions"),
            func.count(distinct(InteractionStakeholder.stakeholder_id)).label("stakeholders"),
        )
        .select_from(Interaction)
        .join(InteractionStakeholder, InteractionStakeholder.interaction_id == Interaction.id)
        .where(Interaction.status != InteractionStatus.CANCELLED.value)
        .group_by(group)
        .order_by(group)
    )
    if by == "country":
        query = query.join(Stakeholder, Stakeholder.id == InteractionStakeholder.stakeholder_id)
    if start is not None:
        query = query.where(Interaction.last_on >= start)
    if end is not None:
        query = query.where(Interaction.start_on <= end)
    return [
        StatRow(group=str(row.group), interactions=row.interactions, stakeholders=row.stakeholders)
        for row in session.execute(query)
    ]


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
    return func.strftime("%Y-%m", column)
