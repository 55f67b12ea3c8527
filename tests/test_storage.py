"""Storage: migrations build the schema the models describe, SQLite is opened safely, and
opening a database never loses or damages data."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from engagement import storage
from engagement.errors import StorageError
from engagement.migrate import SCHEMA_HEAD, current_revision, include_object
from engagement.models import Base
from engagement.storage import Database, resolve_url
from engagement.tracker import Tracker


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", "engagement:migrations")
    return ScriptDirectory.from_config(config)


def test_schema_head_constant_matches_the_migrations() -> None:
    assert _script().get_heads() == [SCHEMA_HEAD]


def _diff(url: str) -> list[object]:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        database.dispose()


def test_upgrade_head_on_an_empty_sqlite_file_matches_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    with Tracker(url) as tracker:
        assert tracker.schema_status == "created"
    assert _diff(url) == []


def test_upgrade_head_on_an_empty_postgresql_database_matches_the_models(raw_pg_url: str) -> None:
    with Tracker(raw_pg_url) as tracker:
        assert tracker.schema_status == "created"
    assert _diff(raw_pg_url) == []


def test_opening_again_finds_the_schema_current(db_url: str) -> None:
    with Tracker(db_url) as tracker:
        assert tracker.schema_status == "current"
        assert current_revision(tracker.db) == SCHEMA_HEAD


def test_a_database_from_a_newer_version_is_refused_untouched(db_url: str) -> None:
    database = Database(db_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    with pytest.raises(StorageError, match="newer version"):
        Tracker(db_url)
    database = Database(db_url)
    assert current_revision(database) == "9999"
    database.dispose()


def test_a_foreign_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
    with pytest.raises(StorageError, match="not engagement's"):
        Tracker(str(path))


def test_downgrade_and_upgrade_round_trip_keeps_working(tmp_path: Path) -> None:
    from engagement.migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'cycle.db'}"
    with Tracker(url) as tracker:
        downgrade(tracker.db, "base")
        assert current_revision(tracker.db) is None
        upgrade(tracker.db)
        assert current_revision(tracker.db) == SCHEMA_HEAD
    assert _diff(url) == []


def test_sqlite_is_opened_in_wal_mode_with_foreign_keys_and_a_busy_timeout(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    database.dispose()


def test_connections_opening_a_new_file_together_all_get_wal_mode(tmp_path: Path) -> None:
    """SQLite answers a concurrent switch to WAL "database is locked" at once, busy timeout or
    not: seen as a rare failure of two processes creating one database (about 1 connection in
    100 when six race on a new file). Every connection must wait its turn instead."""
    failures: list[str] = []
    for trial in range(40):
        url = f"sqlite:///{tmp_path / f'new-{trial}.db'}"
        start = threading.Barrier(6)

        def open_it(url: str = url, start: threading.Barrier = start) -> None:
            database = Database(url)
            start.wait()
            try:
                mode = database.read(
                    lambda session: session.execute(text("PRAGMA journal_mode")).scalar()
                )
                assert mode == "wal"
            except Exception as error:  # the outcome under test
                failures.append(repr(error))
            finally:
                database.dispose()

        threads = [threading.Thread(target=open_it) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == []


def test_a_read_that_meets_a_transient_conflict_is_run_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = Database(f"sqlite:///{tmp_path / 'reads.db'}")
    calls: list[int] = []

    def locked_once(session: Session) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))
        return "read"

    def always_locked(session: Session) -> str:
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("database is locked"))

    try:
        assert database.read(locked_once) == "read" and len(calls) == 2
        monkeypatch.setattr(storage, "WRITE_ATTEMPTS", 3)
        with pytest.raises(StorageError, match="stayed busy with other writers; try again"):
            database.read(always_locked)
        # A bulk load's connection cannot be run again: the conflict is a clear error.
        with (
            pytest.raises(StorageError, match=r"stayed busy.*nothing was saved"),
            database.connect_write() as connection,
        ):
            connection.exec_driver_sql("CREATE TABLE scratch (x)")
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        with database.engine.connect() as connection:
            assert not connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE name = 'scratch'"
            ).first()
    finally:
        database.dispose()


def test_write_units_take_the_sqlite_write_lock_up_front(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: while one write unit runs, another writer cannot start."""
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    with Tracker(url) as tracker:

        def inside(session: Session) -> bool:
            session.execute(text("SELECT count(*) FROM stakeholders"))  # first read of the unit
            other = sqlite3.connect(tmp_path / "lock.db", timeout=0, isolation_level=None)
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                return "locked" in str(error)
            finally:
                other.close()
            return False

        assert tracker.db.write(inside) is True


def test_the_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "private" / "engagement.db"
    with Tracker(str(path)) as tracker:
        tracker.add_stakeholder("State Duma", kind="parliament", country="RU")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_bare_paths_and_short_postgresql_urls_are_understood(tmp_path: Path) -> None:
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"


def test_the_environment_variable_selects_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENGAGEMENT_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert resolve_url("sqlite:///other.db") == "sqlite:///other.db"


def test_an_unreachable_postgresql_server_is_a_clear_error() -> None:
    with pytest.raises(StorageError, match="cannot"):
        Tracker("postgresql+psycopg://nobody@127.0.0.1:1/none")


def test_unsupported_urls_are_refused() -> None:
    with pytest.raises(StorageError, match="SQLite and PostgreSQL"):
        Tracker("mysql://localhost/x")
