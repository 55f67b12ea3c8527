"""The iCalendar export, checked with independent parsers (icalendar, vobject,
recurring-ical-events) rather than with our own code: days, times and zones, stable UIDs and
rising SEQUENCEs, confidentiality, text in any script, folding, follow-ups, filters, files."""

from __future__ import annotations

import os
import random
import stat
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from click.testing import CliRunner

from engagement.api.calendar import safe_child
from engagement.cli import main
from engagement.errors import UnsafeExportPath
from engagement.ical import fold
from engagement.schemas import IcsExport
from engagement.tracker import Tracker

MAY, SEPTEMBER_END = date(2025, 5, 1), date(2025, 9, 30)
MARTENS = "sample-2025-06-10-martens-readings"
SCO = "sample-2025-08-21-sco-seminar"
SPIEF = [
    "sample-2025-06-18-spief-mgimo-panel",
    "sample-2025-06-18-spief-religious-circles",
    "sample-2025-06-18-spief-bizone",
]
DAILY = "sample-2025-05-01-mod-daily-channel"
MOSCOW = ZoneInfo("Europe/Moscow")


def export(tracker: Tracker, **options: Any) -> tuple[IcsExport, icalendar.Calendar]:
    result = tracker.export_ics(**options)
    calendar = icalendar.Calendar.from_ical(result.data)
    assert isinstance(calendar, icalendar.Calendar)
    return result, calendar


def events(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def log_day(tracker: Tracker, title: str, when: str, **fields: Any) -> int:
    return tracker.log_interaction(title, with_=["Russian Red Cross"], when=when, **fields).id


# --- days, ranges, months ------------------------------------------------------------------


def test_sample_events_land_on_their_days_and_months_are_left_out(sample: Tracker) -> None:
    result, calendar = export(sample, start=MAY, end=SEPTEMBER_END)
    found = events(calendar)
    expected = {
        MARTENS: (date(2025, 6, 10), date(2025, 6, 12)),
        SCO: (date(2025, 8, 21), date(2025, 9, 4)),
        **{uid: (date(2025, 6, 18), date(2025, 6, 22)) for uid in SPIEF},
    }
    for uid, (first, end) in expected.items():
        event = found[uid]
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert (event.start, event.end) == (first, end), uid  # DTEND is exclusive
    assert not any(isinstance(e.start, datetime) for e in found.values())
    assert result.left_out_month_only == 31
    assert any("31 interactions known only to the month" in w for w in result.warnings)
    assert b"Regular confidential bilateral dialogue" not in result.data  # a month range
    assert result.events == len(found) == 10


def test_default_range_starts_today(sample: Tracker) -> None:
    _, calendar = export(sample)  # the fixed clock says 1 September 2025
    found = events(calendar)
    assert SCO in found and DAILY in found  # still running / still recurring
    assert MARTENS not in found


def test_independent_parsers_agree(sample: Tracker) -> None:
    result, calendar = export(sample, start=MAY, end=SEPTEMBER_END)
    parsed = list(vobject.readComponents(result.data.decode("utf-8")))
    assert len(parsed) == 1
    vevents = {str(e.uid.value): e for e in parsed[0].vevent_list}
    assert vevents[MARTENS].dtstart.value == date(2025, 6, 10)
    assert vevents[MARTENS].dtend.value == date(2025, 6, 12)
    assert vevents[SCO].summary.value.startswith("Seminar on Enhancing")
    june = recurring_ical_events.of(calendar).between(date(2025, 6, 1), date(2025, 7, 1))
    daily = [e for e in june if str(e["UID"]) == DAILY]
    assert sorted(e.start for e in daily) == [date(2025, 6, d) for d in range(1, 31)]
    on_the_11th = recurring_ical_events.of(calendar).at(date(2025, 6, 11))
    assert MARTENS in {str(e["UID"]) for e in on_the_11th}
    assert MARTENS not in {
        str(e["UID"]) for e in recurring_ical_events.of(calendar).at(date(2025, 6, 12))
    }


# --- identity and updates ------------------------------------------------------------------


def test_uid_is_stable_and_sequence_rises_with_each_change(sample: Tracker) -> None:
    first = events(export(sample, start=MAY, end=SEPTEMBER_END)[1])[MARTENS]
    again = events(export(sample, start=MAY, end=SEPTEMBER_END)[1])[MARTENS]
    assert str(again["UID"]) == MARTENS and again["SEQUENCE"] == first["SEQUENCE"] == 0
    assert str(first["STATUS"]) == "CONFIRMED"
    for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
        assert first.get(name) is not None
    martens = next(i for i in sample.history("CSTO") if i.uid == MARTENS)
    sample.update_interaction(martens.id, title="Martens Readings (renamed)")
    edited = events(export(sample, start=MAY, end=SEPTEMBER_END)[1])[MARTENS]
    assert edited["SEQUENCE"] == 1 and str(edited["SUMMARY"]) == "Martens Readings (renamed)"
    assert edited["LAST-MODIFIED"].dt >= first["LAST-MODIFIED"].dt
    sample.cancel_interaction(martens.id)
    cancelled = events(export(sample, start=MAY, end=SEPTEMBER_END)[1])[MARTENS]
    assert str(cancelled["STATUS"]) == "CANCELLED" and cancelled["SEQUENCE"] == 2


def test_planned_interactions_are_tentative(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    log_day(tracker, "Future visit", "2025-10-01")
    event = next(iter(events(export(tracker)[1]).values()))
    assert str(event["STATUS"]) == "TENTATIVE"


# --- confidentiality -----------------------------------------------------------------------


def test_confidential_items_are_busy_time_and_strict_ones_left_out(sample: Tracker) -> None:
    log_day(
        sample,
        "Talks on detainees",
        "2025-09-10",
        confidentiality="confidential",
        location="Secret venue",
        summary="Names of detainees",
        tags=["detention"],
        uid="talks-on-detainees",
    )
    log_day(sample, "Back-channel", "2025-09-11", confidentiality="strictly_confidential")
    result, calendar = export(sample, include_follow_ups=True)
    for secret in (b"Talks on detainees", b"Secret venue", b"detainees", b"detention"):
        assert secret not in result.data
    assert b"Back-channel" not in result.data
    busy = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Confidential meeting"]
    assert len(busy) == 1
    event = busy[0]
    assert str(event["CLASS"]) == "CONFIDENTIAL" and event.start == date(2025, 9, 10)
    for name in ("DESCRIPTION", "LOCATION", "CATEGORIES", "ATTENDEE"):
        assert name not in event
    assert "talks-on-detainees" not in str(event["UID"])
    # The meeting, and the sample's confidential commitment to the MFA (due 30 September).
    assert result.redacted == 2 and result.left_out_confidential == 1
    full, calendar = export(sample, include_confidential=True)
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert str(found["Talks on detainees"]["CLASS"]) == "CONFIDENTIAL"
    assert str(found["Talks on detainees"]["LOCATION"]) == "Secret venue"
    assert str(found["Back-channel"]["CLASS"]) == "CONFIDENTIAL"
    assert full.redacted == 0 and full.left_out_confidential == 0


def test_stakeholders_are_never_attendees(sample: Tracker) -> None:
    result, _ = export(sample, start=MAY, include_follow_ups=True, include_confidential=True)
    assert b"\r\nATTENDEE" not in result.data and b"\r\nORGANIZER" not in result.data
    assert b"Ministry of Defence of the Russian Federation" in result.data  # as text only


def test_internal_and_public_classes(sample: Tracker) -> None:
    found = events(export(sample, start=MAY, end=SEPTEMBER_END)[1])
    assert str(found[MARTENS]["CLASS"]) == "PUBLIC"
    assert str(found[SCO]["CLASS"]) == "PRIVATE"


# --- text, folding, zones, recurrences -----------------------------------------------------

AWKWARD = "Встреча, МИД; «итоги» \\ заметки — اللجنة الدولية للصليب الأحمر 🙂"


def test_text_in_any_script_survives_both_parsers(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    notes = f"Line one, {AWKWARD}\nLine two; \\n is not a newline\n\n" + " ".join(["текст"] * 40)
    log_day(tracker, AWKWARD, "2025-09-12", location="Смоленская пл., 32/34; Москва", summary=notes)
    result, calendar = export(tracker)
    event = next(iter(calendar.walk("VEVENT")))
    assert str(event["SUMMARY"]) == AWKWARD
    assert str(event["LOCATION"]) == "Смоленская пл., 32/34; Москва"
    assert notes in str(event["DESCRIPTION"])
    card = next(vobject.readComponents(result.data.decode("utf-8"))).vevent
    assert card.summary.value == AWKWARD and notes in card.description.value
    for line in result.data.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no line ends inside a character


def test_fold_keeps_every_character_whole() -> None:
    rng = random.Random(4)
    alphabet = "aZ ,;\\é€Жخ🙂\u0301"
    for _ in range(300):
        text = "DESCRIPTION:" + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400)))
        folded = fold(text)
        assert folded.endswith(b"\r\n")
        lines = folded[:-2].split(b"\r\n")
        assert all(len(line) <= 75 for line in lines)
        assert all(line.startswith(b" ") for line in lines[1:])
        assert b"".join([lines[0], *(line[1:] for line in lines[1:])]).decode() == text


def test_timed_events_name_their_zone_and_carry_its_definition(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    moscow = log_day(tracker, "Moscow meeting", "2025-09-10 10:00 Europe/Moscow", until="11:30")
    log_day(tracker, "Geneva call", "2025-10-27 09:00 Europe/Zurich", until="10:00")
    log_day(tracker, "UTC call", "2025-09-12 08:00 UTC")
    result, calendar = export(tracker)
    assert result.time_zones == ["Europe/Moscow", "Europe/Zurich"]
    defined = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    used = {
        e["DTSTART"].params["TZID"]
        for e in calendar.walk("VEVENT")
        if "TZID" in e["DTSTART"].params
    }
    assert used == defined == {"Europe/Moscow", "Europe/Zurich"}
    found = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert found["Moscow meeting"].start == datetime(2025, 9, 10, 10, tzinfo=MOSCOW)
    assert found["Moscow meeting"].end - found["Moscow meeting"].start == timedelta(minutes=90)
    assert found["Geneva call"].start.utcoffset() == timedelta(hours=1)  # after the DST switch
    assert b"DTSTART:20250912T080000Z" in result.data
    assert tracker.get_interaction(moscow).uid in {str(e["UID"]) for e in found.values()}


def test_recurrences_keep_rfc_until_types(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    log_day(
        tracker,
        "Weekly sync",
        "2025-09-01 15:00 Europe/Berlin",
        until="16:00",
        recurrence="FREQ=WEEKLY;UNTIL=20251231",
    )
    log_day(tracker, "Monthly visit", "2025-09-05", recurrence="FREQ=MONTHLY;COUNT=4")
    result, calendar = export(tracker)
    assert b"RRULE:FREQ=WEEKLY;UNTIL=20251231T225959Z" in result.data
    assert b"RRULE:FREQ=MONTHLY;COUNT=4" in result.data
    window = recurring_ical_events.of(calendar).between(date(2025, 9, 1), date(2026, 6, 1))
    weekly = [e for e in window if str(e["SUMMARY"]) == "Weekly sync"]
    assert len(weekly) == 18 and weekly[-1].start.date() == date(2025, 12, 29)
    assert all(e.start.hour == 15 for e in weekly)  # wall-clock time kept across DST
    monthly = [e.start for e in window if str(e["SUMMARY"]) == "Monthly visit"]
    assert monthly == [date(2025, m, 5) for m in (9, 10, 11, 12)]


# --- follow-ups ----------------------------------------------------------------------------


def test_follow_ups_as_tasks_or_as_all_day_events(sample: Tracker) -> None:
    result, calendar = export(sample, start=MAY, end=date(2025, 12, 31), include_follow_ups=True)
    every = calendar.walk("VTODO")
    todos = {str(t["SUMMARY"]): t for t in every if "X-ENGAGEMENT-COMMITMENT" not in t}
    assert len(todos) == 9
    assert result.todos == len(every) == 9 + 5  # and the sample's commitments
    todo = next(t for name, t in todos.items() if name.startswith("Follow up with the High"))
    assert todo["DUE"].dt == date(2025, 9, 15) and str(todo["STATUS"]) == "NEEDS-ACTION"
    assert str(todo["RELATED-TO"]) == "sample-2025-06-30-director-of-operations-visit"
    done = next(t for name, t in todos.items() if name.startswith("Share the ICRC legal"))
    assert str(done["STATUS"]) == "COMPLETED"
    described = events(calendar)["sample-2025-06-30-director-of-operations-visit"]
    assert "Open follow-ups:\n- Follow up with the High" in str(described["DESCRIPTION"])
    _, as_events = export(sample, start=MAY, end=date(2025, 12, 31), follow_ups_as_events=True)
    assert not as_events.walk("VTODO")
    marked = [e for e in as_events.walk("VEVENT") if "X-ENGAGEMENT-FOLLOW-UP" in e]
    assert len(marked) == 9
    first = min(marked, key=lambda e: e.start)
    assert (first.start, first.end) == (date(2025, 8, 31), date(2025, 9, 1))
    assert str(first["TRANSP"]) == "TRANSPARENT"


def test_overdue_open_follow_ups_come_with_a_default_export(sample: Tracker) -> None:
    interaction = next(i for i in sample.history("CSTO") if i.uid == MARTENS)
    sample.add_follow_up(interaction.id, "Send the proceedings", due="2025-08-15")
    _, calendar = export(sample, include_follow_ups=True)
    assert "Send the proceedings" in {str(t["SUMMARY"]) for t in calendar.walk("VTODO")}


# --- selection and calendar properties -----------------------------------------------------


def test_filters_by_stakeholder_and_tag(sample: Tracker) -> None:
    by_name = events(export(sample, start=MAY, stakeholders=["MGIMO"])[1])
    assert set(by_name) == {"sample-2025-06-18-spief-mgimo-panel"}
    by_tag = events(export(sample, start=MAY, tags=["#SPIEF"])[1])
    assert set(by_tag) == set(SPIEF)
    both = events(export(sample, start=MAY, tags=["spief", "ihl"], stakeholders=["BI.ZONE"])[1])
    assert set(both) == {"sample-2025-06-18-spief-bizone"}


def test_calendar_properties(sample: Tracker) -> None:
    result, calendar = export(sample, calendar_name="ICRC Moscow — calendar")
    assert str(calendar["X-WR-CALNAME"]) == "ICRC Moscow — calendar"
    assert str(calendar["METHOD"]) == "PUBLISH" and str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//engagement//engagement ")
    assert result.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert result.data.endswith(b"END:VCALENDAR\r\n")


def test_etag_follows_the_content(sample: Tracker) -> None:
    first = sample.export_ics()
    same = sample.export_ics(known_etag=first.etag)
    assert same.unchanged and same.data == b"" and same.etag == first.etag
    interaction = next(i for i in sample.history("SCO") if i.uid == SCO)
    sample.update_interaction(interaction.id, location="Beijing")
    changed = sample.export_ics(known_etag=first.etag)
    assert not changed.unchanged and changed.etag != first.etag and b"Beijing" in changed.data


# --- files ---------------------------------------------------------------------------------


def cli(url: str, *args: str) -> Any:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def test_cli_writes_a_private_file(sample_url: str, tmp_path: Path) -> None:
    target = tmp_path / "delegation.ics"
    result = cli(
        sample_url, "export", "ics", str(target), "--from", "2025-05-01", "--to", "2025-09"
    )
    assert result.exit_code == 0, result.stderr
    assert "Wrote 10 events" in result.stdout
    assert "warning: 31 interactions known only to the month" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert MARTENS.encode() in target.read_bytes()


def test_cli_writes_to_stdout(sample_url: str) -> None:
    result = cli(sample_url, "export", "ics", "-", "--from", "2025-06-10", "--to", "2025-06-11")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    assert "Wrote" in result.stderr and "Wrote" not in result.stdout


def test_names_made_from_data_stay_in_the_chosen_folder(sample_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    name = "../../etc/passwd"
    result = cli(sample_url, "export", "ics", str(folder), "--calendar-name", name)
    assert result.exit_code == 0, result.stderr
    written = list(folder.iterdir())
    assert [path.name for path in written] == ["etc-passwd.ics"]
    assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
    assert not (tmp_path / "etc").exists()
    assert safe_child(folder, "..", ".ics").name == "engagement.ics"
    link = folder / "elsewhere.ics"
    link.symlink_to(tmp_path / "outside.ics")
    with pytest.raises(UnsafeExportPath):
        safe_child(folder, "elsewhere", ".ics")


def test_an_existing_file_is_replaced_not_followed(sample: Tracker, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    target = tmp_path / "calendar.ics"
    target.symlink_to(victim)
    path = sample.save_ics(sample.export_ics(), target)
    assert victim.read_text() == "keep me"
    assert not path.is_symlink() and os.stat(path).st_mode & 0o077 == 0
