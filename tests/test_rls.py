"""Clearances enforced by PostgreSQL itself: two login roles, one cleared for ``internal`` and
one for ``strictly_confidential``, use the same database. The low role sees nothing above its
clearance through any use case nor through raw SQL; the high role sees everything; a write by
the low role keeps the stakeholders' contact statistics right (computed over every
interaction); neither can forge the audit log or raise its own clearance."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from engagement.cli import main
from engagement.errors import AccessDenied, InteractionNotFound, StorageError
from engagement.tracker import Tracker
from tests.conftest import PgServer, _need_pg, fixed_clock

pytestmark = pytest.mark.parametrize("engine", ["postgresql"])

SECRET = "detainees"
LEVELS = {
    "Public briefing on the season": "public",
    "Internal coordination meeting": "internal",
    f"Confidential talks on {SECRET}": "confidential",
    "Strictly confidential channel": "strictly_confidential",
}
VISIBLE_TO_LOW = ["Internal coordination meeting", "Public briefing on the season"]


@dataclass
class Setup:
    admin_url: str
    low_url: str
    high_url: str
    low: str
    high: str
    ids: dict[str, int]


@pytest.fixture
def team(db_url: str, pg_server: PgServer | None) -> Iterator[Setup]:
    server = _need_pg(pg_server)
    suffix = uuid.uuid4().hex[:10]
    low, high = f"eng_low_{suffix}", f"eng_high_{suffix}"
    with server.engine.connect() as connection:
        for role in (low, high):
            connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    admin = create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        ids = _seed(db_url, low, high)
        url = make_url(db_url)
        yield Setup(
            admin_url=db_url,
            low_url=url.set(username=low).render_as_string(hide_password=False),
            high_url=url.set(username=high).render_as_string(hide_password=False),
            low=low,
            high=high,
            ids=ids,
        )
    finally:
        with admin.connect() as connection:
            for role in (low, high):
                connection.execute(text(f"DROP OWNED BY {role}"))
        admin.dispose()
        with server.engine.connect() as connection:
            for role in (low, high):
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))


def _seed(url: str, low: str, high: str) -> dict[str, int]:
    with Tracker(url, clock=fixed_clock) as admin:
        admin.add_stakeholder("Ministry of Foreign Affairs", kind="ministry", aliases=["MFA"])
        ids = {}
        for month, (title, level) in enumerate(LEVELS.items(), start=3):
            logged = admin.log_interaction(
                title,
                with_=["MFA"],
                when=f"2025-0{month}-01",
                kind="meeting",
                confidentiality=level,
                tags=["detention" if SECRET in title else "coordination"],
                summary=f"notes about {title}",
            )
            admin.add_follow_up(logged.id, f"follow up on {title}")
            ids[title] = logged.id
        admin.set_clearance(low, "internal")
        admin.set_clearance(high, "strictly_confidential")
    return ids


def test_the_low_role_sees_nothing_above_its_clearance_through_the_tracker(team: Setup) -> None:
    with Tracker(team.low_url, clock=fixed_clock) as low:
        history = low.history("MFA")
        assert [item.title for item in history] == VISIBLE_TO_LOW
        assert all(SECRET not in f.text for item in history for f in item.follow_ups)
        assert low.search(SECRET) == []
        assert [hit.interaction.title for hit in low.search("internal coordination")] == [
            "Internal coordination meeting"
        ]
        with pytest.raises(InteractionNotFound):
            low.get_interaction(team.ids[f"Confidential talks on {SECRET}"])
        report = low.activity_report(
            date(2025, 1, 1), date(2025, 8, 31), confidentiality_max="strictly_confidential"
        )
        rendered = low.render_report(report, "md")
        assert isinstance(rendered, str)
        assert "Internal coordination meeting" in rendered
        assert SECRET not in rendered and "Strictly confidential channel" not in rendered
        calendar = low.export_ics(
            start=date(2025, 1, 1),
            end=date(2025, 12, 31),
            include_confidential=True,
            include_follow_ups=True,
        ).data
        assert b"Internal coordination meeting" in calendar
        assert SECRET.encode() not in calendar and b"Strictly" not in calendar
        entries = low.audit_log(limit=None)
        assert entries and all(SECRET not in str(e.before) + str(e.after) for e in entries)
        assert {e.confidentiality for e in entries} <= {None, "public", "internal"}


def test_the_low_role_sees_nothing_above_its_clearance_through_raw_sql(team: Setup) -> None:
    engine = create_engine(team.low_url)
    try:
        with engine.connect() as connection:

            def count(sql: str) -> int:
                return int(connection.execute(text(sql)).scalar_one())

            assert count("SELECT count(*) FROM interactions") == 2
            assert count("SELECT count(*) FROM interaction_stakeholders") == 2
            assert count("SELECT count(*) FROM interaction_tags WHERE tag = 'detention'") == 0
            assert count("SELECT count(*) FROM interaction_staff") == 0
            assert count("SELECT count(*) FROM follow_ups") == 2
            assert count("SELECT count(*) FROM interaction_documents") == 2
            assert count(f"SELECT count(*) FROM follow_ups WHERE text LIKE '%{SECRET}%'") == 0
            assert (
                count(
                    "SELECT count(*) FROM audit_log WHERE confidentiality IN "
                    "('confidential', 'strictly_confidential') "
                    f"OR coalesce(before::text, '') || coalesce(after::text, '') LIKE '%{SECRET}%'"
                )
                == 0
            )
            assert count("SELECT engagement_clearance_rank('no_such_role')") == 0
    finally:
        engine.dispose()


def test_the_high_role_sees_everything(team: Setup) -> None:
    with Tracker(team.high_url, clock=fixed_clock) as high:
        assert len(high.history("MFA")) == 4
        assert [hit.interaction.title for hit in high.search(SECRET)] == [
            f"Confidential talks on {SECRET}"
        ]
        confidential = high.get_interaction(team.ids[f"Confidential talks on {SECRET}"])
        assert confidential.tags == ["detention"]
        assert [f.text for f in confidential.follow_ups] == [
            f"follow up on Confidential talks on {SECRET}"
        ]
        levels = {e.confidentiality for e in high.audit_log(limit=None)}
        assert {"confidential", "strictly_confidential"} <= levels


def test_a_write_by_the_low_role_keeps_contact_statistics_right(team: Setup) -> None:
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        before = admin.get_stakeholder("MFA")
    assert (before.interaction_count, before.last_contact) == (4, date(2025, 6, 1))
    with Tracker(team.low_url, clock=fixed_clock) as low:
        low.log_interaction(
            "Follow-up call",
            with_=["MFA"],
            when="2025-02-01",
            kind="call",
            confidentiality="internal",
        )
        seen_by_low = low.get_stakeholder("MFA")
        with pytest.raises(AccessDenied, match="clearance"):
            low.log_interaction(
                "Too secret", with_=["MFA"], when="2025-08-01", confidentiality="confidential"
            )
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        after = admin.get_stakeholder("MFA")
        assert "Too secret" not in [item.title for item in admin.history("MFA")]
        entries = admin.audit_log(stakeholder="MFA", limit=None)
    assert after.interaction_count == 5
    assert after.last_contact == date(2025, 6, 1)
    assert after.first_contact == date(2025, 2, 1)
    assert seen_by_low.interaction_count == 5
    logged = [e for e in entries if e.table == "interactions" and e.action == "insert"]
    assert logged[0].after is not None and logged[0].after["title"] == "Follow-up call"
    assert logged[0].actor == team.low
    assert {e.actor for e in logged[1:]} == {"postgres"}


def test_team_roles_cannot_forge_the_audit_log_nor_raise_their_clearance(team: Setup) -> None:
    engine = create_engine(team.low_url)
    try:
        for statement in (
            "INSERT INTO audit_log (at, actor, action, table_name) "
            "VALUES (now(), 'someone', 'insert', 'x')",
            "DELETE FROM audit_log",
            f"UPDATE clearances SET level = 'strictly_confidential' WHERE role_name = '{team.low}'",
            f"INSERT INTO clearances VALUES ('{team.low}x', 'strictly_confidential')",
        ):
            with engine.begin() as connection, pytest.raises(ProgrammingError, match="denied"):
                connection.execute(text(statement))
    finally:
        engine.dispose()
    with Tracker(team.low_url, clock=fixed_clock) as low, pytest.raises(AccessDenied):
        low.set_clearance(team.low, "strictly_confidential")


def test_clearance_commands(team: Setup) -> None:
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(main, ["--db", team.admin_url, *args], catch_exceptions=False)
        return result.exit_code, result.output

    code, output = run("clearance", "list")
    assert code == 0 and team.low in output and "strictly_confidential" in output
    code, output = run("clearance", "set", f"nobody_{uuid.uuid4().hex[:6]}", "internal")
    assert code == 1 and "is not a PostgreSQL role" in output
    code, output = run("clearance", "set", team.low, "secret")
    assert code == 2 and "'secret' is not one of" in output
    code, output = run("clearance", "set", team.low, "confidential")
    assert code == 0
    with Tracker(team.low_url, clock=fixed_clock) as low:
        assert len(low.history("MFA")) == 3
    code, output = run("clearance", "remove", team.low)
    assert code == 0
    code, output = run("clearance", "remove", team.low)
    assert code == 1 and "has no clearance" in output
    with pytest.raises(StorageError, match="permission denied"):
        Tracker(team.low_url, clock=fixed_clock).history("MFA")


def test_a_merge_that_would_move_hidden_links_is_refused(team: Setup) -> None:
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        admin.add_stakeholder("Foreign Ministry (duplicate)", kind="ministry")
        admin.log_interaction(
            "Hidden talks",
            with_=["Foreign Ministry (duplicate)"],
            when="2025-07-01",
            confidentiality="confidential",
        )
    with (
        Tracker(team.low_url, clock=fixed_clock) as low,
        pytest.raises(StorageError, match="conflicts"),
    ):
        low.merge_stakeholders("MFA", "Foreign Ministry (duplicate)")
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        assert [i.title for i in admin.history("Foreign Ministry (duplicate)")] == ["Hidden talks"]
        assert admin.get_stakeholder("MFA").interaction_count == 4


def test_commitments_and_languages_follow_the_clearance_too(team: Setup) -> None:
    """Tables added after the audit log (commitments, meeting languages) are covered."""
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        admin.add_commitment(
            f"reply on the {SECRET} lists",
            owed_by="them",
            stakeholders=["MFA"],
            confidentiality="confidential",
        )
        admin.add_commitment("send the agenda", owed_by="us", stakeholders=["MFA"])
        admin.update_interaction(team.ids[f"Confidential talks on {SECRET}"], languages=["Dari"])
    with Tracker(team.low_url, clock=fixed_clock) as low:
        assert [item.text for item in low.commitments()] == ["send the agenda"]
        assert all(SECRET not in str(e.before) + str(e.after) for e in low.audit_log(limit=None))
    engine = create_engine(team.low_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT text FROM commitments")).scalars().all()
            assert rows == ["send the agenda"]
            languages = connection.execute(text("SELECT language FROM interaction_languages"))
            assert "Dari" not in languages.scalars().all()
    finally:
        engine.dispose()
    with Tracker(team.high_url, clock=fixed_clock) as high:
        assert len(high.commitments()) == 2


def _queued(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM pending_documents")).scalar())
    finally:
        engine.dispose()


def test_a_rename_by_the_low_role_reaches_the_documents_it_cannot_see(team: Setup) -> None:
    """The low role rewrites the search documents it may see and queues the others; the next
    process of a role that sees them rewrites them, so the new name finds every interaction."""
    with Tracker(team.low_url, clock=fixed_clock) as low:
        low.update_stakeholder("MFA", name="Ministry of External Affairs")
        low.add_alias("Ministry of External Affairs", "Vneshministerstvo")
        found = sorted(hit.interaction.title for hit in low.search("external"))
        assert found == VISIBLE_TO_LOW
    assert _queued(team.admin_url) == 2, "the two hidden interactions wait for a rewrite"
    assert _queued(team.low_url) == 0, "the queue shows the low role nothing it may not see"
    with Tracker(team.admin_url, clock=fixed_clock, migrate=False) as admin:  # no catching up
        stale = sorted(hit.interaction.title for hit in admin.search("external"))
    assert stale == VISIBLE_TO_LOW, "the hidden documents still hold the old name"
    with Tracker(team.high_url, clock=fixed_clock) as high:
        for word in ("external", "vneshministerstvo"):
            assert sorted(hit.interaction.title for hit in high.search(word)) == sorted(LEVELS)
    assert _queued(team.admin_url) == 0


def test_a_rename_by_a_role_that_sees_everything_queues_nothing(team: Setup) -> None:
    with Tracker(team.high_url, clock=fixed_clock) as high:
        high.update_stakeholder("MFA", name="Ministry of External Affairs")
        assert len(high.search("external")) == len(LEVELS)
    with Tracker(team.admin_url, clock=fixed_clock) as admin:
        admin.add_alias("Ministry of External Affairs", "MEA")
        assert len(admin.search("mea")) == len(LEVELS)
    assert _queued(team.admin_url) == 0


def test_a_tracker_left_open_catches_up_when_asked(team: Setup) -> None:
    """What a long-running front end does on refresh (the TUI's dashboard reload)."""
    with Tracker(team.high_url, clock=fixed_clock) as high:
        with Tracker(team.low_url, clock=fixed_clock) as low:
            low.add_alias("MFA", "Vneshministerstvo")
        assert len(high.search("vneshministerstvo")) == 2
        high.catch_up_on_search_documents()
        assert len(high.search("vneshministerstvo")) == len(LEVELS)
    assert _queued(team.admin_url) == 0
