"""The audit trail and the clearance rules, as the database itself enforces them.

The models cannot describe triggers, functions or row-level security policies, so migration 0005
creates them from here (as migration 0002 does with :mod:`engagement.fulltext`). This module
declares what is audited and protected, and builds the SQLite triggers; the PostgreSQL functions,
triggers and policies are built in :mod:`engagement.audit_postgres`.

**Audit trail (both engines).** A trigger on every table that holds user data writes one
``audit_log`` row per inserted, updated or deleted row: when, who, the table, the row, the
stakeholder and interaction it concerns (for ``engagement audit --stakeholder``), the
confidentiality of the interaction it belongs to, and the whole row before and after as JSON.
Updates that change only maintained columns (contact statistics, version counters, copies of
dates) or nothing at all are not recorded: they are consequences of a recorded change.

* PostgreSQL: one plpgsql function, ``SECURITY DEFINER``, so team roles need no privilege on
  ``audit_log`` beyond reading it and cannot forge or erase entries. The actor is
  ``session_user``, the role that logged in.
* SQLite: three triggers per table building the JSON with ``json_object``. A SQLite file has no
  users, so the triggers leave the actor empty and every write unit of engagement fills in the
  operating-system user before it commits (:func:`stamp_sqlite_actor`); a change made by another
  program stays attributed to nobody rather than to the wrong person.
  Alembic's batch mode recreates a table on SQLite and loses its triggers: a migration that
  rebuilds an audited table must call :func:`create_sqlite_triggers` again.

**Clearances (PostgreSQL only).** ``clearances`` maps a role to the highest confidentiality
level it may see. Row-level security on ``interactions`` lets a role see (and write) only rows
at or below its clearance; the tables that hold an interaction's content (participants, tags,
staff, follow-ups, search documents) show a row only when its interaction is visible; audit
entries only up to the clearance. A role without a clearance sees ``public`` only. The owner of
the tables (the role that ran the migrations) and superusers are not subject to the policies
(no ``FORCE``): they administer the database. Contact statistics on stakeholders count every
interaction, so they are recomputed by a ``SECURITY DEFINER`` function: a low-clearance writer
must not recompute them from the subset it can see.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from engagement import link_copies
from engagement.vocab import Confidentiality


@dataclass(frozen=True)
class Audited:
    """An audited table: which columns say what it concerns, and which changes are noise."""

    name: str
    stakeholder_column: str | None
    interaction_column: str | None
    key_columns: tuple[str, ...]
    maintained: tuple[str, ...] = ()
    # Copies of another row's columns: neither recorded nor compared (see link_copies).
    derived: tuple[str, ...] = ()


AUDITED = (
    Audited(
        "stakeholders",
        "id",
        None,
        ("id",),
        (
            "first_contact_on",
            "last_contact_on",
            "interaction_count",
            "ongoing",
            "updated_at",
            "version",
        ),
    ),
    Audited("stakeholder_aliases", "stakeholder_id", None, ("id",)),
    Audited("stakeholder_tags", "stakeholder_id", None, ("stakeholder_id", "tag")),
    Audited("affiliations", "person_id", None, ("id",)),
    Audited("stakeholder_merges", "keep_id", None, ("id",)),
    Audited("interactions", None, "id", ("id",), ("updated_at", "version")),
    Audited(
        "interaction_stakeholders",
        "stakeholder_id",
        "interaction_id",
        ("interaction_id", "stakeholder_id"),
        ("start_on",),
        link_copies.DERIVED,
    ),
    Audited("interaction_tags", None, "interaction_id", ("interaction_id", "tag")),
    Audited("interaction_staff", None, "interaction_id", ("interaction_id", "name")),
    Audited("follow_ups", None, "interaction_id", ("id",)),
    # Tables added after 0005: migrations that add them get their triggers from
    # ``after_migrations`` (every table here that exists is audited).
    Audited("interaction_languages", None, "interaction_id", ("interaction_id", "language")),
    Audited("post_tenures", "person_id", None, ("id",)),
    Audited("commitments", None, "interaction_id", ("id",), ("updated_at", "version")),
    Audited("commitment_stakeholders", "stakeholder_id", None, ("commitment_id", "stakeholder_id")),
)
# Tables whose rows carry a confidentiality level of their own.
OWN_LEVEL = ("interactions", "commitments")
# Clearances are audited too, on PostgreSQL where they mean something.
PG_ONLY_AUDITED = (Audited("clearances", None, None, ("role_name",)),)

# Tables whose rows show an interaction's content: visible only with their interaction.
INTERACTION_CHILDREN = (
    "interaction_stakeholders",
    "interaction_tags",
    "interaction_staff",
    "interaction_documents",
    "interaction_languages",
    "follow_ups",
    "pending_documents",
)
# What a team role may change (everything but the audit log, the clearances and the schema).
TEAM_WRITABLE = (
    "stakeholders",
    "stakeholder_aliases",
    "stakeholder_tags",
    "stakeholder_keys",
    "stakeholder_tokens",
    "affiliations",
    "stakeholder_merges",
    "interactions",
    *INTERACTION_CHILDREN,
    "post_tenures",
    "commitments",
    "commitment_stakeholders",
)
TEAM_READABLE = ("audit_log", "alembic_version")

UNKNOWN_ACTOR = "unknown"


def rank_case(expression: str) -> str:
    """SQL for the rank of a confidentiality level; anything unknown ranks highest."""
    branches = " ".join(f"WHEN '{level.value}' THEN {level.rank}" for level in Confidentiality)
    top = max(level.rank for level in Confidentiality)
    return f"CASE {expression} {branches} ELSE {top} END"


def existing_tables(connection: Connection) -> set[str]:
    """Audited tables are only those that exist: later revisions add some of them."""
    from sqlalchemy import inspect

    return set(inspect(connection).get_table_names())


def before_migrations(connection: Connection) -> None:
    """SQLite: Alembic's batch mode rebuilds tables by renaming a copy into place, which the
    audit triggers (naming the tables) would break; they are dropped for the run."""
    if connection.dialect.name == "sqlite":
        drop_sqlite_triggers(connection)
        link_copies.drop(connection)


def after_migrations(connection: Connection) -> None:
    """Once the schema is where the migrations left it, every audited table that exists has
    its trigger (and on PostgreSQL its row-level security), whichever revision added the table
    and whatever columns it now has. Nothing happens below 0005, where there is no audit log.
    The links' copies of their interaction (0009) get their triggers back too."""
    present = existing_tables(connection)
    if "interaction_stakeholders" in present and link_copies.present(connection):
        link_copies.create(connection)
    if "audit_log" not in present:
        return
    if connection.dialect.name == "postgresql":
        from engagement import audit_postgres

        audit_postgres.create_postgresql(connection)
        audit_postgres.grant_new_tables(connection)
    else:
        create_sqlite_triggers(connection)


@contextmanager
def suspended(connection: Connection) -> Iterator[None]:
    """No audit entries for the duration: for synthetic benchmark data loaded by the table
    owner, where one entry per generated row would double the file and the load time."""
    if connection.dialect.name == "postgresql":
        present = [table.name for table in AUDITED if table.name in existing_tables(connection)]
        for name in present:
            connection.exec_driver_sql(f"ALTER TABLE {name} DISABLE TRIGGER audit")
        yield
        for name in present:
            connection.exec_driver_sql(f"ALTER TABLE {name} ENABLE TRIGGER audit")
        return
    audited = bool(
        connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        ).scalar()
    )
    drop_sqlite_triggers(connection)
    yield
    if audited:
        create_sqlite_triggers(connection)


IMPORT_TABLE = "import"


def record_import(
    connection: Connection, *, source: str, mode: str, counts: dict[str, int]
) -> None:
    """SQLite: the one audit entry of a restore or import into an empty file, written instead
    of one per row (the loader runs with the triggers :func:`suspended`). The write unit stamps
    its actor like any other entry. Recorded as an ``insert`` into the pseudo-table
    ``import`` whose row is the file it came from; ``after`` holds what was added."""
    connection.execute(
        text(
            "INSERT INTO audit_log (at, actor, action, table_name, row_id, stakeholder_id, "
            "interaction_id, confidentiality, before, after) VALUES ("
            "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000', NULL, 'insert', :table, :source, "
            "NULL, NULL, NULL, NULL, :after)"
        ),
        {
            "table": IMPORT_TABLE,
            "source": source[-500:],
            "after": json.dumps({"mode": mode, **counts}, sort_keys=True),
        },
    )


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_columns(connection: Connection, table: str) -> list[str]:
    return [str(row[1]) for row in connection.exec_driver_sql(f"PRAGMA table_info({table})")]


def _sqlite_trigger(table: Audited, columns: list[str], action: str) -> str:
    row = "OLD" if action == "delete" else "NEW"
    before = "NULL" if action == "insert" else _json_object("OLD", columns)
    after = "NULL" if action == "delete" else _json_object("NEW", columns)
    key = " || '/' || ".join(f"{row}.{column}" for column in table.key_columns)
    stakeholder = f"{row}.{table.stakeholder_column}" if table.stakeholder_column else "NULL"
    interaction = f"{row}.{table.interaction_column}" if table.interaction_column else "NULL"
    if table.name in OWN_LEVEL:
        level = f"{row}.confidentiality"
        if action == "update":
            level = (
                f"CASE WHEN {rank_case('OLD.confidentiality')} > "
                f"{rank_case('NEW.confidentiality')} THEN OLD.confidentiality "
                "ELSE NEW.confidentiality END"
            )
    elif table.interaction_column:
        level = (
            f"coalesce((SELECT confidentiality FROM interactions WHERE id = {interaction}), "
            f"(SELECT confidentiality FROM audit_log WHERE interaction_id = {interaction} "
            "AND confidentiality IS NOT NULL ORDER BY id DESC LIMIT 1), "
            f"'{Confidentiality.STRICTLY_CONFIDENTIAL.value}')"
        )
    else:
        level = "NULL"
    when = ""
    if action == "update":
        compared = [column for column in columns if column not in table.maintained]
        when = " WHEN " + " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in compared)
    return (
        f"CREATE TRIGGER audit_{table.name}_{action} AFTER {action.upper()} ON {table.name}"
        f"{when} BEGIN INSERT INTO audit_log (at, actor, action, table_name, row_id, "
        "stakeholder_id, interaction_id, confidentiality, before, after) VALUES ("
        "strftime('%Y-%m-%d %H:%M:%f', 'now') || '000', NULL, "
        f"'{action}', '{table.name}', CAST({key} AS TEXT), {stakeholder}, {interaction}, "
        f"{level}, {before}, {after}); END"
    )


def _json_object(row: str, columns: list[str]) -> str:
    return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in columns) + ")"


def create_sqlite_triggers(connection: Connection) -> None:
    """(Re)create the audit triggers from the tables' current columns."""
    drop_sqlite_triggers(connection)
    present = existing_tables(connection)
    for table in AUDITED:
        if table.name not in present:
            continue
        columns = [
            column
            for column in _sqlite_columns(connection, table.name)
            if column not in table.derived
        ]
        for action in ("insert", "update", "delete"):
            connection.exec_driver_sql(_sqlite_trigger(table, columns, action))


def drop_sqlite_triggers(connection: Connection) -> None:
    for table in AUDITED:
        for action in ("insert", "update", "delete"):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit_{table.name}_{action}")


def sqlite_mark(connection: Connection) -> int | None:
    """The last audit entry before a write unit starts (None: no audit log in this file)."""
    present = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'"
    ).scalar()
    if not present:
        return None
    return int(connection.exec_driver_sql("SELECT max(id) FROM audit_log").scalar() or 0)


def stamp_sqlite_actor(connection: Connection, mark: int | None) -> None:
    """Attribute the entries this write unit made to the operating-system user."""
    if mark is None:
        return
    connection.exec_driver_sql(
        "UPDATE audit_log SET actor = ? WHERE id > ? AND actor IS NULL", (local_user(), mark)
    )


def local_user() -> str:
    try:
        return getpass.getuser() or UNKNOWN_ACTOR
    except (KeyError, OSError):
        return UNKNOWN_ACTOR
