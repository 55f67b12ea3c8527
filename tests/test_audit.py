"""The audit log on both engines: every insert, update and delete of user data is recorded by
the database's triggers with who, when and the row before and after; ``engagement audit``
filters it by stakeholder and day."""

from __future__ import annotations

import getpass
import json
from datetime import date, timedelta

from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.engine import make_url

from engagement.cli import main
from engagement.schemas.audit import AuditEntryRead
from engagement.tracker import Tracker


def _expected_actor(url: str) -> str:
    if url.startswith("sqlite"):
        return getpass.getuser()
    return str(make_url(url).username)


def _find(entries: list[AuditEntryRead], table: str, action: str) -> list[AuditEntryRead]:
    return [e for e in entries if e.table == table and e.action == action]


def test_inserts_updates_and_deletes_are_recorded_with_before_and_after(
    tracker: Tracker, db_url: str
) -> None:
    tracker.add_stakeholder("Ministry of Health", kind="ministry", aliases=["MoH"])
    tracker.add_stakeholder("Red Crescent", kind="national_society")
    meeting = tracker.log_interaction(
        "Vaccines",
        with_=["MoH", "Red Crescent"],
        when="2025-05-01",
        kind="meeting",
        tags=["health"],
        confidentiality="confidential",
    )
    tracker.update_interaction(
        meeting.id,
        title="Vaccine cold chain",
        tags=["cold chain"],
        remove_stakeholders=["Red Crescent"],
    )
    entries = tracker.audit_log(limit=None)
    assert entries == sorted(entries, key=lambda e: -e.id)
    assert {e.actor for e in entries} == {_expected_actor(db_url)}

    [created] = _find(entries, "interactions", "insert")
    assert created.before is None and created.after is not None
    assert created.after["title"] == "Vaccines"
    assert created.confidentiality == "confidential"
    [edited] = _find(entries, "interactions", "update")
    assert edited.before is not None and edited.after is not None
    assert (edited.before["title"], edited.after["title"]) == ("Vaccines", "Vaccine cold chain")
    assert "title" in edited.changed and "summary" not in edited.changed
    [untagged] = _find(entries, "interaction_tags", "delete")
    assert untagged.before == {"interaction_id": meeting.id, "tag": "health"}
    assert untagged.after is None and untagged.confidentiality == "confidential"
    [unlinked] = _find(entries, "interaction_stakeholders", "delete")
    red_crescent = tracker.get_stakeholder("Red Crescent")
    assert unlinked.before is not None and unlinked.before["stakeholder_id"] == red_crescent.id
    assert unlinked.stakeholder_id == red_crescent.id and unlinked.interaction_id == meeting.id
    # Contact statistics and version counters moved, but those are consequences, not changes.
    assert _find(entries, "stakeholders", "update") == []
    assert len(_find(entries, "stakeholders", "insert")) == 2


def test_a_cascade_delete_is_recorded_at_the_interactions_level(tracker: Tracker) -> None:
    tracker.add_stakeholder("Ministry of Health", kind="ministry")
    meeting = tracker.log_interaction(
        "Private",
        with_=["Ministry of Health"],
        when="2025-05-01",
        confidentiality="strictly_confidential",
        follow_ups=[{"text": "call back"}],
    )
    with tracker.db.connect_write() as connection:
        connection.execute(text("DELETE FROM interactions WHERE id = :id"), {"id": meeting.id})
    entries = [e for e in tracker.audit_log(limit=None) if e.action == "delete"]
    tables = {e.table for e in entries}
    assert {"interactions", "interaction_stakeholders", "follow_ups"} <= tables
    assert {e.confidentiality for e in entries} == {"strictly_confidential"}
    [gone] = [e for e in entries if e.table == "interactions"]
    assert gone.before is not None and gone.before["title"] == "Private"


def test_audit_command_filters_by_stakeholder_and_day(tracker: Tracker, db_url: str) -> None:
    tracker.add_stakeholder("Ministry of Health", kind="ministry", aliases=["MoH"])
    tracker.add_stakeholder("Ministry of Justice", kind="ministry")
    health = tracker.log_interaction("Vaccines", with_=["MoH"], when="2025-05-01")
    tracker.log_interaction("Prisons", with_=["Ministry of Justice"], when="2025-05-02")
    tracker.update_stakeholder("Ministry of Justice", notes="new minister")
    tracker.add_follow_up(health.id, "send figures")

    def run(*args: str) -> tuple[int, str]:
        result = CliRunner().invoke(main, ["--db", db_url, "audit", *args])
        return result.exit_code, result.output

    code, output = run("--stakeholder", "MoH", "--json")
    assert code == 0
    records = json.loads(output)
    assert {r["table"] for r in records} == {
        "stakeholders",
        "stakeholder_aliases",
        "interactions",
        "interaction_stakeholders",
        "follow_ups",
    }
    assert "Prisons" not in output and "new minister" not in output
    assert all(r["actor"] == _expected_actor(db_url) for r in records)

    code, output = run("--stakeholder", "Ministry of Justice")
    assert code == 0
    assert "notes: '' → 'new minister'" in output and "Vaccines" not in output

    code, output = run("--limit", "2", "--json")
    assert code == 0 and len(json.loads(output)) == 2
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    code, output = run("--since", tomorrow)
    assert code == 0 and "No recorded changes." in output
    code, output = run("--since", (date.today() - timedelta(days=1)).isoformat(), "--json")
    assert code == 0 and len(json.loads(output)) == len(tracker.audit_log(limit=None))
    code, output = run("--stakeholder", "Nobody at all")
    assert code == 1 and output.startswith("error: ")


def test_clearances_need_postgresql(tracker: Tracker, db_url: str) -> None:
    result = CliRunner().invoke(main, ["--db", db_url, "clearance", "list"])
    if db_url.startswith("sqlite"):
        assert result.exit_code == 1
        assert "clearances apply to PostgreSQL databases" in result.output
    else:
        assert result.exit_code == 0
        assert "No role has a clearance" in result.output
    result = CliRunner().invoke(main, ["--db", db_url, "clearance", "set", "x", "top_secret"])
    assert result.exit_code == 2 and "'top_secret' is not one of" in result.output


def test_a_change_by_another_program_is_recorded_and_not_misattributed(
    tracker: Tracker, db_url: str
) -> None:
    tracker.add_stakeholder("Ministry of Health", kind="ministry")
    statement = (
        "UPDATE stakeholders SET notes = 'edited by hand' WHERE name_key = 'ministry of health'"
    )
    if db_url.startswith("sqlite"):
        import sqlite3

        raw = sqlite3.connect(str(make_url(db_url).database))
        with raw:
            raw.execute(statement)
        raw.close()
        expected = "unknown"
    else:
        from sqlalchemy import create_engine

        engine = create_engine(db_url)
        with engine.begin() as connection:
            connection.execute(text(statement))
        engine.dispose()
        expected = _expected_actor(db_url)
    tracker.add_alias("Ministry of Health", "MoH")  # engagement's next write stamps only its own
    entries = tracker.audit_log(stakeholder="MoH")
    by_table = {e.table: e for e in reversed(entries)}  # the newest of each table
    edited = by_table["stakeholders"]
    assert edited.action == "update" and edited.after is not None
    assert edited.after["notes"] == "edited by hand" and edited.actor == expected
    assert by_table["stakeholder_aliases"].actor == _expected_actor(db_url)
