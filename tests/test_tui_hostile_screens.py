"""Markup in data stays literal on the screens added with posts, commitments, the brief,
Insights and the stakeholder map (the older screens: tests/test_tui.py)."""

from __future__ import annotations

from pathlib import Path

from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import screen_text, settle, tui

ORG = "Ahmed [MFA] Office"
POST = "Head [/] of Office"
HOLDER = "[@click=app.quit]Boss[/]"
PROMISE = "Send [bold]the analysis[/] now"


def _seed(url: str) -> None:
    with Tracker(url, clock=fixed_clock) as tracker:
        tracker.add_stakeholder(ORG, kind="ministry", influence=5, interest=5)
        tracker.add_stakeholder(HOLDER, kind="person")
        tracker.add_post(POST, org=ORG)
        tracker.assign_post(POST, HOLDER, start="2025-01-01")
        tracker.log_interaction(
            "Talks [i]on[/i] detention", with_=[POST], when="2025-08-20", kind="meeting"
        )
        tracker.add_commitment(PROMISE, owed_by="us", stakeholders=[ORG], due="2025-09-05")


async def test_new_screens_show_markup_literally(db_url: str, tmp_path: Path) -> None:
    _seed(db_url)
    app = tui(db_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert PROMISE[:20] in screen_text(app)  # the dashboard's commitments panel
        app.open_stakeholder(ORG)
        await settle(pilot)
        text = screen_text(app)
        assert ORG in text and POST in text
        await pilot.press("b")
        await settle(pilot)
        text = screen_text(app)
        assert f"Brief: {ORG}" in text and f"{POST}: {HOLDER}" in text
        await pilot.press("end")
        await settle(pilot)
        assert PROMISE[:20] in screen_text(app)  # the brief's open commitments, at the end
        await pilot.press("escape")
        await settle(pilot)
        app.open_stakeholder(POST)
        await settle(pilot)
        text = screen_text(app)
        assert HOLDER in text and "Talks [i]on[/i] detention" in text
        app.action_stakeholder_map()
        await settle(pilot)
        assert ORG in screen_text(app)
        app.action_insights()
        await settle(pilot)
        assert app.is_running
    assert app.return_code in (None, 0)
