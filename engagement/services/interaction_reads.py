"""Reading interactions into read models: the hot path of every list the user sees.

A page of history or search results is 50 interactions; the database answers it in well under
a millisecond, so the cost is in Python. The statements are built with Core once at import and
compiled once per dialect and page size (:mod:`engagement.services.prepared`), follow-ups take
their interaction's title from the page's rows, enums are looked up in tables rather than
constructed, and the read models are built without validating again what was validated when it
was stored (:func:`engagement.schemas.trusted.trusted`): validating the few hundred small
models of a page cost ten times what the database spent answering it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, tzinfo
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from sqlalchemy import (
    ARRAY,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    any_,
    bindparam,
    select,
)
from sqlalchemy.orm import Session, aliased

from engagement import collector
from engagement.dates import Period, period_from_storage
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
from engagement.schemas.trusted import every_field, trusted
from engagement.services.prepared import Prepared, day, day_or_none, utc, utc_or_none
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    MeetingFormat,
    Precision,
    Role,
    StakeholderKind,
)
from engagement.zones import load_zone

_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_KINDS = {item.value: item for item in InteractionKind}
_STATUSES = {item.value: item for item in InteractionStatus}
_ATTRIBUTIONS = {item.value: item for item in Attribution}
_LEVELS = {item.value: item for item in Confidentiality}
_ROLES = {item.value: item for item in Role}
_STAKEHOLDER_KINDS = {item.value: item for item in StakeholderKind}
_FORMATS = {item.value: item for item in MeetingFormat}
_PRECISIONS = {item.value: item for item in Precision}
_READ_FIELDS = every_field(InteractionRead)
_PARTICIPANT_FIELDS = every_field(ParticipantRead)
_set = object.__setattr__

_ROWS = Prepared(
    select(
        Interaction.id,
        Interaction.uid,
        Interaction.title,
        Interaction.kind,
        Interaction.status,
        Interaction.precision,
        Interaction.timezone,
        Interaction.start_on,
        Interaction.end_on,
        Interaction.start_at,
        Interaction.end_at,
        Interaction.location,
        Interaction.summary,
        Interaction.outcome,
        Interaction.confidentiality,
        Interaction.recurrence,
        Interaction.logged_by,
        Interaction.created_at,
        Interaction.updated_at,
        Interaction.version,
        Interaction.meeting_format,
        Interaction.sidelines_of,
        Interaction.interpreter,
        Interaction.attribution,
    ).where(Interaction.id.in_(_IDS))
)
_VIA_POST = aliased(Stakeholder)


def _participants(
    chosen: ColumnElement[bool],
) -> Select[int, str, bool, int, str, str, str]:
    return (
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
        .where(chosen)
        .order_by(InteractionStakeholder.interaction_id, InteractionStakeholder.position)
    )


# PostgreSQL takes the ids as one array: given fifty literal values, its planner estimated a
# few hundred links and hash-joined the whole stakeholder table twice (8 ms against 0.6 ms
# for the same rows read by key).
_PARTICIPANTS = Prepared(
    _participants(InteractionStakeholder.interaction_id.in_(_IDS)),
    postgresql=_participants(
        InteractionStakeholder.interaction_id == any_(bindparam("ids", type_=ARRAY(Integer)))
    ),
)
_TAGS = Prepared(
    select(InteractionTag.interaction_id, InteractionTag.tag)
    .where(InteractionTag.interaction_id.in_(_IDS))
    # In primary-key order: the key gives it without a sort, and ordering by tag alone let
    # PostgreSQL's generic plan walk the whole tag index.
    .order_by(InteractionTag.interaction_id, InteractionTag.tag)
)
_LANGUAGES = Prepared(
    select(InteractionLanguage.interaction_id, InteractionLanguage.language)
    .where(InteractionLanguage.interaction_id.in_(_IDS))
    .order_by(InteractionLanguage.interaction_id, InteractionLanguage.position)
)
_STAFF = Prepared(
    select(InteractionStaff.interaction_id, InteractionStaff.name)
    .where(InteractionStaff.interaction_id.in_(_IDS))
    .order_by(InteractionStaff.position)
)
_FOLLOW_UPS = Prepared(
    select(
        FollowUp.id,
        FollowUp.interaction_id,
        FollowUp.text,
        FollowUp.due_on,
        FollowUp.owner,
        FollowUp.done,
        FollowUp.done_at,
    )
    .where(FollowUp.interaction_id.in_(_IDS))
    .order_by(FollowUp.id)
)


def read_many(session: Session, ids: Sequence[int], *, today: date) -> list[InteractionRead]:
    """Read models for ``ids`` in that order, with a fixed number of queries whatever the count."""
    if not ids:
        return []
    with collector.paused():
        return _read_many(session, ids, today)


def _read_many(session: Session, ids: Sequence[int], today: date) -> list[InteractionRead]:
    """The page's rows and lists in six statements, then the models built inline: a function
    call per participant or interaction shows at this size (about a third of the Python cost
    went to :func:`trusted`'s calls), so the loops set the models' state themselves."""
    wanted = {"ids": list(dict.fromkeys(ids))}
    connection = session.connection()
    rows = {row[0]: row for row in _ROWS.run(connection, wanted)}
    new = BaseModel.__new__
    participant_fields = _PARTICIPANT_FIELDS
    kinds = _STAKEHOLDER_KINDS
    roles = _ROLES
    participants: dict[int, list[ParticipantRead]] = defaultdict(list)
    for owner, role, delegate, stakeholder_id, name, kind, via_post in _PARTICIPANTS.run(
        connection, wanted
    ):
        person = new(ParticipantRead)
        _set(
            person,
            "__dict__",
            {
                "id": stakeholder_id,
                "name": name,
                "kind": kinds[kind],
                "role": roles[role],
                "delegate": bool(delegate),
                "via_post": via_post,
            },
        )
        _set(person, "__pydantic_fields_set__", participant_fields)
        _set(person, "__pydantic_extra__", None)
        _set(person, "__pydantic_private__", None)
        participants[owner].append(person)
    languages: dict[int, list[str]] = defaultdict(list)
    for owner, language in _LANGUAGES.run(connection, wanted):
        languages[owner].append(language)
    tags: dict[int, list[str]] = defaultdict(list)
    for owner, tag in _TAGS.run(connection, wanted):
        tags[owner].append(tag)
    staff: dict[int, list[str]] = defaultdict(list)
    for owner, name in _STAFF.run(connection, wanted):
        staff[owner].append(name)
    follow_ups: dict[int, list[FollowUpRead]] = defaultdict(list)
    for item_id, owner, text, due_on, owner_name, done, done_at in _FOLLOW_UPS.run(
        connection, wanted
    ):
        due = day_or_none(due_on)
        finished = bool(done)
        follow_ups[owner].append(
            trusted(
                FollowUpRead,
                {
                    "id": item_id,
                    "interaction_id": owner,
                    "interaction_title": rows[owner][2],
                    "text": text,
                    "due": due,
                    "owner": owner_name,
                    "done": finished,
                    "done_at": utc_or_none(done_at),
                    "overdue": not finished and due is not None and due < today,
                },
            )
        )
    result = []
    read_fields = _READ_FIELDS
    none: list[Any] = []
    for interaction_id in ids:
        row = rows.get(interaction_id)
        if row is None:
            continue
        (
            _,
            uid,
            title,
            kind,
            status,
            precision,
            zone,
            start_on,
            end_on,
            start_at,
            end_at,
            location,
            summary,
            outcome,
            confidentiality,
            recurrence,
            logged_by,
            created_at,
            updated_at,
            version,
            meeting_format,
            sidelines_of,
            interpreter,
            attribution,
        ) = row
        period, first, last, when = _stored(precision, zone, start_on, end_on, start_at, end_at)
        people = participants.get(interaction_id, none)
        item = new(InteractionRead)
        _set(
            item,
            "__dict__",
            {
                "id": interaction_id,
                "uid": uid,
                "title": title,
                "kind": _KINDS[kind],
                "status": _STATUSES[status],
                "start": first,
                "end": last,
                "precision": precision,
                "timezone": period.timezone,
                "when": when,
                "location": location,
                "summary": summary,
                "outcome": outcome,
                "stakeholders": [person.name for person in people],
                "participants": people if people is not none else [],
                "tags": tags.get(interaction_id) or [],
                "confidentiality": _LEVELS[confidentiality],
                "staff": staff.get(interaction_id) or [],
                "recurrence": recurrence,
                "logged_by": logged_by,
                "created_at": utc(created_at),
                "updated_at": utc(updated_at),
                "version": version,
                "follow_ups": follow_ups.get(interaction_id) or [],
                "meeting_format": None if meeting_format is None else _FORMATS[meeting_format],
                "sidelines_of": sidelines_of,
                "languages": languages.get(interaction_id) or [],
                "interpreter": bool(interpreter),
                "attribution": _ATTRIBUTIONS[attribution],
                "their_delegation": [person.name for person in people if person.delegate],
                "period": period,
                "type": "interaction",
            },
        )
        _set(item, "__pydantic_fields_set__", read_fields)
        _set(item, "__pydantic_extra__", None)
        _set(item, "__pydantic_private__", None)
        result.append(item)
    return result


@lru_cache(maxsize=2048)
def _stored(
    precision: str,
    zone: str | None,
    start_on: Any,
    end_on: Any,
    start_at: Any,
    end_at: Any,
) -> tuple[Period, str, str | None, str]:
    """:func:`stored_period` with its ISO start and end and its description, for the stored
    values. Cached: building and describing a timed period costs ~5 µs, a quarter of an
    interaction's read model, and the same pages are read again and again (a list scrolled, a
    history reopened after an edit). The cached period is frozen, the texts immutable; 2,048
    periods (forty pages) hold about 1.5 MB."""
    period = stored_period(precision, zone, start_on, end_on, start_at, end_at)
    if precision == "day" and start_on.__class__ is str:  # the stored text is the ISO date
        return period, start_on, end_on, period.describe()
    return period, period.iso_start(), period.iso_end(), period.describe()


def stored_period(
    precision: str,
    zone: str | None,
    start_on: Any,
    end_on: Any,
    start_at: Any,
    end_at: Any,
) -> Period:
    """:func:`engagement.dates.period_from_storage` for raw column values, without validating
    again what was validated when it was stored (tests compare the two)."""
    level = _PRECISIONS[precision]
    if level is Precision.DATETIME and start_at is not None:
        name = zone or "UTC"
        place = _zone(name)
        return trusted(
            Period,
            {
                "start": utc(start_at).astimezone(place),
                "end": None if end_at is None else utc(end_at).astimezone(place),
                "precision": level,
                "timezone": name,
            },
        )
    if level is Precision.DATETIME:  # a timed period stored without its moment: let it fail
        return period_from_storage(precision, zone, day(start_on), day_or_none(end_on), None, None)
    first = day(start_on)
    last = day_or_none(end_on)
    if level is Precision.MONTH:
        first = first.replace(day=1)
        last = None if last is None else last.replace(day=1)
    return trusted(Period, {"start": first, "end": last, "precision": level, "timezone": zone})


@lru_cache(maxsize=256)
def _zone(name: str) -> tzinfo:
    return load_zone(name)
