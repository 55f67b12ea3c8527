"""What people write for "when", and what is kept: the precision they meant, never a fake
midnight or a made-up day."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from engagement.dates import parse_date, parse_period
from engagement.errors import ValidationFailed
from engagement.vocab import Precision

NOW = datetime(2025, 6, 1, 9, 0)


@pytest.mark.parametrize(
    ("when", "until", "precision", "start", "end", "shown"),
    [
        ("2025-05-16", None, "day", "2025-05-16", None, "16 May 2025"),
        ("16 May 2025", None, "day", "2025-05-16", None, "16 May 2025"),
        ("On May 16 2025", None, "day", "2025-05-16", None, "16 May 2025"),
        ("16.05.2025", None, "day", "2025-05-16", None, "16 May 2025"),
        ("2025-05", None, "month", "2025-05", None, "May 2025"),
        ("May 2025", None, "month", "2025-05", None, "May 2025"),
        ("in May", None, "month", "2025-05", None, "May 2025"),
        ("June 30 to July 8 2025", None, "day", "2025-06-30", "2025-07-08", "30 Jun – 8 Jul 2025"),
        ("From June 30 to July 8", None, "day", "2025-06-30", "2025-07-08", "30 Jun – 8 Jul 2025"),
        ("2025-06-10", "2025-06-11", "day", "2025-06-10", "2025-06-11", "10–11 Jun 2025"),
        ("June 10-11 2025", None, "day", "2025-06-10", "2025-06-11", "10–11 Jun 2025"),
        ("10-11 June 2025", None, "day", "2025-06-10", "2025-06-11", "10–11 Jun 2025"),
        (
            "August 21 to September 3 2025",
            None,
            "day",
            "2025-08-21",
            "2025-09-03",
            "21 Aug – 3 Sep 2025",
        ),
        (
            "Dec 28 2025 to Jan 3",
            None,
            "day",
            "2025-12-28",
            "2026-01-03",
            "28 Dec 2025 – 3 Jan 2026",
        ),
        ("2025-05", "2025-08", "month", "2025-05", "2025-08", "May – August 2025"),
        ("May to August 2025", None, "month", "2025-05", "2025-08", "May – August 2025"),
        ("2025-06-10", "2025-06-10", "day", "2025-06-10", None, "10 Jun 2025"),
    ],
)
def test_dates_keep_their_precision(
    when: str, until: str | None, precision: str, start: str, end: str | None, shown: str
) -> None:
    period = parse_period(when, until, now=NOW)
    assert period.precision.value == precision
    assert period.iso_start() == start
    assert period.iso_end() == end
    assert period.describe() == shown


def test_a_month_covers_all_its_days() -> None:
    period = parse_period("2025-02", now=NOW)
    assert (period.first_day(), period.last_day()) == (date(2025, 2, 1), date(2025, 2, 28))


def test_times_carry_their_zone_and_show_its_offset() -> None:
    period = parse_period("2025-07-01 10:00 Europe/Moscow", now=NOW)
    assert period.precision is Precision.DATETIME
    assert period.timezone == "Europe/Moscow"
    assert period.iso_start() == "2025-07-01T10:00:00+03:00"
    assert period.utc_start() == datetime(2025, 7, 1, 7, 0, tzinfo=ZoneInfo("UTC"))
    assert period.describe() == "1 Jul 2025 10:00 (Europe/Moscow)"


def test_zone_names_are_accepted_in_any_case() -> None:
    assert parse_period("2025-07-01 10:00 europe/moscow", now=NOW).timezone == "Europe/Moscow"


def test_an_end_time_alone_means_the_same_day() -> None:
    period = parse_period("2025-06-10 14:00", "16:00", timezone="Europe/Minsk", now=NOW)
    assert period.iso_end() == "2025-06-10T16:00:00+03:00"
    assert period.describe() == "10 Jun 2025 14:00–16:00 (Europe/Minsk)"


def test_relative_days_count_from_now() -> None:
    period = parse_period("tomorrow 15:00", timezone="Europe/Moscow", now=NOW)
    assert period.iso_start() == "2025-06-02T15:00:00+03:00"
    assert parse_period("yesterday", now=NOW).iso_start() == "2025-05-31"


def test_numeric_offsets_become_iana_zones() -> None:
    period = parse_period("2025-07-01T10:00+03:00", now=NOW)
    assert period.timezone == "Etc/GMT-3"
    assert period.iso_start() == "2025-07-01T10:00:00+03:00"


def test_explain_says_what_was_understood() -> None:
    assert parse_period("June 30 to July 8 2025", now=NOW).explain() == (
        "Mon 30 Jun 2025 → Tue 8 Jul 2025 (days)"
    )


@pytest.mark.parametrize(
    ("when", "until", "field", "fragment"),
    [
        ("03/04/2025", None, "when", "day-first or month-first"),
        ("2025", None, "when", "only a year"),
        ("", None, "when", "empty"),
        ("next full moon", None, "when", "not a date I can read"),
        ("2025-13", None, "when", "between 01 and 12"),
        ("Feb 30 2025", None, "when", "not a real date"),
        ("2025-06-11", "2025-06-10", "until", "before the start"),
        ("June 10 2025 14:00", "June 11 2025", "until", "write both ends the same way"),
        ("2025-06-10 10:00 Europe/Mosow", None, "when", "did you mean Europe/Moscow"),
        ("10", None, "when", "has no month"),
        ("x" * 500, None, "when", "too long"),
        ("1066-10-14", None, "when", "outside"),
        ("2025-06-10 10:00 MSK", None, "when", "use an IANA name"),
    ],
)
def test_unreadable_dates_say_what_is_wrong(
    when: str, until: str | None, field: str, fragment: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_period(when, until, now=NOW)
    assert caught.value.field == field
    assert fragment in str(caught.value)


def test_option_dates_take_a_month_as_its_first_or_last_day() -> None:
    assert parse_date("2025-05", field="from") == date(2025, 5, 1)
    assert parse_date("2025-05", field="to", end_of_month=True) == date(2025, 5, 31)
