"""The guards around schema upgrades and SQLite itself that had no test of their own: a
migration that would leave broken references is refused whole, two processes opening a new
database at once both end on one schema, and `engagement check` says when the SQLite library
has the WAL-reset bug."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from engagement import migrate, sqlite_safety
from engagement.cli import main
from engagement.errors import StorageError
from engagement.migrate import SCHEMA_HEAD, current_revision, upgrade
from engagement.storage import Database
from engagement.tracker import Tracker
from tests.conftest import fixed_clock


def _database_at(url: str, revision: str) -> None:
    database = Database(url)
    upgrade(database, revision)
    database.dispose()


def test_an_upgrade_that_would_leave_broken_references_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    _database_at(url, "0007")
    database = Database(url)
    with database.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        raw.execute(
            "INSERT INTO interactions (id, uid, title, kind, status, precision, start_on, "
            "last_on, location, summary, outcome, confidentiality, logged_by, created_at, "
            "updated_at, version) VALUES (1, 'u-1', 'Orphaned link', 'meeting', 'held', 'day', "
            "'2025-05-01', '2025-05-01', '', '', '', 'internal', '', '2025-05-02 00:00:00', "
            "'2025-05-02 00:00:00', 1)"
        )
        raw.execute(
            "INSERT INTO interaction_stakeholders (interaction_id, stakeholder_id, role, "
            "position, start_on) VALUES (1, 999, 'counterpart', 0, '2025-05-01')"
        )
        raw.commit()
        raw.execute("PRAGMA foreign_keys = ON")
    database.dispose()

    with pytest.raises(StorageError, match=r"would break 1 references; nothing was changed"):
        Tracker(url, clock=fixed_clock)

    database = Database(url)
    assert current_revision(database) == "0007"
    with database.engine.connect() as connection:
        links = connection.execute(text("SELECT stakeholder_id FROM interaction_stakeholders"))
        assert links.scalars().all() == [999]
    database.dispose()
    assert path.with_name("old.db.before-0007.bak").exists()


def _open_at_once(url: str, count: int) -> list[str]:
    """Open ``url`` from ``count`` threads released together; each reports its schema status
    or the error it met."""
    start = threading.Barrier(count)
    outcomes: list[str] = []

    def open_it() -> None:
        start.wait()
        try:
            with Tracker(url, clock=fixed_clock) as tracker:
                outcomes.append(tracker.schema_status)
        except Exception as error:  # the outcome under test
            outcomes.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=open_it) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _check_one_schema(url: str, outcomes: list[str]) -> None:
    assert sorted(outcomes)[0] == "created" and set(outcomes) <= {"created", "current"}, outcomes
    with Tracker(url, clock=fixed_clock) as tracker:
        assert current_revision(tracker.db) == SCHEMA_HEAD
        tracker.add_stakeholder("Federation Council", kind="parliament")
        assert [s.name for s in tracker.list_stakeholders()] == ["Federation Council"]


def test_two_processes_creating_one_sqlite_database_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    _check_one_schema(url, _open_at_once(url, 3))


def test_two_processes_creating_one_postgresql_database_at_once(raw_pg_url: str) -> None:
    _check_one_schema(raw_pg_url, _open_at_once(raw_pg_url, 3))


def test_a_schema_created_by_another_process_between_two_looks_is_taken_as_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    Tracker(url, clock=fixed_clock).close()
    looks: list[str | None] = []

    def first_look_before_the_other_process_committed(db: Database) -> str | None:
        found = None if not looks else real(db)
        looks.append(found)
        return found

    real = migrate.current_revision
    monkeypatch.setattr(migrate, "current_revision", first_look_before_the_other_process_committed)

    with Tracker(url, clock=fixed_clock) as tracker:
        assert tracker.schema_status == "current"
    assert looks == [None, SCHEMA_HEAD]


@pytest.mark.parametrize("affected", [True, False])
def test_check_says_whether_the_sqlite_library_has_the_wal_reset_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, affected: bool
) -> None:
    monkeypatch.setattr(sqlite_safety, "affected_by_wal_reset_bug", lambda *_: affected)
    db = str(tmp_path / "x.db")
    Tracker(db, clock=fixed_clock).close()

    result = CliRunner().invoke(main, ["--db", db, "check"])

    assert result.exit_code == 0, result.output
    warned = "affected by the WAL-reset bug" in result.output
    assert warned is affected
    if affected:
        assert "prefer PostgreSQL" in result.output
