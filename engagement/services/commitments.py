"""Commitments: promises owed by us or by them, with an owner, a due date and a status.

They are modelled like follow-ups (a text, a date-precision due date, an owner) but stand on
their own: they concern stakeholders directly, may come from an interaction (and keep their
confidentiality level when it is later changed), and move through ``open``, ``in_progress``,
``done`` and ``dropped`` instead of a done flag.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, case, select
from sqlalchemy.orm import Session

from engagement.errors import (
    CommitmentNotFound,
    ConcurrentEdit,
    InteractionNotFound,
    InvalidInput,
)
from engagement.models import (
    Commitment,
    CommitmentStakeholder,
    Interaction,
    InteractionStakeholder,
    Stakeholder,
)
from engagement.schemas import CommitmentCreate, CommitmentRead, CommitmentUpdate
from engagement.services.resolve import resolve
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy

OPEN_STATUSES = (CommitmentStatus.OPEN.value, CommitmentStatus.IN_PROGRESS.value)


def add(session: Session, data: CommitmentCreate, *, today: date) -> CommitmentRead:
    interaction = None
    if data.interaction_id is not None:
        interaction = session.get(Interaction, data.interaction_id)
        if interaction is None:
            raise InteractionNotFound(data.interaction_id)
    ids: list[int] = []
    for name in data.stakeholders:
        ident = resolve(session, name, field="stakeholder").id
        if ident not in ids:
            ids.append(ident)
    if not ids and interaction is not None:
        ids = list(
            session.scalars(
                select(InteractionStakeholder.stakeholder_id)
                .where(InteractionStakeholder.interaction_id == interaction.id)
                .order_by(InteractionStakeholder.position)
            )
        )
    if not ids:
        raise InvalidInput(
            ["stakeholder: is required; name who the commitment concerns (or give the interaction)"]
        )
    level = data.confidentiality or (
        Confidentiality(interaction.confidentiality)
        if interaction is not None
        else Confidentiality.INTERNAL
    )
    item = Commitment(
        text=data.text,
        owed_by=data.owed_by.value,
        owner=data.owner,
        due_on=data.due,
        status=data.status.value,
        interaction_id=None if interaction is None else interaction.id,
        confidentiality=level.value,
        made_on=data.made_on or (interaction.start_on if interaction is not None else today),
        closed_on=None if data.status.is_open else (data.closed_on or today),
        links=[
            CommitmentStakeholder(stakeholder_id=ident, position=index)
            for index, ident in enumerate(ids)
        ],
    )
    session.add(item)
    session.flush()
    return read_many(session, [item.id], today=today)[0]


def update_(
    session: Session, commitment_id: int, data: CommitmentUpdate, *, today: date
) -> CommitmentRead:
    item = _get(session, commitment_id)
    if data.expected_version is not None and data.expected_version != item.version:
        raise ConcurrentEdit(f"commitment {commitment_id}", data.expected_version, item.version)
    changes = data.model_fields_set
    if "text" in changes and data.text is not None:
        item.text = data.text
    if "owed_by" in changes and data.owed_by is not None:
        item.owed_by = data.owed_by.value
    if "owner" in changes and data.owner is not None:
        item.owner = data.owner
    if "due" in changes:
        item.due_on = data.due
    if "confidentiality" in changes and data.confidentiality is not None:
        item.confidentiality = data.confidentiality.value
    if "status" in changes and data.status is not None and data.status.value != item.status:
        item.status = data.status.value
        item.closed_on = None if data.status.is_open else (data.closed_on or today)
    elif "closed_on" in changes and data.closed_on is not None and item.closed_on is not None:
        item.closed_on = data.closed_on
    session.flush()
    return read_many(session, [item.id], today=today)[0]


def get(session: Session, commitment_id: int, *, today: date) -> CommitmentRead:
    _get(session, commitment_id)
    return read_many(session, [commitment_id], today=today)[0]


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Still to be kept and due before today."""
    return and_(
        Commitment.status.in_(OPEN_STATUSES),
        Commitment.due_on.is_not(None),
        Commitment.due_on < today,
    )


def list_(
    session: Session,
    *,
    today: date,
    owed_by: OwedBy | None = None,
    overdue: bool = False,
    stakeholder_ids: Iterable[int] | None = None,
    statuses: Sequence[CommitmentStatus] | None = None,
    due_until: date | None = None,
    confidentiality_max: Confidentiality | None = None,
    limit: int | None = None,
    interaction_id: int | None = None,
) -> list[CommitmentRead]:
    """Commitments matching the filters: overdue ones first, then by due date (undated last).

    Without ``statuses`` only the ones still to be kept (open, in progress) are listed.
    """
    wanted = [s.value for s in statuses] if statuses else list(OPEN_STATUSES)
    query = select(Commitment.id).where(Commitment.status.in_(wanted))
    if owed_by is not None:
        query = query.where(Commitment.owed_by == owed_by.value)
    if overdue:
        query = query.where(overdue_clause(today))
    if stakeholder_ids is not None:
        query = query.where(
            Commitment.id.in_(
                select(CommitmentStakeholder.commitment_id).where(
                    CommitmentStakeholder.stakeholder_id.in_(list(stakeholder_ids))
                )
            )
        )
    if interaction_id is not None:
        query = query.where(Commitment.interaction_id == interaction_id)
    if due_until is not None:
        query = query.where(Commitment.due_on.is_not(None), Commitment.due_on <= due_until)
    if confidentiality_max is not None:
        levels = [level.value for level in confidentiality_max.levels_up_to()]
        query = query.where(Commitment.confidentiality.in_(levels))
    late = case((overdue_clause(today), 0), else_=1)
    undated = case((Commitment.due_on.is_(None), 1), else_=0)
    query = query.order_by(late, undated, Commitment.due_on, Commitment.id)
    if limit is not None:
        query = query.limit(limit)
    return read_many(session, list(session.scalars(query)), today=today)


def read_many(session: Session, ids: Sequence[int], *, today: date) -> list[CommitmentRead]:
    """Read models for ``ids`` in that order, in three queries whatever the count."""
    if not ids:
        return []
    wanted = list(dict.fromkeys(ids))
    rows = {
        row.id: row
        for row in session.execute(
            select(Commitment.__table__, Interaction.title.label("interaction_title"))
            .outerjoin(Interaction, Interaction.id == Commitment.interaction_id)
            .where(Commitment.id.in_(wanted))
        )
    }
    names: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for owner, ident, name in session.execute(
        select(CommitmentStakeholder.commitment_id, Stakeholder.id, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == CommitmentStakeholder.stakeholder_id)
        .where(CommitmentStakeholder.commitment_id.in_(wanted))
        .order_by(CommitmentStakeholder.commitment_id, CommitmentStakeholder.position)
    ):
        names[owner].append((ident, name))
    result = []
    for commitment_id in ids:
        row = rows.get(commitment_id)
        if row is None:
            continue
        status = CommitmentStatus(row.status)
        result.append(
            CommitmentRead(
                id=row.id,
                text=row.text,
                owed_by=OwedBy(row.owed_by),
                owner=row.owner,
                due=row.due_on,
                status=status,
                stakeholders=[name for _, name in names[row.id]],
                stakeholder_ids=[ident for ident, _ in names[row.id]],
                interaction_id=row.interaction_id,
                interaction_title=row.interaction_title,
                confidentiality=Confidentiality(row.confidentiality),
                made_on=row.made_on,
                closed_on=row.closed_on,
                created_at=row.created_at,
                updated_at=row.updated_at,
                version=row.version,
                overdue=status.is_open and row.due_on is not None and row.due_on < today,
            )
        )
    return result


def _get(session: Session, commitment_id: int) -> Commitment:
    item = session.get(Commitment, commitment_id)
    if item is None:
        raise CommitmentNotFound(commitment_id)
    return item
