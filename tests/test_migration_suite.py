"""Migrations, checked by pytest-alembic's built-in tests on SQLite (foreign keys on) and
PostgreSQL, plus a data test: rows seeded at every revision survive the upgrade to head."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_alembic import tests as alembic_tests
from pytest_alembic.runner import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Engine

from engagement.migrate import _KNOWN_REVISIONS, SCHEMA_HEAD, upgrade
from engagement.storage import Database
from engagement.tracker import Tracker
from tests.conftest import PgServer, _need_pg


@pytest.fixture
def alembic_config() -> dict[str, Any]:
    return {"script_location": "engagement:migrations"}


@pytest.fixture(params=["sqlite", "postgresql"])
def alembic_engine(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: PgServer | None
) -> Iterator[Engine]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'alembic.db'}")
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        yield database.engine
        database.dispose()
        return
    server = _need_pg(pg_server)
    name = server.create()
    database = Database(server.url_for(name))
    try:
        yield database.engine
    finally:
        database.dispose()
        server.drop(name)


def test_single_head_revision(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_single_head_revision(alembic_runner)


def test_upgrade(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_upgrade(alembic_runner)


def test_model_definitions_match_ddl(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_model_definitions_match_ddl(alembic_runner)


def test_up_down_consistency(alembic_runner: MigrationContext) -> None:
    alembic_tests.test_up_down_consistency(alembic_runner)


# Rows that every revision since 0001 can hold, with children that a careless table
# rebuild would cascade away.
SEED = [
    "INSERT INTO stakeholders (name, name_key, kind, country, notes, archived, "
    "interaction_count, ongoing, created_at, updated_at, version) VALUES "
    "('{p} Red Cross', '{p} red cross', 'national_society', 'RU', 'n', false, 1, false, "
    "'2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)",
    "INSERT INTO stakeholder_aliases (stakeholder_id, alias, alias_key) "
    "SELECT id, '{p} RC', '{p} rc' FROM stakeholders WHERE name = '{p} Red Cross'",
    "INSERT INTO stakeholder_tags (stakeholder_id, tag) "
    "SELECT id, 'partner' FROM stakeholders WHERE name = '{p} Red Cross'",
    "INSERT INTO interactions (uid, title, kind, status, precision, start_on, last_on, "
    "location, summary, outcome, confidentiality, logged_by, created_at, updated_at, version) "
    "VALUES ('{p}-1', '{p} stocks', 'operation', 'held', 'month', '2025-05-01', '2025-05-31', "
    "'Kursk', 'vouchers', '', 'internal', '', '2025-05-02 00:00:00', '2025-05-02 00:00:00', 1)",
    "INSERT INTO interaction_stakeholders (interaction_id, stakeholder_id, role, position, "
    "start_on) SELECT i.id, s.id, 'counterpart', 0, '2025-05-01' FROM interactions i, "
    "stakeholders s WHERE i.uid = '{p}-1' AND s.name = '{p} Red Cross'",
    "INSERT INTO interaction_tags (interaction_id, tag) SELECT id, 'stocks' FROM interactions "
    "WHERE uid = '{p}-1'",
    "INSERT INTO follow_ups (interaction_id, text, owner, done, created_at) SELECT id, "
    "'report', '', false, '2025-05-02 00:00:00' FROM interactions WHERE uid = '{p}-1'",
]
# A search document as revision 0002 and later store it (a word only the document holds, so
# finding it proves the stored document is what is searched, not one re-derived on upgrade).
SEED_0002 = [
    "INSERT INTO interaction_documents (interaction_id, document) SELECT id, "
    "'{p} stocks kursk vouchers preexisting' FROM interactions WHERE uid = '{p}-1'",
]
# Rows only revision 0007 (commitments and meeting metadata) and later can hold.
SEED_0007 = [
    "INSERT INTO interaction_languages (interaction_id, language, position) SELECT id, "
    "'Russian', 0 FROM interactions WHERE uid = '{p}-1'",
    "INSERT INTO commitments (text, owed_by, owner, due_on, status, interaction_id, "
    "confidentiality, made_on, created_at, updated_at, version) SELECT 'legal analysis', 'us', "
    "'Anna', '2025-07-01', 'open', id, 'internal', '2025-05-01', '2025-05-02 00:00:00', "
    "'2025-05-02 00:00:00', 1 "
    "FROM interactions WHERE uid = '{p}-1'",
    "INSERT INTO commitment_stakeholders (commitment_id, stakeholder_id, position) SELECT c.id, "
    "s.id, 0 FROM commitments c, stakeholders s WHERE c.text = 'legal analysis' AND "
    "s.name = '{p} Red Cross'",
]
COUNTED = [
    "stakeholders",
    "stakeholder_aliases",
    "stakeholder_tags",
    "interactions",
    "interaction_stakeholders",
    "interaction_tags",
    "follow_ups",
]


def _counts(database: Database, tables: list[str]) -> dict[str, int]:
    with database.engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }


@pytest.mark.parametrize("revision", _KNOWN_REVISIONS)
def test_rows_seeded_at_each_revision_survive_the_upgrade(db_url: str, revision: str) -> None:
    """Seed at ``revision``, upgrade to head with foreign keys on: nothing disappears."""
    from engagement.migrate import downgrade

    database = Database(db_url)
    try:
        downgrade(database, "base")
        upgrade(database, revision)
        has_0002 = revision != "0001"
        has_0007 = _KNOWN_REVISIONS.index(revision) >= _KNOWN_REVISIONS.index("0007")
        tables = COUNTED + (["interaction_languages", "commitments"] if has_0007 else [])
        seed = SEED + (SEED_0002 if has_0002 else []) + (SEED_0007 if has_0007 else [])
        with database.engine.begin() as connection:
            for statement in seed:
                connection.execute(text(statement.format(p=f"r{revision}")))
        before = _counts(database, tables)
        assert before["interaction_stakeholders"] == 1
    finally:
        database.dispose()
    with Tracker(db_url) as tracker:
        assert tracker.schema_status in {"upgraded", "current"}
        after = _counts(tracker.db, tables)
        with tracker.db.engine.connect() as connection:
            # 0009's copies of the interaction on its links, filled in by the upgrade.
            copies = connection.execute(
                text(
                    "SELECT start_on, last_on, status, kind, confidentiality "
                    "FROM interaction_stakeholders"
                )
            ).one()
        assert [str(value) for value in copies] == [
            "2025-05-01",
            "2025-05-31",
            "held",
            "operation",
            "internal",
        ]
        history = tracker.history(f"r{revision} Red Cross")
        assert [item.title for item in history] == [f"r{revision} stocks"]
        assert history[0].follow_ups[0].text == "report"
        # Interactions from before 0007: no format recorded, notes on the record.
        assert history[0].attribution.value == "on_record"
        assert history[0].interpreter is False
        if has_0007:
            assert history[0].languages == ["Russian"]
            owed = tracker.commitments(stakeholder=f"r{revision} Red Cross")
            assert [(c.text, c.owed_by.value, c.interaction_id) for c in owed] == [
                ("legal analysis", "us", history[0].id)
            ]
        else:
            assert history[0].meeting_format is None and history[0].languages == []
        assert tracker.get_stakeholder(f"r{revision} RC").tags == ["partner"]
        # Search documents from before the upgrade are found after it (on PostgreSQL through
        # 0010's stored tsvector column, computed for the rows already there).
        found = [hit.interaction.title for hit in tracker.search("vouchers")]
        assert found == [f"r{revision} stocks"]
        if has_0002:
            assert [hit.interaction.id for hit in tracker.search("preexisting")] == [history[0].id]
        before_0010 = _KNOWN_REVISIONS.index(revision) < _KNOWN_REVISIONS.index("0010")
        if tracker.db.engine.dialect.name == "postgresql" and before_0010:
            # Analysed by 0010's upgrade: without statistics a common word ranks every match.
            with tracker.db.engine.connect() as connection:
                analysed = connection.exec_driver_sql(
                    "SELECT count(*) FROM pg_stats WHERE tablename = 'interaction_documents' "
                    "AND attname = 'vector'"
                ).scalar()
            assert analysed == 1
    assert after == before
    assert _KNOWN_REVISIONS[-1] == SCHEMA_HEAD


def test_upgrading_to_0005_keeps_rows_and_audits_only_later_changes(db_url: str) -> None:
    """0005 adds the audit log: rows that existed before are kept and not back-filled as
    changes; every change after the upgrade is recorded, on both engines."""
    from engagement.migrate import downgrade

    database = Database(db_url)
    try:
        downgrade(database, "0004")
        with database.engine.begin() as connection:
            for statement in SEED:
                connection.execute(text(statement.format(p="old")))
        before = _counts(database, COUNTED)
    finally:
        database.dispose()
    with Tracker(db_url) as tracker:
        assert tracker.schema_status == "upgraded"
        assert _counts(tracker.db, COUNTED) == before
        assert tracker.audit_log() == []
        tracker.update_stakeholder("old Red Cross", notes="after the upgrade")
        [entry] = tracker.audit_log(stakeholder="old RC")
        assert entry.before is not None and entry.after is not None
        assert (entry.before["notes"], entry.after["notes"]) == ("n", "after the upgrade")


def test_0006_keeps_links_and_adds_posts_to_existing_data(db_url: str) -> None:
    """Upgrading a 0004 database: every link survives with no post recorded, and posts work
    on the old data at once (an old interaction named with a new post resolves to its holder)."""
    from engagement.migrate import downgrade

    database = Database(db_url)
    try:
        downgrade(database, "base")
        upgrade(database, "0004")
        with database.engine.begin() as connection:
            for statement in SEED:
                connection.execute(text(statement.format(p="p6")))
            connection.execute(
                text(
                    "INSERT INTO stakeholders (name, name_key, kind, notes, archived, "
                    "interaction_count, ongoing, created_at, updated_at, version) VALUES "
                    "('Ivan Old', 'ivan old', 'person', '', false, 0, false, "
                    "'2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)"
                )
            )
    finally:
        database.dispose()
    with Tracker(db_url) as tracker:
        assert tracker.schema_status == "upgraded"
        with tracker.db.engine.connect() as connection:
            links = connection.execute(
                text("SELECT via_post_id FROM interaction_stakeholders")
            ).all()
            assert links == [(None,)]
            assert connection.execute(text("SELECT count(*) FROM post_tenures")).scalar() == 0
        tracker.add_post("President of the p6 Red Cross", org="p6 Red Cross")
        tracker.assign_post("President of the p6 Red Cross", "Ivan Old", start="2020-01")
        tracker.update_interaction(
            tracker.history("p6 Red Cross")[0].id,
            add_stakeholders=["President of the p6 Red Cross"],
        )
        assert [item.title for item in tracker.history("Ivan Old")] == ["p6 stocks"]
        assert tracker.history("p6 RC")[0].follow_ups[0].text == "report"


def test_tables_added_after_the_audit_log_are_audited_too(db_url: str) -> None:
    """Tables from later revisions (commitments, posts, languages) get their audit triggers
    when the migrations that add them run, and batch rebuilds on SQLite keep the triggers."""
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Audit RC", kind="national_society")
        tracker.add_commitment("send the analysis", stakeholders=["Audit RC"], owed_by="us")
        tables = {entry.table for entry in tracker.audit_log()}
        assert {"stakeholders", "commitments", "commitment_stakeholders"} <= tables
