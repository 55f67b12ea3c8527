"""How engagement opens a SQLite file: the engine, what every connection is set to, and how
much memory it may use.

pysqlite's own transaction handling lets concurrent read-modify-write cycles silently lose
updates, and a deferred ``BEGIN`` that later wants to write fails at once with "database is
locked" whatever the busy timeout. So the driver is put in autocommit mode and ``BEGIN`` is
issued here: ``BEGIN IMMEDIATE`` on connections of the write engine (marked with
:data:`WRITE_OPTION`), which takes the write lock up front and waits for it within the busy
timeout. Every connection gets foreign keys, WAL, ``synchronous = FULL`` and ``secure_delete``.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, make_url

from engagement.errors import StorageError

BUSY_TIMEOUT_MS = 30_000
#: The execution option that marks the write engine's connections.
WRITE_OPTION = "engagement_write"
# Reads go through a memory map of up to 2 GiB (SQLite caps it at its compile-time maximum,
# 2 GiB by default), which covers a million-interaction database (1.9 GiB): measured on one,
# the period aggregates and the full-text queries ran 1.3-1.4x faster than with 256 MiB, since
# pages are read straight from the OS cache instead of being copied into SQLite's. The page
# cache stays at 64 MiB: a larger one gained under 10% more and costs private memory in every
# process, whereas mapped pages are shared with the OS cache.
MMAP_SIZE = 2 * 1024 * 1024 * 1024
CACHE_KIB = 64 * 1024


@dataclass(frozen=True)
class SqliteMemory:
    """How much memory each SQLite connection may use for the file: the memory map and the
    page cache (both per connection)."""

    mmap_size: int = MMAP_SIZE
    cache_kib: int = CACHE_KIB


#: Batch work (reports, exports, the CLI): map the whole file, the fastest for big scans.
THROUGHPUT = SqliteMemory()
#: A long-running interactive process (the TUI) reading small pages of rows: every mapped page
#: it ever touched counts in its resident memory, which then grows with the file. No map and a
#: small cache keep it near that of a small database; the OS's file cache still serves reads.
INTERACTIVE = SqliteMemory(mmap_size=0, cache_kib=8 * 1024)


def sqlite_engine(url: str, *, echo: bool, key: str | None, memory: SqliteMemory) -> Engine:
    """An engine on the file at ``url`` (created private if missing; keyed with ``key`` when
    encrypted) whose connections are set up as the module docstring says."""
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        _create_private_file(Path(path))
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}
    if key is None:
        engine = create_engine(url, echo=echo, connect_args=connect_args)
    else:
        engine = _cipher_engine(path or ":memory:", key, echo=echo, connect_args=connect_args)
    event.listen(
        engine, "connect", partial(_on_sqlite_connect, path=path or ":memory:", memory=memory)
    )
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _cipher_engine(path: str, key: str, *, echo: bool, connect_args: dict[str, Any]) -> Engine:
    """The plain pysqlite dialect driving SQLCipher's module, with a creator that keys every
    connection before anything reads the file (SQLAlchemy's pysqlcipher dialect would put the
    key in the URL and run its first queries through its own pool)."""
    from engagement import encryption

    module = encryption.driver()

    def connect() -> Any:
        connection = module.connect(path, **connect_args)
        try:
            encryption.apply_key(connection, key, path)
        except BaseException:
            connection.close()
            raise
        return connection

    return create_engine(
        "sqlite:///" + path if path != ":memory:" else "sqlite://",
        echo=echo,
        module=module,
        creator=connect,
    )


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


def _on_sqlite_connect(
    dbapi_connection: Any, _record: Any, *, path: str, memory: SqliteMemory
) -> None:
    # Autocommit at the driver level: SQLAlchemy's "begin" event below issues BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _enter_wal(cursor)
        for pragma in (
            "synchronous = FULL",
            "secure_delete = ON",
            f"cache_size = -{memory.cache_kib}",
            f"mmap_size = {memory.mmap_size}",
            "temp_store = MEMORY",
        ):
            cursor.execute(f"PRAGMA {pragma}")
    except Exception as error:
        if "file is not a database" in str(error):
            raise StorageError(
                f"cannot open {path}: file is not a database (if it is encrypted, open it as "
                "sqlcipher:///PATH with its key); nothing was changed"
            ) from None
        raise
    finally:
        cursor.close()


def _enter_wal(cursor: Any) -> None:
    """Switch to WAL, waiting for other connections doing the same. SQLite answers a switch that
    races another "database is locked" at once, without the busy timeout: two processes
    creating one database together would otherwise see it now and then."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except Exception as error:
            if "locked" not in str(error).lower() or time.monotonic() > deadline:
                raise
        time.sleep(0.005 + 0.01 * random.random())


def _on_sqlite_begin(connection: Connection) -> None:
    if connection.get_execution_options().get(WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")
