"""The commitments ledger: recording promises both ways, moving them along, listing them
(overdue first), the command line contract, and merges that keep them — on both engines."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner, Result

from engagement.cli import main
from engagement.errors import CommitmentNotFound, InteractionNotFound, InvalidInput
from engagement.tracker import Tracker
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy
from tests.conftest import fixed_clock

LEGAL = "sample-2025-05-rrc-law-legal-expertise"


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def run_json(url: str, *args: str) -> Any:
    result = run(url, *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _rrc_meeting(tracker: Tracker, **fields: Any) -> int:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society", aliases=["RRC"])
    tracker.add_stakeholder("Pavel Savchuk", kind="person")
    return tracker.log_interaction(
        "Draft law on the RRC", with_=["RRC", "Pavel Savchuk"], when="2025-06-10", **fields
    ).id


def test_a_commitment_from_an_interaction_inherits_its_people_and_confidentiality(
    tracker: Tracker,
) -> None:
    meeting = _rrc_meeting(tracker, confidentiality="confidential")
    item = tracker.add_commitment(
        "Send the legal analysis", owed_by="us", interaction_id=meeting, due="2025-08-31"
    )
    assert item.stakeholders == ["Russian Red Cross", "Pavel Savchuk"]
    assert item.confidentiality is Confidentiality.CONFIDENTIAL
    assert item.made_on == date(2025, 6, 10)
    assert item.status is CommitmentStatus.OPEN
    assert item.interaction_title == "Draft law on the RRC"
    assert item.overdue  # the fixed clock is 1 September 2025
    own = tracker.add_commitment(
        "Reply on a family-reunification request",
        owed_by="them",
        stakeholders=["RRC"],
        confidentiality="public",
    )
    assert own.stakeholders == ["Russian Red Cross"]
    assert own.confidentiality is Confidentiality.PUBLIC
    assert own.made_on == date(2025, 9, 1)  # typed in today, from no interaction
    assert own.interaction_id is None and not own.overdue


def test_statuses_move_and_the_closing_day_is_kept(tracker: Tracker) -> None:
    _rrc_meeting(tracker)
    item = tracker.add_commitment("Analysis", owed_by="us", stakeholders=["RRC"], due="2025-09-10")
    assert tracker.set_commitment_status(item.id, "in_progress").closed_on is None
    done = tracker.set_commitment_status(item.id, "done")
    assert done.status is CommitmentStatus.DONE and done.closed_on == date(2025, 9, 1)
    assert done.version == 3
    reopened = tracker.set_commitment_status(item.id, "open")
    assert reopened.closed_on is None and reopened.status.is_open
    with pytest.raises(CommitmentNotFound):
        tracker.set_commitment_status(999, "done")


def test_listing_filters_and_puts_overdue_first(tracker: Tracker) -> None:
    _rrc_meeting(tracker)
    tracker.add_stakeholder("State Duma", kind="parliament")
    later = tracker.add_commitment("Later", owed_by="us", stakeholders=["RRC"], due="2025-12-01")
    undated = tracker.add_commitment("Undated", owed_by="them", stakeholders=["RRC"])
    late = tracker.add_commitment("Late", owed_by="them", stakeholders=["RRC"], due="2025-08-01")
    duma = tracker.add_commitment(
        "Duma", owed_by="us", stakeholders=["State Duma"], due="2025-07-01"
    )
    kept = tracker.add_commitment("Kept", owed_by="us", stakeholders=["RRC"], due="2025-06-01")
    tracker.set_commitment_status(kept.id, "done")
    assert [c.id for c in tracker.commitments()] == [duma.id, late.id, later.id, undated.id]
    assert [c.id for c in tracker.commitments(overdue=True)] == [duma.id, late.id]
    assert [c.id for c in tracker.commitments(owed_by=OwedBy.THEM)] == [late.id, undated.id]
    assert [c.id for c in tracker.commitments(stakeholder="State Duma")] == [duma.id]
    everything = tracker.commitments(statuses=list(CommitmentStatus))
    assert kept.id in {c.id for c in everything} and len(everything) == 5


def test_bad_input_is_refused_and_nothing_is_written(tracker: Tracker) -> None:
    _rrc_meeting(tracker)
    with pytest.raises(InvalidInput, match="stakeholder: is required"):
        tracker.add_commitment("Nobody", owed_by="us")
    with pytest.raises(InvalidInput, match="owed_by"):
        tracker.add_commitment("Who?", owed_by="them all", stakeholders=["RRC"])
    with pytest.raises(InteractionNotFound):
        tracker.add_commitment("Ghost", owed_by="us", interaction_id=404)
    assert tracker.commitments(statuses=list(CommitmentStatus)) == []


def test_merging_a_stakeholder_moves_its_commitments_and_unmerge_restores_them(
    tracker: Tracker,
) -> None:
    _rrc_meeting(tracker)
    tracker.add_stakeholder("Russian Red Cross Society", kind="national_society")
    both = tracker.add_commitment(
        "Both", owed_by="us", stakeholders=["RRC", "Russian Red Cross Society"]
    )
    dup = tracker.add_commitment("Dup", owed_by="us", stakeholders=["Russian Red Cross Society"])
    tracker.merge_stakeholders("Russian Red Cross", "Russian Red Cross Society")
    assert tracker.get_commitment(dup.id).stakeholders == ["Russian Red Cross"]
    assert tracker.get_commitment(both.id).stakeholders == ["Russian Red Cross"]
    tracker.unmerge_stakeholder("Russian Red Cross Society")
    assert tracker.get_commitment(dup.id).stakeholders == ["Russian Red Cross Society"]
    assert set(tracker.get_commitment(both.id).stakeholders) == {
        "Russian Red Cross",
        "Russian Red Cross Society",
    }


def test_sample_commitments_both_ways(sample: Tracker) -> None:
    rrc = sample.commitments(stakeholder="Russian Red Cross", statuses=list(CommitmentStatus))
    by_text = {item.text: item for item in rrc}
    analysis = by_text["Send the ICRC legal analysis of the draft law on the Russian Red Cross"]
    assert analysis.owed_by is OwedBy.US and analysis.status is CommitmentStatus.DONE
    assert analysis.interaction_title is not None and "draft law" in analysis.interaction_title
    reply = by_text["Reply on the family-reunification request passed on by the ICRC"]
    assert reply.owed_by is OwedBy.THEM and reply.status is CommitmentStatus.OPEN
    overdue = sample.commitments(overdue=True)
    assert [item.due for item in overdue] == [date(2025, 8, 31)]
    assert sample.load_sample().commitments_added == 0  # loading again duplicates nothing


# --- the command line ----------------------------------------------------------------------


def test_cli_add_list_done(db_url: str) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        meeting = _rrc_meeting(tracker)
    added = run(
        db_url,
        "commitment",
        "add",
        "Send the legal analysis of the draft Red Cross law",
        "--owed-by",
        "us",
        "--stakeholder",
        "RRC",
        "--owner",
        "Legal adviser",
        "--due",
        "2030-08-31",
        "--from-interaction",
        str(meeting),
    )
    assert added.exit_code == 0, added.stderr
    ident = int(added.stdout.strip())
    theirs = run(
        db_url, "commitment", "add", "Reply on the request", "--owed-by", "them",
        "--stakeholder", "Pavel Savchuk", "--due", "2020-01-01",
    )  # fmt: skip
    assert theirs.exit_code == 0, theirs.stderr
    listed = run_json(db_url, "commitments")
    assert [item["text"] for item in listed] == [
        "Reply on the request",
        "Send the legal analysis of the draft Red Cross law",
    ]
    assert listed[0]["overdue"] is True and listed[0]["owed_by"] == "them"
    assert {
        "id", "text", "owed_by", "owner", "due", "status", "stakeholders", "interaction_id",
        "confidentiality", "made_on", "closed_on", "overdue",
    } <= set(listed[1])  # fmt: skip
    assert [i["text"] for i in run_json(db_url, "commitments", "--owed-by", "us")] == [
        "Send the legal analysis of the draft Red Cross law"
    ]
    assert len(run_json(db_url, "commitments", "--overdue")) == 1
    assert len(run_json(db_url, "commitments", "--stakeholder", "Pavel Savchuk")) == 1
    table = run(db_url, "commitments")
    assert "OVERDUE" in table.stdout and "2 commitment(s)" in table.stdout
    done = run(db_url, "commitment", "done", str(ident))
    assert done.exit_code == 0 and "done" in done.stdout
    assert run(db_url, "commitment", "start", str(ident)).exit_code == 0
    assert run(db_url, "commitment", "drop", str(ident)).exit_code == 0
    shown = run_json(db_url, "commitment", "show", str(ident))
    assert shown["status"] == "dropped"
    assert [i["status"] for i in run_json(db_url, "commitments", "--all")] == ["open", "dropped"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["commitment", "add", "x", "--owed-by", "nobody", "--stakeholder", "RRC"], "--owed-by"),
        (["commitment", "add", "x", "--owed-by", "us"], "stakeholder: is required"),
        (["commitment", "add", "x", "--owed-by", "us", "--stakeholder", "Nobody"], "Nobody"),
        (["commitment", "add", "x", "--owed-by", "us", "--stakeholder", "RRC", "--due", "soon"],
         "due"),
        (["commitment", "done", "77"], "no commitment has id 77"),
    ],
)  # fmt: skip
def test_cli_bad_input_is_one_error_line(db_url: str, args: list[str], message: str) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        _rrc_meeting(tracker)
    result = run(db_url, *args)
    assert result.exit_code != 0
    assert result.stderr.startswith("error:") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert run_json(db_url, "commitments", "--all") == []
