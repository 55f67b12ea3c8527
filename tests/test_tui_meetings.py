"""Commitments and meeting metadata in the TUI: the dashboard panel (overdue first), the
stakeholder detail, the interaction detail, and the form's meeting rows — at 80×24 too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, OptionList, Select

from engagement.tracker import Tracker
from engagement.vocab import Attribution, MeetingFormat
from tests.conftest import fixed_clock
from tests.test_tui_support import screen_text, settle, tui, type_text
from tui.forms import InteractionFields, changes_for_update, language_list
from tui.screens.dashboard import DashboardScreen
from tui.screens.interaction import InteractionScreen
from tui.screens.interaction_form import InteractionFormScreen
from tui.screens.stakeholder import StakeholderScreen
from tui.widgets.table import TableLines


async def test_the_dashboard_lists_commitments_overdue_first_and_opens_them(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        table = app.screen.query_one("#commitments", TableLines)
        due = [text for text in table.cell_texts(0)]
        assert due[0] == "31 Aug overdue"  # the fixed clock is 1 September 2025
        assert due[1:] == ["15 Sep", "30 Sep", "15 Dec"]
        assert table.cell_texts(1)[:2] == ["to us", "to us"]
        assert "Commitments · overdue first" in screen_text(app)
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        assert "First visit to Moscow" in screen_text(app)


async def test_the_dashboard_still_fits_at_80x24(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#commitments", TableLines)
        table.focus()
        await pilot.pause()
        table.scroll_visible()
        await settle(pilot)
        assert "Commitments · overdue first" in screen_text(app)


async def test_the_stakeholder_detail_shows_its_commitments(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Russian Red Cross")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)
        related = app.screen.query_one("#related", OptionList)
        prompts = [str(related.get_option_at_index(i).prompt) for i in range(related.option_count)]
        assert any(p.startswith("they owe, due 2025-09-15") for p in prompts)
        assert any(p.startswith("we owe, due 2025-12-15 · Comment") for p in prompts)
        assert not any("Send the ICRC legal analysis" in p for p in prompts)  # kept: not owed
        index = next(i for i, p in enumerate(prompts) if p.startswith("they owe"))
        related.focus()
        related.highlighted = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)  # the interaction it came from


async def test_the_interaction_detail_shows_the_metadata_and_the_rule(
    sample_url: str, tmp_path: Path
) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        ident = tracker.log_interaction(
            "Round table at SPIEF",
            with_=["Russian Red Cross", {"name": "Pavel Savchuk", "delegate": True}],
            when="2025-06-19",
            sidelines_of="SPIEF 2025",
            languages=["Russian", "English"],
            interpreter=True,
            attribution="chatham_house",
            summary="Frank views on the draft law",
        ).id
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 50)) as pilot:
        await settle(pilot)
        app.open_interaction(ident)
        await settle(pilot)
        text = screen_text(app)
        assert "sidelines of SPIEF 2025" in text
        assert "Russian, English (with an interpreter)" in text
        assert "Pavel Savchuk" in text and "chatham house" in text
        assert "Chatham House rule" in text and "Frank views on the draft law" in text


async def _focus(pilot: Pilot[Any], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def test_the_form_logs_and_edits_meeting_metadata_at_80x24(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Pavel Savchuk")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        await type_text(pilot, "Coffee at SPIEF")
        await _focus(pilot, "#when")
        await type_text(pilot, "2025-06-20")
        form.query_one("#meeting-format", Select).value = "sidelines"
        await _focus(pilot, "#sidelines-of")
        await type_text(pilot, "SPIEF 2025")
        assert "SPIEF 2025" in screen_text(app)  # the row scrolled into view at 80×24
        await _focus(pilot, "#languages")
        await type_text(pilot, "Russian, English")
        await _focus(pilot, "#interpreter")
        await pilot.press("space")
        assert form.query_one("#interpreter", Checkbox).value is True
        form.query_one("#attribution", Select).value = "off_record"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        ident = app.screen.interaction_id
        await pilot.press("e")
        await settle(pilot)
        edit = app.screen
        assert isinstance(edit, InteractionFormScreen)
        assert edit.query_one("#languages", Input).value == "Russian, English"
        edit.query_one("#attribution", Select).value = "on_record"
        edit.query_one("#meeting-format", Select).value = "bilateral"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_interaction(ident)
    assert stored.meeting_format is MeetingFormat.BILATERAL
    assert stored.sidelines_of is None  # a format other than sidelines drops the event
    assert stored.languages == ["Russian", "English"] and stored.interpreter
    assert stored.attribution is Attribution.ON_RECORD


def test_the_form_sends_only_changed_metadata() -> None:
    before = InteractionFields(title="x", languages="Russian", attribution="on_record")
    after = InteractionFields(
        title="x", languages="Russian English", attribution="off_record", interpreter=True
    )
    changes = changes_for_update(after, before, ("", None, None), [])
    assert changes == {
        "languages": ["Russian", "English"],
        "interpreter": True,
        "attribution": "off_record",
    }
    assert language_list("Russian, Church Slavonic") == ["Russian", "Church Slavonic"]
    assert InteractionFields.from_dict(after.to_dict()) == after
