"""Writing millions of generated rows as fast as the engine allows.

SQLAlchemy's ``executemany`` costs several microseconds per row in parameter processing, more
than SQLite spends storing it; the loader therefore hands plain tuples straight to the driver
inside the transaction SQLAlchemy opened (``executemany`` on SQLite, ``COPY`` on PostgreSQL).
Values are given in a form both engines store exactly as SQLAlchemy would: dates as ISO
strings, datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC), booleans as 0/1.

Secondary indexes are dropped before the load and rebuilt after it
(:mod:`engagement.transfer.bulk_indexes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from engagement import collector

if TYPE_CHECKING:
    from engagement.storage import Database

# Tables whose serial ids the loader sets explicitly (PostgreSQL sequences follow them after).
SERIAL_TABLES = ("stakeholders", "stakeholder_aliases", "affiliations", "interactions")


#: The page cache of the loading connection (KiB, as ``PRAGMA cache_size`` takes it negated):
#: index builds re-read the tables they index, and FTS flushes its hash to segments.
LOAD_CACHE_KIB = 262_144


@contextmanager
def bulk_transaction(db: Database) -> Iterator[Connection]:
    """One write transaction for a bulk load into a new database.

    On SQLite the load does not go through the write-ahead log: a WAL holds every page twice
    (once in the log, once when it is checkpointed into the file), and a log of gigabytes makes
    each page read look through a large index. A fresh file's rollback journal, by contrast,
    holds only the few pages the file had before the load (new pages need no undo), so the
    load stays one atomic transaction while each page is written once. The connection also
    gets a larger page cache and helper threads for the sorts of index builds, and skips the
    foreign-key probes; everything is set back afterwards (other connections keep their own
    settings).
    """
    if not db.is_sqlite or db.sqlite_path() is None:  # PostgreSQL, or a database in memory
        with db.connect_write() as connection:
            yield connection
        return
    db.dispose()  # idle pooled connections would keep the file in WAL mode
    with db.serialised(), db.write_engine.connect() as connection:
        raw: Any = connection.connection.dbapi_connection
        journal = raw.execute("PRAGMA journal_mode").fetchone()[0]
        cache = raw.execute("PRAGMA cache_size").fetchone()[0]
        raw.execute("PRAGMA journal_mode = DELETE")
        raw.execute(f"PRAGMA cache_size = -{LOAD_CACHE_KIB}")
        raw.execute("PRAGMA threads = 2")
        # The generator's references are valid by construction (tests run foreign_key_check
        # on its output): probing parents for ten million rows would only repeat that.
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with collector.paused(), connection.begin():
                yield connection
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
            raw.execute("PRAGMA threads = 0")
            raw.execute(f"PRAGMA cache_size = {cache}")
            raw.execute(f"PRAGMA journal_mode = {journal}")


def stored_datetime(value: datetime) -> str:
    """A naive-UTC datetime as SQLAlchemy stores it in SQLite (and PostgreSQL parses)."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


class Sink:
    """Bulk writer on an open write transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        raw = connection.connection.dbapi_connection
        assert raw is not None
        self._raw: Any = raw
        self.rows = 0

    def put(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        cursor = self._raw.cursor()
        try:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
        finally:
            cursor.close()
        self.rows += len(rows)

    def update(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        """An ``executemany`` of ``statement`` written with ``?`` placeholders."""
        cursor = self._raw.cursor()
        try:
            if self.postgres:
                statement = statement.replace("?", "%s")
            cursor.executemany(statement, list(rows))
        finally:
            cursor.close()

    def follow_sequences(self) -> None:
        """After explicit ids, PostgreSQL's sequences must continue above them."""
        if not self.postgres:
            return
        for table in SERIAL_TABLES:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
            )
