"""A period of time held at the precision it is known: a moment, days, or months.

"16 May 2025" is a day, "in May" a month, "June 30 to July 8" a range of days, and a meeting at
10:00 in Moscow a moment in a zone. Nothing is ever shown as a fake midnight or pinned to a
made-up day. Parsing what people write into a Period is :mod:`engagement.dates`.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from engagement.vocab import MONTH_ABBREVIATIONS, MONTH_NAMES, Precision
from engagement.zones import load_zone, zone_label

_MONTH_ABBR = MONTH_ABBREVIATIONS


class Period(BaseModel):
    """When an interaction happens, held at the precision it is known.

    ``start``/``end`` are dates for day precision, the first day of the month for month
    precision, and timezone-aware datetimes in ``timezone`` for datetime precision. ``end`` is
    inclusive for days and months (June 10–11 has ``end`` June 11) and ``None`` for a single
    day, month or moment.
    """

    model_config = ConfigDict(frozen=True)

    start: datetime | date
    end: datetime | date | None = None
    precision: Precision
    timezone: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Period:
        timed = self.precision is Precision.DATETIME
        for name, value in (("start", self.start), ("end", self.end)):
            if value is None:
                continue
            if timed != isinstance(value, datetime):
                kind = "a date and time" if timed else "a date without time"
                raise ValueError(f"{name} must be {kind} for {self.precision.value} precision")
            if isinstance(value, datetime) and value.tzinfo is None:
                raise ValueError(f"{name} must carry a timezone")
        if timed:
            if not self.timezone:
                raise ValueError("a timed period needs a timezone")
            zone = load_zone(self.timezone)
            object.__setattr__(self, "start", _as_datetime(self.start).astimezone(zone))
            if self.end is not None:
                object.__setattr__(self, "end", _as_datetime(self.end).astimezone(zone))
        elif self.precision is Precision.MONTH:
            object.__setattr__(self, "start", _day(self.start).replace(day=1))
            if self.end is not None:
                object.__setattr__(self, "end", _day(self.end).replace(day=1))
        if self.end is not None and _order_key(self.end) < _order_key(self.start):
            raise ValueError("the end is before the start")
        return self

    # --- the calendar days the period covers -------------------------------------------

    def first_day(self) -> date:
        return _day(self.start)

    def last_day(self) -> date:
        """The last calendar day covered, inclusive ("in May" covers up to May 31)."""
        edge = self.end if self.end is not None else self.start
        if self.precision is Precision.MONTH:
            day = _day(edge)
            return day.replace(day=calendar.monthrange(day.year, day.month)[1])
        return _day(edge)

    def utc_start(self) -> datetime | None:
        if self.precision is not Precision.DATETIME:
            return None
        return _as_datetime(self.start).astimezone(UTC)

    def utc_end(self) -> datetime | None:
        if self.precision is not Precision.DATETIME or self.end is None:
            return None
        return _as_datetime(self.end).astimezone(UTC)

    # --- text ---------------------------------------------------------------------------

    def iso_start(self) -> str:
        return _iso(self.start, self.precision)

    def iso_end(self) -> str | None:
        return None if self.end is None else _iso(self.end, self.precision)

    def describe(self) -> str:
        """The period as a person writes it: '10–11 Jun 2025', 'May 2025', '1 Jul 2025 10:00'."""
        if self.precision is Precision.MONTH:
            return _describe_months(_day(self.start), None if self.end is None else _day(self.end))
        if self.precision is Precision.DAY:
            return _describe_days(_day(self.start), None if self.end is None else _day(self.end))
        start = _as_datetime(self.start)
        text = f"{_day_text(start.date())} {start:%H:%M}"
        if self.end is not None:
            end = _as_datetime(self.end)
            if end.date() == start.date():
                text += f"–{end:%H:%M}"
            else:
                text += f" – {_day_text(end.date())} {end:%H:%M}"
        return f"{text} ({zone_label(self.timezone)})"

    def explain(self) -> str:
        """What the parser understood, for live feedback beside an input field."""

        def one(value: date | datetime) -> str:
            if self.precision is Precision.MONTH:
                return f"{MONTH_NAMES[value.month]} {value.year}"
            if isinstance(value, datetime):
                return f"{value:%a} {_day_text(value.date())} {value:%H:%M}"
            return f"{value:%a} {_day_text(value)}"

        unit = {Precision.DATETIME: "time", Precision.DAY: "days", Precision.MONTH: "month"}
        text = one(self.start)
        if self.end is not None:
            text += f" → {one(self.end)}"
        if self.precision is Precision.DATETIME:
            text += f" {zone_label(self.timezone)}"
        return f"{text} ({unit[self.precision] if self.end is not None else self.precision.value})"


def period_from_storage(
    precision: str,
    timezone: str | None,
    start_on: date,
    end_on: date | None,
    start_at: datetime | None,
    end_at: datetime | None,
) -> Period:
    """Rebuild a period from the columns it is stored in."""
    level = Precision(precision)
    if level is Precision.DATETIME and start_at is not None:
        zone = load_zone(timezone or "UTC")
        return Period(
            start=_aware_utc(start_at).astimezone(zone),
            end=None if end_at is None else _aware_utc(end_at).astimezone(zone),
            precision=level,
            timezone=timezone or "UTC",
        )
    return Period(start=start_on, end=end_on, precision=level, timezone=timezone)


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _as_datetime(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _aware_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _order_key(value: date | datetime) -> Any:
    return _as_datetime(value) if isinstance(value, datetime) else value


def _iso(value: date | datetime, precision: Precision) -> str:
    if precision is Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


def _day_text(value: date) -> str:
    return f"{value.day} {_MONTH_ABBR[value.month]} {value.year}"


def _describe_days(start: date, end: date | None) -> str:
    if end is None:
        return _day_text(start)
    if start.year != end.year:
        return f"{_day_text(start)} – {_day_text(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTH_ABBR[start.month]} – {_day_text(end)}"
    return f"{start.day}–{_day_text(end)}"


def _describe_months(start: date, end: date | None) -> str:
    name = MONTH_NAMES
    if end is None:
        return f"{name[start.month]} {start.year}"
    if start.year != end.year:
        return f"{name[start.month]} {start.year} – {name[end.month]} {end.year}"
    return f"{name[start.month]} – {name[end.month]} {end.year}"
