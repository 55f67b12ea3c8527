"""New follow-ups for an interaction: what to do and by when (a date parsed as you type)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Static

from tui.support import now_of


class FollowUpRow(Horizontal):
    def __init__(self, text: str = "", due: str = "") -> None:
        super().__init__(classes="follow-up-row")
        self._text, self._due = text, due

    def compose(self) -> ComposeResult:
        yield Input(self._text, placeholder="what to do", classes="follow-up-text", compact=True)
        yield Input(self._due, placeholder="due: 15 Sep", classes="follow-up-due", compact=True)
        yield Static("", classes="parsed follow-up-parsed")
        yield Button("✕", classes="follow-up-remove", tooltip="Remove this follow-up", compact=True)

    def on_mount(self) -> None:
        self.check()

    @property
    def values(self) -> dict[str, str]:
        text = self.query_one(".follow-up-text", Input).value.strip()
        due = self.query_one(".follow-up-due", Input).value.strip()
        return {"text": text, "due": due}

    def due(self) -> date | None:
        """The due day typed ("tomorrow" read against the app's clock), or None if blank."""
        from engagement.dates import parse_moment

        text = self.values["due"]
        if not text:
            return None
        moment = parse_moment(text, field="due", now=now_of(self))
        value = moment.value
        return value.date() if isinstance(value, datetime) else value

    def check(self) -> str | None:
        """Show when the due date falls; returns the problem, if any."""
        from engagement.errors import EngagementError

        values = self.values
        note = self.query_one(".follow-up-parsed", Static)
        problem: str | None = None
        reading = ""
        if values["due"]:
            try:
                due = self.due()
                reading = f"✓ {due:%a %d %b %Y}" if due else ""
            except EngagementError as error:
                problem = str(error)
        if problem is None and values["due"] and not values["text"]:
            problem = "follow-up: say what is to be done"
        note.update(Text(f"✗ {problem}" if problem else reading))
        note.set_class(problem is not None, "-error")
        return problem

    @on(Input.Changed)
    def _typed(self) -> None:
        self.check()

    @on(Button.Pressed, ".follow-up-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(FollowUpEditor.Changed())
        self.remove()


class FollowUpEditor(Vertical):
    @dataclass
    class Changed(Message):
        """A row was added or removed (typing is reported by the inputs themselves)."""

    def __init__(self, rows: list[dict[str, str]] | None = None, *, id: str | None = None):
        super().__init__(id=id)
        self._rows = rows or []

    def compose(self) -> ComposeResult:
        with Vertical(classes="follow-up-rows"):
            for row in self._rows:
                yield FollowUpRow(row.get("text", ""), row.get("due", ""))
        yield Button("+ follow-up", id="add-follow-up", classes="small", compact=True)

    @property
    def values(self) -> list[dict[str, str]]:
        """As typed (what a draft keeps)."""
        rows = [row.values for row in self.query(FollowUpRow)]
        return [row for row in rows if row["text"] or row["due"]]

    def to_save(self) -> list[dict[str, str | None]]:
        """Ready for the library: due dates as ISO days, empty rows left out. Call after
        :meth:`problems` came back empty."""
        saved: list[dict[str, str | None]] = []
        for row in self.query(FollowUpRow):
            values = row.values
            if values["text"]:
                due = row.due()
                saved.append({"text": values["text"], "due": due.isoformat() if due else None})
        return saved

    def problems(self) -> list[str]:
        return [problem for row in self.query(FollowUpRow) if (problem := row.check())]

    def add_row(self, text: str = "", due: str = "") -> FollowUpRow:
        row = FollowUpRow(text, due)
        self.query_one(".follow-up-rows", Vertical).mount(row)
        self.post_message(self.Changed())
        return row

    def replace(self, rows: list[dict[str, str]]) -> None:
        self.query(FollowUpRow).remove()
        for row in rows:
            self.add_row(row.get("text", ""), row.get("due", ""))

    @on(Button.Pressed, "#add-follow-up")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self.add_row()
        self.call_after_refresh(lambda: row.query_one(".follow-up-text", Input).focus())
