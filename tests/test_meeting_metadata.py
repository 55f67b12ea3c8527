"""Meeting metadata: format (and the event of a sidelines meeting), languages, interpreter,
both delegations and the attribution rule of the notes — logged, edited, shown, filtered, and
respected by every export (off-record notes leave only in the full JSON backup)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from click.testing import CliRunner, Result

from engagement.cli import main
from engagement.errors import InvalidInput, ValidationFailed
from engagement.tracker import Tracker
from engagement.vocab import Attribution, MeetingFormat
from tests.conftest import PgServer, fixed_clock
from tests.test_transfer_support import Templates, fresh_tracker

SECRET = "The minister hinted at a prisoner exchange"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _people(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society", aliases=["RRC"])
    tracker.add_stakeholder("Pavel Savchuk", kind="person")
    tracker.add_stakeholder("Ministry of Foreign Affairs", kind="ministry", aliases=["MFA"])


def _off_record(tracker: Tracker) -> int:
    return tracker.log_interaction(
        "Dinner with the MFA",
        with_=["MFA"],
        when="2025-09-10",
        summary=SECRET,
        outcome="Agreed to talk again",
        attribution="off_record",
        meeting_format="bilateral",
    ).id


def test_logging_and_reading_back_the_metadata(tracker: Tracker) -> None:
    _people(tracker)
    item = tracker.log_interaction(
        "Talk at SPIEF",
        with_=["RRC", {"name": "Pavel Savchuk", "delegate": True}],
        when="2025-06-19",
        sidelines_of="SPIEF 2025",
        languages=["Russian", "English", "russian"],
        interpreter=True,
        attribution="chatham_house",
        staff=["Head of Delegation"],
    )
    assert item.meeting_format is MeetingFormat.SIDELINES  # implied by the event
    assert item.sidelines_of == "SPIEF 2025"
    assert item.languages == ["Russian", "English"]
    assert item.interpreter is True
    assert item.attribution is Attribution.CHATHAM_HOUSE
    assert item.their_delegation == ["Pavel Savchuk"]
    assert item.staff == ["Head of Delegation"]
    plain = tracker.log_interaction("Call", with_=["RRC"], when="2025-06-20")
    assert plain.meeting_format is None and plain.attribution is Attribution.ON_RECORD
    assert plain.languages == [] and not plain.interpreter and plain.their_delegation == []


def test_editing_the_metadata(tracker: Tracker) -> None:
    _people(tracker)
    ident = tracker.log_interaction(
        "Talk", with_=["RRC", "Pavel Savchuk"], when="2025-06-19", sidelines_of="SPIEF 2025"
    ).id
    changed = tracker.update_interaction(
        ident,
        languages=["French"],
        interpreter=True,
        attribution="off_record",
        their_delegation=["Pavel Savchuk"],
    )
    assert changed.languages == ["French"] and changed.interpreter
    assert changed.their_delegation == ["Pavel Savchuk"]
    assert changed.attribution is Attribution.OFF_RECORD
    moved = tracker.update_interaction(ident, meeting_format="video")
    assert moved.meeting_format is MeetingFormat.VIDEO and moved.sidelines_of is None
    cleared = tracker.update_interaction(ident, meeting_format="", languages=[])
    assert cleared.meeting_format is None and cleared.languages == []
    with pytest.raises(ValidationFailed, match="not a stakeholder of interaction"):
        tracker.update_interaction(ident, their_delegation=["MFA"])
    with pytest.raises((InvalidInput, ValidationFailed), match="sidelines"):
        tracker.update_interaction(ident, meeting_format="phone", sidelines_of="SPIEF")


def test_sidelines_of_needs_the_sidelines_format(tracker: Tracker) -> None:
    _people(tracker)
    with pytest.raises(InvalidInput, match="sidelines-of"):
        tracker.log_interaction(
            "x", with_=["RRC"], when="2025-06-19", meeting_format="phone", sidelines_of="SPIEF"
        )


def test_filters_in_search_history_and_stats(sample: Tracker) -> None:
    spief = sample.search("", sidelines_of="spief")
    assert {hit.interaction.title for hit in spief} == {
        "SPIEF: first engagement with Jewish and Buddhist communities",
        "SPIEF: meeting with BI.ZONE and sessions on AI",
    }
    multilateral = sample.search("", meeting_format="multilateral")
    assert {hit.interaction.title for hit in multilateral} == {
        "Martens Readings: regional IHL conference",
        "CSTO Working Group on Afghanistan",
    }
    assert [i.title for i in sample.history("BI.ZONE", sidelines_of="SPIEF 2025")] == [
        "SPIEF: meeting with BI.ZONE and sessions on AI"
    ]
    assert sample.history("BI.ZONE", meeting_format="bilateral") == []
    by_format = {row.group: row.interactions for row in sample.stats(by="format")}
    assert by_format["sidelines"] == 3 and by_format["multilateral"] == 2
    only = sample.stats(by="kind", meeting_format="sidelines")
    assert sum(row.interactions for row in only) == 3
    with pytest.raises(ValidationFailed, match="format"):
        sample.search("", meeting_format="roundtable")


def test_sample_director_visit_has_both_delegations(sample: Tracker) -> None:
    visit = sample.history("Pavel Savchuk")[0]
    assert visit.meeting_format is MeetingFormat.VISIT
    assert visit.staff == ["Yasmine Praz Dessimoz"]
    assert set(visit.their_delegation) == {"Tatiana Moskalkova", "Pavel Savchuk"}
    assert visit.interpreter and visit.languages == ["English", "Russian"]


# --- off-record notes never leave ------------------------------------------------------------


def test_off_record_notes_stay_out_of_calendars(tracker: Tracker) -> None:
    _people(tracker)
    _off_record(tracker)
    chatham = tracker.log_interaction(
        "Round table", with_=["RRC"], when="2025-09-12", summary="Frank views",
        attribution="chatham_house",
    )  # fmt: skip
    data = tracker.export_ics(include_confidential=True).data
    assert SECRET.encode() not in data and b"Agreed to talk again" not in data
    calendar = icalendar.Calendar.from_ical(data)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    dinner = events["Dinner with the MFA"]
    assert "off the record" in str(dinner["DESCRIPTION"])
    assert str(dinner["X-ENGAGEMENT-ATTRIBUTION"]) == "off_record"
    assert str(dinner["X-ENGAGEMENT-FORMAT"]) == "bilateral"
    round_table = str(events["Round table"]["DESCRIPTION"])
    assert "Chatham House" in round_table and "Frank views" in round_table
    # Importing our own calendar back neither erases the withheld notes nor the rule.
    tracker.import_ics(data)
    dinner_back = tracker.history("MFA")[0]
    assert dinner_back.summary == SECRET and dinner_back.attribution is Attribution.OFF_RECORD
    assert dinner_back.meeting_format is MeetingFormat.BILATERAL
    back = tracker.get_interaction(chatham.id)
    assert back.summary == "Frank views" and back.attribution is Attribution.CHATHAM_HOUSE


def test_off_record_notes_stay_out_of_csv_reports_and_capped_dumps(
    tracker: Tracker, tmp_path: Path
) -> None:
    _people(tracker)
    ident = _off_record(tracker)
    out = tracker.export_csv(tmp_path / "i.csv", kind="interactions")
    text = Path(out.path).read_text(encoding="utf-8-sig")
    assert SECRET not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["attribution"] == "off_record" and rows[0]["summary"] == ""
    assert rows[0]["meeting_format"] == "bilateral"
    # Importing the CSV back does not erase the notes the export withheld.
    tracker.import_csv(tmp_path / "i.csv", kind="interactions")
    assert tracker.get_interaction(ident).summary == SECRET
    from datetime import date

    report = tracker.activity_report(date(2025, 9, 1), date(2025, 9, 30), summaries=True)
    for fmt in ("md", "html"):
        rendered = tracker.render_report(report, fmt)
        assert isinstance(rendered, str) and SECRET not in rendered
    capped = tracker.dump_json(confidentiality_max="internal")
    assert SECRET.encode() not in capped
    full = json.loads(tracker.dump_json(confidentiality_max=None))
    assert full["interactions"][0]["summary"] == SECRET  # the backup keeps everything


def test_json_dump_round_trip_keeps_metadata_and_commitments(
    engine: str,
    sample: Tracker,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    first = sample.dump_json(confidentiality_max=None)
    folder = tmp_path_factory.mktemp("dump")
    path = folder / "all.json"
    path.write_bytes(first)
    with fresh_tracker(engine, templates, pg_server, folder) as target:
        report = target.import_json(path)
        assert report.commitments_added == 5
        again = target.dump_json(confidentiality_max=None)
        visit = target.history("Pavel Savchuk")[0]
        assert set(visit.their_delegation) == {"Tatiana Moskalkova", "Pavel Savchuk"}
        assert len(target.commitments(statuses=["open", "in_progress", "done", "dropped"])) == 5
    assert json.loads(again)["commitments"] == json.loads(first)["commitments"]
    assert again.replace(b"\r", b"") == first.replace(b"\r", b"")


# --- the command line ----------------------------------------------------------------------


def test_cli_log_show_history_with_metadata(db_url: str) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        _people(tracker)
    logged = run_json(
        db_url, "log", "Talk at SPIEF", "--with", "RRC", "--their-delegation", "Pavel Savchuk",
        "--when", "2025-06-19", "--sidelines-of", "SPIEF 2025", "--language", "Russian",
        "--language", "English", "--interpreter", "--attribution", "chatham_house",
        "--our-delegation", "Head of Delegation", "--notes", "Frank views",
    )  # fmt: skip
    assert logged["meeting_format"] == "sidelines" and logged["sidelines_of"] == "SPIEF 2025"
    assert logged["languages"] == ["Russian", "English"] and logged["interpreter"] is True
    assert logged["their_delegation"] == ["Pavel Savchuk"]
    assert logged["staff"] == ["Head of Delegation"]
    shown = run(db_url, "interaction", "show", str(logged["id"])).stdout
    assert "sidelines of SPIEF 2025" in shown and "Chatham House rule" in shown
    assert "Russian, English (with an interpreter)" in shown
    history = (
        CliRunner(env={"COLUMNS": "200"})
        .invoke(main, ["--db", db_url, "history", "RRC", "--format", "sidelines"])
        .stdout
    )
    assert "Talk at SPIEF" in history and "chatham house" in history
    assert "No interactions" in run(db_url, "history", "RRC", "--format", "phone").stdout
    found = run_json(db_url, "search", "--sidelines-of", "spief")
    assert [hit["title"] for hit in found] == ["Talk at SPIEF"]
    stats = run_json(db_url, "stats", "--by", "format")
    assert {row["group"]: row["interactions"] for row in stats} == {"sidelines": 1}
    edited = run_json(db_url, "interaction", "edit", str(logged["id"]), "--format", "video")
    assert edited["meeting_format"] == "video" and edited["sidelines_of"] is None
    bad = run(db_url, "log", "x", "--with", "RRC", "--when", "2025-06-19", "--format", "tea")
    assert bad.exit_code != 0 and bad.stderr.startswith("error:")
