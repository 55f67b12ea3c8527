"""Helpers for the TUI tests (driving the app, reading the screen), and tests of the TUI's pure
parts: drafts on disk, the form's data rules, small text helpers."""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.pilot import Pilot
from textual.worker import WorkerCancelled, WorkerFailed

from tests.conftest import fixed_clock
from tui.app import EngagementApp, make_app
from tui.drafts import DraftStore, default_state_dir
from tui.forms import InteractionFields, changes_for_update, route_problems
from tui.support import fit, split_names, split_tags

# --- helpers shared by the TUI tests ----------------------------------------------------------


def tui(url: str, tmp_path: Path) -> EngagementApp:
    """The app on ``url`` with the fixed clock and drafts kept under ``tmp_path``."""
    return make_app(url, clock=fixed_clock, state_dir=tmp_path / "state")


async def settle(pilot: Pilot[Any], rounds: int = 3) -> None:
    """Wait until the workers are done and the messages they posted are handled (a worker's
    result can start another worker, hence a few rounds)."""
    for _ in range(rounds):
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_until(pilot: Pilot[Any], condition: Any, timeout: float = 10.0) -> None:
    """Pause until ``condition()`` holds: for a dialog that a worker is waiting on, where
    :func:`settle` would wait for that worker forever."""
    waited = 0.0
    while not condition():
        assert waited < timeout, "timed out waiting"
        await pilot.pause(0.05)
        waited += 0.05


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a person would."""
    await pilot.press(*text)


def screen_text(app: EngagementApp) -> str:
    """What the terminal shows right now, as plain text."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False)


def notifications(app: EngagementApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]


# --- drafts -----------------------------------------------------------------------------------


def test_drafts_are_saved_privately_and_read_back_newest_first(tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    assert store.save("new", {"title": "First"})
    assert store.save("edit-4", {"title": "Second"})
    path = tmp_path / "drafts" / "new.json"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert [draft.key for draft in store.all()] == ["edit-4", "new"]
    loaded = store.load("new")
    assert loaded is not None and loaded.fields == {"title": "First"}
    assert "“First” (new interaction" in loaded.label
    store.discard("new")
    assert store.load("new") is None


def test_a_broken_draft_file_is_skipped_not_fatal(tmp_path: Path) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "bad.json").write_text("{not json")
    (folder / "odd.json").write_text(json.dumps({"key": "x", "saved_at": "now", "fields": {}}))
    assert DraftStore(folder).all() == []


def test_the_state_folder_follows_the_environment(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ENGAGEMENT_STATE_DIR", str(tmp_path / "elsewhere"))
    assert default_state_dir() == tmp_path / "elsewhere"


# --- the form's rules -------------------------------------------------------------------------


def test_an_edit_sends_only_what_changed() -> None:
    original = InteractionFields(
        title="Talks",
        when="2025-06-10",
        stakeholders=[["#1", "RRC"], ["#2", "MFA"]],
        tags="pow",
        summary="old",
    )
    current = InteractionFields(
        title="Talks",
        when="2025-06-10",
        stakeholders=[["#2", "MFA"], ["#3", "MoD"]],
        tags="pow missing",
        summary="new",
    )
    changes = changes_for_update(current, original, ("2025-06-10", None, None), ["pow", "missing"])
    assert changes == {
        "summary": "new",
        "tags": ["pow", "missing"],
        "add_stakeholders": ["#3"],
        "remove_stakeholders": ["#1"],
    }


def test_a_new_date_sends_the_whole_period() -> None:
    original = InteractionFields(title="T", when="2025-06-10", until="2025-06-11")
    current = InteractionFields(title="T", when="2025-07-01 10:00", timezone="Europe/Moscow")
    period = ("2025-07-01 10:00", None, "Europe/Moscow")
    changes = changes_for_update(current, original, period, [])
    assert changes == {"when": "2025-07-01 10:00", "until": None, "timezone": "Europe/Moscow"}


def test_library_problems_go_to_their_field() -> None:
    routed, loose = route_problems(
        [
            "title: String should have at least 1 character",
            "follow_ups.0.due: '32 May' is not a real date",
            "add-stakeholder: no stakeholder is called 'Nobody'",
            "the database is locked",
        ]
    )
    assert set(routed) == {"title", "follow-ups", "stakeholders"}
    assert loose == ["the database is locked"]


def test_fields_survive_a_round_trip_through_a_draft() -> None:
    fields = InteractionFields(
        title="T", stakeholders=[["#1", "RRC"]], follow_ups=[{"text": "call", "due": "1 Sep"}]
    )
    assert InteractionFields.from_dict(json.loads(json.dumps(fields.to_dict()))) == fields
    assert InteractionFields.from_dict({"title": "x", "unknown": 1}).title == "x"


def test_text_helpers() -> None:
    assert fit("Москва", 4) == "Мос…"
    assert fit("ab", 4) == "ab  "
    assert split_tags("pow, #missing rfl") == ["pow", "missing", "rfl"]
    assert split_names("Russian Red Cross, MFA; MoD") == ["Russian Red Cross", "MFA", "MoD"]


def test_dashboard_dates_carry_the_year_when_it_is_not_this_one() -> None:
    from datetime import date

    from tui.screens.dashboard import _day_label

    assert _day_label(date(2025, 9, 3), date(2025, 9, 1)) == "03 Sep"
    assert _day_label(date(2024, 12, 20), date(2025, 9, 1)) == "20 Dec 2024"
