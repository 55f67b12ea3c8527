"""The links' copies of their interaction (days, status, kind, confidentiality; migration 0009)
stay right whoever writes — the services, merges, posts, imports, raw bulk inserts — because the
database keeps them, on both engines; and keeping them adds nothing to the audit trail."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from engagement.link_copies import COPIED, DERIVED
from engagement.tracker import Tracker


def _links(tracker: Tracker) -> dict[tuple[int, int], tuple[Any, ...]]:
    """Every link's copies, by (interaction, stakeholder)."""
    columns = ", ".join(COPIED)
    with tracker.db.engine.connect() as connection:
        rows = connection.execute(
            text(f"SELECT interaction_id, stakeholder_id, {columns} FROM interaction_stakeholders")
        ).all()
    return {(row[0], row[1]): tuple(_plain(value) for value in row[2:]) for row in rows}


def _interactions(tracker: Tracker) -> dict[int, tuple[Any, ...]]:
    columns = ", ".join(COPIED)
    with tracker.db.engine.connect() as connection:
        rows = connection.execute(text(f"SELECT id, {columns} FROM interactions")).all()
    return {row[0]: tuple(_plain(value) for value in row[1:]) for row in rows}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def assert_copies_right(tracker: Tracker) -> dict[tuple[int, int], tuple[Any, ...]]:
    links = _links(tracker)
    interactions = _interactions(tracker)
    assert links, "no links to check"
    for (interaction_id, _), copies in links.items():
        assert copies == interactions[interaction_id]
        assert None not in copies
    return links


def _setup(tracker: Tracker) -> int:
    tracker.add_stakeholder("Ministry of Health", kind="ministry", aliases=["MoH"])
    tracker.add_stakeholder("Red Crescent", kind="national_society")
    tracker.add_stakeholder("Tatiana Example", kind="person")
    meeting = tracker.log_interaction(
        "Vaccines", with_=["MoH", "Red Crescent"], when="2025-05-01", kind="meeting"
    )
    return meeting.id


def test_logged_and_updated_interactions_carry_their_values_on_every_link(
    tracker: Tracker,
) -> None:
    meeting = _setup(tracker)
    links = assert_copies_right(tracker)
    assert set(links.values()) == {("2025-05-01", "2025-05-01", "held", "meeting", "internal")}
    tracker.update_interaction(
        meeting,
        when="June 30 to July 8 2025",
        kind="visit",
        status="planned",
        confidentiality="confidential",
        add_stakeholders=["Tatiana Example"],
    )
    links = assert_copies_right(tracker)
    assert len(links) == 3
    assert set(links.values()) == {("2025-06-30", "2025-07-08", "planned", "visit", "confidential")}
    tracker.cancel_interaction(meeting)
    assert {copies[2] for copies in assert_copies_right(tracker).values()} == {"cancelled"}


def test_raw_writes_are_corrected_by_the_database(tracker: Tracker) -> None:
    """A writer that forgets the copies, or writes wrong ones, cannot leave them wrong."""
    meeting = _setup(tracker)
    with tracker.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE interaction_stakeholders SET last_on = '2000-01-01', kind = 'call'")
        )
        connection.execute(
            text(
                "UPDATE interactions SET last_on = '2025-05-03', status = 'planned' WHERE id = :i"
            ),
            {"i": meeting},
        )
        person = connection.execute(
            text("SELECT id FROM stakeholders WHERE name = 'Tatiana Example'")
        ).scalar_one()
        connection.execute(
            text(
                "INSERT INTO interaction_stakeholders (interaction_id, stakeholder_id, role, "
                "position, start_on, delegate) VALUES (:i, :s, 'participant', 5, '1999-01-01', "
                "false)"
            ),
            {"i": meeting, "s": person},
        )
    links = assert_copies_right(tracker)
    assert set(links.values()) == {("2025-05-01", "2025-05-03", "planned", "meeting", "internal")}


def test_merges_and_unmerges_keep_the_copies(tracker: Tracker) -> None:
    _setup(tracker)
    tracker.add_stakeholder("Red Crescent Society", kind="national_society")
    tracker.log_interaction(
        "Stocks", with_=["Red Crescent Society"], when="2025-03", kind="operation"
    )
    tracker.log_interaction(
        "Both", with_=["Red Crescent Society", "Red Crescent"], when="2025-04-02", kind="call"
    )
    tracker.merge_stakeholders("Red Crescent", "Red Crescent Society")
    links = assert_copies_right(tracker)
    assert ("2025-03-01", "2025-03-31", "held", "operation", "internal") in links.values()
    tracker.unmerge_stakeholder("Red Crescent Society")
    assert len(assert_copies_right(tracker)) == 5


def test_links_added_by_posts_follow_the_interaction(tracker: Tracker) -> None:
    tracker.add_stakeholder("Embassy of Switzerland", kind="embassy", country="CH")
    tracker.add_stakeholder("Hans Alpha", kind="person")
    tracker.add_stakeholder("Greta Beta", kind="person")
    tracker.add_post("Swiss Ambassador", org="Embassy of Switzerland")
    call = tracker.log_interaction("Call", with_=["Swiss Ambassador"], when="2022-02-02")
    tracker.assign_post("Swiss Ambassador", "Hans Alpha", start="2019-09", end="2022-12")
    tracker.assign_post("Swiss Ambassador", "Greta Beta", start="2023-01")
    assert tracker.get_interaction(call.id).stakeholders == ["Swiss Ambassador", "Hans Alpha"]
    assert_copies_right(tracker)
    tracker.update_interaction(call.id, when="2024-05-06", kind="meeting")
    assert tracker.get_interaction(call.id).stakeholders == ["Swiss Ambassador", "Greta Beta"]
    links = assert_copies_right(tracker)
    assert set(links.values()) == {("2024-05-06", "2024-05-06", "held", "meeting", "internal")}


def test_imports_fill_the_copies(tracker: Tracker, tmp_path: Path) -> None:
    with Tracker(f"sqlite:///{tmp_path / 'source.db'}") as source:
        _setup(source)
        source.log_interaction(
            "Secret", with_=["MoH"], when="2025-02", kind="call", confidentiality="confidential"
        )
        dump = tmp_path / "all.json"
        source.export_json(dump, confidentiality_max=None)
    tracker.import_json(dump)
    links = assert_copies_right(tracker)
    assert ("2025-02-01", "2025-02-28", "held", "call", "confidential") in links.values()
    (tmp_path / "log.csv").write_text(
        "title,when,with,kind\nCall,16 May 2025,MoH,call\nVisit,2025-06,Red Crescent,visit\n",
        encoding="utf-8",
    )
    tracker.import_csv(tmp_path / "log.csv", kind="interactions")
    links = assert_copies_right(tracker)
    assert len(links) == 5
    assert ("2025-06-01", "2025-06-30", "held", "visit", "internal") in links.values()


def test_bench_generate_raw_inserts_get_the_copies(tracker: Tracker) -> None:
    tracker.generate_bench_data(stakeholders=60, interactions=300, seed=3)
    assert len(assert_copies_right(tracker)) >= 300


def test_keeping_the_copies_adds_nothing_to_the_audit_trail(tracker: Tracker) -> None:
    meeting = _setup(tracker)
    before = {entry.id for entry in tracker.audit_log(limit=None)}
    tracker.update_interaction(meeting, when="2025-05-02", kind="call", status="planned")
    new = [entry for entry in tracker.audit_log(limit=None) if entry.id not in before]
    assert [(entry.table, entry.action) for entry in new] == [("interactions", "update")]
    links = [e for e in tracker.audit_log(limit=None) if e.table == "interaction_stakeholders"]
    assert links and all(
        not set(DERIVED) & set(entry.after or {}) and not set(DERIVED) & set(entry.before or {})
        for entry in links
    )


def test_a_bulk_loader_may_suspend_the_triggers_and_they_come_back(tracker: Tracker) -> None:
    from engagement import link_copies

    meeting = _setup(tracker)
    with tracker.db.engine.begin() as connection, link_copies.suspended(connection):
        connection.execute(
            text("UPDATE interactions SET kind = 'call' WHERE id = :i"), {"i": meeting}
        )
    assert {copies[3] for copies in _links(tracker).values()} == {"meeting"}
    with tracker.db.engine.begin() as connection:
        connection.execute(
            text("UPDATE interactions SET kind = 'visit' WHERE id = :i"), {"i": meeting}
        )
    assert {copies[3] for copies in assert_copies_right(tracker).values()} == {"visit"}
