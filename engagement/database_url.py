"""Where the database is: ``--db``, ``$ENGAGEMENT_DB`` or the default file, as a SQLAlchemy URL.

Kept apart from :mod:`engagement.storage` because it needs nothing but the standard library:
``engagement tui`` resolves the URL (to know whether the file is encrypted) before the screen
opens, and importing SQLAlchemy there would delay the first paint by most of a second.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "ENGAGEMENT_DB"


def default_db_path() -> Path:
    """The default database file, in the user's data directory."""
    from platformdirs import user_data_path

    return user_data_path("engagement", appauthor=False) / "engagement.db"


def resolve_url(db: str | None = None) -> str:
    """``--db`` wins, then ``$ENGAGEMENT_DB``, then the default file. A bare path means SQLite."""
    value = (db or os.environ.get(ENV_VAR) or "").strip()
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith("postgresql://") or value.startswith("postgres://"):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if value.startswith("sqlcipher://"):
        return _cipher_url(value.split("://", 1)[1])
    return value


def _cipher_url(rest: str) -> str:
    """``sqlcipher:///PATH`` → ``sqlite+pysqlcipher:///ABSOLUTE-PATH`` (a relative or ``~``
    path is resolved like a bare path)."""
    if rest.startswith("/") and not rest.startswith("//"):
        path = rest[1:]
        if path and path != ":memory:":
            return f"sqlite+pysqlcipher:///{Path(path).expanduser().resolve()}"
    return "sqlite+pysqlcipher://" + rest
