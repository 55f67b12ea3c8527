"""Opening the database and running units of work on it.

One SQLAlchemy URL selects the engine: a SQLite file by default, PostgreSQL for a team. Every
use case runs as one short transaction through :meth:`Database.read` or :meth:`Database.write`.

SQLite connections (autocommit driver, ``BEGIN IMMEDIATE`` for every write unit, WAL, memory
profiles) are set up by :mod:`engagement.sqlite_connections`. On PostgreSQL, writes run
SERIALIZABLE and are retried on serialization failures and deadlocks, with fair turns for a
writer that keeps losing (:mod:`engagement.writer_turns`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DBAPIError,
    IntegrityError,
    OperationalError,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engagement import writer_turns

# Re-exported: callers have always found these here.
from engagement.database_url import ENV_VAR as ENV_VAR
from engagement.database_url import default_db_path as default_db_path
from engagement.database_url import resolve_url as resolve_url
from engagement.errors import AccessDenied, ConcurrentEdit, EngagementError, StorageError
from engagement.sqlite_connections import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from engagement.sqlite_connections import CACHE_KIB as CACHE_KIB
from engagement.sqlite_connections import INTERACTIVE as INTERACTIVE
from engagement.sqlite_connections import MMAP_SIZE as MMAP_SIZE
from engagement.sqlite_connections import THROUGHPUT as THROUGHPUT
from engagement.sqlite_connections import WRITE_OPTION, sqlite_engine
from engagement.sqlite_connections import SqliteMemory as SqliteMemory
from engagement.sqlite_safety import WriteLock

T = TypeVar("T")

WRITE_ATTEMPTS = 30
_RETRYABLE_SQLSTATES = {"40001", "40P01"}
_INSUFFICIENT_PRIVILEGE = "42501"
_BUSY = "the database stayed busy with other writers"


def display_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
    # An encrypted file is shown the way users write it.
    return "sqlcipher://" + shown.split("://", 1)[1] if shown.startswith(_CIPHER) else shown


_CIPHER = "sqlite+pysqlcipher://"


class Database:
    """An open database: engines for reads and writes, and the unit-of-work runners."""

    def __init__(
        self,
        url: str,
        *,
        echo: bool = False,
        key: str | None = None,
        memory: SqliteMemory = THROUGHPUT,
    ) -> None:
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StorageError(
                "--db: that is not a database URL; use a file path, sqlite:///PATH, "
                "sqlcipher:///PATH or postgresql+psycopg://USER@HOST/DBNAME"
            ) from None
        # A key written into the URL is taken out at once: the URL is shown in messages.
        self._key: str | None = None
        self.encrypted = parsed.get_driver_name() == "pysqlcipher"
        if self.encrypted:
            self._key = key or parsed.password or None
            parsed = URL.create(parsed.drivername, database=parsed.database, query=parsed.query)
            url = parsed.render_as_string(hide_password=False)
        self.url = url
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite":
            self.engine = sqlite_engine(url, echo=echo, key=self._cipher_key(), memory=memory)
            self.write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
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
        self._write_lock = _write_lock_for(self.sqlite_path(), self.sqlite_version())

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    def _cipher_key(self) -> str | None:
        """The key of an encrypted database (found as :mod:`engagement.encryption` says)."""
        if not self.encrypted:
            return None
        from engagement import encryption

        encryption.driver()
        path = self.sqlite_path()
        if path is None:
            raise StorageError("an encrypted database needs a file: write sqlcipher:///PATH")
        self._key = encryption.find_key(path, self._key)
        if self._key is None:
            raise encryption.missing_key(path)
        return self._key

    def key_for_rekey(self) -> str:
        """The key in use, for re-encrypting the file with another one."""
        key = self._cipher_key()
        assert key is not None
        return key

    def sqlite_version(self) -> tuple[int, int, int]:
        """The version of the SQLite library behind this database's connections (SQLCipher
        bundles its own)."""
        from engagement import encryption, sqlite_safety

        return encryption.sqlite_version() if self.encrypted else sqlite_safety.library_version()

    @contextmanager
    def raw_sqlite(self, path: Path | str, **options: Any) -> Iterator[Any]:
        """A DB-API connection to a SQLite file in this database's format — keyed with the same
        key when the database is encrypted — for the online backup API and file checks."""
        from engagement import encryption

        with encryption.raw_connection(path, self._key if self.encrypted else None, **options) as c:
            yield c

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
            if isinstance(error, OperationalError):
                raise
            # Damage in the schema pages stops SQLite before any check can run.
            rows = [error_reason(error)]
        sqlite_safety.raise_if_damaged(rows, path)
        sqlite_safety.record_quick_check(path)

    def serialised(self) -> AbstractContextManager[None]:
        return self._write_lock.held() if self._write_lock is not None else nullcontext()

    @contextmanager
    def connect_write(self) -> Iterator[Connection]:
        """A raw connection in a write transaction (migrations, bulk loads). Unlike a unit of
        work it cannot be run again, so a transient conflict ends it with a clear error."""
        try:
            with (
                self.serialised(),
                _translate_errors(self.url),
                self.write_engine.begin() as connection,
            ):
                mark = self._audit_mark(connection)
                yield connection
                self._stamp_audit(connection, mark)
        except _Retry:
            raise StorageError(_BUSY + "; nothing was saved — try again") from None

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in a read-only transaction (one consistent snapshot).

        Reads rarely meet a transient conflict (SQLite: a connection switching a new file to
        WAL while another does), but one that does is run again like a write, never shown.
        """
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with _translate_errors(self.url), self._reads() as session, session.begin():
                    return work(session)
            except _Retry:
                if attempt == WRITE_ATTEMPTS - 1:
                    break
                _back_off(attempt)
        raise StorageError(_BUSY + "; try again")

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` as one write transaction, committed only if it returns.

        Transient conflicts (another writer holding the lock past the busy timeout, a
        PostgreSQL serialization failure or deadlock) are retried with backoff, so they never
        reach the user; on PostgreSQL a writer that keeps losing takes a turn alone (see
        :mod:`engagement.writer_turns`). Anything else rolls back and leaves the database
        unchanged.
        """
        for attempt in range(WRITE_ATTEMPTS):
            alone = not self.is_sqlite and attempt >= writer_turns.ESCALATE_AFTER
            try:
                with (
                    self.serialised(),
                    _translate_errors(self.url),
                    writer_turns.sole_turn(self.engine) if alone else nullcontext(),
                    self._writes() as session,
                    session.begin(),
                ):
                    if not self.is_sqlite and not alone:
                        writer_turns.share_turn(session.connection())
                    mark = self._audit_mark(session.connection())
                    result = work(session)
                    self._stamp_audit(session.connection(), mark)
                    return result
            except _Retry:
                if attempt == WRITE_ATTEMPTS - 1:
                    break
                _back_off(attempt)
        raise StorageError(_BUSY + "; nothing was saved — try again")

    def _audit_mark(self, connection: Connection) -> int | None:
        if not self.is_sqlite:
            return None  # PostgreSQL's triggers know who is connected
        from engagement import auditing

        return auditing.sqlite_mark(connection)

    def _stamp_audit(self, connection: Connection, mark: int | None) -> None:
        if mark is not None:
            from engagement import auditing

            auditing.stamp_sqlite_actor(connection, mark)


def _write_lock_for(path: Path | None, version: tuple[int, int, int]) -> WriteLock | None:
    from engagement import sqlite_safety

    if path is None or not sqlite_safety.affected_by_wal_reset_bug(version):
        return None
    return sqlite_safety.WriteLock(path)


class _Retry(Exception):
    """Internal: the unit of work hit a transient conflict and may be run again."""


def _back_off(attempt: int) -> None:
    """Jittered exponential backoff: 5 ms doubling, at most 0.5 s."""
    time.sleep(min(0.5, 0.005 * 2**attempt) * (0.5 + random.random()))


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
        if getattr(error.orig, "sqlstate", None) == _INSUFFICIENT_PRIVILEGE:
            raise AccessDenied(error_reason(error)) from None
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
