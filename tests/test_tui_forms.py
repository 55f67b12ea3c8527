"""Logging and editing through the TUI: the form end to end, validation, unsaved changes and
drafts, concurrent edits, creating a stakeholder inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Select, TextArea

from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import (
    notifications,
    screen_text,
    settle,
    tui,
    type_text,
    wait_until,
)
from tui.app import EngagementApp
from tui.screens.dialogs import ChoiceDialog
from tui.screens.interaction import InteractionScreen
from tui.screens.interaction_form import InteractionFormScreen
from tui.screens.stakeholder import StakeholderScreen
from tui.screens.stakeholder_form import StakeholderFormScreen
from tui.widgets.follow_up_editor import FollowUpRow
from tui.widgets.stakeholder_picker import StakeholderPicker
from tui.widgets.suggest import SuggestField
from tui.widgets.timeline import Timeline


def _count(url: str) -> int:
    with Tracker(url, clock=fixed_clock) as tracker:
        return sum(row.interactions for row in tracker.stats())


async def _focus(pilot: Pilot[Any], selector: str) -> None:
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def _pick_stakeholder(pilot: Pilot[Any], text: str) -> None:
    """Type into the stakeholder box and accept the first suggestion."""
    await _focus(pilot, "#stakeholder-search Input")
    await type_text(pilot, text)
    await pilot.pause(0.2)
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()


async def test_log_an_interaction_then_find_it_by_search_and_in_the_history(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        assert isinstance(form, InteractionFormScreen)
        assert app.focused is form.query_one("#title")
        await type_text(pilot, "Talks on detainees")
        await _focus(pilot, "#when")
        await type_text(pilot, "June 30 to July 8 2025")
        assert "Mon 30 Jun 2025 → Tue 8 Jul 2025 (days)" in screen_text(app)
        await _focus(pilot, "#location")
        await type_text(pilot, "Moscow")
        await _pick_stakeholder(pilot, "moskalk")
        assert form.query_one(StakeholderPicker).chosen[0][1] == "Tatiana Moskalkova"
        await _focus(pilot, "#tags Input")
        await type_text(pilot, "po")
        await pilot.pause(0.2)
        await settle(pilot)
        await pilot.press("enter")
        assert form.query_one("#tags", SuggestField).value == "pow, "
        form.query_one("#summary", TextArea).text = "Discussed the exchange lists."
        form.query_one("#add-follow-up").focus()
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "Send the lists")
        await pilot.press("tab")
        await type_text(pilot, "2025-07-15")
        assert "Tue 15 Jul 2025" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        text = screen_text(app)
        assert "Talks on detainees" in text and "Send the lists" in text
        assert any("Logged “Talks on detainees”" in n for n in notifications(app))

        await pilot.press("slash")
        await type_text(pilot, "exchange lists")
        await pilot.pause(0.3)
        await settle(pilot)
        assert "Talks on detainees" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        logged_id = app.screen.interaction_id

        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        assert logged_id in [item.id for item in timeline.items()]
        assert "Talks on detainees" in screen_text(app)

    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_interaction(logged_id)
    assert stored.tags == ["pow"]
    assert stored.location == "Moscow"
    assert (
        stored.follow_ups[0].due is not None
        and stored.follow_ups[0].due.isoformat() == "2025-07-15"
    )


async def test_new_from_a_stakeholder_starts_with_that_stakeholder(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Pavel Savchuk")
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, InteractionFormScreen)
        assert [name for _, name in app.screen.query_one(StakeholderPicker).chosen] == [
            "Pavel Savchuk"
        ]


async def test_validation_errors_show_at_the_field_and_nothing_is_saved(
    sample_url: str, tmp_path: Path
) -> None:
    before = _count(sample_url)
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        for name in ("title", "period", "stakeholders"):
            assert form.query_one(f"#error-{name}").display, name
        assert "add at least one stakeholder" in screen_text(app)
        await type_text(pilot, "Bad date")
        await _focus(pilot, "#when")
        await type_text(pilot, "31 Feb 2025")
        assert "✗ when: '31 Feb 2025'" in screen_text(app)
        await _pick_stakeholder(pilot, "Savchuk")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        assert not form.query_one("#error-title").display, "fixed fields lose their message"
        assert form.query_one("#error-period").display
        form.query_one("#when", Input).value = "28 Feb 2025"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
    assert _count(sample_url) == before + 1


async def test_escape_with_unsaved_changes_asks_first(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "Half-written")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        await pilot.click("#choice-stay")
        assert isinstance(app.screen, InteractionFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#choice-discard")
        await pilot.pause()
        assert not isinstance(app.screen, InteractionFormScreen)
        assert app.drafts.all() == []
        await pilot.press("n")
        await pilot.press("escape")
        assert not isinstance(app.screen, InteractionFormScreen), "no changes, no question"


async def test_quit_asks_first_and_the_draft_comes_back_on_the_next_start(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "Unfinished note")
        await _pick_stakeholder(pilot, "Savchuk")
        app.screen.query_one("#title").focus()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert "Unfinished note" in screen_text(app)
        await pilot.click("#choice-stay")
        assert isinstance(app.screen, InteractionFormScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#choice-quit")
        await pilot.pause()
    assert app.return_code == 0

    again = tui(sample_url, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, ChoiceDialog)
        assert "Unfinished note" in screen_text(again)
        await pilot.click("#choice-restore")
        await settle(pilot)
        form = again.screen
        assert isinstance(form, InteractionFormScreen)
        assert form.query_one("#title", Input).value == "Unfinished note"
        assert [name for _, name in form.query_one(StakeholderPicker).chosen] == ["Pavel Savchuk"]
        form.query_one("#when", Input).value = "2025-08-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(again.screen, InteractionScreen)
        assert again.drafts.all() == []


async def _open_edit(app: EngagementApp, pilot: Pilot[Any], interaction_id: int) -> Any:
    app.open_interaction(interaction_id)
    await settle(pilot)
    await pilot.press("e")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, InteractionFormScreen)
    return form


async def test_edit_changes_only_what_was_changed(sample_url: str, tmp_path: Path) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        visit = tracker.search("Director of Operations")[0].interaction
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        form = await _open_edit(app, pilot, visit.id)
        assert form.query_one("#title", Input).value == visit.title
        assert form.query_one("#when", Input).value == "2025-06-30"
        assert not form.dirty
        form.query_one("#location", Input).value = "Moscow and Donetsk"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
        assert "Moscow and Donetsk" in screen_text(app)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_interaction(visit.id)
    assert stored.location == "Moscow and Donetsk"
    assert stored.when == visit.when and stored.tags == visit.tags
    assert stored.version == visit.version + 1


async def test_a_concurrent_edit_offers_reload_or_overwrite(
    sample_url: str, tmp_path: Path
) -> None:
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        visit = tracker.search("Director of Operations")[0].interaction
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        form = await _open_edit(app, pilot, visit.id)
        with Tracker(sample_url, clock=fixed_clock) as colleague:
            colleague.update_interaction(visit.id, title="Retitled by a colleague")
        form.query_one("#location", Input).value = "Mine"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.id == "conflict"
        assert "Someone else saved this interaction" in screen_text(app)
        await pilot.click("#choice-reload")
        await settle(pilot)
        assert form.query_one("#title", Input).value == "Retitled by a colleague"
        assert form.query_one("#location", Input).value == "Moscow"

        with Tracker(sample_url, clock=fixed_clock) as colleague:
            colleague.update_interaction(visit.id, summary="Their summary")
        form.query_one("#location", Input).value = "Mine again"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        assert isinstance(app.screen, InteractionScreen)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_interaction(visit.id)
    assert stored.location == "Mine again"
    assert stored.title == "Retitled by a colleague"
    assert stored.summary == "Their summary", "overwrite keeps their changes to other fields"


async def test_a_new_stakeholder_can_be_created_from_the_form(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        form = app.screen
        await _focus(pilot, "#stakeholder-search Input")
        await type_text(pilot, "Zeta Relief Fund")
        await pilot.pause(0.2)
        await settle(pilot)
        assert "new stakeholder “Zeta Relief Fund”" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StakeholderFormScreen)
        assert dialog.query_one("#sh-name", Input).value == "Zeta Relief Fund"
        dialog.query_one("#sh-kind", Select).value = "ngo"
        dialog.query_one("#sh-country", Input).value = "CH"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert [name for _, name in form.query_one(StakeholderPicker).chosen] == [
            "Zeta Relief Fund"
        ]
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        created = tracker.resolve_stakeholder("Zeta Relief Fund")
    assert created.kind.value == "ngo" and created.country == "CH"


async def test_follow_up_rows_check_their_due_dates(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("ctrl+o")
        await pilot.pause()
        row = app.screen.query_one(FollowUpRow)
        row.query_one(".follow-up-due", Input).value = "tomorrow"
        await pilot.pause()
        assert "say what is to be" in screen_text(app)
        row.query_one(".follow-up-text", Input).value = "Call back"
        await pilot.pause()
        assert "Tue 02 Sep 2025" in screen_text(app), "read against the app's clock"
        row.query_one(".follow-up-due", Input).value = "someday"
        await pilot.pause()
        assert row.check() is not None


async def test_editing_from_the_stakeholder_timeline(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        timeline = app.screen.query_one(Timeline)
        assert app.focused is timeline
        chosen = timeline.highlighted
        assert chosen is not None
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, InteractionFormScreen)
        assert app.screen.interaction_id == chosen.id
        await pilot.press("escape")
        assert isinstance(app.screen, StakeholderScreen)


async def test_a_concurrent_stakeholder_edit_offers_reload_or_overwrite(
    sample_url: str, tmp_path: Path
) -> None:
    """The stakeholder form, like the interaction form: reload theirs, or overwrite with the
    fields changed here while their other changes stay."""
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await type_text(pilot, "Russian Red Cross")
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("down", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderFormScreen))
        form = app.screen
        with Tracker(sample_url, clock=fixed_clock) as colleague:
            colleague.update_stakeholder("Russian Red Cross", notes="Their notes")
        form.query_one("#sh-tags", Input).value = "mine"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        assert app.screen.id == "conflict"
        assert "Someone else saved this stakeholder" in screen_text(app)
        await pilot.click("#choice-reload")
        await settle(pilot)
        assert form.query_one("#sh-notes", TextArea).text == "Their notes"
        assert form.query_one("#sh-tags", Input).value == "red-cross-partner"

        with Tracker(sample_url, clock=fixed_clock) as colleague:
            colleague.update_stakeholder("Russian Red Cross", country="BY")
        form.query_one("#sh-tags", Input).value = "mine again"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ChoiceDialog))
        await pilot.click("#choice-overwrite")
        await settle(pilot)
        assert not isinstance(app.screen, StakeholderFormScreen)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        stored = tracker.get_stakeholder("Russian Red Cross")
    assert sorted(stored.tags) == ["again", "mine"]
    assert stored.notes == "Their notes"
    assert stored.country == "BY", "overwrite keeps their changes to other fields"
