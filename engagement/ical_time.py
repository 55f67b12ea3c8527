"""When an imported event happens: dates, time zones and recurrences (for
:mod:`engagement.ical_events`).

Dates keep their precision: a ``VALUE=DATE`` event is days (its exclusive ``DTEND`` made
inclusive), a timed one a moment in an IANA zone, whatever the file called it (an IANA name
behind a vendor prefix, a Windows name from Outlook, UTC next to Google's ``X-WR-TIMEZONE``);
an unknown zone defined in the file is kept as its UTC offset. Recurrences are checked before
they are kept, because a stored rule is expanded later by ``upcoming``: finer than daily is
refused, and a rule must occur, but not too often, in the years after its start
(:func:`check_occurrences`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import vDate, vDatetime, vDuration

from engagement.dates import Period, canonical_zone_name
from engagement.errors import ValidationFailed
from engagement.ical_rules import rule_parts, rule_text
from engagement.vocab import Precision

if TYPE_CHECKING:
    from engagement.ical_import import ImportLimits
    from engagement.ical_zones import Transition

_MIN_YEAR, _MAX_YEAR = 1900, 2200
_TOO_FREQUENT = {"SECONDLY", "MINUTELY", "HOURLY"}


class Skip(Exception):
    """This component cannot be imported; the message says why."""


@dataclass(frozen=True)
class Property:
    line: int
    name: str
    params: dict[str, str]
    value: str
    raw: str
    broken: bool = False


@dataclass
class EventContext:
    """What the components of one file share: the calendar's own settings, zones it
    defines, and the budgets of recurrence checks."""

    now: datetime
    default_zone: str
    limits: ImportLimits
    calendar_zone: str | None = None
    cancel_all: bool = False
    ours: bool = False
    custom_zones: dict[str, tuple[Transition, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    occurrences: int = 0
    recurrence_seconds: float = 0.0
    floating_zone: str | None = None
    known_zones: dict[str, str | None] = field(default_factory=dict)


# --- dates and zones -----------------------------------------------------------------------


def period_of(props: dict[str, list[Property]], context: EventContext) -> Period:
    if "DTSTART" not in props:
        raise Skip("has no start (DTSTART)")
    start = _moment(props["DTSTART"][0], context)
    end = _moment(props["DTEND"][0], context) if "DTEND" in props else None
    length = _duration(props) if end is None else None
    if not isinstance(start, datetime):
        if end is not None and isinstance(end, datetime):
            raise Skip("starts on a day (VALUE=DATE) but ends at a time")
        last = start
        if end is not None:
            last = max(start, end - timedelta(days=1)) if end >= start else end
        elif length is not None:
            last = start + timedelta(days=max(1, length.days) - 1)
        if last < start:
            raise Skip("ends before it starts")
        return _checked(
            Period(start=start, end=None if last == start else last, precision=Precision.DAY)
        )
    if end is not None and not isinstance(end, datetime):
        raise Skip("starts at a time but ends on a day (VALUE=DATE)")
    zone = start.tzinfo
    if end is None and length is not None:
        end = start + length
    if end is not None and end < start:
        raise Skip("ends before it starts")
    name = getattr(zone, "key", "UTC")
    moved = None if end is None else end.astimezone(zone)
    return _checked(Period(start=start, end=moved, precision=Precision.DATETIME, timezone=name))


def _checked(period: Period) -> Period:
    for value in (period.start, period.end):
        if value is not None and not _MIN_YEAR <= value.year <= _MAX_YEAR:
            raise Skip(f"is dated {value.year}, outside {_MIN_YEAR}–{_MAX_YEAR}")
    return period


def _moment(prop: Property, context: EventContext) -> date | datetime:
    """A date, or an aware datetime in a zone with an IANA name (``ZoneInfo``)."""
    value = value_of(prop)
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:  # UTC: Google writes UTC with the calendar's zone beside it
        zone = known_zone(context.calendar_zone) if context.calendar_zone else None
        return value.astimezone(ZoneInfo(zone or "UTC"))
    tzid = prop.params.get("TZID", "").strip('"')
    if not tzid:
        if context.floating_zone is None:
            known = known_zone(context.calendar_zone) if context.calendar_zone else None
            context.floating_zone = known or context.default_zone
            context.warnings.append(
                f"times without a time zone were read as {context.floating_zone}"
            )
        return value.replace(tzinfo=ZoneInfo(context.floating_zone))
    return _in_zone(value, tzid, context)


def value_of(prop: Property) -> date | datetime:
    text = prop.value.strip()
    try:
        if prop.params.get("VALUE", "").upper() == "DATE" or len(text) == 8:
            day: date = vDate.from_ical(text)  # type: ignore[no-untyped-call]
            return day
        moment: datetime = vDatetime.from_ical(text)  # type: ignore[no-untyped-call]
        return moment
    except ValueError:
        raise Skip(f"{prop.name} {text[:40]!r} is not a real date or time") from None


def _in_zone(value: datetime, tzid: str, context: EventContext) -> datetime:
    if tzid not in context.known_zones:
        context.known_zones[tzid] = known_zone(tzid)
        if context.known_zones[tzid] is None and tzid in context.custom_zones:
            context.warnings.append(
                f"time zone {tzid!r} is not a known zone; its times are kept as UTC offsets"
            )
    name = context.known_zones[tzid]
    if name:
        return value.replace(tzinfo=ZoneInfo(name))
    from engagement.ical_zones import offset_at

    custom = context.custom_zones.get(tzid)
    offset = None if custom is None else offset_at(custom, value)
    if offset is None:
        raise Skip(f"uses the time zone {tzid!r}, which is not known and not defined in the file")
    hours, rest = divmod(int(offset.total_seconds()), 3600)
    fixed = "UTC" if rest or hours == 0 else f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"
    return value.replace(tzinfo=timezone(offset)).astimezone(ZoneInfo(fixed))


def known_zone(tzid: str) -> str | None:
    """The IANA name for a TZID: itself, a Windows name (Outlook), or an IANA name behind a
    vendor prefix (``/mozilla.org/20050126_1/Europe/Moscow``)."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    if tzid in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[tzid]
    parts = [part for part in tzid.split("/") if part]
    for index in range(len(parts)):
        try:
            return canonical_zone_name("/".join(parts[index:]))
        except ValidationFailed:
            continue
    return None


def _duration(props: dict[str, list[Property]]) -> timedelta | None:
    if "DURATION" not in props:
        return None
    try:
        length = vDuration.from_ical(  # type: ignore[no-untyped-call]
            props["DURATION"][0].value.strip()
        )
    except ValueError:
        raise Skip("its DURATION is not valid") from None
    if not isinstance(length, timedelta) or length < timedelta(0):
        raise Skip("its DURATION is negative")
    return length


def as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


# --- recurrence ----------------------------------------------------------------------------


def recurrence_of(prop: Property, period: Period, context: EventContext) -> str:
    if context.recurrence_seconds > context.limits.recurrence_seconds:
        raise Skip("not checked: this file's recurrences took too long to check; split the file")
    began = time.perf_counter()
    try:
        parts = rule_parts(prop.value)
    except ValueError as error:
        raise Skip(f"its RRULE is not valid ({str(error)[:80]})") from None
    finally:
        # Reading the rule counts against the file's budget too: thousands of rules are slow
        # to parse even when each one is cheap to expand.
        context.recurrence_seconds += time.perf_counter() - began
    frequency = str((parts.get("FREQ") or [""])[0]).upper()
    if not frequency:
        raise Skip("its RRULE has no FREQ")
    if frequency in _TOO_FREQUENT:
        raise Skip(f"repeats more often than daily (FREQ={frequency}); that is not an interaction")
    until = parts.get("UNTIL")
    if until:  # a day, as the tracker stores it (the export turns it back into UTC)
        value = until[0]
        if isinstance(value, datetime) and value.tzinfo is not None and period.timezone:
            value = value.astimezone(ZoneInfo(period.timezone))
        parts["UNTIL"] = [as_date(value)]
    rule = rule_text(parts)
    check_occurrences(rule, period, context)
    return rule


def check_occurrences(rule: str, period: Period, context: EventContext) -> None:
    """Expand the rule over the ``window_years`` after its start, within the per-event and
    per-file budgets: an interaction occurs at least once there, and at most about daily.

    dateutil stops iterating only when a rule yields an occurrence past its end, so a rule that
    never occurs (30 February) runs on to the year 9999. The check therefore runs the rule
    shifted by a multiple of 400 years — the Gregorian calendar, weekdays included, repeats
    exactly every 400 years — to just below 9999, where the runaway case ends quickly.
    """
    from dateutil.rrule import rrulestr

    limits = context.limits
    if context.recurrence_seconds > limits.recurrence_seconds:
        raise Skip("not checked: this file's recurrences took too long to check; split the file")
    first = period.start
    start = datetime(first.year, first.month, first.day)
    if isinstance(first, datetime):
        start = first.replace(tzinfo=None)
    horizon = start + timedelta(days=366 * limits.window_years)
    shift = max(0, (9998 - horizon.year) // 400 * 400)
    parts = rule_parts(rule)
    if parts.get("UNTIL"):
        parts["UNTIL"] = [_shift(parts["UNTIL"][0], shift)]
    began = time.perf_counter()
    try:
        expanded = rrulestr(rule_text(parts), dtstart=_shift(start, shift))
        count = 0
        for occurrence in expanded:
            if occurrence > _shift(horizon, shift):
                break
            count += 1
            context.occurrences += 1
            if count > limits.max_occurrences:
                raise Skip(
                    f"repeats more than {limits.max_occurrences:,} times in "
                    f"{limits.window_years} years; that is not an interaction"
                )
            if context.occurrences > limits.total_occurrences:
                raise Skip("not checked: this file's recurrences repeat too often in total")
    except (ValueError, TypeError, IndexError, KeyError, OverflowError):
        raise Skip(f"its RRULE cannot be expanded ({rule[:80]})") from None
    finally:
        context.recurrence_seconds += time.perf_counter() - began
    if count == 0:
        raise Skip(f"its RRULE never occurs in the {limits.window_years} years after its start")


def _shift(value: date | datetime, years: int) -> datetime:
    moved = value.replace(year=value.year + years)
    if isinstance(moved, datetime):
        return moved.replace(tzinfo=None)
    return datetime(moved.year, moved.month, moved.day, 23, 59, 59)
