"""Shared fixtures: every storage test runs on SQLite and on PostgreSQL.

PostgreSQL comes from ``$ENGAGEMENT_TEST_PG`` (``make test`` starts a throwaway server). Each
test gets a database of its own, cloned from a migrated template, so tests never see each
other's data. Without a server the PostgreSQL variants skip — unless
``ENGAGEMENT_REQUIRE_PG=1`` (CI), where a skip would hide a broken set-up and so fails.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from engagement.tracker import Tracker

# "Now" for tests: just after the period of the seed report.
FIXED_NOW = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
ENGINES = ["sqlite", "postgresql"]


def fixed_clock() -> datetime:
    return FIXED_NOW


def _pg_admin_url() -> str | None:
    return os.environ.get("ENGAGEMENT_TEST_PG") or None


def _require_pg() -> bool:
    return os.environ.get("ENGAGEMENT_REQUIRE_PG") == "1"


class PgServer:
    """Creates and drops per-test databases on the test server."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.templates: set[str] = set()

    def url_for(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        from sqlalchemy import text

        name = f"test_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.engine.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
        return name

    def drop(self, name: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | None]:
    url = _pg_admin_url()
    if url is None:
        yield None
        return
    server = PgServer(url)
    try:
        with server.engine.connect():
            pass
    except Exception as error:  # pragma: no cover - depends on the machine
        if _require_pg():
            pytest.fail(f"PostgreSQL at {url} is not reachable: {error}")
        yield None
        return
    yield server
    for template in server.templates:
        server.drop(template)
    server.engine.dispose()


def _need_pg(pg_server: PgServer | None) -> PgServer:
    if pg_server is None:
        message = "PostgreSQL not available (set ENGAGEMENT_TEST_PG), skipping"
        if _require_pg():
            pytest.fail(message.replace("skipping", "and ENGAGEMENT_REQUIRE_PG=1"))
        pytest.skip(message)
    return pg_server


@pytest.fixture(scope="session")
def templates(
    tmp_path_factory: pytest.TempPathFactory, pg_server: PgServer | None
) -> Callable[[str, str], str]:
    """Builds (once per session) a migrated database, empty or with the sample data, per
    engine; returns a reference to copy from."""
    built: dict[tuple[str, str], str] = {}

    def get(engine: str, content: str) -> str:
        key = (engine, content)
        if key in built:
            return built[key]
        if engine == "sqlite":
            path = tmp_path_factory.mktemp("templates") / f"{content}.db"
            with Tracker(f"sqlite:///{path}", clock=fixed_clock) as tracker:
                if content == "sample":
                    tracker.load_sample()
            built[key] = str(path)
        else:
            server = _need_pg(pg_server)
            name = server.create()
            with Tracker(server.url_for(name), clock=fixed_clock) as tracker:
                if content == "sample":
                    tracker.load_sample()
            server.templates.add(name)
            built[key] = name
        return built[key]

    return get


def _fresh_url(
    engine: str,
    content: str,
    templates: Callable[[str, str], str],
    tmp_path: Path,
    pg: PgServer | None,
) -> Iterator[str]:
    if engine == "sqlite":
        source = templates(engine, content)
        target = tmp_path / "engagement.db"
        shutil.copyfile(source, target)
        yield f"sqlite:///{target}"
        return
    server = _need_pg(pg)
    template = templates(engine, content)
    name = server.create(template)
    try:
        yield server.url_for(name)
    finally:
        server.drop(name)


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(
    engine: str, templates: Callable[[str, str], str], tmp_path: Path, pg_server: PgServer | None
) -> Iterator[str]:
    """A URL of an empty, migrated database of its own, on each engine."""
    yield from _fresh_url(engine, "empty", templates, tmp_path, pg_server)


@pytest.fixture
def sample_url(
    engine: str, templates: Callable[[str, str], str], tmp_path: Path, pg_server: PgServer | None
) -> Iterator[str]:
    """A URL of a database of its own holding the sample data set, on each engine."""
    yield from _fresh_url(engine, "sample", templates, tmp_path, pg_server)


@pytest.fixture
def tracker(db_url: str) -> Iterator[Tracker]:
    with Tracker(db_url, clock=fixed_clock) as opened:
        yield opened


@pytest.fixture
def sample(sample_url: str) -> Iterator[Tracker]:
    with Tracker(sample_url, clock=fixed_clock) as opened:
        yield opened


@pytest.fixture
def raw_pg_url(pg_server: PgServer | None) -> Iterator[str]:
    """An empty PostgreSQL database with no schema at all (for migration tests)."""
    server = _need_pg(pg_server)
    name = server.create()
    try:
        yield server.url_for(name)
    finally:
        server.drop(name)
