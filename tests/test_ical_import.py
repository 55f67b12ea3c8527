"""Importing .ics files: golden invitations and exports written from Outlook's, Google
Calendar's and Apple Calendar's documented formats, our own export, updates and
cancellations, attendee matching, and hostile files (each finished well within 2 s, the rest of
the file still imported, and a failed import leaving nothing behind)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from engagement import ical_import
from engagement import sample as sample_data
from engagement.cli import main
from engagement.errors import CalendarFileRejected, EngagementError
from engagement.models import Interaction
from engagement.schemas import DatasetImport, IcsImportReport, InteractionRead
from engagement.tracker import Tracker
from tests.conftest import FIXED_NOW, fixed_clock

FIXTURES = Path(__file__).parent / "fixtures" / "ics"
MOSCOW = ZoneInfo("Europe/Moscow")
HOSTILE_SECONDS = 2.0


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def one(tracker: Tracker, report: IcsImportReport, title: str) -> InteractionRead:
    ids = [i.interaction_id for i in report.items if i.title == title and i.interaction_id]
    assert ids, f"{title!r} not imported: {report.items}"
    return tracker.get_interaction(ids[0])


def calendar(*events: str, header: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    head = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{header}"
    return (head + body + "END:VCALENDAR\r\n").encode("utf-8")


def event(uid: str, summary: str, start: str = "20250915T100000Z", extra: str = "") -> str:
    lines = [
        f"UID:{uid}",
        f"SUMMARY:{summary}",
        f"DTSTART:{start}",
        "ATTENDEE;CN=Russian Red Cross:mailto:rrc@redcross.example",
        extra,
    ]
    return "\r\n".join(line for line in lines if line)


# --- golden files --------------------------------------------------------------------------


def test_outlook_invitation_update_and_cancellation(sample: Tracker) -> None:
    report = sample.import_ics(fixture("outlook-invitation.ics"))
    assert (report.created, report.skipped) == (1, 0)
    meeting = one(sample, report, "RFL coordination with the Russian Red Cross")
    assert meeting.period.start == datetime(2025, 9, 10, 11, tzinfo=MOSCOW)
    assert meeting.timezone == "Europe/Moscow"  # from Outlook's "Russian Standard Time"
    assert meeting.period.end == datetime(2025, 9, 10, 12, 30, tzinfo=MOSCOW)
    assert meeting.location == "Russian Red Cross HQ, Cheryomushkinsky proezd 5, Moscow"
    assert meeting.summary.startswith("Agenda:\n1. Restoring family links, tracing requests")
    assert meeting.status.value == "planned"
    assert meeting.stakeholders == ["Pavel Savchuk"]  # "Savchuk, Pavel" by name
    assert report.unmatched == [
        "Anna Schmidt <aschmidt@icrc.example>",
        "Petrova, Maria <m.petrova@redcross.example>",
    ]  # the meeting room is not a person
    again = sample.import_ics(fixture("outlook-invitation.ics"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    moved = sample.import_ics(fixture("outlook-update.ics"))
    assert (moved.created, moved.updated) == (0, 1)
    updated = sample.get_interaction(meeting.id)
    assert updated.period.start == datetime(2025, 9, 11, 14, tzinfo=MOSCOW)
    assert updated.title.endswith("(moved)")
    stale = sample.import_ics(fixture("outlook-invitation.ics"))  # lower SEQUENCE
    assert stale.unchanged == 1
    assert sample.get_interaction(meeting.id).period.start.day == 11
    cancelled = sample.import_ics(fixture("outlook-cancel.ics"))
    assert cancelled.updated == 1
    final = sample.get_interaction(meeting.id)
    assert final.status.value == "cancelled" and not final.title.startswith("Canceled")


def test_outlook_windows_zone_with_daylight_saving(sample: Tracker) -> None:
    report = sample.import_ics(fixture("outlook-geneva.ics"))
    call = one(sample, report, "Quarterly call with Geneva")
    assert call.timezone == "Europe/Berlin"  # "W. Europe Standard Time"
    assert call.period.start.utcoffset() is not None
    assert call.period.start.astimezone(MOSCOW).hour == 11  # 09:00 CET after the switch
    assert call.stakeholders == ["Russian Red Cross"]


def test_google_export(sample: Tracker) -> None:
    sample.update_stakeholder(
        "Embassy of Switzerland in Moscow", email="Consulate@Swiss-Embassy.example"
    )
    report = sample.import_ics(fixture("google-export.ics"))
    assert (report.created, report.skipped) == (4, 1)
    skipped = next(i for i in report.items if i.action == "skipped")
    assert "one occurrence of a recurring event" in skipped.reason
    briefing = one(sample, report, "Briefing for the diplomatic corps")
    assert briefing.period.start == datetime(2025, 9, 16, 10, tzinfo=MOSCOW)  # UTC + X-WR-TIMEZONE
    assert briefing.timezone == "Europe/Moscow"
    assert set(briefing.stakeholders) == {
        "Embassy of Switzerland in Moscow",  # by e-mail, case-insensitively
        "Embassy of Qatar in Moscow",  # by name
    }
    assert "newcomer@unknown.example" in report.unmatched
    visit = one(sample, report, "Visit to the Belgorod branch")
    assert (visit.period.start, visit.period.end) == (date(2025, 9, 22), date(2025, 9, 23))
    assert visit.id in {hit.interaction.id for hit in sample.search("Belgorod branch")}
    weekly = one(sample, report, "RFL weekly review")
    assert weekly.recurrence == "FREQ=WEEKLY;UNTIL=20251230;BYDAY=TU"
    assert weekly.period.start == datetime(2025, 9, 2, 10, tzinfo=MOSCOW)
    called_off = one(sample, report, "Meeting on family reunification")
    assert called_off.status.value == "cancelled"


def test_apple_export(sample: Tracker) -> None:
    report = sample.import_ics(fixture("apple-export.ics"))
    assert (report.created, report.skipped) == (2, 0)
    meeting = one(sample, report, "Встреча с РКК: розыск")
    assert meeting.stakeholders == ["Pavel Savchuk"]  # "Павел Савчук"
    assert meeting.location == "Russian Red Cross HQ Cheryomushkinsky proezd 5, Moscow"
    assert meeting.summary == "Встреча по делам о розыске. Повестка: списки, сроки; решения."
    assert meeting.period.start == datetime(2025, 9, 15, 15, 30, tzinfo=MOSCOW)
    seminar = one(sample, report, "IHL seminar at MGIMO")
    assert seminar.kind.value == "seminar" and seminar.tags == ["ihl"]
    assert seminar.period.start == date(2025, 9, 25) and seminar.period.end is None


def test_create_missing_adds_people_with_their_addresses(sample: Tracker) -> None:
    report = sample.import_ics(fixture("google-export.ics"), create_missing=True)
    assert "newcomer@unknown.example" in report.created_stakeholders
    assert report.unmatched == []
    again = sample.import_ics(fixture("google-export.ics"), create_missing=True)
    assert again.created_stakeholders == [] and again.created == 0


# --- our own export ------------------------------------------------------------------------


@pytest.fixture
def source(tmp_path: Path, templates: Callable[[str, str], str]) -> Iterator[Tracker]:
    """A second database holding the sample data (a SQLite copy: the engine under test is the
    importing one), to export from."""
    copy = tmp_path / "source" / "engagement.db"
    copy.parent.mkdir()
    shutil.copyfile(templates("sqlite", "sample"), copy)
    with Tracker(f"sqlite:///{copy}", clock=fixed_clock) as opened:
        yield opened


def stakeholders_only(tracker: Tracker) -> None:
    document = sample_data.load_document()
    # Posts are stakeholders too (kind post): an exported interaction may name one.
    tracker.import_dataset(DatasetImport(stakeholders=document.stakeholders, posts=document.posts))


def comparable(item: InteractionRead) -> tuple[Any, ...]:
    return (
        item.title,
        item.kind,
        item.status,
        item.period,
        item.location,
        item.summary,
        sorted(item.tags),
        item.confidentiality,
        sorted((p.name, p.role) for p in item.participants),
        item.recurrence,
    )


def test_our_export_round_trips_into_another_database(source: Tracker, tracker: Tracker) -> None:
    exported = source.export_ics(
        start=date(2025, 5, 1), include_follow_ups=True, include_confidential=True
    )
    stakeholders_only(tracker)
    report = tracker.import_ics(exported.data)
    assert report.created == exported.events == 10
    for item in report.items:
        if item.component == "VEVENT":
            copy = tracker.get_interaction(item.interaction_id or 0)
            original = source.get_interaction(_id_of(source, copy.uid))
            assert comparable(copy) == comparable(original), copy.uid
    # follow-ups whose interaction came along are attached; others say why not
    assert report.follow_ups_added == 2
    orphans = [i for i in report.items if i.component == "VTODO" and i.action == "skipped"]
    commitments = [i for i in orphans if "commitment" in i.reason]
    assert len(commitments) == 5  # the sample's commitments are not imported from calendars
    orphans = [i for i in orphans if i not in commitments]
    assert orphans and all("neither stored nor in this file" in i.reason for i in orphans)
    assert tracker.import_ics(exported.data).unchanged == 10


def _id_of(tracker: Tracker, uid: str) -> int:
    found = tracker.db.read(
        lambda s: s.scalar(select(Interaction.id).where(Interaction.uid == uid))
    )
    assert found is not None, uid
    return int(found)


def test_a_newer_export_updates_the_copy(source: Tracker, tracker: Tracker) -> None:
    stakeholders_only(tracker)
    tracker.import_ics(source.export_ics(start=date(2025, 5, 1)).data)
    martens = _id_of(source, "sample-2025-06-10-martens-readings")
    source.update_interaction(martens, location="Saint Petersburg, Konstantinovsky Palace")
    report = tracker.import_ics(source.export_ics(start=date(2025, 5, 1)).data)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 9)
    copy = tracker.get_interaction(_id_of(tracker, "sample-2025-06-10-martens-readings"))
    assert copy.location == "Saint Petersburg, Konstantinovsky Palace"


def test_re_importing_our_export_into_the_same_database_changes_nothing(sample: Tracker) -> None:
    before = sample.export_ics(start=date(2025, 5, 1))
    report = sample.import_ics(before.data)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 10)
    assert sample.export_ics(start=date(2025, 5, 1)).etag == before.etag


def test_busy_time_blocks_are_not_imported(source: Tracker, tracker: Tracker) -> None:
    source.log_interaction(
        "Secret", with_=["MFA (RU)"], when="2025-09-10", confidentiality="confidential"
    )
    stakeholders_only(tracker)
    report = tracker.import_ics(source.export_ics().data)
    busy = [i for i in report.items if "busy time" in i.reason]
    assert len(busy) == 1 and busy[0].action == "skipped"


# --- dry runs and failures -----------------------------------------------------------------


def test_dry_run_reports_but_saves_nothing(sample: Tracker) -> None:
    before = sample.export_ics(start=date(2025, 1, 1)).etag
    report = sample.import_ics(fixture("google-export.ics"), dry_run=True, create_missing=True)
    assert report.dry_run and report.created == 4 and report.created_stakeholders
    assert sample.export_ics(start=date(2025, 1, 1)).etag == before
    assert sample.find_stakeholders("newcomer").total == 0


def test_a_failed_import_changes_nothing(sample: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    from engagement.services import search_index

    def broken(*_args: object) -> None:
        raise EngagementError("the search index is broken")

    monkeypatch.setattr(search_index, "index_interactions", broken)
    before = sample.export_ics(start=date(2025, 1, 1)).etag
    with pytest.raises(EngagementError, match="search index is broken"):
        sample.import_ics(fixture("google-export.ics"), create_missing=True)
    monkeypatch.undo()
    assert sample.export_ics(start=date(2025, 1, 1)).etag == before
    assert sample.find_stakeholders("newcomer").total == 0


# --- hostile and broken files --------------------------------------------------------------


def timed(action: Callable[[], IcsImportReport]) -> IcsImportReport:
    began = time.process_time()
    report = action()
    assert time.process_time() - began < HOSTILE_SECONDS
    return report


def reasons(report: IcsImportReport) -> dict[str, str]:
    return {item.uid: item.reason for item in report.items if item.action == "skipped"}


def test_runaway_and_impossible_recurrences(sample: Tracker) -> None:
    rules = {
        "secondly": "FREQ=SECONDLY",
        "hourly": "FREQ=HOURLY;INTERVAL=1",
        "never": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "hours": "FREQ=DAILY;BYHOUR=" + ",".join(str(h) for h in range(24)),
        "garbage": "FREQ=SOMETIMES;;;",
    }
    impossible = [
        event(f"never-{n}", "Never", extra="RRULE:FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31")
        for n in range(40)
    ]
    data = calendar(
        *(event(uid, uid, extra=f"RRULE:{rule}") for uid, rule in rules.items()),
        event("fine", "Fine weekly", extra="RRULE:FREQ=WEEKLY;COUNT=1000000"),
        *impossible,
    )
    report = timed(lambda: sample.import_ics(data))
    why = reasons(report)
    assert "more often than daily" in why["secondly"] and "more often than daily" in why["hourly"]
    assert "never occurs" in why["never"]
    assert "repeats more than" in why["hours"]
    assert "RRULE" in why["garbage"]
    assert all(f"never-{n}" in why for n in range(40))
    assert report.created == 1 and "fine" not in why


def test_long_lines_bad_dates_and_other_encodings(sample: Tracker) -> None:
    huge = "DESCRIPTION:" + "x" * 1_048_576
    encoded = (
        ("BEGIN:VEVENT\r\n" + event("enc", "PLACEHOLDER") + "\r\nEND:VEVENT\r\n")
        .encode()
        .replace(b"PLACEHOLDER", "Встреча".encode("cp1251"))
    )
    data = calendar(
        event("long", "Long", extra=huge),
        event("feb30", "Impossible", start="20250230T100000Z"),
        event("far", "Far future", start="99991231"),
        event("backwards", "Backwards", extra="DTEND:20250915T090000Z"),
        event("nostart", "No start").replace("DTSTART:20250915T100000Z\r\n", ""),
        event("zone", "Unknown zone", start="20250915T100000").replace(
            "DTSTART:", "DTSTART;TZID=Mars/Olympus_Mons:"
        ),
        event("ok", "Still imported"),
    ).replace(b"END:VCALENDAR\r\n", encoded + b"END:VCALENDAR\r\n")
    report = timed(lambda: sample.import_ics(data))
    why = reasons(report)
    assert "longer than" in why["long"]
    assert "not a real date" in why["feb30"]
    assert "outside 1900" in why["far"]
    assert "ends before it starts" in why["backwards"]
    assert "no start" in why["nostart"]
    assert "Mars/Olympus_Mons" in why["zone"]
    assert "not UTF-8" in why["enc"]
    assert report.created == 1


def test_truncated_and_nested_files(sample: Tracker) -> None:
    whole = calendar(event("first", "First"), event("second", "Second"))
    cut = whole[: whole.index(b"SUMMARY:Second") + 10]
    report = timed(lambda: sample.import_ics(cut))
    assert report.created == 1 and "truncated" in reasons(report)["second"]
    assert any("truncated" in warning for warning in report.warnings)
    nested = calendar(
        event("deep", "Deep", extra="BEGIN:VEVENT\r\n" * 5000 + "END:VEVENT\r\n" * 5000)
    )
    report = timed(lambda: sample.import_ics(nested))
    assert "nested too deeply" in reasons(report)["deep"]


def test_whole_file_problems_are_refused(sample: Tracker, tmp_path: Path) -> None:
    for data, message in [
        (b"", "not an iCalendar file"),
        (b'{"events": []}', "not an iCalendar file"),
        (b"\x89PNG\r\n\x1a\n", "not an iCalendar file"),
    ]:
        with pytest.raises(CalendarFileRejected, match=message):
            sample.import_ics(data)
    small = ical_import.ImportLimits(max_bytes=1000, max_components=3)
    with pytest.raises(CalendarFileRejected, match="larger than"):
        ical_import.parse(
            b"BEGIN:VCALENDAR\r\n" + b"X" * 2000, now=FIXED_NOW, default_zone="UTC", limits=small
        )
    many = calendar(*(event(f"e{n}", "E") for n in range(4)))
    with pytest.raises(CalendarFileRejected, match="more than 3 components"):
        ical_import.parse(many, now=FIXED_NOW, default_zone="UTC", limits=small)
    sparse = tmp_path / "huge.ics"
    with sparse.open("wb") as stream:
        stream.truncate(ical_import.LIMITS.max_bytes + 10)
    with pytest.raises(CalendarFileRejected, match="larger than 32 MB"):
        ical_import.read_limited(str(sparse))


def test_utf16_and_custom_zones(sample: Tracker) -> None:
    custom = (
        "BEGIN:VTIMEZONE\r\nTZID:(UTC+03:00) Moscow\\, St. Petersburg\r\nBEGIN:STANDARD\r\n"
        "DTSTART:16010101T000000\r\nTZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
        "BEGIN:VTIMEZONE\r\nTZID:Hostile\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "RRULE:FREQ=SECONDLY\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:STANDARD\r\n"
        "END:VTIMEZONE\r\n"
    )
    data = calendar(
        event("custom", "Custom zone", start="20250915T100000").replace(
            "DTSTART:", 'DTSTART;TZID="(UTC+03:00) Moscow, St. Petersburg":'
        ),
        event("hostile", "Hostile zone", start="20250915T100000").replace(
            "DTSTART:", "DTSTART;TZID=Hostile:"
        ),
        header=custom,
    )
    report = timed(lambda: sample.import_ics(data.decode("utf-8").encode("utf-16")))
    made = one(sample, report, "Custom zone")
    assert made.period.start == datetime(2025, 9, 15, 10, tzinfo=MOSCOW)
    assert "Hostile" in reasons(report)["hostile"]
    assert any("Hostile" in w and "cannot be used" in w for w in report.warnings)


def test_cli_import_report(sample_url: str) -> None:
    path = str(FIXTURES / "google-export.ics")
    result = CliRunner().invoke(main, ["--db", sample_url, "import", "ics", path, "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "Dry run" in result.stdout and "4 created" in result.stdout
    assert "skipped VEVENT at line" in result.stdout
    assert "newcomer@unknown.example" in result.stdout
    missing = CliRunner().invoke(main, ["--db", sample_url, "import", "ics", "/nonexistent.ics"])
    assert missing.exit_code == 1 and missing.stderr.startswith("error: /nonexistent.ics")


def test_cli_report_never_prints_raw_bytes_or_escapes(sample_url: str, tmp_path: Path) -> None:
    raw = calendar(event("evil", "PLACEHOLDER\x1b[2J")).replace(
        b"PLACEHOLDER", "Встреча".encode("cp1251")
    )
    path = tmp_path / "evil.ics"
    path.write_bytes(raw)
    result = CliRunner().invoke(main, ["--db", sample_url, "import", "ics", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "not UTF-8" in result.stdout
    assert "\ufffd" in result.stdout  # the undecodable bytes, shown as such


def test_a_cancellation_of_an_unknown_meeting_creates_nothing(sample: Tracker) -> None:
    report = sample.import_ics(fixture("outlook-cancel.ics"))
    assert report.created == 0 and report.skipped == 1
    assert "not in the tracker" in report.items[0].reason


def test_cli_cannot_write_into_a_missing_folder(sample_url: str, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "x.ics"
    result = CliRunner().invoke(main, ["--db", sample_url, "export", "ics", str(target)])
    assert result.exit_code == 1 and result.stderr.startswith(f"error: cannot write {target}")


# --- limits: every hostile file is refused or cut short quickly ----------------------------


def _zone(tzid: str) -> str:
    return (
        f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
        "TZOFFSETFROM:+0300\r\nTZOFFSETTO:+0300\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


def _in_zone(uid: str, tzid: str) -> str:
    return event(uid, uid, start="20250915T100000").replace("DTSTART:", f"DTSTART;TZID={tzid}:")


def _parse(data: bytes, **limits: Any) -> ical_import.ParsedCalendar:
    began = time.process_time()
    try:
        return ical_import.parse(
            data,
            now=FIXED_NOW,
            default_zone="UTC",
            limits=ical_import.ImportLimits(**limits),
        )
    finally:
        assert time.process_time() - began < HOSTILE_SECONDS


def test_a_million_line_file_is_refused_before_it_is_parsed() -> None:
    filler = b"X-FILLER:a\r\n" * 1_000_000
    data = calendar(event("late", "Late")).replace(b"PRODID", filler + b"PRODID")
    with pytest.raises(CalendarFileRejected, match="more than 600,000 lines"):
        _parse(data)
    folded = calendar(event("fold", "Folded", extra="DESCRIPTION:x\r\n" + " y\r\n" * 1_000_000))
    with pytest.raises(CalendarFileRejected, match="more than 600,000 lines"):
        _parse(folded)


def test_a_line_folded_many_times_is_measured_unfolded() -> None:
    folded = event("fold", "Folded", extra="DESCRIPTION:x\r\n" + " y\r\n" * 150_000)
    parsed = _parse(calendar(folded, event("ok", "Fine")), max_line=100_000)
    assert [item.uid for item in parsed.skipped] == ["fold"]
    assert "longer than 100,000 characters" in parsed.skipped[0].reason
    assert [found.uid for found in parsed.events] == ["ok"]


def test_thousands_of_time_zones_cost_only_the_ones_used() -> None:
    zones = "".join(_zone(f"Custom {n}") for n in range(3000)).encode()
    used = [_in_zone(f"e{n}", f"Custom {n}") for n in range(5)]
    data = calendar(*used).replace(b"BEGIN:VEVENT", zones + b"BEGIN:VEVENT", 1)
    parsed = _parse(data, max_zones=3)
    assert sorted(found.uid for found in parsed.events) == ["e0", "e1", "e2"]
    assert sorted(item.uid for item in parsed.skipped) == ["e3", "e4"]
    assert any("more than 3 time zone definitions" in w for w in parsed.warnings)


def test_huge_counts_and_sub_daily_rules_finish_at_once() -> None:
    rules = {
        "count": "FREQ=DAILY;COUNT=1000000000",
        "secondly": "FREQ=SECONDLY;COUNT=1000000000",
        "minutely": "FREQ=MINUTELY;UNTIL=99991231T000000Z",
        "leap": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;BYSETPOS=1",
    }
    parsed = _parse(calendar(*(event(u, u, extra=f"RRULE:{r}") for u, r in rules.items())))
    why = {item.uid: item.reason for item in parsed.skipped}
    assert [found.uid for found in parsed.events] == ["count"]
    assert "more often than daily" in why["secondly"] and "more often than daily" in why["minutely"]
    assert "never occurs" in why["leap"]


def test_many_recurrences_stop_at_the_files_budget() -> None:
    never = [
        event(f"n{n}", "Never", extra="RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
        for n in range(400)
    ]
    parsed = _parse(calendar(*never), recurrence_seconds=0.05)
    reasons = {item.reason for item in parsed.skipped}
    assert len(parsed.skipped) == 400
    assert any("took too long to check" in reason for reason in reasons)


def test_too_many_components_or_properties_are_refused_early() -> None:
    many = calendar(*(event(f"e{n}", "E") for n in range(30)))
    with pytest.raises(CalendarFileRejected, match="more than 20 components"):
        _parse(many, max_components=20)
    crowd = "\r\n".join(f"ATTENDEE;CN=P{n}:mailto:p{n}@example.org" for n in range(5000))
    parsed = _parse(calendar(event("crowd", "Crowd", extra=crowd), event("ok", "Fine")))
    assert [item.uid for item in parsed.skipped] == ["crowd"]
    assert "more than 2,000 lines" in parsed.skipped[0].reason
    assert [found.uid for found in parsed.events] == ["ok"]
