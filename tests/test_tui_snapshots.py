"""Snapshots of the main screens on the sample data, at 80x24 and 120x40 (on SQLite only: the
pictures do not depend on the engine). Regenerate with ``--snapshot-update`` and look at the
SVGs in ``tests/__snapshots__/`` before committing them."""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.test_tui_support import settle, tui, type_text, wait_until

Step = Callable[[Pilot[Any]], Awaitable[None]]
SIZES = [(80, 24), (120, 40)]


async def _dashboard(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def _stakeholders(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await type_text(pilot, "red cross")
    await pilot.pause(0.2)
    await settle(pilot)


async def _stakeholder(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_stakeholder("Russian Red Cross")  # type: ignore[attr-defined]
    await settle(pilot)


async def _interaction(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_stakeholder("Tatiana Moskalkova")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def _new_form(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.open_stakeholder("Pavel Savchuk")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("n")
    await type_text(pilot, "Talks on the RFL network")
    pilot.app.screen.query_one("#when", Input).value = "June 30 to July 8 2025"
    await pilot.pause()


async def _form_errors(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("n")
    pilot.app.screen.query_one("#when", Input).value = "31 Feb"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _search(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("slash")
    await type_text(pilot, "prisoners")
    await pilot.pause(0.35)
    await settle(pilot)


async def _quick_add(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("a")
    pilot.app.screen.query_one("#quick-input", Input).value = (
        "Meeting with @Moskalkova on POW exchanges #pow #missing "
        "2025-07-01 10:00 Europe/Moscow !confidential"
    )
    await pilot.pause()


async def _help(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await pilot.pause()


async def _export(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("x")
    await pilot.pause()


async def _insights(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("i")
    await settle(pilot)
    # The chart is drawn for its size; under load a late layout pass can resize it after the
    # data arrived: wait for that, then draw once more at the final size.
    await pilot.pause(0.3)
    screen = pilot.app.screen
    if screen.activity is not None:  # type: ignore[attr-defined]
        screen._draw(screen.activity)  # type: ignore[attr-defined]
    await pilot.pause()


async def _stakeholder_map(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    tracker = pilot.app.tracker()  # type: ignore[attr-defined]
    for name, influence, interest in (
        ("Russian Red Cross", 5, 5),
        ("Ministry of Defence of the Russian Federation", 5, 2),
        ("Tatiana Moskalkova", 2, 4),
        ("Pavel Savchuk", 1, 2),
    ):
        tracker.update_stakeholder(name, influence=influence, interest=interest)
    await pilot.press("m")
    await settle(pilot)


async def _merge(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.tracker().add_stakeholder(  # type: ignore[attr-defined]
        "Tatiana Moskalkva", kind="person", country="RU"
    )
    pilot.app.open_stakeholder("Tatiana Moskalkova")  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("M")
    await wait_until(pilot, lambda: pilot.app.screen.id == "merge-dialog")
    await pilot.pause()


SCREENS: dict[str, Step] = {
    "dashboard": _dashboard,
    "stakeholders": _stakeholders,
    "stakeholder": _stakeholder,
    "interaction": _interaction,
    "new_form": _new_form,
    "form_errors": _form_errors,
    "search": _search,
    "quick_add": _quick_add,
    "help": _help,
    "export": _export,
    "insights": _insights,
    "stakeholder_map": _stakeholder_map,
    "merge": _merge,
}


# plotext places one x-axis label a cell apart from run to run when the chart is narrow, so
# the Insights chart is compared at the wide size only (its content is asserted at 80x24 in
# tests/test_tui_insights.py).
CASES = [
    pytest.param(screen, size, id=f"{screen}-{size[0]}x{size[1]}")
    for screen in SCREENS
    for size in SIZES
    if not (screen == "insights" and size == (80, 24))
]


@pytest.mark.parametrize(("screen", "size"), CASES)
def test_screen_snapshot(
    snap_compare: Callable[..., bool],
    templates: Callable[[str, str], str],
    tmp_path: Path,
    screen: str,
    size: tuple[int, int],
) -> None:
    database = tmp_path / "sample.db"
    shutil.copyfile(templates("sqlite", "sample"), database)
    app = tui(f"sqlite:///{database}", tmp_path)

    async def steady(pilot: Pilot[Any]) -> None:
        """The screen, with blinking cursors held still (a blink mid-capture is not a
        layout change)."""
        await SCREENS[screen](pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=steady)
