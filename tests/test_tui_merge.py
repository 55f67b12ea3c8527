"""Merging likely duplicates from the TUI (issue #7): the notice on a stakeholder's page, the
merge dialog (KEEP chosen by the user), undo, and the offer made after creating a stakeholder
that looks like an existing one. Names are shown literally, however hostile."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Select, Static

from engagement.errors import StakeholderNotFound
from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_tui_support import notifications, screen_text, settle, tui, type_text, wait_until
from tui.screens.merge import MergeDialog
from tui.screens.stakeholder import StakeholderScreen

TWIN = "Tatiana Moskalkva"
HOSTILE = "Ahmed Khalil [MFA] [/] [@click=app.quit]x[/]"
HOSTILE_TWIN = "Ahmed Khalill [MFA] [/] [@click=app.quit]x[/]"


def moves(app: object) -> str:
    """What the merge dialog says moves, as one line."""
    screen = app.screen  # type: ignore[attr-defined]
    return str(screen.query_one("#merge-moves", Static).render())


def _add(url: str, name: str, **fields: object) -> int:
    with Tracker(url, clock=fixed_clock) as tracker:
        return tracker.add_stakeholder(name, **fields).id  # type: ignore[arg-type]


async def test_merge_from_the_notice_then_undo(sample_url: str, tmp_path: Path) -> None:
    twin_id = _add(sample_url, TWIN, kind="person", country="RU")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_stakeholder(f"#{twin_id}")
        await settle(pilot)
        assert "Possible duplicate: Tatiana Moskalkova — press M to merge" in screen_text(app)
        await pilot.press("M")
        await wait_until(pilot, lambda: app.screen.id == "merge-dialog")
        await pilot.pause()
        text = screen_text(app)
        # Both records, the one with the history proposed as KEEP, and what moves.
        assert "KEEP" in text and "MERGE INTO IT" in text
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        assert (dialog.keep.name, dialog.drop.name) == ("Tatiana Moskalkova", TWIN)
        assert "Moves 0 interactions, 0 affiliations from “Tatiana Moskalkva”" in moves(app)
        await pilot.press("w")  # keep the other one …
        await pilot.pause()
        assert "from “Tatiana Moskalkova” to “Tatiana Moskalkva”" in moves(app)
        assert dialog.drop.interaction_count > 0
        assert moves(app).startswith(f"Moves {dialog.drop.interaction_count} interactions, 1 aff")
        await pilot.press("w")  # … no: back
        await pilot.press("left", "left", "enter")  # from Cancel to Merge
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholderScreen)
        assert screen.profile is not None and screen.profile.name == "Tatiana Moskalkova"
        assert TWIN in screen.profile.aliases
        assert f"Merged from {TWIN} on 2025-09-01 — press U to undo" in screen_text(app)
        assert any("Merged “Tatiana Moskalkva” into" in n for n in notifications(app))
        with Tracker(sample_url, clock=fixed_clock) as tracker, pytest.raises(StakeholderNotFound):
            tracker.get_stakeholder(f"#{twin_id}")

        await pilot.press("U")
        await wait_until(pilot, lambda: app.screen.id == "confirm-unmerge")
        await pilot.press("left", "enter")  # from Cancel to Undo merge
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderScreen))
        await settle(pilot)
        assert "Possible duplicate: Tatiana Moskalkva" in screen_text(app)
        with Tracker(sample_url, clock=fixed_clock) as tracker:
            assert tracker.get_stakeholder(TWIN).id == twin_id
            assert TWIN not in tracker.get_stakeholder("Tatiana Moskalkova").aliases


async def test_cancelling_the_merge_changes_nothing(sample_url: str, tmp_path: Path) -> None:
    twin_id = _add(sample_url, TWIN, kind="person", country="RU")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        await pilot.press("M")
        await wait_until(pilot, lambda: app.screen.id == "merge-dialog")
        await pilot.press("enter")  # Cancel has the focus
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderScreen))
        await settle(pilot)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        assert tracker.get_stakeholder(TWIN).id == twin_id
        assert tracker.stakeholder_merges() == []


async def test_no_duplicate_no_merge_key(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Pavel Savchuk")
        await settle(pilot)
        text = screen_text(app)
        assert "Possible duplicate" not in text
        assert "M Merge" not in text and "U Undo merge" not in text
        await pilot.press("M")
        await settle(pilot)
        assert isinstance(app.screen, StakeholderScreen)


async def test_hostile_names_in_the_notice_and_the_dialog(sample_url: str, tmp_path: Path) -> None:
    _add(sample_url, HOSTILE, kind="person")
    twin_id = _add(sample_url, HOSTILE_TWIN, kind="person")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_stakeholder(f"#{twin_id}")
        await settle(pilot)
        notice = str(app.screen.query_one("#duplicate-notice", Static).render())
        assert notice == f"Possible duplicate: {HOSTILE} — press M to merge"
        assert "Possible duplicate: Ahmed Khalil [MFA]" in screen_text(app)
        await pilot.press("M")
        await wait_until(pilot, lambda: app.screen.id == "merge-dialog")
        await pilot.pause()
        assert HOSTILE in moves(app) and HOSTILE_TWIN in moves(app)
        text = screen_text(app)
        assert "KEEP" in text and "[MFA] [/] [@click=app.quit]x[/]" in text
        await pilot.press("escape")
        await settle(pilot)
    assert app.return_code in (None, 0)


async def _new_stakeholder(pilot: object, app: object, name: str) -> None:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    pilot.app.action_add_stakeholder()  # type: ignore[attr-defined]
    await pilot.pause()
    await type_text(pilot, name)
    pilot.app.screen.query_one("#sh-kind", Select).value = "person"
    pilot.app.screen.query_one("#sh-country", Input).value = "RU"
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: pilot.app.screen.id == "duplicate-offer")
    await pilot.pause()


async def test_a_new_lookalike_is_offered_a_merge(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _new_stakeholder(pilot, app, TWIN)
        offer = str(app.screen.query_one(".dialog-message", Static).render())
        assert f"“{TWIN}” was saved, and it looks like “Tatiana Moskalkova”" in offer
        await pilot.press("left", "left", "enter")  # from Keep both to Merge…
        await wait_until(pilot, lambda: app.screen.id == "merge-dialog")
        await pilot.pause()
        assert f"from “{TWIN}” to “Tatiana Moskalkova”" in moves(app)
        await pilot.press("left", "left", "enter")  # Merge
        await wait_until(pilot, lambda: not app.screen.is_modal)
        await settle(pilot)
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        kept = tracker.get_stakeholder("Tatiana Moskalkova")
        assert TWIN in kept.aliases
        assert [m.dropped_name for m in tracker.stakeholder_merges()] == [TWIN]


async def test_a_new_lookalike_can_open_the_existing_one(sample_url: str, tmp_path: Path) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _new_stakeholder(pilot, app, TWIN)
        await pilot.press("left", "enter")  # Open existing
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderScreen))
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StakeholderScreen)
        assert screen.profile is not None and screen.profile.name == "Tatiana Moskalkova"
        # Both were kept, so the page says so and offers the merge.
        assert f"Possible duplicate: {TWIN}" in screen_text(app)
        assert any("was kept too" in n for n in notifications(app))


async def test_several_duplicates_ask_which_one(sample_url: str, tmp_path: Path) -> None:
    _add(sample_url, TWIN, kind="person", country="RU")
    other_id = _add(sample_url, "Tatiana Moskalkovva", kind="person", country="RU")
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.open_stakeholder("Tatiana Moskalkova")
        await settle(pilot)
        assert "Tatiana Moskalkovva" in screen_text(app) and TWIN in screen_text(app)
        await pilot.press("M")
        await wait_until(pilot, lambda: app.screen.id == "pick-duplicate")
        await pilot.pause()
        picked = app.screen.query_one(OptionList)
        names = [str(picked.get_option_at_index(i).prompt) for i in range(picked.option_count)]
        assert sorted(names) == sorted([TWIN, "Tatiana Moskalkovva"])
        await pilot.press(*(["down"] * names.index("Tatiana Moskalkovva")), "enter")
        await wait_until(pilot, lambda: app.screen.id == "merge-dialog")
        dialog = app.screen
        assert isinstance(dialog, MergeDialog)
        assert dialog.drop.id == other_id
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, StakeholderScreen))
        await settle(pilot)
