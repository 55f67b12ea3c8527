"""Follow-ups: the next steps agreed at an interaction, with an owner and a due date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import FollowUpNotFound, InteractionNotFound
from engagement.models import FollowUp, Interaction
from engagement.schemas import FollowUpCreate, FollowUpRead
from engagement.vocab import InteractionStatus


def add(
    session: Session, interaction_id: int, data: FollowUpCreate, *, today: date
) -> FollowUpRead:
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise InteractionNotFound(interaction_id)
    item = new(data)
    interaction.follow_ups.append(item)
    session.flush()
    return read_many(session, [item.id], today=today)[0]


def new(data: FollowUpCreate) -> FollowUp:
    return FollowUp(
        text=data.text,
        due_on=data.due,
        owner=data.owner,
        done=data.done,
        done_at=datetime.now(UTC) if data.done else None,
    )


def complete(session: Session, follow_up_id: int, *, done: bool, today: date) -> FollowUpRead:
    item = session.get(FollowUp, follow_up_id)
    if item is None:
        raise FollowUpNotFound(follow_up_id)
    if item.done != done:
        item.done = done
        item.done_at = datetime.now(UTC) if done else None
        session.flush()
    return read_many(session, [item.id], today=today)[0]


def due(session: Session, *, until: date, today: date, limit: int = 200) -> list[FollowUpRead]:
    """Open follow-ups due on or before ``until`` (overdue ones first), then undated ones are
    left out: they have no place on a calendar."""
    ids = list(
        session.scalars(
            select(FollowUp.id)
            .join(Interaction, Interaction.id == FollowUp.interaction_id)
            .where(
                FollowUp.done.is_(False),
                FollowUp.due_on.is_not(None),
                FollowUp.due_on <= until,
                Interaction.status != InteractionStatus.CANCELLED.value,
            )
            .order_by(FollowUp.due_on, FollowUp.id)
            .limit(limit)
        )
    )
    return read_many(session, ids, today=today)


def read_many(session: Session, ids: Sequence[int], *, today: date) -> list[FollowUpRead]:
    if not ids:
        return []
    rows = {
        item.id: (item, title)
        for item, title in session.execute(
            select(FollowUp, Interaction.title)
            .join(Interaction, Interaction.id == FollowUp.interaction_id)
            .where(FollowUp.id.in_(ids))
        ).all()
    }
    return [_read(*rows[item_id], today=today) for item_id in ids if item_id in rows]


def _read(item: FollowUp, title: str, *, today: date) -> FollowUpRead:
    return FollowUpRead(
        id=item.id,
        interaction_id=item.interaction_id,
        interaction_title=title,
        text=item.text,
        due=item.due_on,
        owner=item.owner,
        done=item.done,
        done_at=item.done_at,
        overdue=bool(not item.done and item.due_on is not None and item.due_on < today),
    )
