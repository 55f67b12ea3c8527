"""The logical JSON dump: complete, exact, capped by confidentiality, and all-or-nothing."""

from __future__ import annotations

import getpass
import json
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from sqlalchemy import inspect

from engagement.errors import TargetNotEmpty, TransferFileRejected
from engagement.models import Base
from engagement.tracker import Tracker
from engagement.transfer.load import KEPT_BY_RESTORE
from tests.conftest import ENGINES, PgServer
from tests.test_transfer_support import DB_SETTINGS, Templates, datasets, fill, fresh_tracker

# Columns a dump leaves out on purpose: rebuilt on import from what it carries.
DERIVED = {
    "stakeholders": {
        "name_key", "first_contact_on", "last_contact_on", "interaction_count", "ongoing",
    },
    "stakeholder_aliases": {"id", "stakeholder_id", "alias_key"},
    "stakeholder_tags": {"stakeholder_id"},
    "interactions": {"start_on", "end_on", "last_on", "start_at", "end_at"},
    "interaction_stakeholders": {
        "interaction_id", "position", "start_on", "last_on", "status", "kind", "confidentiality",
    },
    "interaction_tags": {"interaction_id"},
    "interaction_staff": {"interaction_id", "position"},
    "follow_ups": {"interaction_id"},
    "interaction_languages": {"interaction_id", "position"},
    "commitment_stakeholders": {"commitment_id", "position"},
    "stakeholder_merges": {"dropped_key"},
}  # fmt: skip
# Search structures, rebuilt on import (pending_documents: rewrites queued on PostgreSQL).
SEARCH_TABLES = {
    "stakeholder_keys",
    "stakeholder_tokens",
    "interaction_documents",
    "pending_documents",
}
RENAMED = {
    "start_on": "start",
    "end_on": "end",
    "due_on": "due",
    "alias": "aliases",
    "tag": "tags",
}


def _write(tracker: Tracker, path: Path, **options: object) -> bytes:
    tracker.export_json(path, **options)  # type: ignore[arg-type]
    return path.read_bytes()


def test_a_dump_carries_every_column_of_every_table(sample: Tracker, tmp_path: Path) -> None:
    """A column added to the models must be added to the dump (or declared derived here)."""
    sample.merge_stakeholders("Russian Red Cross", "Russian Red Cross Kursk Regional Branch")
    dump = json.loads(_write(sample, tmp_path / "all.json", confidentiality_max=None))
    stakeholder, interaction = dump["stakeholders"][0], dump["interactions"][0]
    follow_up = next(i["follow_ups"][0] for i in dump["interactions"] if i["follow_ups"])
    carried = {
        "stakeholders": set(stakeholder),
        "stakeholder_aliases": set(stakeholder),
        "stakeholder_tags": set(stakeholder),
        "affiliations": set(dump["affiliations"][0]),
        "post_tenures": set(dump["tenures"][0]),
        "interactions": set(interaction) | {"precision", "timezone"},
        "interaction_stakeholders": set(interaction["participants"][0]),
        "interaction_tags": set(interaction),
        "interaction_staff": {"name"},
        "follow_ups": set(follow_up),
        "interaction_languages": {"language"},
        "commitments": set(dump["commitments"][0]),
        "commitment_stakeholders": {"stakeholder_id"},
        "stakeholder_merges": set(dump["merges"][0]),
    }
    for table in Base.metadata.sorted_tables:
        if table.name in SEARCH_TABLES | KEPT_BY_RESTORE:
            continue
        wanted = {RENAMED.get(c.name, c.name) for c in table.columns} - {
            RENAMED.get(c, c) for c in DERIVED.get(table.name, set())
        }
        assert wanted <= carried[table.name], (table.name, wanted - carried[table.name])


@pytest.mark.parametrize("engine", ENGINES)
def test_export_import_export_of_the_sample_is_byte_identical(
    engine: str,
    sample: Tracker,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("round")
    sample.merge_stakeholders("Russian Red Cross", "Russian Red Cross Kursk Regional Branch")
    first = _write(sample, folder / "first.json", confidentiality_max=None)
    with fresh_tracker(engine, templates, pg_server, folder) as target:
        report = target.import_json(folder / "first.json")
        assert report.mode == "empty" and report.merges_added == 1
        assert _write(target, folder / "second.json", confidentiality_max=None) == first
        # Ids are kept, and new rows still get fresh ids (PostgreSQL sequences moved on).
        assert target.get_stakeholder("#1").name == sample.get_stakeholder("#1").name
        added = target.add_stakeholder("Brand new ministry", kind="ministry")
        assert added.id > max(s["id"] for s in json.loads(first)["stakeholders"])
        assert [h.interaction.title for h in target.search("vouchers")] == [
            h.interaction.title for h in sample.search("vouchers")
        ]
        assert target.unmerge_stakeholder("Russian Red Cross Kursk Regional Branch").restored_id


def test_rows_inserted_in_small_batches_still_respect_every_reference(
    engine: str,
    sample: Tracker,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The loader queues rows and inserts them per table; a batch boundary falling anywhere
    (here every three rows) must never insert a child before its parent."""
    from engagement.transfer import load_rows

    monkeypatch.setattr(load_rows, "_FLUSH_ROWS", 3)
    folder = tmp_path_factory.mktemp("batches")
    first = _write(sample, folder / "first.json", confidentiality_max=None)
    with fresh_tracker(engine, templates, pg_server, folder) as target:
        target.import_json(folder / "first.json")
        assert _write(target, folder / "second.json", confidentiality_max=None) == first


@pytest.mark.parametrize("engine", ENGINES)
@DB_SETTINGS
@given(data=datasets())
def test_round_trip_keeps_any_text_exactly(
    engine: str,
    data: dict[str, list[dict[str, object]]],
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("hypothesis")
    with (
        fresh_tracker(engine, templates, pg_server, folder) as source,
        fresh_tracker(engine, templates, pg_server, folder) as target,
    ):
        fill(source, data)
        first = source.dump_json(confidentiality_max=None)
        (folder / "dump.json").write_bytes(first)
        target.import_json(folder / "dump.json")
        assert target.dump_json(confidentiality_max=None) == first
        dumped = json.loads(first)
        assert [s["notes"] for s in dumped["stakeholders"]] == [
            target.get_stakeholder(f"#{s['id']}").notes for s in dumped["stakeholders"]
        ]


def test_exports_are_capped_at_internal_unless_asked(sample: Tracker, tmp_path: Path) -> None:
    secret = sample.log_interaction(
        "Confidential talk", with_=["Russian Red Cross"], when="2025-08-01",
        confidentiality="strictly_confidential", summary="do not share",
        follow_ups=[{"text": "secret follow-up"}],
    )  # fmt: skip
    capped = json.loads(_write(sample, tmp_path / "capped.json"))
    assert capped["confidentiality_max"] == "internal"
    levels = {i["confidentiality"] for i in capped["interactions"]}
    assert levels <= {"public", "internal"}
    assert secret.uid not in {i["uid"] for i in capped["interactions"]}
    assert "do not share" not in (tmp_path / "capped.json").read_text(encoding="utf-8")
    assert capped["withheld_interactions"] >= 1 and capped["merges"] == []
    public = json.loads(_write(sample, tmp_path / "p.json", confidentiality_max="public"))
    assert {i["confidentiality"] for i in public["interactions"]} == {"public"}
    full = json.loads(_write(sample, tmp_path / "full.json", confidentiality_max=None))
    assert secret.uid in {i["uid"] for i in full["interactions"]}
    assert full["confidentiality_max"] is None and full["withheld_interactions"] == 0
    for name in ("capped.json", "p.json", "full.json"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600


def test_importing_into_a_database_with_data_is_refused_unless_merging(
    sample: Tracker, tmp_path: Path
) -> None:
    path = tmp_path / "dump.json"
    _write(sample, path, confidentiality_max=None)
    before = sample.dump_json(confidentiality_max=None)
    with pytest.raises(TargetNotEmpty, match="--merge"):
        sample.import_json(path)
    assert sample.dump_json(confidentiality_max=None) == before
    report = sample.import_json(path, merge=True)
    assert report.stakeholders_added == 0 and report.interactions_added == 0
    assert report.stakeholders_existing == len(json.loads(before)["stakeholders"])
    assert sample.dump_json(confidentiality_max=None) == before


def test_merging_adds_what_is_missing_and_changes_nothing_else(
    tracker: Tracker, tmp_path: Path
) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society", notes="ours")
    source = Tracker(f"sqlite:///{tmp_path / 'other.db'}")
    source.add_stakeholder("Russian Red Cross", kind="national_society", notes="theirs")
    source.add_stakeholder("Belarus Red Cross", kind="national_society", country="BY")
    source.log_interaction(
        "Joint call", with_=["Russian Red Cross", "Belarus Red Cross"], when="2025-06-01"
    )
    source.export_json(tmp_path / "other.json", confidentiality_max=None)
    source.close()
    dry = tracker.import_json(tmp_path / "other.json", merge=True, dry_run=True)
    assert dry.dry_run and dry.stakeholders_added == 1 and dry.interactions_added == 1
    assert [s.name for s in tracker.list_stakeholders()] == ["Russian Red Cross"]
    report = tracker.import_json(tmp_path / "other.json", merge=True)
    assert (report.stakeholders_added, report.stakeholders_existing) == (1, 1)
    assert tracker.get_stakeholder("Russian Red Cross").notes == "ours"
    assert tracker.get_stakeholder("Russian Red Cross").interaction_count == 1
    assert [i.title for i in tracker.history("Belarus Red Cross")] == ["Joint call"]
    again = tracker.import_json(tmp_path / "other.json", merge=True)
    assert again.interactions_added == 0 and again.interactions_existing == 1


def _dump_with(tmp_path: Path, **changes: object) -> Path:
    document: dict[str, object] = {
        "format": "engagement-dump", "version": 1, "schema": "0007",
        "exported_at": "2025-09-01T07:00:00+00:00", "confidentiality_max": None,
        "stakeholders": [{
            "id": 1, "name": "Ministry", "kind": "ministry",
            "created_at": "2025-01-01T00:00:00+00:00", "updated_at": "2025-01-01T00:00:00+00:00",
        }],
        "interactions": [{
            "id": 1, "uid": "u-1", "title": "Talk", "kind": "meeting", "status": "held",
            "precision": "day", "start": "2025-05-16", "confidentiality": "internal",
            "participants": [{"stakeholder_id": 1}],
            "created_at": "2025-01-01T00:00:00+00:00", "updated_at": "2025-01-01T00:00:00+00:00",
        }],
    }  # fmt: skip
    for path, value in changes.items():
        section, index, field = path.split("__")
        document[section][int(index)][field] = value  # type: ignore[index]
    target = tmp_path / "dump.json"
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stakeholders__0__kind": "alien"}, r"stakeholders\[0\]\.kind"),
        ({"interactions__0__start": "2025-13-40"}, r"interactions\[0\].*start '2025-13-40'"),
        (
            {"interactions__0__participants": [{"stakeholder_id": 9}]},
            r"interactions\[0\]\.participants\[0\]\.stakeholder_id: no stakeholder has id 9",
        ),
        ({"stakeholders__0__parent_id": 5}, r"stakeholders\[0\]\.parent_id"),
        ({"interactions__0__recurrence": "EVERY DAY"}, r"interactions\[0\]\.recurrence"),
    ],
)
def test_a_bad_dump_is_refused_with_the_place_of_the_problem(
    tracker: Tracker, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(TransferFileRejected, match=message):
        tracker.import_json(_dump_with(tmp_path, **changes))
    assert tracker.list_stakeholders() == []


def test_a_good_hand_written_dump_loads(tracker: Tracker, tmp_path: Path) -> None:
    tracker.import_json(_dump_with(tmp_path))
    assert [i.title for i in tracker.history("Ministry")] == ["Talk"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "not valid JSON"),
        (b'{"format": "something else"}', "not an engagement-dump"),
        (b'{"format": "engagement-dump", "version": 2}', "version 2"),
        (b'{"format": "engagement-dump", "version": 1, "schema": "9999"}', "does not know"),
        (b"\xff\xfe", "not UTF-8"),
    ],
)
def test_files_that_are_not_dumps_are_refused(
    tracker: Tracker, tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "x.json").write_bytes(content)
    with pytest.raises(TransferFileRejected, match=message):
        tracker.import_json(tmp_path / "x.json")


def test_a_failure_half_way_leaves_the_database_untouched(
    sample: Tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dump.json"
    _write(sample, path, confidentiality_max=None)
    target = Tracker(f"sqlite:///{tmp_path / 'target.db'}")
    from engagement.transfer import load

    def broken(*_args: object, **_options: object) -> None:
        raise RuntimeError("disk on fire")

    # After every row is written, with the audit triggers suspended for the load.
    monkeypatch.setattr(load, "refresh_contacts", broken)
    with pytest.raises(RuntimeError):
        target.import_json(path)
    with target.db.engine.connect() as connection:
        assert "stakeholders" in inspect(connection).get_table_names()
        triggers = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        ).scalar()
        assert triggers, "the suspended audit triggers came back with the rollback"
    assert target.list_stakeholders(include_archived=True) == []
    target.close()


def _search_rows(tracker: Tracker) -> dict[str, set[tuple[object, ...]]]:
    """The search tables, each document as its sorted words (the order of its parts is not
    part of what it means)."""
    with tracker.db.engine.connect() as connection:
        documents = {
            (row[0], tuple(sorted(row[1].split())))
            for row in connection.exec_driver_sql(
                "SELECT interaction_id, document FROM interaction_documents"
            )
        }
        keys = set(connection.exec_driver_sql("SELECT * FROM stakeholder_keys").all())
        tokens = set(connection.exec_driver_sql("SELECT * FROM stakeholder_tokens").all())
    return {"documents": documents, "keys": keys, "tokens": tokens}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_load_builds_the_search_tables_the_services_would_and_audits_as_documented(
    engine: str,
    sample: Tracker,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The loader builds keys, tokens and documents from the dump in memory; they equal what
    the service code rebuilds from the stored rows. A load into an empty SQLite file leaves one
    summary audit entry (a restore is not a change); on PostgreSQL every row is audited."""
    from engagement.services import search_index

    folder = tmp_path_factory.mktemp("search")
    _write(sample, folder / "all.json", confidentiality_max=None)
    dump = json.loads((folder / "all.json").read_bytes())
    with fresh_tracker(engine, templates, pg_server, folder) as target:
        report = target.import_json(folder / "all.json")
        loaded = _search_rows(target)
        assert loaded["documents"] and loaded["keys"] and loaded["tokens"]
        target.db.write(lambda session: search_index.rebuild_all(session.connection()))
        assert _search_rows(target) == loaded
        entries = target.audit_log(limit=None)
        if engine == "sqlite":
            [entry] = entries
            assert (entry.action, entry.table) == ("insert", "import")
            assert entry.row_id == str(folder / "all.json")
            assert entry.actor == getpass.getuser()
            assert entry.after is not None and entry.after["mode"] == "empty"
            assert entry.after["stakeholders_added"] == report.stakeholders_added > 0
            assert entry.after["interactions_added"] == len(dump["interactions"])
        else:
            inserted = [e for e in entries if e.table == "stakeholders" and e.action == "insert"]
            assert len(inserted) == len(dump["stakeholders"])
        # The triggers are back: the next change is recorded row by row.
        target.add_stakeholder("Brand new ministry", kind="ministry")
        after = target.audit_log(limit=None)
        assert [e.table for e in after if e.id > max(x.id for x in entries)] == ["stakeholders"]


def test_a_merge_import_is_audited_row_by_row(sample: Tracker, tmp_path: Path) -> None:
    """Adding a dump's content to data already there changes that data: every row counts."""
    path = tmp_path / "dump.json"
    _write(sample, path, confidentiality_max=None)
    target = Tracker(f"sqlite:///{tmp_path / 'target.db'}")
    target.add_stakeholder("Someone already here", kind="person")
    report = target.import_json(path, merge=True)
    entries = target.audit_log(limit=None)
    inserted = [e for e in entries if e.table == "stakeholders" and e.action == "insert"]
    assert len(inserted) == report.stakeholders_added + 1
    assert not [e for e in entries if e.table == "import"]
    target.close()
