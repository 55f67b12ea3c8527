"""Bringing a database to the schema this code expects.

Opening a database checks its Alembic revision with one cheap query; Alembic itself is imported
only when there is something to do. An older database is upgraded in place (a SQLite file is
first copied aside with the online backup API), an empty one is created, and one written by a
newer version of engagement is refused rather than damaged.

SQLite migrations run with foreign keys off: Alembic's batch mode recreates a table by copying
it and dropping the old one, and with foreign keys on that drop would cascade and silently delete
child rows. Foreign keys are checked once the migration is done.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from engagement import fulltext
from engagement.errors import StorageError
from engagement.storage import Database, display_url, error_reason

# The newest revision in engagement/migrations/versions (a test keeps them in step).
SCHEMA_HEAD = "0011"
_KNOWN_REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
)
_PG_LOCK_KEY = 0x656E6761  # "enga"


def include_object(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """What schema comparison looks at: not the engine-specific full-text structures, which
    the migrations create by hand (FTS5 tables on SQLite; on PostgreSQL a generated tsvector
    column and its GIN index) and the models cannot describe."""
    text_name = name or ""
    if type_ == "table" and text_name.startswith("interaction_search"):
        return False
    if type_ == "column" and text_name == fulltext.PG_VECTOR:
        table = getattr(_object, "table", None)
        return getattr(table, "name", None) != "interaction_documents"
    return not (type_ == "index" and text_name == fulltext.PG_INDEX_NAME)


def current_revision(db: Database) -> str | None:
    """The database's Alembic revision, or None when it has never been initialised."""

    def look(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()

    with db.engine.connect() as connection:
        return look(connection)


def ensure_schema(db: Database) -> str:
    """Create or upgrade the schema as needed; return what was done ('current', 'created',
    'upgraded')."""
    try:
        revision = current_revision(db)
    except DBAPIError as error:
        raise StorageError(
            f"cannot open the database {display_url(db.url)}: {error_reason(error)}"
        ) from None
    if revision == SCHEMA_HEAD:
        return "current"
    if revision is not None and revision not in _KNOWN_REVISIONS:
        raise StorageError(
            f"the database is at schema revision {revision!r}, which this version of engagement "
            "does not know: it was written by a newer version; upgrade engagement"
        )
    if revision is None and _has_foreign_tables(db):
        # Another process may have created the schema between the two looks.
        revision = current_revision(db)
        if revision == SCHEMA_HEAD:
            return "current"
    if revision is None and _has_foreign_tables(db):
        raise StorageError(
            "the database already holds tables that are not engagement's; "
            "point --db at an engagement database or a new file"
        )
    if revision is not None:
        _backup_before_upgrade(db, revision)
    upgrade(db)
    return "created" if revision is None else "upgraded"


def upgrade(db: Database, target: str = "head") -> None:
    """Run Alembic's upgrade under the database's write lock."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "engagement:migrations")
    if db.is_sqlite:
        with db.serialised(), db.write_engine.connect() as connection:
            # The driver is in autocommit mode, so this runs outside any transaction, where
            # SQLite honours it (inside one it is silently ignored).
            raw = connection.connection.dbapi_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys = OFF")
            try:
                with connection.begin():
                    config.attributes["connection"] = connection
                    command.upgrade(config, target)
                    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if problems:
                        raise StorageError(
                            f"the migration would break {len(problems)} references; "
                            "nothing was changed"
                        )
            finally:
                raw.execute("PRAGMA foreign_keys = ON")
        return
    with db.engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def downgrade(db: Database, target: str) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "engagement:migrations")
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)


def _has_foreign_tables(db: Database) -> bool:
    with db.engine.connect() as connection:
        return bool(inspect(connection).get_table_names())


def _backup_before_upgrade(db: Database, revision: str) -> Path | None:
    path = db.sqlite_path()
    if path is None or not path.exists():
        return None
    target = path.with_name(f"{path.name}.before-{revision}.bak")
    # Through the database's own driver: an encrypted file is copied keyed, and stays encrypted.
    with db.raw_sqlite(path) as source, db.raw_sqlite(target) as destination:
        source.backup(destination)
    target.chmod(0o600)
    return target
