"""Alembic environment: migrations run on the connection engagement hands over, or on the URL
from ``alembic.ini``/``$ENGAGEMENT_DB`` when a developer runs ``alembic`` by hand."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

from engagement.migrate import include_object
from engagement.models import Base
from engagement.storage import resolve_url

config = context.config
target_metadata = Base.metadata


def _configure(connection: object) -> None:
    dialect = getattr(connection, "dialect", None)
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=getattr(dialect, "name", "") == "sqlite",
        compare_type=True,
        include_object=include_object,
    )


def run_migrations_online() -> None:
    """Use the connection engagement hands over; an Engine (pytest-alembic passes one) or,
    for a developer at the command line, the configured URL, gets a connection of its own."""
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _configure(given)
        _run(given)
        return
    engine = (
        given
        if isinstance(given, Engine)
        else create_engine(config.get_main_option("sqlalchemy.url") or resolve_url(None))
    )
    with engine.connect() as owned:
        _configure(owned)
        _run(owned)


def _run(connection: Connection) -> None:
    from engagement import auditing

    with context.begin_transaction():
        auditing.before_migrations(connection)
        context.run_migrations()
        auditing.after_migrations(connection)


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
