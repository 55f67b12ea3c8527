"""Opening a stakeholder: the first frame already shows the profile and the history when the
reads are done in time, "Loading…" otherwise, and the cycle collector is back on afterwards."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any

import pytest
from textual._styles_cache import StylesCache
from textual.color import Color
from textual.pilot import Pilot

import tui.screens.stakeholder as stakeholder_module
from tests.test_tui_support import screen_text, settle, tui
from tui import styles_cache_leak
from tui.app import EngagementApp
from tui.screens import stakeholder_spare
from tui.screens.stakeholder import StakeholderScreen
from tui.widgets.timeline import Timeline


def _watch_frames(app: Any) -> list[bool]:
    """For each frame of a stakeholder screen written out: did it show the data?"""
    frames: list[bool] = []
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        if isinstance(screen, StakeholderScreen) and renderable is not None:
            timeline = screen.query(Timeline).first() if screen.query(Timeline) else None
            frames.append(screen.profile is not None and bool(timeline and timeline.loaded))

    app._display = display
    return frames


async def test_the_first_frame_shows_the_profile_and_the_history(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stakeholder_module, "OPENING_WAIT", 30.0)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        frames = _watch_frames(app)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        assert frames, "the screen was painted"
        assert frames[0], "no frame of placeholders before the data"
        text = screen_text(app)
        assert "national society" in text and "Loading" not in text
        assert gc.isenabled()


async def test_slow_reads_show_loading_then_the_data(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stakeholder_module, "OPENING_WAIT", 0.0)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholderScreen)
        assert screen.profile is not None
        assert screen.query_one(Timeline).interaction_count > 0
        assert "national society" in screen_text(app)
        assert gc.isenabled()


async def test_the_collector_runs_again_when_the_screen_closes_early(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await pilot.pause()
        app.pop_screen()
        await settle(pilot)
        assert gc.isenabled()


async def test_a_screen_covered_and_shown_again_reads_afresh(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholderScreen)
        first = screen.profile
        await pilot.press("question_mark")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        assert screen.profile is not None and screen.profile is not first


async def _open_and_close_a_stakeholder(app: EngagementApp, pilot: Pilot[Any]) -> None:
    """What makes the app build a spare screen: one stakeholder screen opened and closed."""
    await settle(pilot)
    app.open_stakeholder("Russian Red Cross")
    await settle(pilot)
    app.pop_screen()
    await settle(pilot)


async def test_the_next_stakeholder_opens_on_a_screen_built_ahead(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_close_a_stakeholder(app, pilot)
        spare, _ = stakeholder_spare._SPARES[app]
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        assert app.screen is spare
        assert spare.profile is not None and spare.profile.name == "Tatiana Moskalkova"
        text = screen_text(app)
        assert "Tatiana Moskalkova" in text and "national society" not in text
        assert spare.query_one(Timeline).interaction_count > 0
        assert app.focused is spare.query_one(Timeline)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, StakeholderScreen), "the timeline opens its rows"


async def test_a_screen_built_for_another_theme_is_not_used(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_close_a_stakeholder(app, pilot)
        spare, _ = stakeholder_spare._SPARES[app]
        await pilot.press("ctrl+t")
        await settle(pilot)
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        assert app.screen is not spare
        assert "Tatiana Moskalkova" in screen_text(app)


async def test_without_textuals_private_members_stakeholders_open_on_new_screens(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Textual release that drops what the spare needs costs speed, not the screen."""
    monkeypatch.setattr(stakeholder_spare, "_PRIVATE_MEMBERS", ("_no_such_member",))
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_and_close_a_stakeholder(app, pilot)
        assert app not in stakeholder_spare._SPARES
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        assert "Tatiana Moskalkova" in screen_text(app)


def test_painted_lines_are_not_kept_alive_by_textuals_colour_memo() -> None:
    styles_cache_leak.plug()
    styles_cache_leak.plug()  # a second call changes nothing
    cache = StylesCache()
    inner, outer = cache.get_inner_outer(Color(10, 20, 30), Color(40, 50, 60, 0.5))
    assert inner.background is not None and outer.background == Color(10, 20, 30)
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None
