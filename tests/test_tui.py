"""The terminal UI, driven headless with Pilot on the sample data."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable
from textual.worker import WorkerFailed

from tests.conftest import fixed_clock
from tui.app import make_app


def _column(table: DataTable[Any], index: int) -> list[str]:
    return [str(table.get_row_at(row)[index]) for row in range(table.row_count)]


async def _loaded(pilot: Pilot[None]) -> None:
    with contextlib.suppress(WorkerFailed):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_dashboard_shows_upcoming_due_and_recent(sample_url: str) -> None:
    app = make_app(sample_url, clock=fixed_clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        upcoming = app.screen.query_one("#upcoming", DataTable)
        assert "Daily open channel with the Russian MoD" in _column(upcoming, 1)
        recent = app.screen.query_one("#recent", DataTable)
        assert recent.row_count == 10
        follow_ups = app.screen.query_one("#follow-ups", DataTable)
        assert follow_ups.row_count >= 1
        await pilot.press("q")
    assert app.return_code == 0


async def test_a_broken_database_is_a_notification_not_a_crash(tmp_path: Any) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not a database" * 100)
    app = make_app(str(bad), clock=fixed_clock)
    async with app.run_test() as pilot:
        await _loaded(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert any("file is not a database" in message for message in messages), messages


def test_dashboard_snapshot_80x24(
    snap_compare: Callable[..., bool], sample_url: str, engine: str
) -> None:
    if engine != "sqlite":
        return
    assert snap_compare(
        make_app(sample_url, clock=fixed_clock), terminal_size=(80, 24), run_before=_loaded
    )


def test_dashboard_snapshot_120x40(
    snap_compare: Callable[..., bool], sample_url: str, engine: str
) -> None:
    if engine != "sqlite":
        return
    assert snap_compare(
        make_app(sample_url, clock=fixed_clock), terminal_size=(120, 40), run_before=_loaded
    )
