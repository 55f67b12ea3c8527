"""What one imported VEVENT or VTODO means for the tracker (used by :mod:`ical_import`).

Each component becomes a :class:`ParsedEvent` (an interaction to be) or a
:class:`ParsedFollowUp`, or raises :class:`Skip` with a reason written for the user. Attendees
and the organiser become :class:`Person` records to match against stakeholders; a file we wrote
ourselves also names its stakeholders, kind, confidentiality and status in ``X-ENGAGEMENT-*``
properties, so it comes back as it went out.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from icalendar import vDatetime
from icalendar.parser import split_on_unescaped_comma, unescape_backslash

from engagement.attribution import NOTICE_PREFIX
from engagement.dates import Period
from engagement.ical import FOLLOW_UPS_HEADING
from engagement.ical_time import (
    EventContext,
    Property,
    Skip,
    as_date,
    period_of,
    recurrence_of,
    value_of,
)
from engagement.schemas.base import clean_line
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    Role,
    StakeholderKind,
)

__all__ = [
    "EventContext",
    "ParsedEvent",
    "ParsedFollowUp",
    "Person",
    "Property",
    "Skip",
    "display",
    "read_component",
    "unescape",
]

_KINDS = {kind.value: kind for kind in InteractionKind}
_LEVELS = {level.value for level in Confidentiality}
_SURROGATES = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    role: Role

    def label(self) -> str:
        if self.name and self.email and self.name.casefold() != self.email.casefold():
            return display(f"{self.name} <{self.email}>")
        return display(self.name or self.email)


def display(text: str, limit: int = 200) -> str:
    """Text from a file made safe to show: bytes that were not UTF-8 become U+FFFD, control
    characters (terminal escapes among them) go, and it is cut to ``limit``."""
    readable = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    shown = str(clean_line(readable))
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass
class ParsedEvent:
    component: str
    line: int
    uid: str
    sequence: int
    stamp: datetime | None
    title: str
    period: Period
    location: str = ""
    summary: str = ""
    cancelled: bool = False
    kind: InteractionKind | None = None
    tags: list[str] = field(default_factory=list)
    confidentiality: Confidentiality | None = None
    recurrence: str | None = None
    people: list[Person] = field(default_factory=list)
    stakeholders: list[tuple[str, Role, StakeholderKind]] = field(default_factory=list)
    status: InteractionStatus | None = None
    attribution: Attribution | None = None
    #: sent as a cancellation (METHOD:CANCEL): it only ever cancels a stored meeting
    cancel_notice: bool = False


@dataclass
class ParsedFollowUp:
    component: str
    line: int
    uid: str
    related_to: str
    text: str
    due: date | None
    done: bool
    owner: str = ""


def read_component(
    name: str, line: int, properties: list[Property], context: EventContext
) -> ParsedEvent | ParsedFollowUp:
    props: dict[str, list[Property]] = {}
    for item in properties:
        if _SURROGATES.search(item.raw):
            raise Skip(
                f"line {item.line} holds bytes that are not UTF-8 (the file seems to be in "
                "another encoding); convert it, e.g. iconv -f WINDOWS-1251 -t UTF-8"
            )
        if item.broken:
            raise Skip(f"line {item.line} is not a valid iCalendar content line")
        props.setdefault(item.name, []).append(item)
    if "X-ENGAGEMENT-REDACTED" in props:
        raise Skip(
            "busy time standing for a confidential item (exported without "
            "--include-confidential); there is nothing to import"
        )
    if "X-ENGAGEMENT-COMMITMENT" in props:
        raise Skip(
            "a commitment exported by engagement; commitments are not imported from calendars"
        )
    if name == "VTODO" or "X-ENGAGEMENT-FOLLOW-UP" in props:
        return _follow_up(name, line, props)
    if "RECURRENCE-ID" in props:
        raise Skip("a change to one occurrence of a recurring event; only whole series import")
    period = period_of(props, context)
    ours = context.ours or "X-ENGAGEMENT-KIND" in props
    description = _text(props, "DESCRIPTION")
    kind, tags = _categories(props)
    event = ParsedEvent(
        component=name,
        line=line,
        uid=_uid(props),
        sequence=_integer(props, "SEQUENCE"),
        stamp=_stamp(props),
        title=_text(props, "SUMMARY") or "(untitled)",
        period=period,
        location=_text(props, "LOCATION"),
        summary=_our_summary(description) if ours else description,
        cancelled=context.cancel_all or _text(props, "STATUS").upper() == "CANCELLED",
        kind=kind,
        tags=tags,
        confidentiality=_confidentiality(props),
        people=_people(props, context.limits.max_people),
        stakeholders=[
            (unescape(p.value), _role(p.params.get("X-ROLE", "")), _kind(p.params))
            for p in props.get("X-ENGAGEMENT-STAKEHOLDER", [])
        ],
        status=_status(_text(props, "STATUS").upper(), context.cancel_all, ours),
        attribution=_attribution(_text(props, "X-ENGAGEMENT-ATTRIBUTION")),
        cancel_notice=context.cancel_all,
    )
    if event.status is InteractionStatus.CANCELLED:  # Outlook renames what it cancels
        for prefix in ("Canceled: ", "Cancelled: "):
            event.title = event.title.removeprefix(prefix)
    if "RRULE" in props:
        event.recurrence = recurrence_of(props["RRULE"][0], period, context)
    if "EXDATE" in props or "RDATE" in props:
        context.warnings.append(
            f"{event.title!r} (line {line}): EXDATE/RDATE are not kept, only the RRULE"
        )
    return event


def _follow_up(name: str, line: int, props: dict[str, list[Property]]) -> ParsedFollowUp:
    related = _text(props, "RELATED-TO")
    if not related:
        raise Skip("a task that belongs to no interaction (no RELATED-TO); nothing to attach it to")
    text = _text(props, "SUMMARY").removeprefix("Follow-up: ").removeprefix("Done: ")
    owner = ""
    if "X-ENGAGEMENT-FOLLOW-UP" in props:
        notes = _text(props, "DESCRIPTION").split("\n\n")
        text = notes[0] or text
        owner = next((n.removeprefix("Owner: ") for n in notes if n.startswith("Owner: ")), "")
    due_props = props.get("DUE") or props.get("DTSTART") or []
    due = as_date(value_of(due_props[0])) if due_props else None
    done = _text(props, "STATUS").upper() == "COMPLETED" or "COMPLETED" in props
    done = done or _text(props, "SUMMARY").startswith("Done: ")
    if not text.strip():
        raise Skip("a task without text")
    return ParsedFollowUp(name, line, _uid(props), related, text, due, done, owner)


# --- people, text, classification --------------------------------------------------------


def _people(props: dict[str, list[Property]], limit: int) -> list[Person]:
    found: dict[str, Person] = {}
    for item in props.get("ORGANIZER", []) + props.get("ATTENDEE", []):
        if item.params.get("CUTYPE", "").upper() in ("ROOM", "RESOURCE"):
            continue
        address = item.value.strip()
        email = address[7:].strip() if address.lower().startswith("mailto:") else ""
        name = _param_text(item.params.get("CN", ""))
        if not (name or email):
            continue
        role = Role.HOST if item.name == "ORGANIZER" else _role(item.params.get("ROLE", ""))
        key = email.lower() or name.casefold()
        found.setdefault(key, Person(name, email, role))
        if len(found) >= limit:
            break
    return list(found.values())


def _status(value: str, cancel_all: bool, ours: bool) -> InteractionStatus | None:
    """CANCELLED always counts; TENTATIVE/CONFIRMED only in our own files (planned/held): in
    other clients' invitations CONFIRMED says nothing about whether the meeting took place."""
    if cancel_all or value == "CANCELLED":
        return InteractionStatus.CANCELLED
    if ours and value == "TENTATIVE":
        return InteractionStatus.PLANNED
    if ours and value == "CONFIRMED":
        return InteractionStatus.HELD
    return None


def _kind(params: dict[str, str]) -> StakeholderKind:
    try:
        return StakeholderKind(params.get("X-KIND", "").lower())
    except ValueError:
        return StakeholderKind.PERSON


def _role(value: str) -> Role:
    upper = value.strip().upper()
    if upper in ("CHAIR", "HOST"):
        return Role.HOST
    if upper in ("NON-PARTICIPANT", "OBSERVER"):
        return Role.OBSERVER
    if upper == "PARTICIPANT":
        return Role.PARTICIPANT
    return Role.COUNTERPART


def _param_text(value: str) -> str:
    """A parameter value: quotes removed, RFC 6868 escapes (^' ^n ^^) decoded."""
    text = value.strip().strip('"')
    return text.replace("^'", '"').replace("^n", " ").replace("^^", "^").strip()


def _text(props: dict[str, list[Property]], name: str) -> str:
    items = props.get(name)
    return unescape(items[0].value).strip() if items else ""


def unescape(value: str) -> str:
    """A TEXT value with its backslash escapes (\\n \\, \\; \\\\) undone."""
    text: str = unescape_backslash(value)
    return text


def _integer(props: dict[str, list[Property]], name: str) -> int:
    try:
        return max(0, min(int(_text(props, name) or 0), 2**31 - 1))
    except ValueError:
        return 0


def _stamp(props: dict[str, list[Property]]) -> datetime | None:
    for name in ("LAST-MODIFIED", "DTSTAMP"):
        if name in props:
            try:
                value: datetime = vDatetime.from_ical(  # type: ignore[no-untyped-call]
                    props[name][0].value.strip()
                )
            except ValueError:
                continue
            return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return None


def _uid(props: dict[str, list[Property]]) -> str:
    uid = _text(props, "UID")
    if not uid:
        seed = "|".join(p.raw for name in ("DTSTART", "SUMMARY") for p in props.get(name, []))
        return "import-" + hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:32]
    if len(uid) > 200:
        return "uid-" + hashlib.sha256(uid.encode("utf-8", "replace")).hexdigest()
    return uid


def _categories(props: dict[str, list[Property]]) -> tuple[InteractionKind | None, list[str]]:
    values = [
        piece.strip()
        for item in props.get("CATEGORIES", [])
        for piece in split_on_unescaped_comma(item.value)
    ]
    stated = _text(props, "X-ENGAGEMENT-KIND").lower()
    kind = _KINDS.get(stated) or next(
        (_KINDS[v.lower()] for v in values if v.lower() in _KINDS), None
    )
    tags = [v for v in values if v and v.lower() not in (kind or "", "follow-up")]
    return kind, tags


def _confidentiality(props: dict[str, list[Property]]) -> Confidentiality | None:
    stated = _text(props, "X-ENGAGEMENT-CONFIDENTIALITY").lower()
    if stated in _LEVELS:
        return Confidentiality(stated)
    if _text(props, "CLASS").upper() == "CONFIDENTIAL":
        return Confidentiality.CONFIDENTIAL
    return None


def _attribution(value: str) -> Attribution | None:
    try:
        return Attribution(value.strip().lower()) if value else None
    except ValueError:
        return None


def _our_summary(description: str) -> str:
    """The summary inside a description written by :func:`engagement.ical.describe`."""
    parts = description.split("\n\n")
    if parts and parts[0].startswith("With: "):
        parts = parts[1:]
    if parts and parts[0].startswith(NOTICE_PREFIX):
        parts = parts[1:]
    if parts and parts[-1].startswith(FOLLOW_UPS_HEADING):
        parts = parts[:-1]
    return "\n\n".join(parts)
