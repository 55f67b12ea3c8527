"""Regenerate the TUI guide's screenshots: ``python -m tui.screenshots docs/images``.

Each picture is an SVG saved by Textual itself (``App.save_screenshot``) from the app driven
headless on a fresh copy of the sample data, with the clock fixed at 1 September 2025 so the
pictures do not change from one run to the next.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import EngagementApp, make_app

NOW = datetime(2025, 9, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
Step = Callable[[Pilot[Any]], Awaitable[None]]


def _clock() -> datetime:
    return NOW


async def _settle(pilot: Pilot[Any]) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.1)


async def _dashboard(pilot: Pilot[Any]) -> None:
    await _settle(pilot)


async def _stakeholders(pilot: Pilot[Any]) -> None:
    await pilot.press("s")
    await _settle(pilot)
    await pilot.press(*"mfa")
    await pilot.pause(0.2)
    await _settle(pilot)


async def _stakeholder(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    app.open_stakeholder("Russian Red Cross")
    await _settle(pilot)


async def _interaction(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    app.open_stakeholder("Tatiana Moskalkova")
    await _settle(pilot)
    await pilot.press("down", "enter")
    await _settle(pilot)


async def _form(pilot: Pilot[Any]) -> None:
    app: Any = pilot.app
    app.open_stakeholder("Pavel Savchuk")
    await _settle(pilot)
    await pilot.press("n")
    await pilot.press(*"Talks on the RFL network")
    pilot.app.screen.query_one("#when", Input).value = "June 30 to July 8 2025"
    pilot.app.screen.query_one("#location", Input).value = "Moscow"
    await pilot.pause(0.2)


async def _quick_add(pilot: Pilot[Any]) -> None:
    await pilot.press("a")
    pilot.app.screen.query_one("#quick-input", Input).value = (
        "Meeting with @Moskalkova on POW exchanges #pow #missing "
        "2025-07-01 10:00 Europe/Moscow !confidential"
    )
    await pilot.pause(0.2)


async def _search(pilot: Pilot[Any]) -> None:
    await pilot.press("slash")
    await pilot.press(*"prisoners")
    await pilot.pause(0.4)
    await _settle(pilot)


async def _export(pilot: Pilot[Any]) -> None:
    await pilot.press("x")
    await pilot.pause(0.2)


async def _help(pilot: Pilot[Any]) -> None:
    await pilot.press("question_mark")
    await pilot.pause(0.2)


async def _insights(pilot: Pilot[Any]) -> None:
    await pilot.press("i")
    await _settle(pilot)


async def _map(pilot: Pilot[Any]) -> None:
    await pilot.press("m")
    await _settle(pilot)


async def _merge(pilot: Pilot[Any]) -> None:
    from tui.screens.merge import MergeDialog

    app: Any = pilot.app
    tracker = app.tracker()
    twin = tracker.add_stakeholder("Tatiana Moskalkva", kind="person", country="RU")
    keep = tracker.stakeholder_profile("Tatiana Moskalkova")
    drop = tracker.stakeholder_profile(f"#{twin.id}")
    app.open_stakeholder(f"#{twin.id}")
    await _settle(pilot)
    app.push_screen(MergeDialog(keep, drop))
    await pilot.pause(0.2)


SCORES = (
    ("Russian Red Cross", 5, 5),
    ("Ministry of Defence of the Russian Federation", 5, 2),
    ("Ministry of Foreign Affairs of the Russian Federation", 5, 4),
    ("State Duma", 4, 2),
    ("Embassy of Switzerland in Moscow", 2, 5),
    ("Tatiana Moskalkova", 2, 4),
    ("Pavel Savchuk", 2, 2),
)
"""Influence and interest for the map's picture (the sample data has none)."""

SHOTS: dict[str, Step] = {
    "dashboard": _dashboard,
    "stakeholders": _stakeholders,
    "stakeholder": _stakeholder,
    "interaction": _interaction,
    "form": _form,
    "quick-add": _quick_add,
    "search": _search,
    "export": _export,
    "help": _help,
    "insights": _insights,
    "map": _map,
    "merge": _merge,
}


async def _shoot(url: str, state: Path, folder: Path, name: str, step: Step) -> None:
    app: EngagementApp = make_app(url, clock=_clock, state_dir=state)
    async with app.run_test(size=(120, 36)) as pilot:
        await _settle(pilot)
        await step(pilot)
        await _settle(pilot)
        app.save_screenshot(filename=f"tui-{name}.svg", path=str(folder))


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "docs/images")
    folder.mkdir(parents=True, exist_ok=True)
    from engagement.tracker import Tracker

    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{scratch}/sample.db"
        with Tracker(url, clock=_clock) as tracker:
            tracker.load_sample(with_examples=True)
            for name, influence, interest in SCORES:
                tracker.update_stakeholder(name, influence=influence, interest=interest)
        for name, step in SHOTS.items():
            asyncio.run(_shoot(url, Path(scratch) / name, folder, name, step))
            print(folder / f"tui-{name}.svg")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
