"""Opening the database and running units of work on it.

One SQLAlchemy URL selects the engine: a SQLite file by default, PostgreSQL for a team. Every
use case runs as one short transaction through :meth:`Database.read` or :meth:`Database.write`.

SQLite needs care to be safe with several writers: pysqlite's own transaction handling lets
concurrent read-modify-write cycles silently lose updates, and a deferred ``BEGIN`` that later
wants to write fails at once with "database is locked" whatever the busy timeout. So the driver
is put in autocommit mode and we issue ``BEGIN`` ourselves — ``BEGIN IMMEDIATE`` for every write
unit, which takes the write lock up front and waits for it within the busy timeout. On
PostgreSQL, writes run SERIALIZABLE and are retried on serialization failures and deadlocks.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engagement.errors import ConcurrentEdit, EngagementError, StorageError
from engagement.sqlite_safety import WriteLock

T = TypeVar("T")

ENV_VAR = "ENGAGEMENT_DB"
BUSY_TIMEOUT_MS = 30_000
WRITE_ATTEMPTS = 30
_RETRYABLE_SQLSTATES = {"40001", "40P01"}
_WRITE_OPTION = "engagement_write"


def default_db_path() -> Path:
    """The default database file, in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("engagement", appauthor=False) / "engagement.db"


def resolve_url(db: str | None = None) -> str:
    """``--db`` wins, then ``$ENGAGEMENT_DB``, then the default file. A bare path means SQLite."""
    value = (db or os.environ.get(ENV_VAR) or "").strip()
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


class Database:
    """An open database: engines for reads and writes, and the unit-of-work runners."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StorageError(
                f"--db: {url!r} is not a database URL; use a file path, sqlite:///PATH or "
                "postgresql+psycopg://USER@HOST/DBNAME"
            ) from None
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = _sqlite_engine(url, echo=echo)
            self.write_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        elif self.dialect == "postgresql":
            try:
                self.engine = create_engine(url, echo=echo, pool_pre_ping=True)
            except (ImportError, ArgumentError) as error:
                raise StorageError(f"cannot use {display_url(url)}: {error}") from None
            self.write_engine = self.engine.execution_options(isolation_level="SERIALIZABLE")
            self._read_engine = self.engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        else:
            raise StorageError(
                f"--db: {display_url(url)} uses {self.dialect!r}; engagement supports SQLite "
                "and PostgreSQL"
            )
        self._reads = sessionmaker(
            bind=getattr(self, "_read_engine", self.engine), expire_on_commit=False
        )
        self._writes = sessionmaker(bind=self.write_engine, expire_on_commit=False)
        self._write_lock = _write_lock_for(self.sqlite_path())

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def sqlite_path(self) -> Path | None:
        database = make_url(self.url).database
        if not self.is_sqlite or not database or database == ":memory:":
            return None
        return Path(database)

    def dispose(self) -> None:
        # Closing the last connection checkpoints the WAL: serialise it like a write.
        with self.serialised():
            self.engine.dispose()

    def quick_check(self, *, force: bool = False) -> None:
        """Raise :class:`StorageError` if SQLite finds the file damaged (see
        :mod:`engagement.sqlite_safety` for when this runs)."""
        from engagement import sqlite_safety

        path = self.sqlite_path()
        if path is None or not sqlite_safety.quick_check_due(path, force=force):
            return
        try:
            with self.engine.connect() as connection:
                rows = [str(row[0]) for row in connection.exec_driver_sql("PRAGMA quick_check")]
        except DatabaseError as error:
            # Damage to the schema pages stops SQLite before quick_check can run: opening the
            # connection already fails. That is the same damage, and gets the same message.
            reason = error_reason(error)
            if "malformed" not in reason and "not a database" not in reason:
                raise
            rows = [reason]
        sqlite_safety.raise_if_damaged(rows, path)
        sqlite_safety.record_quick_check(path)

    def serialised(self) -> AbstractContextManager[None]:
        return self._write_lock.held() if self._write_lock is not None else nullcontext()

    @contextmanager
    def connect_write(self) -> Iterator[Connection]:
        """A raw connection in a write transaction (migrations, bulk loads)."""
        with (
            self.serialised(),
            _translate_errors(self.url),
            self.write_engine.begin() as connection,
        ):
            yield connection

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read-only transaction (one consistent snapshot)."""
        with _translate_errors(self.url), self._reads() as session, session.begin():
            return work(session)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` as one write transaction, committed only if it returns.

        Transient conflicts (another writer holding the lock past the busy timeout, a
        PostgreSQL serialization failure or deadlock) are retried with backoff, so they never
        reach the user; anything else rolls back and leaves the database unchanged.
        """
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with (
                    self.serialised(),
                    _translate_errors(self.url),
                    self._writes() as session,
                    session.begin(),
                ):
                    return work(session)
            except _Retry:
                if attempt == WRITE_ATTEMPTS - 1:
                    break
                time.sleep(min(0.5, 0.005 * 2**attempt) * (0.5 + random.random()))
        raise StorageError(
            "the database stayed busy with other writers; nothing was saved — try again"
        )


def _write_lock_for(path: Path | None) -> WriteLock | None:
    from engagement import sqlite_safety

    if path is None or not sqlite_safety.affected_by_wal_reset_bug():
        return None
    return sqlite_safety.WriteLock(path)


class _Retry(Exception):
    """Internal: the unit of work hit a transient conflict and may be run again."""


@contextmanager
def _translate_errors(url: str) -> Iterator[None]:
    try:
        yield
    except EngagementError:
        raise
    except StaleDataError:
        raise ConcurrentEdit("the record") from None
    except IntegrityError as error:
        raise StorageError(
            f"the change conflicts with existing data: {error_reason(error)}"
        ) from None
    except DBAPIError as error:
        if _is_transient(error):
            raise _Retry() from error
        if isinstance(error, OperationalError):
            raise StorageError(
                f"cannot use the database {display_url(url)}: {error_reason(error)}"
            ) from None
        raise StorageError(f"database error: {error_reason(error)}") from None


def _is_transient(error: DBAPIError) -> bool:
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    message = str(original).lower()
    return "database is locked" in message or "database is busy" in message


def error_reason(error: DBAPIError) -> str:
    text = str(error.orig).strip().splitlines()
    return text[0] if text else type(error.orig).__name__


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_engine(url: str, *, echo: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        _create_private_file(Path(path))
    engine = create_engine(
        url,
        echo=echo,
        connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _create_private_file(path: Path) -> None:
    """Create the database file readable by its owner only; SQLite gives the -wal and -shm
    files the same permissions."""
    if path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(descriptor)
    except FileExistsError:
        return
    except OSError as error:
        raise StorageError(f"cannot create the database file {path}: {error.strerror}") from None


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" event below issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in (
            f"busy_timeout = {BUSY_TIMEOUT_MS}",
            "foreign_keys = ON",
            "journal_mode = WAL",
            "synchronous = FULL",
            "secure_delete = ON",
            "cache_size = -65536",
            "mmap_size = 268435456",
            "temp_store = MEMORY",
        ):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
