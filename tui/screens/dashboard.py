"""The start screen: what is coming up, what is due, and what happened lately."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from engagement.schemas import InteractionRead, Upcoming

UPCOMING_DAYS = 14


class DashboardScreen(Screen[None]):
    """Upcoming interactions, follow-ups due, and recent activity."""

    @dataclass
    class Loaded(Message):
        upcoming: Upcoming
        recent: list[InteractionRead]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="dashboard"):
            yield LoadingIndicator(id="loading")
            yield Static(f"Coming up — next {UPCOMING_DAYS} days", classes="section-title")
            yield DataTable(id="upcoming", cursor_type="row", zebra_stripes=True)
            yield Static("Follow-ups due", classes="section-title")
            yield DataTable(id="follow-ups", cursor_type="row", zebra_stripes=True)
            yield Static("Recent activity", classes="section-title")
            yield DataTable(id="recent", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#upcoming", DataTable).add_columns("When", "Title", "With", "Kind")
        self.query_one("#follow-ups", DataTable).add_columns("Due", "Follow-up", "Interaction")
        self.query_one("#recent", DataTable).add_columns("When", "Title", "With", "Kind")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        tracker = self.app.tracker()  # type: ignore[attr-defined]
        self.post_message(self.Loaded(tracker.upcoming(UPCOMING_DAYS), tracker.recent(10)))

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        from engagement.services.history import describe_occurrence

        self.query_one("#loading").display = False
        upcoming = self.query_one("#upcoming", DataTable)
        upcoming.clear()
        for entry in message.upcoming.interactions:
            item = entry.interaction
            upcoming.add_row(
                _text(describe_occurrence(item, entry.occurrence)),
                _text(item.title),
                _text(", ".join(item.stakeholders)),
                _text(item.kind.value),
            )
        follow_ups = self.query_one("#follow-ups", DataTable)
        follow_ups.clear()
        for follow_up in message.upcoming.follow_ups:
            style = "bold red" if follow_up.overdue else ""
            follow_ups.add_row(
                _text(follow_up.due or "", style),
                _text(follow_up.text),
                _text(follow_up.interaction_title),
            )
        recent = self.query_one("#recent", DataTable)
        recent.clear()
        for item in message.recent:
            recent.add_row(
                _text(item.when),
                _text(item.title),
                _text(", ".join(item.stakeholders)),
                _text(item.kind.value),
            )

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.query_one("#loading").display = False
            error = event.worker.error
            self.notify(
                str(error), title="Could not load the dashboard", severity="error", markup=False
            )


def _text(value: Any, style: str = "") -> Text:
    """Data is shown literally: a name like '[bold]X' is never read as markup."""
    return Text("" if value is None else str(value), style=style)
