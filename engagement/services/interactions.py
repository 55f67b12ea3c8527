"""Interactions: logging, editing and cancelling meetings, calls, visits and the rest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.dates import Period, parse_moment, parse_period, period_from_storage
from engagement.errors import ConcurrentEdit, InteractionNotFound, ValidationFailed
from engagement.models import (
    Interaction,
    InteractionStaff,
    InteractionStakeholder,
    InteractionTag,
    Stakeholder,
)
from engagement.schemas import (
    InteractionCreate,
    InteractionRead,
    InteractionUpdate,
    ParticipantIn,
)
from engagement.services import followups, meetings, posts, search_index
from engagement.services.contacts import refresh_contacts as refresh_contacts
from engagement.services.interaction_reads import read_many as read_many
from engagement.services.resolve import resolve
from engagement.vocab import (
    InteractionStatus,
    Precision,
    Role,
)


def log(session: Session, data: InteractionCreate, *, now: datetime) -> InteractionRead:
    uid = data.uid or f"{uuid.uuid4()}@engagement"
    if session.scalar(select(Interaction.id).where(Interaction.uid == uid)) is not None:
        raise ValidationFailed("uid", uid, "is already used by another interaction")
    participants = _resolve_participants(session, data.stakeholders, field="with")
    interaction = Interaction(
        uid=uid,
        title=data.title,
        kind=data.kind.value,
        status=(data.status or default_status(data.period, now)).value,
        location=data.location,
        summary=data.summary,
        outcome=data.outcome,
        confidentiality=data.confidentiality.value,
        recurrence=data.recurrence,
        logged_by=data.logged_by,
        meeting_format=None if data.meeting_format is None else data.meeting_format.value,
        sidelines_of=data.sidelines_of,
        interpreter=data.interpreter,
        attribution=data.attribution.value,
    )
    _apply_period(interaction, data.period)
    delegates = meetings.delegates(session, data.stakeholders)
    interaction.links = [
        InteractionStakeholder(
            stakeholder_id=stakeholder.id,
            role=role.value,
            position=index,
            start_on=interaction.start_on,
            delegate=stakeholder.id in delegates,
        )
        for index, (stakeholder, role) in enumerate(participants)
    ]
    interaction.languages = meetings.languages(data.languages)
    interaction.tags = [InteractionTag(tag=tag) for tag in dict.fromkeys(data.tags)]
    interaction.staff = [
        InteractionStaff(name=name, position=index)
        for index, name in enumerate(dict.fromkeys(data.staff))
    ]
    interaction.follow_ups = [followups.new(item) for item in data.follow_ups]
    holders = posts.attach_holders(session, interaction)
    session.add(interaction)
    session.flush()
    refresh_contacts(
        session,
        [stakeholder.id for stakeholder, _ in participants] + list(holders),
        today=now.date(),
    )
    search_index.index_interactions(session.connection(), [interaction.id])
    return read(session, interaction.id, today=now.date())


def update_(
    session: Session, interaction_id: int, data: InteractionUpdate, *, now: datetime
) -> InteractionRead:
    interaction = _get(session, interaction_id)
    if data.expected_version is not None and data.expected_version != interaction.version:
        raise ConcurrentEdit(
            f"interaction {interaction_id}", data.expected_version, interaction.version
        )
    changes = data.model_fields_set
    touched = {link.stakeholder_id for link in interaction.links}
    with session.no_autoflush:
        # One flush at the end: the row is written once and its version moves by one.
        _apply_update(session, interaction, data, changes, now)
        touched |= posts.attach_holders(session, interaction)
    if not interaction.links:
        raise ValidationFailed(
            "remove-stakeholder",
            ", ".join(data.remove_stakeholders),
            "would leave the interaction with no stakeholder; add another one first",
        )
    session.flush()
    touched |= {link.stakeholder_id for link in interaction.links}
    refresh_contacts(session, touched, today=now.date())
    search_index.index_interactions(session.connection(), [interaction.id])
    return read(session, interaction.id, today=now.date())


def _apply_update(
    session: Session,
    interaction: Interaction,
    data: InteractionUpdate,
    changes: set[str],
    now: datetime,
) -> None:
    if "title" in changes and data.title is not None:
        interaction.title = data.title
    if "kind" in changes and data.kind is not None:
        interaction.kind = data.kind.value
    if "status" in changes and data.status is not None:
        interaction.status = data.status.value
    if changes & {"when", "until", "timezone"}:
        _apply_period(interaction, _updated_period(interaction, data, now))
    for field in ("location", "summary", "outcome"):
        value = getattr(data, field)
        if field in changes and value is not None:
            setattr(interaction, field, value)
    if "confidentiality" in changes and data.confidentiality is not None:
        interaction.confidentiality = data.confidentiality.value
    if "recurrence" in changes:
        interaction.recurrence = data.recurrence or None
    if "tags" in changes and data.tags is not None:
        interaction.tags = [InteractionTag(tag=tag) for tag in dict.fromkeys(data.tags)]
    if "staff" in changes and data.staff is not None:
        interaction.staff = [
            InteractionStaff(name=name, position=index)
            for index, name in enumerate(dict.fromkeys(data.staff))
        ]
    _change_participants(session, interaction, data)
    meetings.apply_update(session, interaction, data, changes)
    if changes & {
        "tags",
        "staff",
        "add_stakeholders",
        "remove_stakeholders",
        "languages",
        "their_delegation",
    }:
        # Collections live in other tables: touch the row so its version moves too, and a
        # stale editor of the participants is told instead of silently overwriting.
        interaction.updated_at = datetime.now(UTC)
    for link in interaction.links:
        link.start_on = interaction.start_on


def cancel(session: Session, interaction_id: int, *, now: datetime) -> InteractionRead:
    if _get(session, interaction_id).status == InteractionStatus.CANCELLED.value:
        raise ValidationFailed("id", interaction_id, "is already cancelled")
    return update_(
        session, interaction_id, InteractionUpdate(status=InteractionStatus.CANCELLED), now=now
    )


def get(session: Session, interaction_id: int, *, today: date) -> InteractionRead:
    _get(session, interaction_id)
    return read(session, interaction_id, today=today)


def default_status(period: Period, now: datetime) -> InteractionStatus:
    """Logged without a status, a future interaction is planned and a past one was held."""
    start = period.utc_start()
    if start is not None:
        return InteractionStatus.PLANNED if start > now else InteractionStatus.HELD
    return InteractionStatus.PLANNED if period.first_day() > now.date() else InteractionStatus.HELD


def read(session: Session, interaction_id: int, *, today: date) -> InteractionRead:
    return read_many(session, [interaction_id], today=today)[0]


def _get(session: Session, interaction_id: int) -> Interaction:
    interaction = session.get(Interaction, interaction_id)
    if interaction is None:
        raise InteractionNotFound(interaction_id)
    return interaction


def _apply_period(interaction: Interaction, period: Period) -> None:
    interaction.precision = period.precision.value
    interaction.timezone = period.timezone
    interaction.start_on = period.first_day()
    interaction.last_on = period.last_day()
    interaction.end_on = None if period.end is None else period.last_day()
    interaction.start_at = period.utc_start()
    interaction.end_at = period.utc_end()


def _stored_period(interaction: Interaction) -> Period:
    return period_from_storage(
        interaction.precision,
        interaction.timezone,
        interaction.start_on,
        interaction.end_on,
        interaction.start_at,
        interaction.end_at,
    )


def _updated_period(interaction: Interaction, data: InteractionUpdate, now: datetime) -> Period:
    """Apply new when/until/timezone text to the stored period.

    A new ``when`` alone keeps no old end (the old end may now be before it); ``until`` alone
    is read against the stored start, so ``until 16:00`` means 16:00 on the start day; an empty
    ``until`` removes the end; a new ``timezone`` alone keeps the wall-clock times.
    """
    current = _stored_period(interaction)
    zone = data.timezone or current.timezone
    if data.when:
        return parse_period(data.when, data.until or None, timezone=zone, now=now)
    if data.until is not None and not data.until.strip():
        return Period(start=current.start, precision=current.precision, timezone=current.timezone)
    start = current.start
    if data.timezone and current.precision is Precision.DATETIME and isinstance(start, datetime):
        from zoneinfo import ZoneInfo

        start = start.replace(tzinfo=ZoneInfo(data.timezone))
    if data.until:
        base = parse_moment(
            start.isoformat()
            if not isinstance(start, datetime)
            else start.strftime("%Y-%m-%d %H:%M"),
            timezone=zone,
            now=now,
        )
        if current.precision is Precision.MONTH:
            base = base._replace(value=start, precision=Precision.MONTH)
        end = parse_moment(data.until, timezone=zone, now=now, base=base, field="until")
        if end.precision is not current.precision:
            raise ValidationFailed(
                "until",
                data.until,
                f"is a {end.precision.value} but the interaction is held to the "
                f"{current.precision.value}; write the end the same way",
            )
        try:
            return Period(start=start, end=end.value, precision=current.precision, timezone=zone)
        except ValueError:
            raise ValidationFailed("until", data.until, "is before the start") from None
    stored_end = current.end
    if data.timezone and isinstance(stored_end, datetime):
        from zoneinfo import ZoneInfo

        stored_end = stored_end.replace(tzinfo=ZoneInfo(data.timezone))
    return Period(start=start, end=stored_end, precision=current.precision, timezone=zone)


def _resolve_participants(
    session: Session, wanted: Sequence[ParticipantIn], *, field: str
) -> list[tuple[Stakeholder, Role]]:
    chosen: dict[int, tuple[Stakeholder, Role]] = {}
    for item in wanted:
        stakeholder = resolve(session, item.name, field=field)
        chosen.setdefault(stakeholder.id, (stakeholder, item.role))
    return list(chosen.values())


def _change_participants(
    session: Session, interaction: Interaction, data: InteractionUpdate
) -> None:
    for name in data.remove_stakeholders:
        stakeholder = resolve(session, name, field="remove-stakeholder")
        kept = [link for link in interaction.links if link.stakeholder_id != stakeholder.id]
        if len(kept) == len(interaction.links):
            raise ValidationFailed(
                "remove-stakeholder", name, f"is not a stakeholder of interaction {interaction.id}"
            )
        interaction.links = kept
    present = {link.stakeholder_id for link in interaction.links}
    position = max((link.position for link in interaction.links), default=-1) + 1
    delegates = meetings.delegates(session, data.add_stakeholders)
    for stakeholder, role in _resolve_participants(
        session, data.add_stakeholders, field="add-stakeholder"
    ):
        if stakeholder.id in present:
            continue
        interaction.links.append(
            InteractionStakeholder(
                stakeholder_id=stakeholder.id,
                role=role.value,
                position=position,
                start_on=interaction.start_on,
                delegate=stakeholder.id in delegates,
            )
        )
        present.add(stakeholder.id)
        position += 1


def replace(
    session: Session, interaction_id: int, data: InteractionCreate, *, now: datetime
) -> bool:
    """Make a stored interaction match ``data`` (an import of the same uid); True if it changed.

    Follow-ups are only added (matched by text), never removed: a follow-up ticked off here must
    not come back as open because an older file is imported again.
    """
    interaction = _get(session, interaction_id)
    before = read(session, interaction_id, today=now.date()).model_dump(
        exclude={"created_at", "updated_at", "version", "follow_ups"}
    )
    participants = _resolve_participants(session, data.stakeholders, field="stakeholders")
    touched = {link.stakeholder_id for link in interaction.links}
    interaction.title = data.title
    interaction.kind = data.kind.value
    interaction.status = (data.status or InteractionStatus(interaction.status)).value
    _apply_period(interaction, data.period)
    interaction.location = data.location
    interaction.summary = data.summary
    interaction.outcome = data.outcome
    interaction.confidentiality = data.confidentiality.value
    interaction.recurrence = data.recurrence
    if data.logged_by:
        interaction.logged_by = data.logged_by
    interaction.meeting_format = None if data.meeting_format is None else data.meeting_format.value
    interaction.sidelines_of = data.sidelines_of
    interaction.interpreter = data.interpreter
    interaction.attribution = data.attribution.value
    wanted_languages = [item.language for item in meetings.languages(data.languages)]
    if [item.language for item in interaction.languages] != wanted_languages:
        interaction.languages = []
        session.flush()
        interaction.languages = meetings.languages(data.languages)
    delegates = meetings.delegates(session, data.stakeholders)
    wanted_links = [(stakeholder.id, role.value) for stakeholder, role in participants]
    for link in interaction.links:
        link.delegate = link.stakeholder_id in delegates
    named = [
        (link.stakeholder_id, link.role) for link in interaction.links if link.via_post_id is None
    ]
    if named != wanted_links:
        interaction.links = []
        session.flush()
        interaction.links = [
            InteractionStakeholder(
                stakeholder_id=stakeholder_id,
                role=role,
                position=index,
                start_on=interaction.start_on,
                delegate=stakeholder_id in delegates,
            )
            for index, (stakeholder_id, role) in enumerate(wanted_links)
        ]
    for link in interaction.links:
        link.start_on = interaction.start_on
    touched |= posts.attach_holders(session, interaction)
    wanted_tags = list(dict.fromkeys(data.tags))
    if sorted(tag.tag for tag in interaction.tags) != sorted(wanted_tags):
        interaction.tags = []
        session.flush()
        interaction.tags = [InteractionTag(tag=tag) for tag in wanted_tags]
    wanted_staff = list(dict.fromkeys(data.staff))
    if [person.name for person in interaction.staff] != wanted_staff:
        interaction.staff = []
        session.flush()
        interaction.staff = [
            InteractionStaff(name=name, position=i) for i, name in enumerate(wanted_staff)
        ]
    known = {item.text for item in interaction.follow_ups}
    added = [followups.new(item) for item in data.follow_ups if item.text not in known]
    interaction.follow_ups.extend(added)
    session.flush()
    touched |= {stakeholder.id for stakeholder, _ in participants}
    refresh_contacts(session, touched, today=now.date())
    search_index.index_interactions(session.connection(), [interaction_id])
    after = read(session, interaction_id, today=now.date()).model_dump(
        exclude={"created_at", "updated_at", "version", "follow_ups"}
    )
    return bool(added) or before != after


def find_by_uid(session: Session, uid: str) -> int | None:
    return session.scalar(select(Interaction.id).where(Interaction.uid == uid))
