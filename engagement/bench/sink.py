"""Writing millions of generated rows as fast as the engine allows.

SQLAlchemy's ``executemany`` costs several microseconds per row in parameter processing, more
than SQLite spends storing it; the loader therefore hands plain tuples straight to the driver
inside the transaction SQLAlchemy opened (``executemany`` on SQLite, ``COPY`` on PostgreSQL).
Values are given in a form both engines store exactly as SQLAlchemy would: dates as ISO
strings, datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff`` (naive UTC), booleans as 0/1.

Secondary indexes are dropped before the load and rebuilt after it: building an index once over
sorted data is several times cheaper than maintaining it row by row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Table, text
from sqlalchemy.engine import Connection

from engagement.models import Base

# Tables whose serial ids the loader sets explicitly (PostgreSQL sequences follow them after).
SERIAL_TABLES = ("stakeholders", "stakeholder_aliases", "affiliations", "interactions")


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

    def drop_indexes(self, tables: Iterable[str]) -> list[Index]:
        """Drop the secondary (non-unique) indexes of ``tables``; returns them for
        :meth:`create_indexes`."""
        dropped: list[Index] = []
        for name in tables:
            table: Table = Base.metadata.tables[name]
            for index in sorted(table.indexes, key=lambda i: str(i.name)):
                if index.unique:
                    continue
                self.connection.execute(text(f"DROP INDEX IF EXISTS {index.name}"))
                dropped.append(index)
        return dropped

    def create_indexes(self, indexes: Iterable[Index]) -> None:
        for index in indexes:
            index.create(self.connection, checkfirst=False)

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
