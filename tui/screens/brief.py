"""The briefing pack on screen: built in a worker, shown as Markdown, and saved to a file whose
path is shown (``b`` on a stakeholder, in the stakeholder list, or on an upcoming meeting).

The Markdown is the brief's own renderer output, in which every value from the log is escaped,
so text such as ``*urgent* [draft]`` shows as typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Label, Markdown

from tui.screens.base import BaseScreen
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from engagement.brief.model import Brief


class BriefScreen(BaseScreen):
    FAILURE_TITLE = "Could not prepare the brief"

    @dataclass
    class Loaded(Message):
        brief: Brief
        markdown: str
        path: Path

    def __init__(
        self, folder: Path, *, stakeholder: str | None = None, meeting: int | None = None
    ) -> None:
        super().__init__()
        self.folder = folder
        self.stakeholder = stakeholder
        self.meeting = meeting
        self.brief: Brief | None = None
        self.saved_to: Path | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Preparing the brief…", id="brief-status")
        with VerticalScroll(id="brief-body", classes="loadable"):
            yield Markdown("", id="brief")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Brief"
        self.query_one("#brief-body").loading = True
        self.prepare()

    @work(thread=True, exclusive=True, group="brief", exit_on_error=False)
    def prepare(self) -> None:
        tracker = self.tracker()
        if self.meeting is not None and self.stakeholder is None:
            brief = tracker.brief_for_meeting(self.meeting)
        else:
            assert self.stakeholder is not None
            brief = tracker.brief(self.stakeholder, for_meeting=self.meeting)
        text = tracker.render_brief(brief, "md")
        assert isinstance(text, str)
        path = tracker.save_brief(brief, self.folder, "md")
        self.post_message(self.Loaded(brief, text, path))

    def on_brief_screen_loaded(self, message: Loaded) -> None:
        self.brief = message.brief
        self.saved_to = message.path
        self.sub_title = message.brief.stakeholder
        self.query_one("#brief-body").loading = False
        self.query_one("#brief", Markdown).update(message.markdown)
        self.query_one("#brief-status", Label).update(Text(f"Saved to {message.path}"))
        self.query_one("#brief-body").focus()
