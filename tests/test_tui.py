"""The terminal UI, driven headless with Pilot on the sample data: screens, keys, navigation,
the command palette, themes, and showing data literally."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color as TextualColor

from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import notifications, screen_text, settle, tui, type_text
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.interaction import InteractionScreen
from tui.screens.search import SearchScreen
from tui.screens.stakeholder import StakeholderScreen
from tui.screens.stakeholders import StakeholdersScreen
from tui.widgets.stakeholder_list import StakeholderList
from tui.widgets.table import TableLines
from tui.widgets.timeline import Timeline


async def test_the_dashboard_shows_upcoming_due_dormant_and_recent(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        upcoming = app.screen.query_one("#upcoming", TableLines)
        assert "Daily open channel with the Russian MoD" in upcoming.cell_texts(1)
        assert len(app.screen.query_one("#recent", TableLines).keys) == 10
        follow_ups = app.screen.query_one("#follow-ups", TableLines)
        assert follow_ups.keys, "follow-ups due in the next 14 days"
        assert app.screen.query_one("#dormant", TableLines).keys
        assert "Recent activity" in screen_text(app)
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_dashboard_reload_catches_up_on_search_documents_queued_meanwhile(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A TUI left open rewrites what a colleague's rename queued (PostgreSQL; a no-op on
    SQLite) each time the dashboard reloads; opening the tracker did it the first time."""
    calls: list[str] = []
    original = Tracker.catch_up_on_search_documents

    def recorded(self: Tracker) -> None:
        calls.append("catch up")
        original(self)

    monkeypatch.setattr(Tracker, "catch_up_on_search_documents", recorded)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert calls == ["catch up"], "once, as the tracker opened"
        await pilot.press("r")
        await settle(pilot)
        assert calls == ["catch up", "catch up"]
        assert app.screen.query_one("#dormant", TableLines).keys


async def test_each_dashboard_row_opens_what_it_is_about(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        upcoming = app.screen.query_one("#upcoming", TableLines)
        assert app.focused is upcoming
        await pilot.press("down")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        assert app.screen.interaction_id == int(upcoming.keys[1][1:])
        assert upcoming.cell_texts(1)[1] in screen_text(app)
        await pilot.press("escape")
        dormant = app.screen.query_one("#dormant", TableLines)
        dormant.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None
        assert f"s{app.screen.profile.id}" == dormant.keys[0]


async def test_keys_switch_between_the_main_views(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StakeholdersScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one("#search-query")
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "log from one typed line" in text and "full-text search" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_the_help_lists_every_global_binding(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        for key in ("/ ", "s ", "d ", "n ", "a / :", "x ", "? ", "q ", "^t", "esc", "^p"):
            assert f"  {key}" in text, key
        assert "export a calendar (.ics)" in text


async def test_the_stakeholder_list_filters_as_you_type(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        stakeholders = app.screen.query_one(StakeholderList)
        everyone = stakeholders.row_count
        assert everyone > 50
        await type_text(pilot, "moskalk")
        await pilot.pause(0.15)
        await settle(pilot)
        assert stakeholders.row_count == 1
        assert stakeholders.highlighted is not None
        assert stakeholders.highlighted.name == "Tatiana Moskalkova"
        assert "1 stakeholder match" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert "Tatiana Moskalkova" in screen_text(app)


async def test_kind_and_country_filters_narrow_the_list(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        screen = app.screen
        screen.query_one("#kind-filter").value = "embassy"  # type: ignore[attr-defined]
        await pilot.pause(0.15)
        await settle(pilot)
        stakeholders = screen.query_one(StakeholderList)
        embassies = stakeholders.row_count
        assert embassies > 5
        assert {stakeholders.item(i).kind.value for i in range(embassies)} == {"embassy"}  # type: ignore[union-attr]
        screen.query_one("#country-filter").focus()
        await type_text(pilot, "CH")
        await pilot.pause(0.15)
        await settle(pilot)
        assert stakeholders.row_count == 1
        assert stakeholders.highlighted is not None
        assert stakeholders.highlighted.name == "Embassy of Switzerland in Moscow"


async def test_a_stakeholder_shows_its_profile_and_a_timeline_by_month(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholderScreen)
        text = screen_text(app)
        assert "national society" in text and "RRC" in text
        timeline = screen.query_one(Timeline)
        own = timeline.interaction_count
        assert own > 0
        assert "2025" in text and ("June 2025" in text or "August 2025" in text)
        await pilot.press("r")
        await settle(pilot)
        assert timeline.interaction_count > own, "branches and people add to the history"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)


async def test_an_interaction_shows_everything_and_opens_its_counterparts(
    sample_url: str, tmp_path: Path
) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        visit = tracker.search("Director of Operations")[0].interaction
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_interaction(visit.id)
        await settle(pilot)
        text = screen_text(app)
        for expected in ("30 Jun – 8 Jul 2025", "visit", "#pow", "Tatiana Moskalkova", "Summary"):
            assert expected in text, expected
        assert app.focused is app.screen.query_one("#participants")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None
        assert app.screen.profile.name == visit.participants[0].name


async def test_follow_ups_toggle_done_and_an_interaction_can_be_cancelled(
    sample_url: str, tmp_path: Path
) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        visit = tracker.search("Director of Operations")[0].interaction
    follow_up = visit.follow_ups[0]
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_interaction(visit.id)
        await settle(pilot)
        app.screen.query_one("#follow-up-list").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "☑" in screen_text(app)
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#choice-cancel-it")
        await settle(pilot)
        assert "(cancelled)" in screen_text(app)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_interaction(visit.id)
    assert stored.status.value == "cancelled"
    assert next(f for f in stored.follow_ups if f.id == follow_up.id).done


async def test_the_palette_runs_actions_and_jumps_to_a_stakeholder(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Savchuk")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Stakeholder: Pavel Savchuk" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None and app.screen.profile.name == "Pavel Savchuk"
        await pilot.press("ctrl+p")
        await type_text(pilot, "Search interactions")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)


async def test_light_and_dark_themes(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"


async def test_no_color_is_respected(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.no_color
        table = app.screen.query_one("#upcoming", TableLines)
        segments = list(table.render_line(1))
        for line_filter in app._filters:
            segments = line_filter.apply(segments, TextualColor(0, 0, 0))
    colours = [
        colour.get_truecolor()
        for segment in segments
        if segment.style is not None
        for colour in (segment.style.color, segment.style.bgcolor)
        if colour is not None and not colour.is_default
    ]
    assert colours, "the row is drawn with colours before filtering"
    assert all(red == green == blue for red, green, blue in colours), colours


async def test_markup_and_escapes_in_data_are_shown_literally(db_url: str, tmp_path: Path) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        tracker.add_stakeholder("[bold red]X[/]", kind="ngo")
        tracker.add_stakeholder("Evil \x1b[31mRed\x1b[0m Org", kind="ngo")
        tracker.log_interaction(
            "[b]Hi[/b] talk",
            with_=["[bold red]X[/]", "Evil [31mRed[0m Org"],
            when="2025-08-20",
            summary="[blink]notes[/blink]",
        )
    app = tui(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "[b]Hi[/b] talk" in text
        assert "[bold red]X[/" in text
        await pilot.press("s")
        await settle(pilot)
        assert "[bold red]X[/]" in screen_text(app)
        assert "Evil [31mRed[0m Org" in screen_text(app)
        app.open_stakeholder("[bold red]X[/]")
        await settle(pilot)
        assert "[bold red]X[/]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "[blink]notes[/blink]" in screen_text(app)
        await pilot.press("ctrl+p")
        await type_text(pilot, "bold")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "Stakeholder: [bold red]X[/]" in screen_text(app)


async def test_a_broken_database_is_a_notification_not_a_crash(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a database" * 100)
    app = tui(str(bad), tmp_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        messages = notifications(app)
        assert any("file is not a database" in message for message in messages), messages
        assert "Traceback" not in screen_text(app)


def test_the_app_module_does_not_import_the_database_layer() -> None:
    """The first paint must not wait for SQLAlchemy or pydantic: they load in a worker."""
    import subprocess
    import sys

    script = (
        "import sys, tui.app\n"
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in "
        "{'sqlalchemy', 'pydantic', 'alembic', 'icalendar'}))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    assert loaded == []
