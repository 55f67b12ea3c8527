"""Backups are private and valid or absent; restores are checked first and all-or-nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from engagement.errors import EngagementError, TargetNotEmpty, TransferFileRejected
from engagement.tracker import Tracker
from engagement.transfer import files
from tests.conftest import PgServer, fixed_clock
from tests.test_transfer_support import Templates, fresh_tracker


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _everything(tracker: Tracker) -> bytes:
    return tracker.dump_json(confidentiality_max=None)


def test_a_backup_is_private_and_restores_everything(sample: Tracker, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    summary = sample.backup(out / "backup.bin")
    assert _mode(out / "backup.bin") == 0o600
    expected = "sqlite-backup" if sample.db.is_sqlite else "json-dump"
    assert summary.method == expected and summary.bytes > 0
    if sample.db.is_sqlite:
        with sqlite3.connect(out / "backup.bin") as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    else:
        assert json.loads((out / "backup.bin").read_bytes())["confidentiality_max"] is None
    assert [p.name for p in out.iterdir()] == ["backup.bin"]  # no temporary file left
    with Tracker(f"sqlite:///{tmp_path / 'new.db'}", clock=fixed_clock) as target:
        restored = target.restore(out / "backup.bin")
        assert restored.replaced_data is False
        assert _everything(target) == _everything(sample)
        assert target.history("RRC") and target.search("vouchers")


def test_restoring_over_data_needs_force_and_keeps_a_safety_copy(
    sample: Tracker, tmp_path: Path
) -> None:
    sample.backup(tmp_path / "backup.bin")
    before = _everything(sample)
    sample.add_stakeholder("Added after the backup", kind="ngo")
    after = _everything(sample)
    with pytest.raises(TargetNotEmpty, match="--force"):
        sample.restore(tmp_path / "backup.bin")
    assert _everything(sample) == after
    summary = sample.restore(tmp_path / "backup.bin", force=True)
    assert summary.replaced_data
    assert _everything(sample) == before
    if sample.db.is_sqlite:
        assert summary.safety_copy is not None
        assert _mode(Path(summary.safety_copy)) == 0o600
        with Tracker(summary.safety_copy, clock=fixed_clock) as copy:
            assert copy.get_stakeholder("Added after the backup")


def test_a_sqlite_backup_restores_into_postgresql(
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    folder = tmp_path_factory.mktemp("cross")
    with Tracker(f"sqlite:///{folder / 'source.db'}", clock=fixed_clock) as source:
        source.load_sample()
        source.merge_stakeholders("Russian Red Cross", "Russian Red Cross Kursk Regional Branch")
        source.backup(folder / "backup.db")
        expected = _everything(source)
    with fresh_tracker("postgresql", templates, pg_server, folder) as target:
        summary = target.restore(folder / "backup.db")
        assert summary.method == "sqlite-backup"
        assert _everything(target) == expected
    assert (folder / "backup.db").stat().st_size > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"SQLite format 3\x00" + b"\x00" * 200, "SQLite"),
        (b"hello", "neither a SQLite backup nor a JSON dump"),
        (b'{"format": "engagement-dump"', "not valid JSON"),
    ],
)
def test_damaged_backups_are_refused_and_nothing_changes(
    sample: Tracker, tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "bad.bin").write_bytes(content)
    before = _everything(sample)
    with pytest.raises(TransferFileRejected, match=message):
        sample.restore(tmp_path / "bad.bin", force=True)
    assert _everything(sample) == before


def test_a_foreign_sqlite_file_and_a_newer_schema_are_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "other.db") as other:
        other.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
    with Tracker(f"sqlite:///{tmp_path / 'x.db'}") as tracker:
        with pytest.raises(TransferFileRejected, match="not an engagement database"):
            tracker.restore(tmp_path / "other.db")
        tracker.backup(tmp_path / "newer.db")
        with sqlite3.connect(tmp_path / "newer.db") as newer:
            newer.execute("UPDATE alembic_version SET version_num = '9999'")
        with pytest.raises(TransferFileRejected, match="does not know"):
            tracker.restore(tmp_path / "newer.db")


def test_a_capped_export_is_not_a_backup(sample: Tracker, tmp_path: Path) -> None:
    sample.export_json(tmp_path / "capped.json")
    with Tracker(f"sqlite:///{tmp_path / 'new.db'}") as target:
        with pytest.raises(TransferFileRejected, match="capped at internal"):
            target.restore(tmp_path / "capped.json")
        assert target.list_stakeholders() == []


def test_an_old_backup_is_upgraded_on_restore(tmp_path: Path) -> None:
    from engagement.migrate import SCHEMA_HEAD, current_revision, downgrade

    with Tracker(f"sqlite:///{tmp_path / 'old.db'}") as old:
        old.add_stakeholder("State Duma", kind="parliament", country="RU")
        downgrade(old.db, "0003")
        old.backup(tmp_path / "old-backup.db")
    with Tracker(f"sqlite:///{tmp_path / 'new.db'}") as target:
        summary = target.restore(tmp_path / "old-backup.db")
        assert summary.schema_revision == "0003"
        assert current_revision(target.db) == SCHEMA_HEAD
        assert target.get_stakeholder("state duma").country == "RU"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "backup.json"
    target.write_bytes(b"the previous good backup")
    with pytest.raises(RuntimeError), files.atomic_path(target) as temporary:
        temporary.write_bytes(b"half a backu")
        assert _mode(temporary) == 0o600
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"the previous good backup"
    assert [p.name for p in tmp_path.iterdir()] == ["backup.json"]
    files.write_bytes(target, b"new")
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


def test_bad_targets_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EngagementError, match="is a folder"):
        files.check_target(tmp_path)
    with pytest.raises(EngagementError, match="does not exist"):
        files.check_target(tmp_path / "missing" / "x.json")


@pytest.mark.parametrize(
    "name", ["../escape", "/etc/passwd", "..", "a/../../b", "C:\\x", "\x00bad", ".hidden"]
)
def test_names_from_data_never_leave_the_export_folder(tmp_path: Path, name: str) -> None:
    try:
        joined = files.safe_join(tmp_path, name)
    except EngagementError:
        return
    assert joined.parent == tmp_path.resolve()
    assert not joined.name.startswith(".")
