"""The Insights screen, the power–interest grid and the activity sparkline, driven with keys on
the sample data (the app clock is 1 September 2025)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList, Sparkline, Static
from textual_plotext import PlotextPlot

from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import screen_text, settle, tui, type_text
from tui.screens.dashboard import DashboardScreen
from tui.screens.help import HelpScreen
from tui.screens.insights import InsightsScreen
from tui.screens.stakeholder import StakeholderScreen
from tui.screens.stakeholder_form import StakeholderFormScreen
from tui.screens.stakeholder_map import StakeholderMapScreen
from tui.widgets.table import TableLines

HOSTILE = "[/] [@click=app.quit]Ahmed[/] [MFA]"


def _unscored(url: str) -> None:
    """The sample scores a few stakeholders; these tests start from none."""
    with Tracker(url, clock=fixed_clock) as tracker:
        for quadrant in tracker.stakeholder_map().quadrants:
            for item in quadrant.stakeholders:
                tracker.update_stakeholder(f"#{item.id}", influence=None, interest=None)


def _scored(url: str) -> None:
    """Scores on three stakeholders of the sample, and a hostile name in "keep informed"."""
    _unscored(url)
    with Tracker(url, clock=fixed_clock) as tracker:
        tracker.update_stakeholder("Russian Red Cross", influence=5, interest=5)
        tracker.update_stakeholder(
            "Ministry of Defence of the Russian Federation", influence=5, interest=2
        )
        tracker.update_stakeholder("Tatiana Moskalkova", influence=2, interest=4)
        tracker.add_stakeholder(HOSTILE, kind="person", influence=1, interest=5)


async def test_insights_chart_window_keys_and_dormant_list(sample_url: str, tmp_path: Path) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        expected = tracker.activity_by_month(
            fixed_clock().date().replace(month=10, year=2024), fixed_clock().date()
        )
        dormant = tracker.dormant(180)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        text = screen_text(app)
        assert f"Interactions per month · Oct 24 – Sep 25 · {expected.total()} in all" in text
        assert expected.total() > 0
        assert "national society" in text  # the legend of the stacked bars
        assert "Jan 25" in text and "Sep" in text
        chart = app.screen.query_one(PlotextPlot)
        assert not chart.loading
        rows = app.screen.query_one("#insights-dormant", TableLines)
        assert rows.keys == [f"s{entry.stakeholder.id}" for entry in dormant]
        assert dormant[0].stakeholder.name in text

        await pilot.press("left_square_bracket")  # a year earlier: before the log starts
        await settle(pilot)
        assert "Oct 23 – Sep 24 · 0 in all" in screen_text(app)
        assert "no interactions in these months" in screen_text(app)
        await pilot.press("right_square_bracket", "minus")
        await settle(pilot)
        assert "Apr 25 – Sep 25" in screen_text(app)
        await pilot.press("plus", "plus", "plus")
        await settle(pilot)
        assert "Oct 23 – Sep 25" in screen_text(app)
        await pilot.press("0")
        await settle(pilot)
        assert "Oct 24 – Sep 25" in screen_text(app)

        rows.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None
        assert app.screen.profile.id == dormant[0].stakeholder.id


async def test_insights_and_map_from_the_palette_and_in_help(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Insights")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Stakeholder map")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderMapScreen)
        await pilot.press("i")  # back to Insights, not a third screen
        await settle(pilot)
        assert isinstance(app.screen, InsightsScreen)
        assert len(app.screen_stack) == 2
        await pilot.press("m", "i", "m")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderMapScreen)
        assert len(app.screen_stack) == 3
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = " ".join(str(widget.render()) for widget in app.screen.query(".help-section"))
        assert "Insights" in help_text and "a year earlier" in help_text
        assert "power–interest grid" in help_text
        assert "merge with a likely duplicate" in help_text


async def test_the_power_interest_grid_places_and_opens_stakeholders(
    sample_url: str, tmp_path: Path
) -> None:
    _scored(sample_url)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderMapScreen)
        text = screen_text(app)
        for title in (
            "Manage closely · 1",
            "Keep satisfied · 1",
            "Keep informed · 2",
            "Monitor · 0",
        ):
            assert title in text
        assert "high influence, high interest" in text
        assert "low influence, low interest" in text
        assert HOSTILE in text  # shown literally, and the app is still running

        def names(key: str) -> list[str]:
            options = app.screen.query_one(f"#list-{key}", OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        assert names("manage-closely") == ["Russian Red Cross  5/5"]
        assert names("keep-satisfied") == ["Ministry of Defence of the Russian Federation  5/2"]
        assert names("keep-informed") == ["Tatiana Moskalkova  2/4", f"{HOSTILE}  1/5"]
        assert app.focused is app.screen.query_one("#list-manage-closely")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None and app.screen.profile.name == "Russian Red Cross"
        await pilot.press("escape")
        await settle(pilot)
        app.screen.query_one("#list-keep-informed").focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert app.screen.profile is not None and app.screen.profile.name == HOSTILE
    assert app.return_code in (None, 0)


async def test_the_map_says_when_nobody_is_scored(sample_url: str, tmp_path: Path) -> None:
    _unscored(sample_url)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.action_stakeholder_map()
        await settle(pilot)
        text = screen_text(app)
        assert "nobody here" in text
        assert "0 scored" in text


async def test_a_stakeholders_sparkline_shows_24_months(sample_url: str, tmp_path: Path) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        activity = tracker.stakeholder_activity("Russian Red Cross")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        sparkline = app.screen.query_one(Sparkline)
        assert list(sparkline.data or []) == activity.totals()
        assert len(activity.totals()) == 24
        total = activity.total()
        assert total > 0
        assert f"Activity Oct 2023 – Sep 2025: {total} interactions" in screen_text(app)


async def test_insights_show_hostile_names_literally(sample_url: str, tmp_path: Path) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        tracker.add_stakeholder(HOSTILE, kind="ngo")  # never contacted: first in the list
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert HOSTILE in screen_text(app)
        rows = app.screen.query_one("#insights-dormant", TableLines)
        assert HOSTILE in rows.cell_texts(0)
    assert app.return_code in (None, 0)


async def test_scores_set_in_the_stakeholder_form_place_it_on_the_map(
    sample_url: str, tmp_path: Path
) -> None:
    _unscored(sample_url)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "Savchuk")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("down", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StakeholderFormScreen)
        form.query_one("#sh-influence", Input).value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "a score out of range is refused"
        assert "influence" in str(form.query_one("#sh-error", Static).render())
        form.query_one("#sh-influence", Input).value = "4"
        form.query_one("#sh-interest", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
        app.action_stakeholder_map()
        await settle(pilot)
        options = app.screen.query_one("#list-manage-closely", OptionList)
        assert str(options.get_option_at_index(0).prompt) == "Pavel Savchuk  4/5"
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_stakeholder("Pavel Savchuk")
    assert (stored.influence, stored.interest) == (4, 5)


async def test_an_old_log_opens_insights_on_its_latest_activity(
    sample_url: str, tmp_path: Path
) -> None:
    """Nothing logged in the last 12 months (the sample seen in 2027): the chart opens on the
    12 months up to the latest activity instead of an empty year, and the keys still work."""
    from datetime import datetime, timedelta

    from tui.app import make_app

    def later() -> datetime:
        return fixed_clock() + timedelta(days=600)

    app = make_app(sample_url, clock=later, state_dir=tmp_path / "state")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        title = str(app.screen.query_one("#chart-title").render())
        assert title.endswith("Sep 24 – Aug 25 · 41 in all"), title
        await pilot.press("right_square_bracket")
        await settle(pilot)
        title = str(app.screen.query_one("#chart-title").render())
        assert title.endswith("Sep 25 – Aug 26 · 0 in all"), title
