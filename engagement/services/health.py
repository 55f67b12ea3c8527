"""Relationship health: who has gone quiet, and how much engagement there was."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import Interaction, InteractionStakeholder, Stakeholder
from engagement.schemas import DormantEntry, StatRow
from engagement.services import meetings, stakeholders
from engagement.vocab import InteractionStatus, MeetingFormat, StakeholderKind

STAT_GROUPS = ("kind", "country", "month", "format")


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


def stats(
    session: Session,
    *,
    start: date | None,
    end: date | None,
    by: str,
    meeting_format: MeetingFormat | None = None,
    sidelines_of: str | None = None,
) -> list[StatRow]:
    if by not in STAT_GROUPS:
        raise ValidationFailed("by", by, f"is not a grouping; use {', '.join(STAT_GROUPS)}")
    group: Any
    if by == "kind":
        group = Interaction.kind
    elif by == "country":
        group = func.coalesce(Stakeholder.country, "")
    elif by == "format":
        group = func.coalesce(Interaction.meeting_format, "")
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
    for condition in meetings.filters(meeting_format, sidelines_of):
        query = query.where(condition)
    return [
        StatRow(group=str(row.group), interactions=row.interactions, stakeholders=row.stakeholders)
        for row in session.execute(query)
    ]


def _month(session: Session) -> ColumnElement[Any]:
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(Interaction.start_on, "YYYY-MM")
    return func.strftime("%Y-%m", Interaction.start_on)
