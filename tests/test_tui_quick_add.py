"""Quick-add and the calendar export dialog, driven through the TUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Select

from engagement.api.calendar import CalendarUseCases
from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import notifications, screen_text, settle, tui, type_text, wait_until
from tui.screens.dialogs import PickDialog
from tui.screens.export import ExportScreen
from tui.screens.interaction import InteractionScreen
from tui.screens.quick_add import QuickAddScreen
from tui.screens.stakeholder_form import StakeholderFormScreen

LINE = (
    "Meeting with @Moskalkova on POW exchanges #pow #missing "
    "2025-07-01 10:00 Europe/Moscow !confidential"
)


def _titled(url: str, title: str, stakeholder: str) -> Any:
    with Tracker(url, clock=fixed_clock) as tracker:
        return [item for item in tracker.history(stakeholder) if item.title == title]


async def test_quick_add_shows_what_it_parsed_then_logs(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("colon")
        assert isinstance(app.screen, QuickAddScreen)
        app.screen.query_one("#quick-input", Input).value = LINE
        await pilot.pause()
        text = screen_text(app)
        assert "Meeting with Moskalkova on POW exchanges" in text
        assert "Tue 1 Jul 2025 10:00 Europe/Moscow" in text
        assert "#pow #missing" in text and "confidential" in text
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, QuickAddScreen)
        assert any("Logged “Meeting with Moskalkova" in n for n in notifications(app))
    [logged] = _titled(sample_url, "Meeting with Moskalkova on POW exchanges", "Tatiana Moskalkova")
    assert logged.stakeholders == ["Tatiana Moskalkova"]
    assert sorted(logged.tags) == ["missing", "pow"]
    assert logged.confidentiality.value == "confidential"
    assert logged.timezone == "Europe/Moscow" and logged.start.startswith("2025-07-01T10:00")


async def test_quick_add_typed_key_by_key_with_a_mistake(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Call @Savchuk +c")
        assert "could be +call or +conference" in screen_text(app)
        await pilot.press("enter")
        assert isinstance(app.screen, QuickAddScreen), "nothing is logged while it cannot parse"
        await type_text(pilot, "all tomorrow")
        assert "Tue 2 Sep 2025" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, QuickAddScreen)
    [logged] = _titled(sample_url, "Call Savchuk", "Pavel Savchuk")
    assert logged.kind.value == "call" and logged.start == "2025-09-02"


async def test_an_ambiguous_name_asks_which_one(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("#quick-input", Input).value = "Consultations @MFA 2025-08-05"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog))
        text = screen_text(app)
        assert "Republic of Belarus" in text and "Russian Federation" in text
        options = app.screen.query_one(OptionList)
        belarus = next(
            index
            for index in range(options.option_count)
            if "Belarus" in str(options.get_option_at_index(index).prompt)
        )
        options.highlighted = belarus
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, (PickDialog, QuickAddScreen))
    [logged] = _titled(sample_url, "Consultations MFA", "MFA (BY)")
    assert logged.stakeholders == ["Ministry of Foreign Affairs of the Republic of Belarus"]


async def test_an_unknown_name_can_be_created_on_the_spot(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("#quick-input", Input).value = 'Intro @"Zeta Relief Fund" 2025-08-05'
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog))
        assert "No stakeholder is called “Zeta Relief Fund”" in screen_text(app)
        options = app.screen.query_one(OptionList)
        options.highlighted = options.option_count - 1
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderFormScreen))
        app.screen.query_one("#sh-kind", Select).value = "ngo"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, StakeholderFormScreen))
        await settle(pilot)
        assert not isinstance(app.screen, QuickAddScreen)
    [logged] = _titled(sample_url, "Intro Zeta Relief Fund", "Zeta Relief Fund")
    assert logged.stakeholders == ["Zeta Relief Fund"]


async def test_escape_in_the_picker_logs_nothing(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        app.screen.query_one("#quick-input", Input).value = "Consultations @MFA 2025-08-05"
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PickDialog))
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QuickAddScreen)
        assert any("Not logged" in n for n in notifications(app))
    assert _titled(sample_url, "Consultations MFA", "MFA (BY)") == []
    assert _titled(sample_url, "Consultations MFA", "MFA (RU)") == []


# --- export -----------------------------------------------------------------------------------


async def test_export_says_so_when_the_library_cannot_export_yet(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(CalendarUseCases, "export_ics", raising=False)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("calendar export is not available" in n for n in notifications(app))
        assert isinstance(app.screen, ExportScreen)


async def test_export_writes_the_file_and_says_where(
    sample_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: dict[str, Any] = {}

    def export_ics(self: Any, **choices: Any) -> str:
        received.update(choices)
        return "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

    monkeypatch.setattr(CalendarUseCases, "export_ics", export_ics, raising=False)
    target = tmp_path / "out" / "delegation.ics"
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("x")
        screen = app.screen
        screen.query_one("#from", Input).value = "2025-06"
        screen.query_one("#to", Input).value = "2025-08"
        screen.query_one("#stakeholders", Input).value = "Russian Red Cross, MFA (BY)"
        screen.query_one("#tags", Input).value = "pow missing"
        screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExportScreen)
        assert any(f"Exported 1 event to {target}" in n for n in notifications(app))
    assert target.read_text().startswith("BEGIN:VCALENDAR")
    assert received["start"].isoformat() == "2025-06-01"
    assert received["end"].isoformat() == "2025-08-31"
    assert received["stakeholders"] == ["Russian Red Cross", "MFA (BY)"]
    assert received["tags"] == ["pow", "missing"]
    assert received["include_confidential"] is False


async def test_one_interaction_exports_from_its_screen(sample_url: str, tmp_path: Path) -> None:
    if not hasattr(CalendarUseCases, "export_ics"):
        pytest.skip("the library has no calendar export yet")
    target = tmp_path / "one.ics"
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.query_one("#upcoming").focus()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, InteractionScreen) and screen.interaction is not None
        uid = screen.interaction.uid
        await pilot.press("x")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any(f"Exported 1 event to {target}" in n for n in notifications(app))
    data = target.read_bytes().replace(b"\r\n ", b"")
    assert data.count(b"BEGIN:VEVENT") == 1
    assert f"UID:{uid}".encode() in data
