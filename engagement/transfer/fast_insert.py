"""Inserting many queued rows fast: tables in dependency order, in batches, and on SQLite
straight through the driver's ``executemany``.

Used by the exact loads of a dump (:mod:`engagement.transfer.load_rows`), where a million rows
must go in at the speed the database stores them, not at the speed SQLAlchemy matches
dictionaries to a compiled statement.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection

from engagement.models import Base

_TABLE_ORDER = {table: index for index, table in enumerate(Base.metadata.sorted_tables)}


def insert_in_order(
    connection: Connection, pending: dict[Table, list[dict[str, Any]]], *, batch_rows: int
) -> None:
    """Insert the rows of ``pending``, parents' tables before children's, ``batch_rows`` at a
    time (so a batch boundary falling anywhere never inserts a child before its parent)."""
    sqlite = connection.dialect.name == "sqlite"
    for table in sorted(pending, key=_TABLE_ORDER.__getitem__):
        rows = pending[table]
        for start in range(0, len(rows), batch_rows):
            batch = rows[start : start + batch_rows]
            if sqlite:
                _insert_sqlite(connection, table, batch)
            else:
                connection.execute(insert(table), batch)


def _insert_sqlite(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``executemany`` on the driver with the columns' own bind processors, applied once per
    value: SQLAlchemy's executemany spends more per row (matching each dictionary against the
    compiled statement) than SQLite spends storing it. The rows of one table have the same keys
    (the loader builds them; otherwise SQLAlchemy inserts them), and a missing key fails
    loudly."""
    keys = list(rows[0])
    if any(len(row) != len(keys) for row in rows):
        connection.execute(insert(table), rows)
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(key) for key in keys)}) "
        f"VALUES ({', '.join('?' * len(keys))})"
    )
    getter = itemgetter(*keys)
    converters = [(place, process) for place, process in enumerate(processors) if process]
    values: list[Any] = []
    for row in rows:
        picked = getter(row)
        if len(keys) == 1:
            picked = (picked,)
        if converters:
            changed = list(picked)
            for place, process in converters:
                value = changed[place]
                if value is not None:
                    changed[place] = process(value)
            picked = tuple(changed)
        values.append(picked)
    connection.exec_driver_sql(statement, values)
