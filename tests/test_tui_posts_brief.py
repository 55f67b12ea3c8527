"""The TUI on posts and the brief: a stakeholder's post holders, a post's holders over time
with the interactions under each, and ``b`` showing and saving the brief."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList, Static

from tests.test_tui_support import screen_text, settle, tui
from tui.screens.brief import BriefScreen
from tui.screens.dashboard import DashboardScreen
from tui.screens.stakeholder import StakeholderScreen
from tui.screens.stakeholders import StakeholdersScreen
from tui.widgets.stakeholder_list import StakeholderList
from tui.widgets.table import TableLines


def _around(app: object) -> list[str]:
    related = app.screen.query_one("#related", OptionList)  # type: ignore[attr-defined]
    return [str(related.get_option_at_index(i).prompt) for i in range(related.option_count)]


async def test_an_organisation_shows_its_post_holders(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        around = _around(app)
        assert "post · President of the Russian Red Cross" in around
        assert around[0] == "President of the Russian Red Cross · Pavel Savchuk"
        assert not any(line.endswith("· Pavel Savchuk") for line in around[1:])
        assert not any("branch · President" in line for line in around)
        # whom we deal with, then what is owed both ways, then the (many) branches
        owed = [
            "they owe, due 2025-09-15 · Reply on the family-reunification request passed on by "
            "the ICRC",
            "we owe, due 2025-12-15 · Comment on the Government regulations on the use of the "
            "Red Cross emblem",
        ]
        assert around[1:3] == owed
        assert not any("legal analysis" in line for line in around)  # kept
        first_branch = next(i for i, line in enumerate(around) if line.startswith("branch · "))
        assert first_branch > around.index("post · President of the Russian Red Cross") > 2


async def test_a_person_shows_their_posts(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Ravil Gainutdin")
        await settle(pilot)
        assert "post, start unknown – present · Chairman of the Russian Council of Muftis" in (
            _around(app)
        )


async def test_a_post_shows_its_holders_over_time_and_the_interactions_under_each(
    sample_url: str, tmp_path: Path
) -> None:
    from engagement.tracker import Tracker
    from tests.conftest import fixed_clock

    with Tracker(sample_url, clock=fixed_clock) as tracker:
        tracker.add_stakeholder("Anna Former", kind="person", country="RU")
        tracker.assign_post("President of the Russian Red Cross", "Pavel Savchuk", start="2021-11")
        tracker.assign_post(
            "President of the Russian Red Cross", "Anna Former", start="2017-04", end="2021-10"
        )
        tracker.log_interaction(
            "Courtesy call on the former President",
            with_=["President of the Russian Red Cross"],
            when="2019-03-05",
        )
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_stakeholder("President of the Russian Red Cross")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        text = str(app.screen.query_one("#post-terms", Static).content)
        assert text.startswith("Holders over time")
        savchuk, anna = text.index("Pavel Savchuk  Nov 2021 – present"), text.index("Anna Former")
        assert savchuk < text.index("First visit to Moscow") < anna
        assert anna < text.index("Courtesy call on the former")
        assert "Apr 2017 – Oct 2021" in text


async def test_b_on_a_stakeholder_shows_and_saves_the_brief(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        saved = tmp_path / "state" / "briefs" / "brief-Russian_Red_Cross-2025-09-01.md"
        assert saved.exists() and app.screen.saved_to == saved
        text = screen_text(app)
        assert "Saved to" in text and "brief-Russian_Red_Cross" in text
        for expected in ("Brief: Russian Red Cross", "Confidentiality: up to internal", "Pavel"):
            assert expected in text, expected
        content = saved.read_text(encoding="utf-8")
        assert "Emergency stocks for four Russian Red Cross branches" in content
        await pilot.press("escape")
        assert isinstance(app.screen, StakeholderScreen)


async def test_b_in_the_stakeholder_list_briefs_the_highlighted_one(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StakeholdersScreen)
        listing = app.screen.query_one(StakeholderList)
        listing.focus()
        await settle(pilot)
        first = listing.highlighted
        assert first is not None
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert app.screen.brief is not None and app.screen.brief.stakeholder == first.name


async def test_b_on_an_upcoming_meeting_briefs_for_that_meeting(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        upcoming = app.screen.query_one("#upcoming", TableLines)
        meeting = int(upcoming.keys[0][1:])
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        brief = app.screen.brief
        assert brief is not None and brief.for_meeting is not None
        assert brief.for_meeting.id == meeting
        assert "For the meeting:" in screen_text(app)
        assert app.screen.saved_to is not None
        assert (
            app.screen.saved_to.name
            == f"brief-{brief.stakeholder.replace(' ', '_')}-meeting-{meeting}.md"
        )
