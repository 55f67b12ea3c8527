"""The interaction's columns copied onto each of its links, kept right by the database itself.

Counting a period (``engagement stats``, the activity report) walks the period's links; with the
interaction's days, status, kind and confidentiality on the link row, one covering index
(``ix_interaction_stakeholders_period``, migration 0009) answers the walk without looking up a
single interaction. The copies are derived data, so no code path should have to remember them:
triggers on both engines fill them when a link is written and follow the interaction when it
changes, whoever writes (the ORM services, merges, posts, JSON/CSV imports, the benchmark
generator's raw inserts).

* SQLite: a trigger cannot change the row being inserted, so an ``AFTER`` trigger corrects the
  new link when its copies differ from the interaction (a writer that supplies the right values,
  such as a bulk loader, pays one primary-key lookup per row and no second write).
* PostgreSQL: a ``BEFORE`` trigger sets them on the row itself. It runs with the writer's
  rights: a role can only link an interaction its clearance shows it, so the lookup sees it.

The copies are not audited (they are consequences of a recorded change to the interaction):
:mod:`engagement.auditing` leaves them out of the links' entries. Migrations that rebuild either
table on SQLite lose the triggers; :func:`create` runs after every migration run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

LINKS = "interaction_stakeholders"
# The interaction's columns its links carry (``start_on`` since 0001, the others since 0009).
COPIED = ("start_on", "last_on", "status", "kind", "confidentiality")
# The ones added by 0009: derived only, never shown in the audit trail.
DERIVED = COPIED[1:]

_SQLITE_TRIGGERS = ("link_copies_insert", "link_copies_update", "link_copies_follow")
_PG_FUNCTIONS = ("engagement_link_copies", "engagement_link_copies_follow")


def present(connection: Connection) -> bool:
    """Whether the links carry the copies (migration 0009 or later)."""
    from sqlalchemy import inspect

    columns = {column["name"] for column in inspect(connection).get_columns(LINKS)}
    return set(DERIVED) <= columns


def create(connection: Connection) -> None:
    """(Re)create the triggers, on a schema that has the columns."""
    if connection.dialect.name == "postgresql":
        _create_postgresql(connection)
    else:
        _create_sqlite(connection)


def drop(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS link_copies ON {LINKS}")
        connection.exec_driver_sql("DROP TRIGGER IF EXISTS link_copies_follow ON interactions")
        for name in _PG_FUNCTIONS:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")
        return
    for name in _SQLITE_TRIGGERS:
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """No triggers for the duration: for a bulk loader that writes every link with its
    interaction's values itself (on SQLite the insert trigger would otherwise look each
    interaction up again). What it writes meanwhile is its own responsibility. On an error the
    triggers are not put back here: the transaction's rollback restores them."""
    drop(connection)
    yield
    create(connection)


def backfill(connection: Connection) -> None:
    """Set every link's copies from its interaction (the migration's one pass)."""
    assignments = ", ".join(f"{column} = i.{column}" for column in COPIED)
    connection.exec_driver_sql(
        f"UPDATE {LINKS} AS l SET {assignments} FROM interactions AS i "
        "WHERE i.id = l.interaction_id"
    )


def _row(prefix: str) -> str:
    return "(" + ", ".join(f"{prefix}{column}" for column in COPIED) + ")"


def _create_sqlite(connection: Connection) -> None:
    drop(connection)
    source = f"(SELECT {', '.join(COPIED)} FROM interactions WHERE id = NEW.interaction_id)"
    correct = (
        f"BEGIN UPDATE {LINKS} SET {_row('')} = {source} "
        "WHERE interaction_id = NEW.interaction_id AND stakeholder_id = NEW.stakeholder_id; END"
    )
    stale = f" WHEN {_row('NEW.')} IS NOT {source} "
    connection.exec_driver_sql(
        f"CREATE TRIGGER link_copies_insert AFTER INSERT ON {LINKS}{stale}{correct}"
    )
    connection.exec_driver_sql(
        f"CREATE TRIGGER link_copies_update AFTER UPDATE OF interaction_id, "
        f"{', '.join(COPIED)} ON {LINKS}{stale}{correct}"
    )
    assignments = ", ".join(f"{column} = NEW.{column}" for column in COPIED)
    connection.exec_driver_sql(
        f"CREATE TRIGGER link_copies_follow AFTER UPDATE OF {', '.join(COPIED)} ON interactions "
        f"WHEN {_row('OLD.')} IS NOT {_row('NEW.')} "
        f"BEGIN UPDATE {LINKS} SET {assignments} WHERE interaction_id = NEW.id; END"
    )


def _create_postgresql(connection: Connection) -> None:
    columns = ", ".join(COPIED)
    copy = " ".join(f"NEW.{column} := found_row.{column};" for column in COPIED)
    assignments = ", ".join(f"{column} = NEW.{column}" for column in COPIED)
    connection.exec_driver_sql(
        f"""
CREATE OR REPLACE FUNCTION engagement_link_copies() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    found_row record;
BEGIN
    SELECT {columns} INTO found_row FROM interactions WHERE id = NEW.interaction_id;
    IF FOUND THEN
        {copy}
    END IF;
    RETURN NEW;
END
$$
"""
    )
    connection.exec_driver_sql(
        f"""
CREATE OR REPLACE FUNCTION engagement_link_copies_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {LINKS} SET {assignments} WHERE interaction_id = NEW.id;
    RETURN NULL;
END
$$
"""
    )
    connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS link_copies ON {LINKS}")
    connection.exec_driver_sql(
        f"CREATE TRIGGER link_copies BEFORE INSERT OR UPDATE OF interaction_id, {columns} "
        f"ON {LINKS} FOR EACH ROW EXECUTE FUNCTION engagement_link_copies()"
    )
    connection.exec_driver_sql("DROP TRIGGER IF EXISTS link_copies_follow ON interactions")
    connection.exec_driver_sql(
        f"CREATE TRIGGER link_copies_follow AFTER UPDATE OF {columns} ON interactions "
        f"FOR EACH ROW WHEN ({_row('OLD.')} IS DISTINCT FROM {_row('NEW.')}) "
        "EXECUTE FUNCTION engagement_link_copies_follow()"
    )
