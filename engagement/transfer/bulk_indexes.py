"""Indexes and the full-text index set aside while a bulk load fills empty tables.

Building an index once over the loaded rows is several times cheaper than maintaining it row
by row, and the full-text index likewise: FTS5 tokenises each document either way, but a
rebuild writes a few large segments where row-by-row inserts write thousands of small ones
that are merged again and again. Everything happens inside the caller's transaction (DDL is
transactional on both engines), so a failed load leaves the indexes as they were.

Used by the exact JSON load (:mod:`engagement.transfer.load`) and the benchmark's generator.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import ForeignKeyConstraint, Index, Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.schema import AddConstraint, DropConstraint

from engagement import fulltext
from engagement.models import Base

#: FTS5 keeps new terms in an in-memory hash and writes a segment each time it fills (1 MiB by
#: default). A large hash while rebuilding writes a few big segments instead.
_FTS_LOAD_HASH = 128 * 1024 * 1024
_FTS_DEFAULT_HASH = 1024 * 1024


def drop_indexes(connection: Connection, tables: Iterable[str]) -> list[Index]:
    """Drop the secondary (non-unique) indexes of ``tables``; returns them for
    :func:`create_indexes`. Unique indexes stay: they are constraints the load must meet."""
    dropped: list[Index] = []
    for name in tables:
        table: Table = Base.metadata.tables[name]
        for index in sorted(table.indexes, key=lambda i: str(i.name)):
            if index.unique:
                continue
            connection.execute(text(f"DROP INDEX IF EXISTS {index.name}"))
            dropped.append(index)
    return dropped


def create_indexes(connection: Connection, indexes: Iterable[Index]) -> None:
    for index in indexes:
        index.create(connection, checkfirst=False)


def drop_foreign_keys(connection: Connection, tables: Iterable[str]) -> list[ForeignKeyConstraint]:
    """PostgreSQL checks a foreign key with a query per inserted row (a trigger); adding the
    constraint back checks every row at once with a join. SQLite's checks are index probes
    and its constraints cannot be dropped: nothing to do there."""
    if connection.dialect.name != "postgresql":
        return []
    wanted = set(tables)
    dropped: list[ForeignKeyConstraint] = []
    for name in wanted:
        table: Table = Base.metadata.tables[name]
        for constraint in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
            connection.execute(DropConstraint(constraint))
            dropped.append(constraint)
    return dropped


def create_foreign_keys(
    connection: Connection, constraints: Iterable[ForeignKeyConstraint]
) -> None:
    for constraint in constraints:
        connection.execute(AddConstraint(constraint))


def drop_text_index(connection: Connection) -> None:
    """Stop maintaining the full-text index row by row (its rows stay; the rebuild replaces
    them from ``interaction_documents``)."""
    statements = (
        (fulltext.PG_DROP_INDEX,)
        if connection.dialect.name == "postgresql"
        else fulltext.SQLITE_DROP_TRIGGERS
    )
    for statement in statements:
        connection.execute(text(statement))


def create_text_index(connection: Connection) -> None:
    """Build the full-text index from every stored document and maintain it again."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(fulltext.PG_CREATE_INDEX))
        return
    table = fulltext.SQLITE_TABLE
    configure = f"INSERT INTO {table}({table}, rank) VALUES ('hashsize', :size)"
    connection.execute(text(configure), {"size": _FTS_LOAD_HASH})
    connection.execute(text(fulltext.SQLITE_REBUILD))
    connection.execute(text(configure), {"size": _FTS_DEFAULT_HASH})
    for statement in fulltext.SQLITE_TRIGGERS:
        connection.execute(text(statement))


@contextmanager
def set_aside(connection: Connection, tables: Iterable[str]) -> Iterator[None]:
    """Secondary indexes of ``tables`` and the full-text index are dropped for the duration
    and built once after it (only if the block succeeds: otherwise the caller rolls back)."""
    names = list(tables)
    drop_text_index(connection)
    dropped = drop_indexes(connection, names)
    keys = drop_foreign_keys(connection, names)
    tune_maintenance(connection)
    yield
    create_indexes(connection, dropped)
    create_foreign_keys(connection, keys)
    create_text_index(connection)


def tune_maintenance(connection: Connection) -> None:
    """PostgreSQL builds indexes (the GIN full-text one above all) several times faster with
    more than its default 64 MB of sort memory; for this transaction only."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
