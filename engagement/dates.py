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
import re
import warnings
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple

from dateutil import parser as du_parser
from dateutil import tz as du_tz

from engagement.errors import ValidationFailed
from engagement.period import Period as Period
from engagement.period import _day, _order_key
from engagement.period import period_from_storage as period_from_storage
from engagement.vocab import MONTH_ABBREVIATIONS, Precision
from engagement.zones import canonical_zone_name as canonical_zone_name
from engagement.zones import default_timezone as default_timezone
from engagement.zones import load_zone as load_zone

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

_MONTH_ABBR = MONTH_ABBREVIATIONS


class Moment(NamedTuple):
    """One end of a period as parsed: the value, how precise it is, and its zone if timed."""

    value: date | datetime
    precision: Precision
    timezone: str | None


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
        # Ends of different kinds (a day and a time) cannot be ordered: they are refused below.
        same_kind = start.precision is probe.precision
        if same_kind and _order_key(start.value) > _order_key(probe.value):
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


def _plain(value: date | datetime) -> str:
    return value.isoformat()
