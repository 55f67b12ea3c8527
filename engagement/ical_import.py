"""Reading .ics files (invitations, Outlook/Google/Apple exports, our own) into plain records.

No database here: :func:`parse` turns bytes into :class:`ParsedCalendar`, and
:mod:`engagement.services.calendar` applies it. Files come from outside, so everything is
bounded before it costs anything (:class:`ImportLimits`): the size, the number of components,
the length of a line, how deeply components nest, and how far recurrences are expanded.

The file is split into components here, line by line, rather than handed whole to icalendar:
one broken event (a truncated file, an impossible date, a 1 MB line, bytes in another encoding)
is then skipped with its line number and the reason, and the rest still imports. Values are
decoded with icalendar's property types; time zones are resolved to IANA names (Windows names
from Outlook, ``X-WR-TIMEZONE`` from Google, vendor prefixes), and an unknown custom zone is
kept as its UTC offset. Rules for what becomes an interaction are in :mod:`ical_events`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from engagement import collector
from engagement.errors import CalendarFileRejected
from engagement.ical_events import (
    EventContext,
    ParsedEvent,
    ParsedFollowUp,
    Property,
    Skip,
    display,
    read_component,
    unescape,
)
from engagement.ical_time import known_zone
from engagement.ical_zones import read_zone

__all__ = [
    "LIMITS",
    "ImportLimits",
    "ParsedCalendar",
    "ParsedEvent",
    "ParsedFollowUp",
    "Skipped",
    "parse",
    "read_limited",
]


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = 32 * 1024 * 1024
    #: physical lines, counted before any parsing. An event of ours takes ~27 once its notes
    #: are folded at 75 octets, so this lets in a file of ``max_components`` such events.
    max_lines: int = 600_000
    max_components: int = 20_000
    max_line: int = 256 * 1024
    #: content lines in one component (attendees included)
    max_properties: int = 2_000
    #: VTIMEZONE definitions read (only those an event or the calendar uses are counted)
    max_zones: int = 100
    max_depth: int = 8
    max_people: int = 500
    #: recurrences are checked from their start up to this many years after it (or after now)
    window_years: int = 5
    max_occurrences: int = 2_000
    total_occurrences: int = 200_000
    #: seconds all recurrence checks of one file may take before the rest are skipped
    recurrence_seconds: float = 1.0


LIMITS = ImportLimits()


@dataclass(frozen=True)
class Skipped:
    component: str
    line: int
    uid: str
    title: str
    reason: str


@dataclass
class ParsedCalendar:
    events: list[ParsedEvent] = field(default_factory=list)
    follow_ups: list[ParsedFollowUp] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Block:
    name: str
    line: int
    properties: list[Property] = field(default_factory=list)
    children: list[_Block] = field(default_factory=list)
    problem: str = ""


def read_limited(file: str, limits: ImportLimits = LIMITS) -> bytes:
    """The bytes of ``file`` ('-' for standard input), refusing more than the size limit
    without reading it all."""
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limits.max_bytes + 1)
        else:
            with Path(file).open("rb") as stream:
                data = stream.read(limits.max_bytes + 1)
    except OSError as error:
        raise CalendarFileRejected(file, f"cannot be read: {error.strerror}") from None
    if len(data) > limits.max_bytes:
        raise CalendarFileRejected(file, _too_large(limits))
    return data


def _too_large(limits: ImportLimits) -> str:
    return (
        f"is larger than {limits.max_bytes // (1024 * 1024)} MB; "
        "export a shorter period or split the file"
    )


def parse(
    data: bytes,
    *,
    source: str = "input",
    now: datetime,
    default_zone: str,
    limits: ImportLimits = LIMITS,
) -> ParsedCalendar:
    """Everything importable in ``data``, and what was skipped and why.

    Raises :class:`CalendarFileRejected` when the file as a whole cannot be used: too large,
    not iCalendar, too many components.
    """
    if len(data) > limits.max_bytes:
        raise CalendarFileRejected(source, _too_large(limits))
    with collector.paused():
        return _parse(data, source=source, now=now, default_zone=default_zone, limits=limits)


def _parse(
    data: bytes, *, source: str, now: datetime, default_zone: str, limits: ImportLimits
) -> ParsedCalendar:
    text = _decode(data, source)
    calendars, blocks, problems = _structure(text, source, limits)
    result = ParsedCalendar(warnings=problems)
    context = EventContext(now=now, default_zone=default_zone, limits=limits)
    for properties in calendars:
        for item in properties:
            if item.name == "METHOD":
                context.cancel_all = context.cancel_all or item.value.upper() == "CANCEL"
            elif item.name == "X-WR-TIMEZONE":
                context.calendar_zone = item.value.strip()
            elif item.name == "PRODID":
                context.ours = context.ours or "//engagement//" in item.value
    _add_zones(blocks, context, result, limits)
    for block in blocks:
        if block.name in ("VTIMEZONE", "VALARM"):
            continue
        if block.name not in ("VEVENT", "VTODO"):
            result.warnings.append(f"{block.name} at line {block.line} ignored (not an event)")
            continue
        _read_block(block, context, result)
    result.warnings.extend(context.warnings)
    return result


def _read_block(block: _Block, context: EventContext, result: ParsedCalendar) -> None:
    uid = next((display(unescape(p.value)) for p in block.properties if p.name == "UID"), "")
    title = next(
        (display(unescape(p.value), 80) for p in block.properties if p.name == "SUMMARY"), ""
    )
    if block.problem:
        reason = block.problem
    else:
        try:
            item = read_component(block.name, block.line, block.properties, context)
        except Skip as skip:
            reason = str(skip)
        else:
            if isinstance(item, ParsedEvent):
                result.events.append(item)
            else:
                result.follow_ups.append(item)
            return
    result.skipped.append(Skipped(block.name, block.line, uid, title, reason))


def _add_zones(
    blocks: list[_Block], context: EventContext, result: ParsedCalendar, limits: ImportLimits
) -> None:
    """Read the VTIMEZONEs that an event (or X-WR-TIMEZONE) names and no known zone answers
    for — at most ``max_zones`` of them: a file of thousands of unused or distinct zones
    costs nothing beyond that."""
    used = {context.calendar_zone}
    for block in blocks:
        if block.name in ("VEVENT", "VTODO"):
            used.update(
                p.params["TZID"].strip('"').strip() for p in block.properties if "TZID" in p.params
            )
    read = 0
    for block in blocks:
        if block.name != "VTIMEZONE" or block.problem:
            continue
        tzid = next((unescape(p.value).strip() for p in block.properties if p.name == "TZID"), "")
        if not tzid or tzid not in used or known_zone(tzid) or tzid in context.custom_zones:
            continue
        read += 1
        if read > limits.max_zones:
            result.warnings.append(
                f"more than {limits.max_zones} time zone definitions; the rest (from line "
                f"{block.line}) are ignored and events in them are skipped"
            )
            return
        _add_zone(block, tzid, context, result)


def _add_zone(block: _Block, tzid: str, context: EventContext, result: ParsedCalendar) -> None:
    """A VTIMEZONE, kept for TZIDs that name no known zone (known names always win, and
    nothing is registered globally: a file cannot redefine a zone for anyone else)."""
    try:
        context.custom_zones[tzid] = read_zone([(c.name, c.properties) for c in block.children])
    except (ValueError, Skip) as error:
        result.warnings.append(
            f"VTIMEZONE {tzid!r} at line {block.line} cannot be used ({_first_line(error)}); "
            "events in that zone are skipped"
        )


# --- text and structure ------------------------------------------------------------------

_BREAK = re.compile(r"\r\n|\n|\r")


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise CalendarFileRejected(source, "is not valid UTF-16 text") from None
    # Undecodable bytes stay as surrogates so the components holding them can be named and
    # skipped, instead of rejecting the whole file or importing mojibake.
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")


def _logical_lines(text: str, limits: ImportLimits) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on. A line
    over the limit is kept as an empty marker so its component can be skipped."""
    lines: list[tuple[int, str]] = []
    # Continuations are gathered as pieces and joined once, so a line folded a million times
    # costs linear time, not quadratic.
    pieces: list[str] = []
    length = 0
    for number, physical in enumerate(_BREAK.split(text), start=1):
        if physical[:1] in (" ", "\t") and lines:
            if lines[-1][1] is _LONG:
                continue
            length += len(physical) - 1
            if length > limits.max_line:
                lines[-1] = (lines[-1][0], _LONG)
                pieces = []
            else:
                pieces.append(physical[1:])
            continue
        if pieces:
            lines[-1] = (lines[-1][0], lines[-1][1] + "".join(pieces))
            pieces = []
        if len(physical) > limits.max_line:
            lines.append((number, _LONG))
            length = limits.max_line + 1
        elif physical.strip():
            lines.append((number, physical))
            length = len(physical)
    if pieces:
        lines[-1] = (lines[-1][0], lines[-1][1] + "".join(pieces))
    return lines


_LONG = "\x00long"


def _structure(
    text: str, source: str, limits: ImportLimits
) -> tuple[list[list[Property]], list[_Block], list[str]]:
    if max(text.count("\n"), text.count("\r")) > limits.max_lines:
        raise CalendarFileRejected(
            source, f"has more than {limits.max_lines:,} lines; export a shorter period or split it"
        )
    if len(_BEGIN.findall(text)) > limits.max_components:
        raise CalendarFileRejected(
            source, f"has more than {limits.max_components:,} components; split it"
        )
    lines = _logical_lines(text, limits)
    first = lines[0][1].strip().upper() if lines else ""
    if first != "BEGIN:VCALENDAR":
        raise CalendarFileRejected(
            source, "is not an iCalendar file (it does not start with BEGIN:VCALENDAR)"
        )
    calendars: list[list[Property]] = []
    blocks: list[_Block] = []
    stack: list[_Block] = []
    problems: list[str] = []
    count = 0
    for number, line in lines:
        keyword = line[:6].upper()
        if keyword == "BEGIN:" or keyword == "END:VC" or line[:4].upper() == "END:":
            name = line.split(":", 1)[1].strip().upper()
            if keyword == "BEGIN:":
                count += 1
                if count > limits.max_components:
                    raise CalendarFileRejected(
                        source, f"has more than {limits.max_components:,} components; split it"
                    )
                if name == "VCALENDAR":
                    if stack:
                        _close_all(stack, "a new BEGIN:VCALENDAR started inside it")
                        stack = []
                    calendars.append([])
                    stack.append(_Block(name, number))
                    continue
                if not stack:
                    problems.append(f"line {number}: BEGIN:{name} outside a calendar ignored")
                    continue
                block = _Block(name, number)
                if len(stack) >= limits.max_depth:
                    _top(stack).problem = _top(stack).problem or "components nested too deeply"
                if len(stack) == 1:
                    blocks.append(block)
                else:
                    stack[-1].children.append(block)
                stack.append(block)
            elif stack and stack[-1].name == name:
                stack.pop()
            elif stack:
                _close_all(stack[1:], f"END:{name} at line {number} does not close it")
                stack = stack[:1] if name != "VCALENDAR" else []
            continue
        if not stack:
            continue
        if line is _LONG:
            _top(stack).problem = _top(stack).problem or (
                f"line {number} is longer than {limits.max_line:,} characters"
            )
            continue
        if len(stack) == 1:
            # Only a few calendar properties matter; the rest (X-… filler) is not parsed.
            if line[:1] in "MXPmxp" and line[:13].upper().startswith(_CALENDAR_PROPERTIES):
                calendars[-1].append(_property(number, line))
        elif len(stack[-1].properties) < limits.max_properties:
            stack[-1].properties.append(_property(number, line))
        else:
            _top(stack).problem = _top(stack).problem or (
                f"has more than {limits.max_properties:,} lines (properties)"
            )
    if stack:
        _close_all(stack[1:], "the file ends before its END (truncated?)")
        problems.append("the file ends without END:VCALENDAR; it may be truncated")
    return calendars, blocks, problems


_CALENDAR_PROPERTIES = ("METHOD", "X-WR-TIMEZONE", "PRODID")
_BEGIN = re.compile(r"^BEGIN:", re.IGNORECASE | re.MULTILINE)


def _top(stack: list[_Block]) -> _Block:
    return stack[1] if len(stack) > 1 else stack[0]


def _close_all(open_blocks: list[_Block], reason: str) -> None:
    for block in open_blocks:
        block.problem = block.problem or reason


def _property(number: int, line: str) -> Property:
    """Split a content line. Parameters without quotes are split here; quoted ones (a CN
    with a comma, a URL) go through icalendar's content-line grammar."""
    head, _, value = line.partition(":")
    if '"' in head:
        from icalendar.parser import Contentline

        try:
            name, parsed, raw = Contentline(line).raw_parts()  # type: ignore[no-untyped-call]
        except ValueError:
            return Property(number, head.split(";", 1)[0].upper(), {}, value, line, broken=True)
        cleaned = {str(k).upper(): str(v) for k, v in parsed.items()}
        return Property(number, str(name).upper(), cleaned, str(raw), line)
    name, *items = head.split(";")
    params = {}
    for item in items:
        key, _, param_value = item.partition("=")
        params[key.strip().upper()] = param_value
    return Property(number, name.strip().upper(), params, value, line)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
