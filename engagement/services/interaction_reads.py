"""Reading interactions into read models: the hot path of every list the user sees.

A page of history or search results is 50 interactions; the database answers it in well under
a millisecond, so the cost is in Python. The statements are therefore built once at import
(expanding ``IN`` parameters, so SQLAlchemy's compiled cache serves them) instead of per call,
follow-ups come with the interactions' titles in one query, and enums are looked up in tables
rather than constructed. (``model_construct`` was measured: it is no faster than validating
these small models with pydantic-core, so the read models stay validated.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import BindParameter, bindparam, select
from sqlalchemy.orm import Session, aliased

from engagement.dates import period_from_storage
from engagement.models import (
    FollowUp,
    Interaction,
    InteractionLanguage,
    InteractionStaff,
    InteractionStakeholder,
    InteractionTag,
    Stakeholder,
)
from engagement.schemas import FollowUpRead, InteractionRead, ParticipantRead
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    Role,
    StakeholderKind,
)

_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_KINDS = {item.value: item for item in InteractionKind}
_STATUSES = {item.value: item for item in InteractionStatus}
_ATTRIBUTIONS = {item.value: item for item in Attribution}
_LEVELS = {item.value: item for item in Confidentiality}
_ROLES = {item.value: item for item in Role}
_STAKEHOLDER_KINDS = {item.value: item for item in StakeholderKind}

_ROWS = select(Interaction.__table__).where(Interaction.id.in_(_IDS))
_VIA_POST = aliased(Stakeholder)
_PARTICIPANTS = (
    select(
        InteractionStakeholder.interaction_id,
        InteractionStakeholder.role,
        InteractionStakeholder.delegate,
        Stakeholder.id,
        Stakeholder.name,
        Stakeholder.kind,
        _VIA_POST.name,
    )
    .join(Stakeholder, Stakeholder.id == InteractionStakeholder.stakeholder_id)
    .outerjoin(_VIA_POST, _VIA_POST.id == InteractionStakeholder.via_post_id)
    .where(InteractionStakeholder.interaction_id.in_(_IDS))
    .order_by(InteractionStakeholder.interaction_id, InteractionStakeholder.position)
)
_TAGS = (
    select(InteractionTag.interaction_id, InteractionTag.tag)
    .where(InteractionTag.interaction_id.in_(_IDS))
    .order_by(InteractionTag.tag)
)
_LANGUAGES = (
    select(InteractionLanguage.interaction_id, InteractionLanguage.language)
    .where(InteractionLanguage.interaction_id.in_(_IDS))
    .order_by(InteractionLanguage.interaction_id, InteractionLanguage.position)
)
_STAFF = (
    select(InteractionStaff.interaction_id, InteractionStaff.name)
    .where(InteractionStaff.interaction_id.in_(_IDS))
    .order_by(InteractionStaff.position)
)
_FOLLOW_UPS = (
    select(
        FollowUp.id,
        FollowUp.interaction_id,
        Interaction.title,
        FollowUp.text,
        FollowUp.due_on,
        FollowUp.owner,
        FollowUp.done,
        FollowUp.done_at,
    )
    .join(Interaction, Interaction.id == FollowUp.interaction_id)
    .where(FollowUp.interaction_id.in_(_IDS))
    .order_by(FollowUp.id)
)


def read_many(session: Session, ids: Sequence[int], *, today: date) -> list[InteractionRead]:
    """Read models for ``ids`` in that order, with a fixed number of queries whatever the count."""
    if not ids:
        return []
    wanted = {"ids": list(dict.fromkeys(ids))}
    # Core statements on the session's connection: Session.execute would wrap each result in
    # the ORM's loading machinery, which costs more than SQLite spends answering.
    connection = session.connection()
    rows = {row.id: row for row in connection.execute(_ROWS, wanted)}
    participants: dict[int, list[ParticipantRead]] = defaultdict(list)
    for owner, role, delegate, stakeholder_id, name, kind, via_post in connection.execute(
        _PARTICIPANTS, wanted
    ):
        participants[owner].append(
            ParticipantRead(
                id=stakeholder_id,
                name=name,
                kind=_STAKEHOLDER_KINDS[kind],
                role=_ROLES[role],
                delegate=bool(delegate),
                via_post=via_post,
            )
        )
    languages: dict[int, list[str]] = defaultdict(list)
    for owner, language in connection.execute(_LANGUAGES, wanted):
        languages[owner].append(language)
    tags: dict[int, list[str]] = defaultdict(list)
    for owner, tag in connection.execute(_TAGS, wanted):
        tags[owner].append(tag)
    staff: dict[int, list[str]] = defaultdict(list)
    for owner, name in connection.execute(_STAFF, wanted):
        staff[owner].append(name)
    follow_ups: dict[int, list[FollowUpRead]] = defaultdict(list)
    for item in connection.execute(_FOLLOW_UPS, wanted):
        follow_ups[item.interaction_id].append(
            FollowUpRead(
                id=item.id,
                interaction_id=item.interaction_id,
                interaction_title=item.title,
                text=item.text,
                due=item.due_on,
                owner=item.owner,
                done=item.done,
                done_at=item.done_at,
                overdue=bool(not item.done and item.due_on is not None and item.due_on < today),
            )
        )
    result = []
    for interaction_id in ids:
        row = rows.get(interaction_id)
        if row is None:
            continue
        period = period_from_storage(
            row.precision, row.timezone, row.start_on, row.end_on, row.start_at, row.end_at
        )
        people = participants[interaction_id]
        result.append(
            InteractionRead(
                id=row.id,
                uid=row.uid,
                title=row.title,
                kind=_KINDS[row.kind],
                status=_STATUSES[row.status],
                start=period.iso_start(),
                end=period.iso_end(),
                precision=period.precision.value,
                timezone=period.timezone,
                when=period.describe(),
                location=row.location,
                summary=row.summary,
                outcome=row.outcome,
                stakeholders=[person.name for person in people],
                participants=people,
                tags=tags[interaction_id],
                confidentiality=_LEVELS[row.confidentiality],
                staff=staff[interaction_id],
                recurrence=row.recurrence,
                logged_by=row.logged_by,
                created_at=row.created_at,
                updated_at=row.updated_at,
                version=row.version,
                follow_ups=follow_ups[interaction_id],
                period=period,
                meeting_format=row.meeting_format,
                sidelines_of=row.sidelines_of,
                languages=languages[interaction_id],
                interpreter=bool(row.interpreter),
                attribution=_ATTRIBUTIONS[row.attribution],
                their_delegation=[person.name for person in people if person.delegate],
            )
        )
    return result
