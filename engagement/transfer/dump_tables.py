"""Reading the tables for the logical JSON dump, one entity at a time, as JSON-ready data.

Straight from the tables (not through the read models), ordered by id, with keys in the dump's
fixed layout, so the same data always gives the same bytes. Columns that only make reads fast
(folded name keys, contact statistics, search tables, copied interaction dates) are left out.
A confidentiality cap leaves out the interactions and commitments above it and the notes of
off-record interactions. The document around these lists, its header and its parsing are
:mod:`engagement.transfer.dump`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.dates import period_from_storage
from engagement.models import (
    Affiliation,
    Commitment,
    CommitmentStakeholder,
    FollowUp,
    Interaction,
    InteractionLanguage,
    InteractionStaff,
    InteractionStakeholder,
    InteractionTag,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderMerge,
    StakeholderTag,
)
from engagement.vocab import Attribution, Confidentiality


def stakeholders(session: Session) -> list[dict[str, Any]]:
    aliases: dict[int, list[str]] = defaultdict(list)
    for owner, alias in session.execute(
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias).order_by(
            StakeholderAlias.stakeholder_id, StakeholderAlias.id
        )
    ):
        aliases[owner].append(alias)
    tags: dict[int, list[str]] = defaultdict(list)
    for owner, tag in session.execute(
        select(StakeholderTag.stakeholder_id, StakeholderTag.tag).order_by(
            StakeholderTag.stakeholder_id, StakeholderTag.tag
        )
    ):
        tags[owner].append(tag)
    return [
        {
            "id": row.id,
            "name": row.name,
            "kind": row.kind,
            "country": row.country,
            "email": row.email,
            "parent_id": row.parent_id,
            "notes": row.notes,
            "archived": bool(row.archived),
            "influence": row.influence,
            "interest": row.interest,
            "aliases": aliases[row.id],
            "tags": tags[row.id],
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
            "version": row.version,
        }
        for row in session.execute(select(Stakeholder).order_by(Stakeholder.id)).scalars()
    ]


def affiliations(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "person_id": row.person_id,
            "organisation_id": row.organisation_id,
            "title": row.title,
            "start": _day(row.start_on),
            "end": _day(row.end_on),
            "created_at": timestamp(row.created_at),
        }
        for row in session.execute(select(Affiliation.__table__).order_by(Affiliation.id))
    ]


def tenures(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "post_id": row.post_id,
            "person_id": row.person_id,
            "start": _day(row.start_on),
            "start_precision": row.start_precision,
            "end": _day(row.end_on),
            "end_precision": row.end_precision,
            "created_at": timestamp(row.created_at),
        }
        for row in session.execute(select(PostTenure.__table__).order_by(PostTenure.id))
    ]


def interactions(session: Session, cap: Confidentiality | None) -> tuple[list[dict[str, Any]], int]:
    query = select(Interaction.__table__).order_by(Interaction.id)
    withheld = 0
    if cap is not None:
        allowed = [level.value for level in cap.levels_up_to()]
        query = query.where(Interaction.confidentiality.in_(allowed))
        withheld = (
            session.scalar(
                select(func.count())
                .select_from(Interaction)
                .where(Interaction.confidentiality.not_in(allowed))
            )
            or 0
        )
    rows = list(session.execute(query))
    participants = _children(
        session,
        select(
            InteractionStakeholder.interaction_id,
            InteractionStakeholder.stakeholder_id,
            InteractionStakeholder.role,
            InteractionStakeholder.delegate,
            InteractionStakeholder.via_post_id,
        ).order_by(
            InteractionStakeholder.interaction_id,
            InteractionStakeholder.position,
            InteractionStakeholder.stakeholder_id,
        ),
        lambda row: {
            "stakeholder_id": row.stakeholder_id,
            "role": row.role,
            "delegate": bool(row.delegate),
            "via_post_id": row.via_post_id,
        },
    )
    languages = _children(
        session,
        select(InteractionLanguage.interaction_id, InteractionLanguage.language).order_by(
            InteractionLanguage.interaction_id, InteractionLanguage.position
        ),
        lambda row: row.language,
    )
    tags = _children(
        session,
        select(InteractionTag.interaction_id, InteractionTag.tag).order_by(
            InteractionTag.interaction_id, InteractionTag.tag
        ),
        lambda row: row.tag,
    )
    staff = _children(
        session,
        select(InteractionStaff.interaction_id, InteractionStaff.name).order_by(
            InteractionStaff.interaction_id, InteractionStaff.position, InteractionStaff.name
        ),
        lambda row: row.name,
    )
    follow_ups = _children(
        session,
        select(FollowUp.__table__).order_by(FollowUp.interaction_id, FollowUp.id),
        lambda row: {
            "id": row.id,
            "text": row.text,
            "due": _day(row.due_on),
            "owner": row.owner,
            "done": bool(row.done),
            "done_at": timestamp(row.done_at),
            "created_at": timestamp(row.created_at),
        },
    )
    result = []
    for row in rows:
        period = period_from_storage(
            row.precision, row.timezone, row.start_on, row.end_on, row.start_at, row.end_at
        )
        # A capped dump is an export, not a backup: off-record notes stay in the database.
        withhold_notes = cap is not None and row.attribution == Attribution.OFF_RECORD.value
        result.append(
            {
                "id": row.id,
                "uid": row.uid,
                "title": row.title,
                "kind": row.kind,
                "status": row.status,
                "precision": period.precision.value,
                "timezone": period.timezone,
                "start": period.iso_start(),
                "end": period.iso_end(),
                "location": row.location,
                "summary": "" if withhold_notes else row.summary,
                "outcome": "" if withhold_notes else row.outcome,
                "confidentiality": row.confidentiality,
                "recurrence": row.recurrence,
                "source_sequence": row.source_sequence,
                "logged_by": row.logged_by,
                "participants": participants.get(row.id, []),
                "tags": tags.get(row.id, []),
                "staff": staff.get(row.id, []),
                "follow_ups": follow_ups.get(row.id, []),
                "meeting_format": row.meeting_format,
                "sidelines_of": row.sidelines_of,
                "languages": languages.get(row.id, []),
                "interpreter": bool(row.interpreter),
                "attribution": row.attribution,
                "created_at": timestamp(row.created_at),
                "updated_at": timestamp(row.updated_at),
                "version": row.version,
            }
        )
    return result, withheld


def commitments(
    session: Session, cap: Confidentiality | None, interactions: set[int]
) -> list[dict[str, Any]]:
    """Commitments within the cap; one whose interaction was withheld keeps no link to it."""
    query = select(Commitment.__table__).order_by(Commitment.id)
    if cap is not None:
        query = query.where(
            Commitment.confidentiality.in_([level.value for level in cap.levels_up_to()])
        )
    concerned: dict[int, list[int]] = defaultdict(list)
    for row in session.execute(
        select(CommitmentStakeholder.commitment_id, CommitmentStakeholder.stakeholder_id).order_by(
            CommitmentStakeholder.commitment_id,
            CommitmentStakeholder.position,
            CommitmentStakeholder.stakeholder_id,
        )
    ):
        concerned[row.commitment_id].append(row.stakeholder_id)
    return [
        {
            "id": row.id,
            "text": row.text,
            "owed_by": row.owed_by,
            "owner": row.owner,
            "due": _day(row.due_on),
            "status": row.status,
            "interaction_id": row.interaction_id if row.interaction_id in interactions else None,
            "confidentiality": row.confidentiality,
            "made_on": _day(row.made_on),
            "closed_on": _day(row.closed_on),
            "stakeholder_ids": concerned.get(row.id, []),
            "created_at": timestamp(row.created_at),
            "updated_at": timestamp(row.updated_at),
            "version": row.version,
        }
        for row in session.execute(query)
    ]


def _children(session: Session, query: Any, shape: Any) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(query):
        grouped[row.interaction_id].append(shape(row))
    return grouped


def merges(session: Session) -> list[dict[str, Any]]:
    return [
        {
            "id": row.id,
            "keep_id": row.keep_id,
            "dropped_id": row.dropped_id,
            "dropped_name": row.dropped_name,
            "details": json.loads(row.details),
            "merged_at": timestamp(row.merged_at),
            "undone_at": timestamp(row.undone_at),
        }
        for row in session.execute(select(StakeholderMerge.__table__).order_by(StakeholderMerge.id))
    ]


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat()


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
