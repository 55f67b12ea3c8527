"""Recurrence rules and time zones as the calendar writer (:mod:`engagement.ical`) needs them.

RFC 5545 wants an ``UNTIL`` of the same type as ``DTSTART`` (a DATE for all-day events, a UTC
time for timed ones) and a ``VTIMEZONE`` for every ``TZID``; rules are stored as people typed
them, so they are normalised here. Nothing here expands a rule without a bound.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Timezone, vRecur

#: How far ahead time zones are written for recurrences without an end.
OPEN_RECURRENCE_YEARS = 3
#: A rule with a COUNT above this is taken to recur on, rather than expanded to find its end.
MAX_COUNT_CHECK = 10_000


@functools.lru_cache(maxsize=256)
def time_zone(zone: str, first: date, last: date) -> bytes:
    """One VTIMEZONE covering ``first``..``last`` (whole years, so the cache is reused)."""
    component = Timezone.from_tzinfo(
        ZoneInfo(zone),
        tzid=zone,
        first_date=date(first.year, 1, 1),
        last_date=date(last.year + 1, 1, 1),
    )
    return bytes(component.to_ical())


def recurrence_end(rule: str, today: date) -> date:
    """The last day a recurrence can reach, as far as time zones must cover it: its UNTIL,
    else a few years ahead."""
    until = rule_parts(rule).get("UNTIL")
    if until:
        value = until[0]
        return value.date() if isinstance(value, datetime) else value
    return today.replace(year=today.year + OPEN_RECURRENCE_YEARS)


def recurs_since(rule: str, first: date, last: date, since: date) -> bool:
    """Whether a recurrence whose first occurrence covers ``first``..``last`` still covers a
    day on or after ``since``. Never expands more than :data:`MAX_COUNT_CHECK` occurrences."""
    parts = rule_parts(rule)
    length = last - first
    until = parts.get("UNTIL")
    if until:
        value = until[0]
        return (value.date() if isinstance(value, datetime) else value) + length >= since
    count = parts.get("COUNT")
    if not count or int(count[0]) > MAX_COUNT_CHECK:
        return True
    from dateutil.rrule import rrulestr

    anchor = datetime(first.year, first.month, first.day)
    occurrences = list(rrulestr(rule.removeprefix("RRULE:"), dtstart=anchor))
    return bool(occurrences) and occurrences[-1].date() + length >= since


@functools.lru_cache(maxsize=1024)
def rrule_for(rule: str, kind: str) -> str:
    """The stored RRULE with an UNTIL of the type RFC 5545 requires: a DATE for all-day
    events, a UTC time for timed ones (the end of that day in the event's zone)."""
    parts = rule_parts(rule)
    until = parts.get("UNTIL")
    if until:
        value = until[0]
        if kind == "date":
            parts["UNTIL"] = [value.date() if isinstance(value, datetime) else value]
        else:
            zone = ZoneInfo("UTC" if kind == "utc" else kind)
            if not isinstance(value, datetime):
                value = datetime(value.year, value.month, value.day, 23, 59, 59)
            if value.tzinfo is None:
                value = value.replace(tzinfo=zone)
            parts["UNTIL"] = [value.astimezone(UTC)]
    return rule_text(parts)


def rule_parts(rule: str) -> vRecur:
    """A rule's parts (icalendar leaves ``from_ical``/``to_ical`` untyped; typed here once)."""
    parts: vRecur = vRecur.from_ical(rule.removeprefix("RRULE:"))
    return parts


def rule_text(parts: vRecur) -> str:
    data: bytes = parts.to_ical()  # type: ignore[no-untyped-call]
    return data.decode("ascii")
