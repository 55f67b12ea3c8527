"""Quick-add parsing: one typed line into the fields of an interaction (pure, no database)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from engagement.dates import parse_period
from engagement.errors import ValidationFailed
from engagement.quickadd import parse_quick_add, period_inputs
from engagement.vocab import Confidentiality, InteractionKind, InteractionStatus, Precision

NOW = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))


def parse(line: str):  # type: ignore[no-untyped-def]
    return parse_quick_add(line, now=NOW)


def test_the_example_from_the_issue() -> None:
    parsed = parse(
        "Meeting with @Moskalkova on POW exchanges #pow #missing 2025-07-01 10:00 "
        "Europe/Moscow !confidential"
    )
    assert parsed.title == "Meeting with Moskalkova on POW exchanges"
    assert parsed.stakeholders == ("Moskalkova",)
    assert parsed.tags == ("pow", "missing")
    assert parsed.confidentiality is Confidentiality.CONFIDENTIAL
    assert parsed.kind is InteractionKind.MEETING
    assert parsed.period.precision is Precision.DATETIME
    assert parsed.period.timezone == "Europe/Moscow"
    assert parsed.period.iso_start() == "2025-07-01T10:00:00+03:00"
    assert parsed.date_text == "2025-07-01 10:00 Europe/Moscow"
    assert not parsed.date_assumed


def test_quoted_names_keep_their_spaces_and_stay_in_the_title() -> None:
    parsed = parse('Call with @"Pavel Savchuk" and @“Russian Red Cross”, about RFL 2025-06-10')
    assert parsed.stakeholders == ("Pavel Savchuk", "Russian Red Cross")
    assert parsed.title == "Call with Pavel Savchuk and Russian Red Cross, about RFL"
    assert parsed.kind is InteractionKind.CALL


def test_trailing_punctuation_is_not_part_of_a_name_or_tag() -> None:
    parsed = parse("Lunch with @RRC, @MFA. #pow, 2025-06-10")
    assert parsed.stakeholders == ("RRC", "MFA")
    assert parsed.tags == ("pow",)
    assert parsed.title == "Lunch with RRC, MFA."


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("June 30 to July 8 2025", "2025-06-30", "2025-07-08", Precision.DAY),
        ("10-11 June 2025", "2025-06-10", "2025-06-11", Precision.DAY),
        ("in May", "2025-05", None, Precision.MONTH),
        ("2025-05", "2025-05", None, Precision.MONTH),
        ("tomorrow", "2025-09-02", None, Precision.DAY),
        ("on 3 September", "2025-09-03", None, Precision.DAY),
    ],
)
def test_dates_are_found_anywhere_in_the_line(
    text: str, start: str, end: str | None, precision: Precision
) -> None:
    parsed = parse(f"Talks with @RRC {text} #rfl")
    assert parsed.period.iso_start() == start
    assert parsed.period.iso_end() == end
    assert parsed.period.precision is precision
    assert parsed.title == "Talks with RRC"


def test_a_time_with_a_zone_and_an_end() -> None:
    parsed = parse("Briefing @MoD tomorrow 15:00 to 16:30 Europe/Moscow")
    assert parsed.period.iso_start() == "2025-09-02T15:00:00+03:00"
    assert parsed.period.iso_end() == "2025-09-02T16:30:00+03:00"
    assert parsed.title == "Briefing MoD"


def test_no_date_means_today_and_says_so() -> None:
    parsed = parse("Chat with @RRC about the branches")
    assert parsed.date_assumed
    assert parsed.period.iso_start() == "2025-09-01"
    assert parsed.title == "Chat with RRC about the branches"
    assert "no date given" in dict(parsed.summary())["When"]


def test_words_that_look_like_months_stay_in_the_title() -> None:
    parsed = parse("May Day reception with @MFA 2025-05-01")
    assert parsed.title == "May Day reception with MFA"
    assert parsed.period.iso_start() == "2025-05-01"


def test_a_number_in_the_title_is_not_a_date() -> None:
    parsed = parse("Delivery of 3 trucks to @RRC 2025-06-10")
    assert parsed.title == "Delivery of 3 trucks to RRC"


def test_a_date_like_word_that_cannot_be_read_is_an_error() -> None:
    with pytest.raises(ValidationFailed, match="day-first or month-first"):
        parse("Visit @RRC 03/04/2025")


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("!public", Confidentiality.PUBLIC),
        ("!int", Confidentiality.INTERNAL),
        ("!conf", Confidentiality.CONFIDENTIAL),
        ("!strict", Confidentiality.STRICTLY_CONFIDENTIAL),
        ("!strictly-confidential", Confidentiality.STRICTLY_CONFIDENTIAL),
    ],
)
def test_confidentiality_by_any_unambiguous_prefix(marker: str, expected: Confidentiality) -> None:
    assert parse(f"Talk @RRC {marker}").confidentiality is expected


def test_kind_and_status_markers() -> None:
    parsed = parse("Talk @RRC +vis +planned 2025-10-01")
    assert parsed.kind is InteractionKind.VISIT
    assert parsed.status is InteractionStatus.PLANNED
    assert parsed.title == "Talk RRC"
    assert parse("Talk @RRC").status is None


def test_location_is_quoted_after_at() -> None:
    parsed = parse('Meeting @RRC at "RRC HQ, Moscow" at 10:00 2025-06-10')
    assert parsed.location == "RRC HQ, Moscow"
    assert "HQ" not in parsed.title


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "is empty"),
        ("Meeting about nothing 2025-06-10", "names no stakeholder"),
        ("Talk @RRC !secret", "is not one of"),
        ("Talk @RRC +c", r"could be \+call or \+conference"),
        ("Talk @RRC +xyz", "is not a kind or status"),
        ("Talk @RRC +call +visit", "more than once"),
    ],
)
def test_clear_errors(line: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        parse(line)


def test_a_line_of_names_only_gets_a_title() -> None:
    assert parse("@RRC @MFA #pow 2025-06-10").title == "Meeting with RRC, MFA"
    assert parse("+call @RRC").title == "Call with RRC"


def test_names_and_tags_are_not_repeated() -> None:
    parsed = parse("Talk @RRC @RRC #pow #POW 2025-06-10")
    assert parsed.stakeholders == ("RRC",)
    assert parsed.tags == ("pow",)


def test_log_arguments_fit_the_tracker_and_take_resolved_names() -> None:
    parsed = parse("Talk @RRC #pow tomorrow 15:00 Europe/Moscow !conf +held")
    arguments = parsed.log_arguments(["#17"])
    assert arguments == {
        "title": "Talk RRC",
        "with_": ["#17"],
        "when": "2025-09-02 15:00",
        "until": None,
        "timezone": "Europe/Moscow",
        "kind": "meeting",
        "tags": ["pow"],
        "confidentiality": "confidential",
        "location": "",
        "status": "held",
    }


@pytest.mark.parametrize(
    ("when", "until", "zone"),
    [
        ("2025-05", None, None),
        ("2025-05", "2025-08", None),
        ("2025-06-30", "2025-07-08", None),
        ("2025-07-01 10:00", "2025-07-01 11:30", "Europe/Moscow"),
        ("2025-07-01 10:00:30", None, "Asia/Tokyo"),
    ],
)
def test_period_inputs_read_back_to_the_same_period(
    when: str, until: str | None, zone: str | None
) -> None:
    period = parse_period(when, until, timezone=zone, now=NOW)
    again = parse_period(*period_inputs(period)[:2], timezone=period_inputs(period)[2], now=NOW)
    assert again == period
    assert period_inputs(period)[2] == zone


def test_the_summary_lists_what_was_understood() -> None:
    rows = dict(parse('Talk @RRC #pow at "Minsk" 2025-06-10 +planned').summary())
    assert rows["Title"] == "Talk RRC"
    assert rows["With"] == "RRC"
    assert rows["When"] == "Tue 10 Jun 2025 (day)"
    assert rows["Tags"] == "#pow"
    assert rows["Location"] == "Minsk"
    assert rows["Status"] == "planned"


def test_today_comes_from_the_given_clock() -> None:
    later = datetime(2030, 1, 15, 9, 0, tzinfo=ZoneInfo("UTC"))
    parsed = parse_quick_add("Talk @RRC", now=later)
    assert parsed.period.first_day() == date(2030, 1, 15)


def test_a_tilde_gives_the_meeting_format() -> None:
    parsed = parse("Coffee with @RRC ~side on the draft law 2025-06-19")
    assert parsed.meeting_format is not None and parsed.meeting_format.value == "sidelines"
    assert parsed.title == "Coffee with RRC on the draft law"
    assert parsed.log_arguments()["meeting_format"] == "sidelines"
    assert dict(parsed.summary())["Format"] == "sidelines"
    assert "meeting_format" not in parse("Talk @RRC").log_arguments()
    with pytest.raises(ValidationFailed, match="could be ~visit or ~video"):
        parse("Talk @RRC ~v")
    with pytest.raises(ValidationFailed, match="is given more than once"):
        parse("Talk @RRC ~phone ~video")
