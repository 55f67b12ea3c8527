"""Writing calendars: read models in, iCalendar (RFC 5545) bytes out. No database here.

What clients need to import a calendar cleanly, and update rather than duplicate on a second
import: a stable ``UID`` (the interaction's ``uid``), ``SEQUENCE`` rising with every saved
change (``version - 1``), ``DTSTAMP``/``LAST-MODIFIED``, and a ``STATUS`` that can say
``CANCELLED``. Timed events name their IANA zone in ``TZID`` and the calendar carries one
``VTIMEZONE`` per zone used, built once for the years actually covered. Days are all-day
events with an exclusive ``DTEND``; months have no day to stand on and are left out.

Confidentiality is decided here, once: ``confidential`` interactions become busy time with
nothing but their times (and an opaque UID, since ours can be descriptive); ``strictly
confidential`` ones are never selected unless asked for. Stakeholders are never ``ATTENDEE``\\ s,
which would make some clients send invitations.

icalendar builds the calendar envelope, the ``VTIMEZONE``\\ s and the recurrence rules, but
event lines are written here: icalendar's generic serialiser builds a parameter object for every
value and folds every line character by character, about half a millisecond per event — a feed
of ten thousand events would spend seconds there. :func:`fold` folds at 75 octets without
splitting a UTF-8 sequence; the tests read the result back with icalendar, vobject and
recurring-ical-events.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import metadata
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, vDuration

from engagement import attribution
from engagement.ical_rules import recurrence_end, rrule_for, time_zone
from engagement.schemas import CalendarFollowUp, CalendarSelection, InteractionRead
from engagement.vocab import Confidentiality, InteractionStatus, Precision, Role

FollowUpMode = Literal["none", "todos", "events"]

REDACTED_SUMMARY = "Confidential meeting"
REDACTED_FOLLOW_UP = "Confidential follow-up"
DEFAULT_NAME = "Engagement"
#: Bumped when the output format changes, so feeds do not answer "not modified" with old bytes.
FORMAT_VERSION = "1"

_STATUS = {
    InteractionStatus.PLANNED: "TENTATIVE",
    InteractionStatus.HELD: "CONFIRMED",
    InteractionStatus.CANCELLED: "CANCELLED",
}
_CLASS = {
    Confidentiality.PUBLIC: "PUBLIC",
    Confidentiality.INTERNAL: "PRIVATE",
    Confidentiality.CONFIDENTIAL: "CONFIDENTIAL",
    Confidentiality.STRICTLY_CONFIDENTIAL: "CONFIDENTIAL",
}
_SUMMARY_LIMIT = 200
_SPECIAL = re.compile(r"[\\;,\r\n]")


@dataclass(frozen=True)
class CalendarOptions:
    name: str = DEFAULT_NAME
    include_confidential: bool = False
    follow_ups: FollowUpMode = "none"


@dataclass
class Rendered:
    data: bytes
    events: int = 0
    todos: int = 0
    redacted: int = 0
    time_zones: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- policy ------------------------------------------------------------------------------


def redacted(level: Confidentiality, include_confidential: bool) -> bool:
    """Shown as busy time only: confidential, unless the user asked for everything."""
    return level is Confidentiality.CONFIDENTIAL and not include_confidential


def left_out(level: Confidentiality, include_confidential: bool) -> bool:
    return level is Confidentiality.STRICTLY_CONFIDENTIAL and not include_confidential


def redacted_uid(uid: str) -> str:
    """An opaque, stable UID for a redacted item: sample and imported UIDs can spell out
    what a meeting is about ("…-mfa-bilateral-dialogue")."""
    return "busy-" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:32] + "@engagement"


def follow_up_uid(item: CalendarFollowUp, hidden: bool) -> str:
    owner = redacted_uid(item.interaction_uid) if hidden else item.interaction_uid
    return f"follow-up-{item.follow_up.id}-{owner}"


def fingerprint(selection: CalendarSelection, options: CalendarOptions) -> str:
    """What the calendar's content depends on (the selection and the options, not the time
    of export): equal fingerprints mean equal calendars, so it serves as an ETag."""
    digest = hashlib.sha256()
    digest.update(f"{FORMAT_VERSION}|{options!r}|".encode())
    digest.update(selection.model_dump_json().encode("utf-8"))
    return digest.hexdigest()[:40]


# --- the calendar ------------------------------------------------------------------------


def render(
    selection: CalendarSelection, options: CalendarOptions, *, stamp: datetime, today: date
) -> Rendered:
    """The whole calendar as bytes, with counts of what went in and warnings about what
    did not."""
    result = Rendered(data=b"")
    body: list[bytes] = []
    zones: dict[str, tuple[date, date]] = {}
    stamp_text = _utc(stamp)
    for interaction in selection.interactions:
        hidden = redacted(interaction.confidentiality, options.include_confidential)
        body.extend(_event(interaction, hidden, stamp_text))
        result.events += 1
        result.redacted += hidden
        if interaction.period.precision is Precision.DATETIME and interaction.timezone != "UTC":
            _cover(zones, interaction, today)
    for item in selection.follow_ups:
        if options.follow_ups == "none" or item.follow_up.due is None:
            continue
        hidden = redacted(item.confidentiality, options.include_confidential)
        if options.follow_ups == "todos":
            body.extend(_todo(item, hidden, stamp_text))
            result.todos += 1
        else:
            body.extend(_follow_up_event(item, hidden, stamp_text))
            result.events += 1
        result.redacted += hidden
    if options.follow_ups != "none":
        from engagement import ical_commitments

        for commitment in selection.commitments:
            if commitment.due is None:
                continue
            hidden = redacted(commitment.confidentiality, options.include_confidential)
            if options.follow_ups == "todos":
                body.extend(ical_commitments.todo(commitment, hidden, stamp_text))
                result.todos += 1
            else:
                body.extend(ical_commitments.event(commitment, hidden, stamp_text))
                result.events += 1
            result.redacted += hidden
    result.time_zones = sorted(zones)
    head = _envelope(options.name, tuple((zone, *zones[zone]) for zone in result.time_zones))
    result.data = head.removesuffix(b"END:VCALENDAR\r\n") + b"".join(body) + b"END:VCALENDAR\r\n"
    result.warnings = _warnings(selection, result)
    return result


def _warnings(selection: CalendarSelection, result: Rendered) -> list[str]:
    warnings = []
    if selection.month_only:
        warnings.append(
            f"{_count(selection.month_only, 'interaction')} known only to the month left out: "
            "a calendar needs a day (give one with 'engagement interaction edit ID --when')"
        )
    if selection.strictly_confidential:
        warnings.append(
            f"{_count(selection.strictly_confidential, 'strictly confidential item')} left out "
            "(--include-confidential exports them)"
        )
    if result.redacted:
        warnings.append(
            f"{_count(result.redacted, 'confidential item')} exported as busy time only "
            "(--include-confidential exports them in full)"
        )
    return warnings


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@functools.cache
def _product_id() -> str:
    try:
        version = metadata.version("engagement")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        version = "dev"
    return f"-//engagement//engagement {version}//EN"


def _envelope(name: str, zones: tuple[tuple[str, date, date], ...]) -> bytes:
    calendar = Calendar()
    calendar.add("PRODID", _product_id())
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("NAME", name)
    calendar.add("X-PUBLISHED-TTL", vDuration(timedelta(hours=1)))
    calendar.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    head = bytes(calendar.to_ical(sorted=False))
    blocks = b"".join(time_zone(zone, first, last) for zone, first, last in zones)
    return head.removesuffix(b"END:VCALENDAR\r\n") + blocks + b"END:VCALENDAR\r\n"


def _cover(zones: dict[str, tuple[date, date]], item: InteractionRead, today: date) -> None:
    zone = item.timezone or "UTC"
    first = item.period.first_day() - timedelta(days=1)
    last = item.period.last_day() + timedelta(days=1)
    if item.recurrence:
        last = max(last, recurrence_end(item.recurrence, today))
    known = zones.get(zone)
    zones[zone] = (first, last) if known is None else (min(known[0], first), max(known[1], last))


# --- components --------------------------------------------------------------------------


def _event(item: InteractionRead, hidden: bool, stamp: str) -> list[bytes]:
    lines = [
        b"BEGIN:VEVENT\r\n",
        fold("UID:" + _text(redacted_uid(item.uid) if hidden else item.uid)),
        fold("DTSTAMP:" + stamp),
        fold("CREATED:" + _utc(item.created_at)),
        fold("LAST-MODIFIED:" + _utc(item.updated_at)),
        fold(f"SEQUENCE:{max(0, item.version - 1)}"),
        *_when(item),
        fold("SUMMARY:" + _text(REDACTED_SUMMARY if hidden else item.title)),
        fold("STATUS:" + _STATUS[item.status]),
        fold("CLASS:" + _CLASS[item.confidentiality]),
        fold(
            "TRANSP:" + ("TRANSPARENT" if item.status is InteractionStatus.CANCELLED else "OPAQUE")
        ),
        fold("X-ENGAGEMENT-CONFIDENTIALITY:" + item.confidentiality.value),
    ]
    if hidden:
        lines.append(b"X-ENGAGEMENT-REDACTED:TRUE\r\n")
    else:
        lines.extend(_details(attribution.for_export(item)))
    lines.append(b"END:VEVENT\r\n")
    return lines


def _details(item: InteractionRead) -> list[bytes]:
    lines = [fold("CATEGORIES:" + _categories([item.kind.value, *item.tags]))]
    if item.location:
        lines.append(fold("LOCATION:" + _text(item.location)))
    description = describe(item)
    if description:
        lines.append(fold("DESCRIPTION:" + _text(description)))
    lines.append(fold("X-ENGAGEMENT-KIND:" + item.kind.value))
    lines.append(fold("X-ENGAGEMENT-ATTRIBUTION:" + item.attribution.value))
    if item.meeting_format is not None:
        lines.append(fold("X-ENGAGEMENT-FORMAT:" + item.meeting_format.value))
    for person in item.participants:
        params = f"X-ROLE={person.role.value};X-KIND={person.kind.value}"
        lines.append(fold(f"X-ENGAGEMENT-STAKEHOLDER;{params}:{_text(person.name)}"))
    return lines


def describe(item: InteractionRead) -> str:
    """The event's notes: who it is with, the summary, and what is still to be done.
    The importer reads the summary back out of this layout (see ``ical_import``)."""
    parts = []
    if item.participants:
        names = [
            person.name if person.role is Role.COUNTERPART else f"{person.name} ({person.role})"
            for person in item.participants
        ]
        parts.append("With: " + "; ".join(names))
    rule = attribution.notice(item.attribution)
    if rule:
        parts.append(attribution.NOTICE_PREFIX + rule)
    if item.summary:
        parts.append(item.summary)
    open_items = [f for f in item.follow_ups if not f.done]
    if open_items:
        rows = []
        for entry in open_items:
            extras = [f"due {entry.due.isoformat()}"] if entry.due else []
            extras += [entry.owner] if entry.owner else []
            rows.append(f"- {entry.text}" + (f" ({', '.join(extras)})" if extras else ""))
        parts.append(FOLLOW_UPS_HEADING + "\n" + "\n".join(rows))
    return "\n\n".join(parts)


FOLLOW_UPS_HEADING = "Open follow-ups:"


def _when(item: InteractionRead) -> list[bytes]:
    period = item.period
    lines: list[bytes] = []
    if period.precision is Precision.DATETIME:
        zone = item.timezone or "UTC"
        lines.append(fold("DTSTART" + _moment(period.start, zone)))
        if period.end is not None:
            lines.append(fold("DTEND" + _moment(period.end, zone)))
        kind = "utc" if zone == "UTC" else zone
    else:
        lines.append(fold(f"DTSTART;VALUE=DATE:{period.first_day():%Y%m%d}"))
        end = period.last_day() + timedelta(days=1)
        lines.append(fold(f"DTEND;VALUE=DATE:{end:%Y%m%d}"))
        kind = "date"
    if item.recurrence:
        lines.append(fold("RRULE:" + rrule_for(item.recurrence, kind)))
    return lines


def _moment(value: date | datetime, zone: str) -> str:
    assert isinstance(value, datetime)
    if zone == "UTC":
        return ":" + _utc(value)
    local = value.astimezone(ZoneInfo(zone))
    return f";TZID={zone}:{local:%Y%m%dT%H%M%S}"


def _todo(item: CalendarFollowUp, hidden: bool, stamp: str) -> list[bytes]:
    entry = item.follow_up
    assert entry.due is not None
    lines = [
        b"BEGIN:VTODO\r\n",
        fold("UID:" + _text(follow_up_uid(item, hidden))),
        fold("DTSTAMP:" + stamp),
        fold(f"DUE;VALUE=DATE:{entry.due:%Y%m%d}"),
        fold(f"SEQUENCE:{int(entry.done)}"),
        fold("STATUS:" + ("COMPLETED" if entry.done else "NEEDS-ACTION")),
        *_follow_up_common(item, hidden),
    ]
    if entry.done and entry.done_at is not None:
        lines.append(fold("COMPLETED:" + _utc(entry.done_at)))
    lines.append(b"END:VTODO\r\n")
    return lines


def _follow_up_event(item: CalendarFollowUp, hidden: bool, stamp: str) -> list[bytes]:
    entry = item.follow_up
    assert entry.due is not None
    return [
        b"BEGIN:VEVENT\r\n",
        fold("UID:" + _text(follow_up_uid(item, hidden) + "-event")),
        fold("DTSTAMP:" + stamp),
        fold(f"DTSTART;VALUE=DATE:{entry.due:%Y%m%d}"),
        fold(f"DTEND;VALUE=DATE:{entry.due + timedelta(days=1):%Y%m%d}"),
        fold(f"SEQUENCE:{int(entry.done)}"),
        b"TRANSP:TRANSPARENT\r\n",
        *_follow_up_common(item, hidden, prefix="Done: " if entry.done else "Follow-up: "),
        b"END:VEVENT\r\n",
    ]


def _follow_up_common(item: CalendarFollowUp, hidden: bool, prefix: str = "") -> list[bytes]:
    entry = item.follow_up
    related = redacted_uid(item.interaction_uid) if hidden else item.interaction_uid
    lines = [
        fold("RELATED-TO:" + _text(related)),
        fold("CLASS:" + _CLASS[item.confidentiality]),
        fold(f"X-ENGAGEMENT-FOLLOW-UP:{entry.id}"),
    ]
    if hidden:
        lines.append(fold("SUMMARY:" + _text(prefix + REDACTED_FOLLOW_UP)))
        lines.append(b"X-ENGAGEMENT-REDACTED:TRUE\r\n")
        return lines
    first_line = entry.text.split("\n", 1)[0]
    if len(first_line) > _SUMMARY_LIMIT:
        first_line = first_line[: _SUMMARY_LIMIT - 1] + "…"
    notes = [entry.text, f"For: {entry.interaction_title}"]
    if entry.owner:
        notes.append(f"Owner: {entry.owner}")
    lines += [
        fold("SUMMARY:" + _text(prefix + first_line)),
        fold("DESCRIPTION:" + _text("\n\n".join(notes))),
        b"CATEGORIES:follow-up\r\n",
    ]
    return lines


# --- content lines -----------------------------------------------------------------------


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says. Done here rather than through
    ``vText``, which builds a parameter object per value and costs more than the escaping."""
    if not _SPECIAL.search(value):
        return value
    text = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _categories(values: list[str]) -> str:
    return ",".join(_text(value) for value in values)


def _utc(value: datetime) -> str:
    return f"{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def fold(line: str) -> bytes:
    """One content line, folded at 75 octets (RFC 5545 §3.1), never inside a UTF-8 sequence,
    with its CRLF."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    pieces = []
    start, limit = 0, 75
    while len(data) - start > limit:
        cut = start + limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: step back to the lead byte
            cut -= 1
        pieces.append(data[start:cut])
        start, limit = cut, 74  # continuation lines start with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces) + b"\r\n"
