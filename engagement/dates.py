"""When things happen: parsing what people write, keeping the precision they meant.

"16 May 2025" is a day, "in May" is a month, "June 30 to July 8" is a range of days, and
"tomorrow 15:00 Europe/Moscow" is a moment in a zone. A :class:`Period` keeps exactly that, so
nothing is ever shown as a fake midnight or pinned to a made-up day.

>>> from datetime import datetime
>>> now = datetime(2025, 6, 1, 9, 0)
>>> parse_period("June 30 to July 8", now=now).describe()
'30 Jun – 8 Jul 2025'
>>> parse_period("2025-05", now=now).iso_start()
'2025-05'
>>> parse_period("2025-06-10", "2025-06-11", now=now).iso_end()
'2025-06-11'
>>> parse_period("2025-07-01 10:00 Europe/Moscow", now=now).iso_start()
'2025-07-01T10:00:00+03:00'
"""

from __future__ import annotations

import calendar
import functools
import os
import re
import warnings
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil import parser as du_parser
from dateutil import tz as du_tz
from pydantic import BaseModel, ConfigDict, model_validator

from engagement.errors import ValidationFailed
from engagement.vocab import MONTH_ABBREVIATIONS, MONTH_NAMES, Precision

_MIN_YEAR, _MAX_YEAR = 1900, 2200
_MAX_INPUT = 200

_RANGE_SEPARATORS = re.compile(
    r"\s+(?:to|until|till|through|thru)\s+|\s*[–—]\s*|\s+-\s+|\s*\.\.\s*", re.IGNORECASE
)
_LEADING_WORDS = re.compile(r"^(?:on|in|from|at|since|during)\s+", re.IGNORECASE)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR_ONLY = re.compile(r"^\d{4}$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{2,4})\b")
_RELATIVE = re.compile(r"^(today|tomorrow|yesterday)\b", re.IGNORECASE)
_WEEKDAY = re.compile(
    r"\b(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(day|nesday|rsday|urday)?\b", re.IGNORECASE
)
# "June 10-11 2025" and "10-11 June 2025": a day range inside one month.
_MONTH_DAY_RANGE = re.compile(r"^([A-Za-z]+\.?)\s+(\d{1,2})\s*[-–]\s*(\d{1,2})\b,?\s*(.*)$")
_DAY_RANGE_MONTH = re.compile(r"^(\d{1,2})\s*[-–]\s*(\d{1,2})\s+([A-Za-z]+.*)$")

_UTC_NAMES = {"utc", "z", "gmt", "etc/utc", "etc/universal", "universal", "zulu", "etc/zulu"}
_MONTH_ABBR = MONTH_ABBREVIATIONS


class Moment(NamedTuple):
    """One end of a period as parsed: the value, how precise it is, and its zone if timed."""

    value: date | datetime
    precision: Precision
    timezone: str | None


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
        return f"{text} ({_zone_label(self.timezone)})"

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
            text += f" {_zone_label(self.timezone)}"
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


# --- parsing ------------------------------------------------------------------------------


def parse_period(
    when: str,
    until: str | None = None,
    *,
    timezone: str | None = None,
    now: datetime | None = None,
    field: str = "when",
) -> Period:
    """Parse ``when`` (and ``until``, or a range written inside ``when``) into a Period."""
    if timezone:
        load_zone(timezone, field="timezone")
    when_text = _clean(when, field)
    until_text = None if until is None or not until.strip() else _clean(until, "until")
    if until_text is None:
        when_text, until_text = _split_range(when_text)
    if until_text is not None and _has_year(until_text) and not _has_year(when_text):
        # "June 30 to July 8 2025": the year written at the end applies to the start too.
        probe = parse_moment(until_text, timezone=timezone, now=now, field="until")
        start = parse_moment(when_text, timezone=timezone, now=now, base=probe, field=field)
        if _order_key(start.value) > _order_key(probe.value):
            start = start._replace(value=start.value.replace(year=start.value.year - 1))
    else:
        start = parse_moment(when_text, timezone=timezone, now=now, field=field)
    if until_text is None:
        return _build(start, None, field)
    end = parse_moment(until_text, timezone=timezone, now=now, base=start, field="until")
    if end.precision is not start.precision:
        raise ValidationFailed(
            "until",
            until_text,
            f"is a {end.precision.value} but when is a {start.precision.value}; "
            "write both ends the same way (two days, two months, or two times)",
        )
    if _order_key(end.value) < _order_key(start.value) and not _has_year(until_text):
        # "Dec 28 to Jan 3": the end without a year falls in the following year.
        end = end._replace(value=end.value.replace(year=end.value.year + 1))
    return _build(start, end, "until")


def parse_moment(
    text: str,
    *,
    timezone: str | None = None,
    now: datetime | None = None,
    base: Moment | None = None,
    field: str = "when",
) -> Moment:
    """Parse one point in time. Fields missing from ``text`` come from ``base``, else today."""
    raw = _clean(text, field)
    body, zone_name = _take_zone(raw, field)
    body = _LEADING_WORDS.sub("", body).strip()
    today = (now or datetime.now()).date()
    relative = _RELATIVE.match(body)
    if relative:
        offset = {"today": 0, "tomorrow": 1, "yesterday": -1}[relative.group(1).lower()]
        body = (today + timedelta(days=offset)).isoformat() + body[relative.end() :]
    if not body:
        raise ValidationFailed(field, text, "has no date; write e.g. 2025-05-16 or '16 May 2025'")
    if _YEAR_ONLY.match(body):
        raise ValidationFailed(
            field, text, "is only a year; give at least a month, e.g. 2025-05 or 'May 2025'"
        )
    month_match = _ISO_MONTH.match(body)
    if month_match:
        year, month = int(month_match.group(1)), int(month_match.group(2))
        if not 1 <= month <= 12:
            raise ValidationFailed(field, text, "has no month number between 01 and 12")
        return Moment(date(_check_year(year, text, field), month, 1), Precision.MONTH, None)
    dayfirst = _check_numeric(body, text, field)
    fields = _parse_fields(body, dayfirst, text, field)
    year = fields.value.year if fields.has_year else (base.value.year if base else today.year)
    _check_year(year, text, field)
    weekday = bool(_WEEKDAY.search(body)) and not fields.has_day
    if not fields.has_month and not weekday:
        if base is None and fields.has_time and not fields.has_day:
            month, day = today.month, today.day
        elif base is not None and not fields.has_day:
            month, day = base.value.month, base.value.day
        elif base is not None:
            month, day = base.value.month, fields.value.day
        else:
            raise ValidationFailed(
                field, text, "has no month; write e.g. '16 May 2025', 2025-05-16 or 'May 2025'"
            )
    else:
        month, day = fields.value.month, fields.value.day
    try:
        day_value = date(year, month, day)
    except ValueError as error:
        raise ValidationFailed(field, text, f"is not a real date ({error})") from None
    if weekday:
        start_from = today if base is None else _day(base.value)
        ahead = (fields.value.weekday() - start_from.weekday()) % 7
        day_value = start_from + timedelta(days=ahead)
    elif not fields.has_day and fields.has_month:
        if fields.has_time:
            raise ValidationFailed(field, text, "has a time but no day; add the day")
        return Moment(day_value.replace(day=1), Precision.MONTH, None)
    if not fields.has_time:
        return Moment(day_value, Precision.DAY, None)
    zone_name = zone_name or _zone_of(fields.value.tzinfo, text, field) or timezone
    if zone_name is None and base is not None:
        zone_name = base.timezone
    zone_name = zone_name or default_timezone()
    local = datetime.combine(day_value, fields.value.time().replace(tzinfo=None))
    if fields.value.tzinfo is not None:
        moment = local.replace(tzinfo=fields.value.tzinfo).astimezone(load_zone(zone_name))
    else:
        moment = local.replace(tzinfo=load_zone(zone_name))
    return Moment(moment, Precision.DATETIME, zone_name)


def parse_date(text: str, *, field: str, end_of_month: bool = False) -> date:
    """A single day for options such as ``--due`` or ``--from``; a month means its first day
    (or its last day with ``end_of_month``, for ``--to``)."""
    moment = parse_moment(text, field=field)
    if moment.precision is Precision.MONTH:
        first = _day(moment.value)
        if end_of_month:
            return first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return first
    return _day(moment.value)


# --- time zones ---------------------------------------------------------------------------


@functools.cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def canonical_zone_name(name: str, *, field: str = "timezone") -> str:
    """The IANA spelling of a zone name given in any case, or a helpful error."""
    cleaned = name.strip()
    if cleaned.casefold() in _UTC_NAMES:
        return "UTC"
    known = _zone_names().get(cleaned.casefold())
    if known is not None:
        return known
    import difflib

    close = difflib.get_close_matches(cleaned, list(_zone_names().values()), n=3, cutoff=0.6)
    hint = (
        f"; did you mean {', '.join(close)}?"
        if close
        else "; use an IANA name such as Europe/Moscow"
    )
    raise ValidationFailed(field, name, f"is not a known time zone{hint}")


def load_zone(name: str, *, field: str = "timezone") -> ZoneInfo:
    try:
        return ZoneInfo(canonical_zone_name(name, field=field))
    except (ZoneInfoNotFoundError, ValueError) as error:
        if isinstance(error, ValidationFailed):
            raise
        raise ValidationFailed(field, name, "is not a known time zone") from None


def default_timezone() -> str:
    """The zone for times typed without one: $ENGAGEMENT_TZ, $TZ, the system's, else UTC."""
    for variable in ("ENGAGEMENT_TZ", "TZ"):
        value = os.environ.get(variable, "").lstrip(":")
        if value and value.casefold() in _zone_names():
            return canonical_zone_name(value)
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    marker = "zoneinfo/"
    if marker in target:
        candidate = target.split(marker, 1)[1]
        if candidate.casefold() in _zone_names():
            return canonical_zone_name(candidate)
    return "UTC"


# --- helpers ------------------------------------------------------------------------------


class _Fields(NamedTuple):
    value: datetime
    has_year: bool
    has_month: bool
    has_day: bool
    has_time: bool


def _parse_fields(body: str, dayfirst: bool, text: str, field: str) -> _Fields:
    """Parse with two different defaults: a field that comes out the same both times was typed."""
    first_default = datetime(2001, 1, 1, 0, 0, 0)
    second_default = datetime(2002, 2, 2, 1, 1, 1)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            first = du_parser.parse(body, default=first_default, dayfirst=dayfirst)
            second = du_parser.parse(body, default=second_default, dayfirst=dayfirst)
        unknown = [w for w in caught if issubclass(w.category, du_parser.UnknownTimezoneWarning)]
        if unknown:
            raise ValidationFailed(
                field,
                text,
                "has a time zone abbreviation I cannot place; "
                "use an IANA name such as Europe/Moscow",
            )
    except (du_parser.ParserError, ValueError, OverflowError, TypeError) as error:
        if isinstance(error, ValidationFailed):
            raise
        if "out of range" in str(error) or "must be in" in str(error):
            raise ValidationFailed(field, text, "is not a real date (no such day)") from None
        raise ValidationFailed(
            field,
            text,
            "is not a date I can read; write e.g. 2025-05-16, '16 May 2025', 2025-05, "
            "'June 30 2025 14:00' or 'tomorrow 15:00'",
        ) from None
    return _Fields(
        value=first,
        has_year=first.year == second.year,
        has_month=first.month == second.month,
        has_day=first.day == second.day,
        has_time=(first.hour, first.minute) == (second.hour, second.minute),
    )


def _check_numeric(body: str, text: str, field: str) -> bool:
    """Decide day-first for numeric dates, refusing ones that read two ways (03/04/2025)."""
    match = _NUMERIC_DATE.match(body)
    if not match:
        return False
    first, separator, second = int(match.group(1)), match.group(2), int(match.group(3))
    if separator == ".":
        return True
    if first > 12:
        return True
    if second > 12:
        return False
    if first == second:
        return True
    year = match.group(4) if len(match.group(4)) == 4 else f"20{match.group(4)}"
    raise ValidationFailed(
        field,
        text,
        f"could be read day-first or month-first; write {year}-{second:02d}-{first:02d} "
        f"for {first} {_MONTH_ABBR[second]} or {year}-{first:02d}-{second:02d} "
        f"for {second} {_MONTH_ABBR[first]}",
    )


def _take_zone(text: str, field: str) -> tuple[str, str | None]:
    parts = text.rsplit(None, 1)
    if len(parts) == 2 and ("/" in parts[1] or parts[1].upper() in {"UTC", "GMT"}):
        if re.fullmatch(r"[\d/.\-]+", parts[1]):
            return text, None
        return parts[0], canonical_zone_name(parts[1], field=field)
    return text, None


def _zone_of(zone: tzinfo | None, text: str, field: str) -> str | None:
    """Turn an offset typed in the text (+03:00) into an IANA zone name where one exists."""
    if zone is None:
        return None
    offset = zone.utcoffset(datetime(2000, 1, 1))
    if offset is None:
        return None
    if offset == timedelta(0) or zone is du_tz.UTC:
        return "UTC"
    hours, remainder = divmod(int(offset.total_seconds()), 3600)
    if remainder:
        return "UTC"
    # IANA's Etc zones have the sign reversed: UTC+3 is Etc/GMT-3.
    return f"Etc/GMT{'-' if hours > 0 else '+'}{abs(hours)}"


def _split_range(text: str) -> tuple[str, str | None]:
    day_range = _MONTH_DAY_RANGE.match(text)
    if day_range:
        month, first, last, rest = day_range.groups()
        return f"{month} {first} {rest}".strip(), f"{month} {last} {rest}".strip()
    day_range = _DAY_RANGE_MONTH.match(text)
    if day_range:
        first, last, rest = day_range.groups()
        return f"{first} {rest}", f"{last} {rest}"
    text = _LEADING_WORDS.sub("", text)
    parts = _RANGE_SEPARATORS.split(text, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return parts[0].strip(), parts[1].strip()
    return text, None


def _build(start: Moment, end: Moment | None, field: str) -> Period:
    zone = start.timezone
    end_value = None if end is None else end.value
    if end_value is not None and _order_key(end_value) < _order_key(start.value):
        raise ValidationFailed(
            field,
            _plain(end_value),
            f"is before the start ({_plain(start.value)}); the end must come after the start",
        )
    if (
        end_value is not None
        and end_value == start.value
        and start.precision is not Precision.DATETIME
    ):
        end_value = None
    return Period(start=start.value, end=end_value, precision=start.precision, timezone=zone)


def _clean(text: str, field: str) -> str:
    if not isinstance(text, str):
        raise ValidationFailed(field, text, "must be text")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationFailed(field, text, "is empty; write a date such as 2025-05-16")
    if len(cleaned) > _MAX_INPUT:
        raise ValidationFailed(field, cleaned[:40] + "…", "is too long to be a date")
    return cleaned


def _has_year(text: str) -> bool:
    return bool(re.search(r"\b\d{4}\b", text))


def _check_year(year: int, text: str, field: str) -> int:
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise ValidationFailed(field, text, f"has the year {year}, outside {_MIN_YEAR}–{_MAX_YEAR}")
    return year


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


def _plain(value: date | datetime) -> str:
    return value.isoformat()


def _iso(value: date | datetime, precision: Precision) -> str:
    if precision is Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime):
        return value.isoformat()
    return value.isoformat()


def _zone_label(zone: str | None) -> str:
    """IANA's fixed-offset zones read backwards (Etc/GMT-3 is UTC+3): show the offset."""
    if zone and zone.startswith("Etc/GMT") and len(zone) > 7:
        sign = "+" if zone[7] == "-" else "-"
        return f"UTC{sign}{int(zone[8:]):02d}:00"
    return zone or ""


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
