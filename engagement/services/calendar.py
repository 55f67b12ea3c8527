"""Calendars on the database side: choosing what an export holds.

Selection first reads a narrow row per candidate (id, precision, confidentiality, recurrence)
with the filters in SQL, decides which ones go in, and only then reads the chosen ones in
batches through :func:`engagement.services.interactions.read_many`: what is left out (months,
strictly confidential items) is counted but its text is never loaded. Imports are in
:mod:`engagement.services.calendar_import`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Row, func, literal_column, or_, select
from sqlalchemy.orm import Session

from engagement import ical, ical_rules
from engagement.models import (
    AuditEntry,
    Commitment,
    CommitmentStakeholder,
    FollowUp,
    Interaction,
    InteractionStakeholder,
    InteractionTag,
)
from engagement.schemas import CalendarFollowUp, CalendarSelection
from engagement.schemas.base import clean_tag
from engagement.services import commitments, followups, interactions
from engagement.services.resolve import resolve
from engagement.vocab import Confidentiality, InteractionStatus, Precision

BATCH = 500


def change_stamp(session: Session) -> str:
    """What moves whenever something an export shows may have changed: the newest audit entry
    this role can see (every write unit leaves some; on PostgreSQL row-level security shows
    a role the entries of what it may see), and a marker of the audit triggers themselves,
    which changes when they are suspended for a bulk load that leaves no entries (SQLite drops
    and recreates them, which moves the schema version; PostgreSQL disables and enables them,
    which rewrites their catalogue rows). Read it before the selection, in the same unit: a
    write in between can then only make the stamp look older than the data, never newer.
    See :mod:`engagement.feed_cache`."""
    newest = session.execute(select(func.max(AuditEntry.id))).scalar()
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        triggers = connection.exec_driver_sql(
            "SELECT max(xmin::text::bigint) FROM pg_trigger WHERE tgname = 'audit'"
        ).scalar()
    else:
        triggers = connection.exec_driver_sql("PRAGMA schema_version").scalar()
    return f"{newest or 0}/{triggers or 0}"


def select_for_export(
    session: Session,
    *,
    start: date,
    end: date | None,
    stakeholders: Sequence[str],
    tags: Sequence[str],
    include_confidential: bool,
    include_follow_ups: bool,
    overdue_follow_ups: bool,
    today: date,
) -> CalendarSelection:
    """Interactions that touch ``start``..``end`` (a recurring one if it still recurs then)
    and, if wanted, the follow-ups due then; open overdue ones too with
    ``overdue_follow_ups`` (an export "from now on" should not lose them)."""
    scope = _scope(session, stakeholders, tags)
    selection = CalendarSelection(start=start, end=end)
    wanted: list[int] = []
    for row in _candidates(session, start, end, scope):
        if row.recurrence and not ical_rules.recurs_since(
            row.recurrence, row.start_on, row.last_on, start
        ):
            continue
        if row.precision == Precision.MONTH.value:
            selection.month_only += 1
        elif ical.left_out(Confidentiality(row.confidentiality), include_confidential):
            selection.strictly_confidential += 1
        else:
            wanted.append(row.id)
    for batch in _batches(wanted):
        selection.interactions.extend(interactions.read_many(session, batch, today=today))
    if include_follow_ups:
        _add_follow_ups(session, selection, scope, include_confidential, overdue_follow_ups, today)
        _add_commitments(
            session, selection, stakeholders, tags, include_confidential, overdue_follow_ups, today
        )
    return selection


def _candidates(
    session: Session, start: date, end: date | None, scope: list[ColumnElement[bool]]
) -> list[Row[Any]]:
    """The narrow rows of the interactions that may touch ``start``..``end``, in calendar
    order (day, then time with whole-day items first, then id).

    Two queries rather than one ``(one-off AND last_on >= start) OR recurring``: with the OR
    neither branch can use an index and SQLite reads the whole table (seconds at a million
    interactions). One-off interactions come through the index on ``last_on``; recurring ones
    through the partial index ``ix_interactions_recurring`` (migration 0008), whose
    ``recurrence IS NOT NULL`` must appear literally in the query for SQLite to use it."""
    columns = (
        Interaction.id,
        Interaction.precision,
        Interaction.confidentiality,
        Interaction.recurrence,
        Interaction.start_on,
        Interaction.start_at,
        Interaction.last_on,
    )
    until: list[ColumnElement[bool]] = [] if end is None else [Interaction.start_on <= end]
    ends = until
    if end is not None and session.get_bind().dialect.name == "sqlite":
        # SQLite would walk the index on start_on for ``start_on <= end`` (as selective, to
        # its eyes, as ``last_on >= start``) and read every interaction before ``end``. Unary
        # ``+`` changes no value but keeps a column from using an index, so it takes the index
        # that starts with last_on (and holds start_on too: only matches are read).
        ends = [literal_column("+interactions.start_on", Date) <= end]
    one_off = select(*columns).where(
        Interaction.recurrence.is_(None), Interaction.last_on >= start, *ends, *scope
    )
    recurring = select(*columns).where(Interaction.recurrence.is_not(None), *until, *scope)
    rows = [*session.execute(one_off), *session.execute(recurring)]
    rows.sort(key=_calendar_order)
    return rows


def _calendar_order(row: Row[Any]) -> tuple[date, bool, datetime, int]:
    at = row.start_at
    return (row.start_on, at is not None, at or datetime.min, row.id)


def _add_commitments(
    session: Session,
    selection: CalendarSelection,
    stakeholders: Sequence[str],
    tags: Sequence[str],
    include_confidential: bool,
    overdue: bool,
    today: date,
) -> None:
    """Commitments due in the range (and still-open overdue ones with ``overdue``), with the
    follow-ups. Scoped like them: concerning one of ``stakeholders``, and made at an
    interaction with one of ``tags``."""
    assert selection.start is not None
    due_from: ColumnElement[bool] = Commitment.due_on >= selection.start
    if overdue:
        due_from = or_(due_from, Commitment.status.in_(commitments.OPEN_STATUSES))
    conditions = [Commitment.due_on.is_not(None), due_from]
    if selection.end is not None:
        conditions.append(Commitment.due_on <= selection.end)
    if stakeholders:
        ids = [resolve(session, name, field="stakeholder").id for name in stakeholders]
        conditions.append(
            Commitment.id.in_(
                select(CommitmentStakeholder.commitment_id).where(
                    CommitmentStakeholder.stakeholder_id.in_(ids)
                )
            )
        )
    if tags:
        wanted = [clean_tag(tag) for tag in tags]
        conditions.append(
            Commitment.interaction_id.in_(
                select(InteractionTag.interaction_id).where(InteractionTag.tag.in_(wanted))
            )
        )
    chosen: list[int] = []
    for row in session.execute(
        select(Commitment.id, Commitment.confidentiality)
        .where(*conditions)
        .order_by(Commitment.due_on, Commitment.id)
    ):
        if ical.left_out(Confidentiality(row.confidentiality), include_confidential):
            selection.strictly_confidential += 1
        else:
            chosen.append(row.id)
    for batch in _batches(chosen):
        selection.commitments.extend(commitments.read_many(session, batch, today=today))


def _add_follow_ups(
    session: Session,
    selection: CalendarSelection,
    scope: list[ColumnElement[bool]],
    include_confidential: bool,
    overdue: bool,
    today: date,
) -> None:
    assert selection.start is not None
    due_from: ColumnElement[bool] = FollowUp.due_on >= selection.start
    if overdue:
        due_from = or_(due_from, FollowUp.done.is_(False))
    conditions = [
        FollowUp.due_on.is_not(None),
        due_from,
        Interaction.status != InteractionStatus.CANCELLED.value,
        *scope,
    ]
    if selection.end is not None:
        conditions.append(FollowUp.due_on <= selection.end)
    rows = session.execute(
        select(FollowUp.id, Interaction.uid, Interaction.confidentiality, Interaction.status)
        .join(Interaction, Interaction.id == FollowUp.interaction_id)
        .where(*conditions)
        .order_by(FollowUp.due_on, FollowUp.id)
    ).all()
    parents: dict[int, tuple[str, Confidentiality, InteractionStatus]] = {}
    for row in rows:
        level = Confidentiality(row.confidentiality)
        if ical.left_out(level, include_confidential):
            selection.strictly_confidential += 1
            continue
        parents[row.id] = (row.uid, level, InteractionStatus(row.status))
    for batch in _batches(list(parents)):
        for item in followups.read_many(session, batch, today=today):
            uid, level, status = parents[item.id]
            selection.follow_ups.append(
                CalendarFollowUp(
                    follow_up=item,
                    interaction_uid=uid,
                    confidentiality=level,
                    interaction_status=status,
                )
            )


def _scope(
    session: Session, stakeholders: Sequence[str], tags: Sequence[str]
) -> list[ColumnElement[bool]]:
    """Filters shared by interactions and follow-ups: any of the stakeholders, any of the
    tags (both must hold when both are given)."""
    conditions: list[ColumnElement[bool]] = []
    if stakeholders:
        ids = [resolve(session, name, field="stakeholder").id for name in stakeholders]
        conditions.append(
            Interaction.id.in_(
                select(InteractionStakeholder.interaction_id).where(
                    InteractionStakeholder.stakeholder_id.in_(ids)
                )
            )
        )
    if tags:
        wanted = [clean_tag(tag) for tag in tags]
        conditions.append(
            Interaction.id.in_(
                select(InteractionTag.interaction_id).where(InteractionTag.tag.in_(wanted))
            )
        )
    return conditions


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[index : index + BATCH] for index in range(0, len(ids), BATCH)]
