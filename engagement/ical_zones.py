"""Time zones a file defines for itself: a VTIMEZONE whose TZID is no zone we know
(``(UTC+03:00) Moscow, St. Petersburg`` from an old Outlook, a vendor's own name).

They are evaluated with a deliberately small model — yearly rules by month and weekday or day
of the month, which is what clients write, or explicit dates — instead of a general rule
evaluator: a hostile definition (a rule that never occurs, or one that recurs every second since
1601) would make dateutil iterate for minutes on every lookup. Anything outside the model makes
the definition unusable, and events that need it are skipped with that reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import vUTCOffset

from engagement.ical_rules import rule_parts
from engagement.ical_time import Property, value_of

MAX_TRANSITIONS = 24
MAX_DATES = 400
_DAY = re.compile(r"^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$")
_WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_RULE_KEYS = {"FREQ", "BYMONTH", "BYDAY", "BYMONTHDAY", "UNTIL", "INTERVAL", "WKST"}


@dataclass(frozen=True)
class Transition:
    """One STANDARD or DAYLIGHT part: from ``start`` (local wall time) on, and again each
    year on the day its rule gives, the offset becomes ``offset``."""

    start: datetime
    offset: timedelta
    month: int | None = None
    weekday: int | None = None
    nth: int | None = None
    monthday: int | None = None
    until: date | None = None
    dates: tuple[datetime, ...] = ()


def read_zone(parts: list[tuple[str, list[Property]]]) -> tuple[Transition, ...]:
    """The transitions of a VTIMEZONE's STANDARD/DAYLIGHT parts; ``ValueError`` with the
    reason when the definition is outside the model."""
    transitions: list[Transition] = []
    for name, properties in parts:
        if name not in ("STANDARD", "DAYLIGHT"):
            continue
        if len(transitions) == MAX_TRANSITIONS:
            raise ValueError(f"more than {MAX_TRANSITIONS} STANDARD/DAYLIGHT parts")
        transitions.append(_transition({p.name: p for p in properties}, properties))
    if not transitions:
        raise ValueError("no STANDARD or DAYLIGHT part")
    return tuple(transitions)


def offset_at(zone: tuple[Transition, ...], local: datetime) -> timedelta | None:
    """The UTC offset in force at the wall time ``local``: that of the latest transition."""
    best: tuple[datetime, timedelta] | None = None
    for transition in zone:
        for when in _instants(transition, local.year):
            if when <= local and (best is None or when > best[0]):
                best = (when, transition.offset)
    return None if best is None else best[1]


def _transition(props: dict[str, Property], properties: list[Property]) -> Transition:
    if "DTSTART" not in props or "TZOFFSETTO" not in props:
        raise ValueError("a part without DTSTART or TZOFFSETTO")
    start = value_of(props["DTSTART"])
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day)
    offset = vUTCOffset.from_ical(props["TZOFFSETTO"].value.strip())  # type: ignore[no-untyped-call]
    if not isinstance(offset, timedelta) or abs(offset) > timedelta(hours=18):
        raise ValueError("an offset beyond ±18 hours")
    dates = []
    for item in properties:
        if item.name == "RDATE":
            for piece in item.value.split(","):
                when = value_of(Property(item.line, "RDATE", {}, piece, piece))
                dates.append(
                    when if isinstance(when, datetime) else datetime(*when.timetuple()[:3])
                )
    if len(dates) > MAX_DATES:
        raise ValueError(f"more than {MAX_DATES} RDATEs")
    base = Transition(start=start.replace(tzinfo=None), offset=offset, dates=tuple(dates))
    if "RRULE" not in props:
        return base
    return _yearly(base, props["RRULE"].value)


def _yearly(base: Transition, text: str) -> Transition:
    parts = rule_parts(text)
    keys = {str(key).upper() for key in parts}
    frequency = str((parts.get("FREQ") or [""])[0]).upper()
    if frequency != "YEARLY" or not keys <= _RULE_KEYS:
        raise ValueError(f"a rule other than a yearly one by month and day ({text[:60]})")
    if int((parts.get("INTERVAL") or [1])[0]) != 1:
        raise ValueError("a yearly rule with an INTERVAL")
    months, days, monthdays = parts.get("BYMONTH"), parts.get("BYDAY"), parts.get("BYMONTHDAY")
    if any(len(values or []) > 1 for values in (months, days, monthdays)):
        raise ValueError("a yearly rule on several months or days")
    weekday = nth = None
    if days:
        match = _DAY.match(str(days[0]).upper())
        if match is None:
            raise ValueError(f"an unreadable BYDAY ({days[0]})")
        nth, weekday = int(match.group(1) or 1), _WEEKDAYS.index(match.group(2))
    until = (parts.get("UNTIL") or [None])[0]
    return Transition(
        start=base.start,
        offset=base.offset,
        month=int(months[0]) if months else base.start.month,
        weekday=weekday,
        nth=nth,
        monthday=int(monthdays[0]) if monthdays else None,
        until=until.date() if isinstance(until, datetime) else until,
        dates=base.dates,
    )


def _instants(transition: Transition, year: int) -> list[datetime]:
    found = [transition.start, *transition.dates]
    if transition.month is None:
        return found
    for candidate in (year - 1, year):
        if candidate <= transition.start.year:
            continue
        day = _day_in(candidate, transition)
        if day is not None and (transition.until is None or day <= transition.until):
            found.append(datetime.combine(day, transition.start.time()))
    return found


def _day_in(year: int, transition: Transition) -> date | None:
    assert transition.month is not None
    month = transition.month
    try:
        if transition.weekday is None:
            return date(year, month, transition.monthday or transition.start.day)
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
    except ValueError:
        return None
    nth = transition.nth or 1
    if nth > 0:
        day = first + timedelta(days=(transition.weekday - first.weekday()) % 7 + 7 * (nth - 1))
    else:
        last = following - timedelta(days=1)
        day = last - timedelta(days=(last.weekday() - transition.weekday) % 7 + 7 * (-nth - 1))
    return day if day.month == month else None
