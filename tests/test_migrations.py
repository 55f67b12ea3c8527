"""Upgrading a database that holds data: nothing is lost, new structures are filled in."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from engagement.migrate import SCHEMA_HEAD, current_revision, upgrade
from engagement.storage import Database
from engagement.tracker import Tracker
from tests.conftest import fixed_clock

SEED_0001 = [
    "INSERT INTO stakeholders (id, name, name_key, kind, country, notes, archived, "
    "interaction_count, ongoing, created_at, updated_at, version) VALUES "
    "(1, 'Russian Red Cross', 'russian red cross', 'national_society', 'RU', '', false, 1, false, "
    "'2025-01-01 00:00:00', '2025-01-01 00:00:00', 1),"
    "(2, 'Russian Red Cross Kursk Regional Branch', 'russian red cross kursk regional branch', "
    "'national_society', 'RU', '', false, 0, false, '2025-01-01 00:00:00', "
    "'2025-01-01 00:00:00', 1)",
    "UPDATE stakeholders SET parent_id = 1 WHERE id = 2",
    "INSERT INTO stakeholder_aliases (id, stakeholder_id, alias, alias_key) VALUES "
    "(1, 1, 'Российский Красный Крест', 'россиискии красныи крест')",
    "INSERT INTO interactions (id, uid, title, kind, status, precision, start_on, last_on, "
    "location, summary, outcome, confidentiality, logged_by, created_at, updated_at, version) "
    "VALUES (1, 'u-1', 'Emergency stocks', 'operation', 'held', 'month', '2025-05-01', "
    "'2025-05-31', 'Kursk', 'Food vouchers for four branches', '', 'internal', '', "
    "'2025-05-02 00:00:00', '2025-05-02 00:00:00', 1)",
    "INSERT INTO interaction_stakeholders "
    "(interaction_id, stakeholder_id, role, position, start_on) "
    "VALUES (1, 1, 'counterpart', 0, '2025-05-01')",
    "INSERT INTO interaction_tags (interaction_id, tag) VALUES (1, 'stocks')",
    "INSERT INTO follow_ups (id, interaction_id, text, owner, done, created_at) VALUES "
    "(1, 1, 'Report on distribution', '', false, '2025-05-02 00:00:00')",
]


def _seed_at_first_revision(url: str) -> None:
    database = Database(url)
    upgrade(database, "0001")
    assert current_revision(database) == "0001"
    with database.engine.begin() as connection:
        for statement in SEED_0001:
            connection.execute(text(statement))
    database.dispose()


def _counts(url: str) -> dict[str, int]:
    database = Database(url)
    tables = [
        "stakeholders",
        "stakeholder_aliases",
        "interactions",
        "interaction_stakeholders",
        "interaction_tags",
        "follow_ups",
    ]
    with database.engine.connect() as connection:
        counts = {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }
    database.dispose()
    return counts


def _check_upgraded(url: str) -> None:
    before = _counts(url)
    with Tracker(url, clock=fixed_clock) as tracker:
        assert tracker.schema_status == "upgraded"
        assert current_revision(tracker.db) == SCHEMA_HEAD
        assert _counts(url) == before
        red_cross = tracker.get_stakeholder("Russian Red Cross")
        assert red_cross.aliases == ["Российский Красный Крест"]
        assert tracker.resolve_stakeholder("Rossiiskii Krasnyi Krest").id == red_cross.id
        branch = tracker.get_stakeholder("Russian Red Cross Kursk Regional Branch")
        assert branch.parent == "Russian Red Cross"
        history = tracker.history("Russian Red Cross")
        assert [(i.title, i.when, i.tags) for i in history] == [
            ("Emergency stocks", "May 2025", ["stocks"])
        ]
        assert history[0].follow_ups[0].text == "Report on distribution"
        assert [h.interaction.title for h in tracker.search("vouchers")] == ["Emergency stocks"]
        assert red_cross.interaction_count == 1


def test_an_old_sqlite_database_is_upgraded_without_losing_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    _seed_at_first_revision(url)
    _check_upgraded(url)
    backup = path.with_name("old.db.before-0001.bak")
    assert backup.exists()
    assert backup.stat().st_mode & 0o777 == 0o600


def test_an_old_postgresql_database_is_upgraded_without_losing_data(raw_pg_url: str) -> None:
    _seed_at_first_revision(raw_pg_url)
    _check_upgraded(raw_pg_url)
