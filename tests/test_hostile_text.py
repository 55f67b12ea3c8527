"""Text from the database is shown literally everywhere the CLI shows it: Rich markup is not
interpreted and terminal control sequences never reach the terminal."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from engagement.cli import main
from engagement.tracker import Tracker
from tests.conftest import fixed_clock

MARKUP = ["[/]", "[@click=app.quit]press[/]", "Ahmed [MFA]", "[bold red]Loud[/]", "[link=x]y"]
CONTROL = [
    "\x1b]52;c;aGVsbG8=\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: hyperlink
    "\x1b[2J\x1b[H",  # CSI: clear the screen
    "bell\x07 and \x9b31m C1",
]


@pytest.fixture
def hostile(db_url: str) -> str:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        for index, payload in enumerate(MARKUP + CONTROL):
            tracker.add_stakeholder(
                f"Org {index} {payload}",
                kind="ngo",
                aliases=[f"alias {index} {payload}"],
                notes=f"notes {payload}",
            )
            tracker.log_interaction(
                f"Title {index} {payload}",
                with_=[f"#{index + 1}"],
                when="2025-09-03",
                location=f"Place {payload}",
                summary=f"searchable {payload}",
                outcome=f"Outcome {payload}",
                tags=[f"tag{index}"],
                staff=[f"Staff {payload}"],
                follow_ups=[{"text": f"Follow {payload}", "due": "2025-09-02"}],
            )
    return db_url


COMMANDS = [
    ["stakeholder", "list"],
    ["stakeholder", "show", "#1"],
    ["stakeholder", "show", "#3"],
    ["history", "#1"],
    ["history", "#6"],
    ["interaction", "show", "1"],
    ["interaction", "show", "4"],
    ["upcoming", "--days", "30"],
    ["search", "searchable"],
    ["dormant", "--days", "0"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_payloads_are_printed_literally(hostile: str, command: list[str]) -> None:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(main, ["--db", hostile, *command])
    assert result.exit_code == 0, result.output
    output = result.stdout
    assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    visible = [*MARKUP, "]52;c;aGVsbG8="]
    assert any(payload in output for payload in visible), output[:2000]


def test_every_markup_payload_survives_in_the_stakeholder_list(hostile: str) -> None:
    result = CliRunner(env={"COLUMNS": "400"}).invoke(
        main, ["--db", hostile, "stakeholder", "list"]
    )
    for payload in MARKUP:
        assert payload in result.stdout


def test_control_characters_are_removed_when_stored(hostile: str) -> None:
    with Tracker(hostile) as tracker:
        for item in tracker.list_stakeholders():
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in item.name + item.notes)
        text = tracker.get_interaction(7)
        fields = [text.title, text.location, text.summary, text.outcome, *text.staff]
        assert not any("\x1b" in field or "\x07" in field for field in fields)
