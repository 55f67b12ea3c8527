"""The Textual application: built by :func:`make_app`, shared by ``engagement tui`` and tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from engagement.tracker import Tracker


class EngagementApp(App[None]):
    """Stakeholder engagement tracker."""

    CSS_PATH = "app.tcss"
    TITLE = "engagement"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("d", "dashboard", "Dashboard"),
    ]

    def __init__(
        self, db_url: str | None = None, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__()
        self.db_url = db_url
        self.clock = clock
        self._tracker: Tracker | None = None

    def tracker(self) -> Tracker:
        """The library facade, opened on first use (from a worker thread, never at start-up:
        importing SQLAlchemy and opening the database must not delay the first paint)."""
        if self._tracker is None:
            from engagement.tracker import Tracker

            self._tracker = Tracker(self.db_url, clock=self.clock)
        return self._tracker

    def on_mount(self) -> None:
        self.push_screen(DashboardScreen())

    def action_dashboard(self) -> None:
        if not isinstance(self.screen, DashboardScreen):
            self.switch_screen(DashboardScreen())

    async def action_quit(self) -> None:
        tracker = self._tracker
        if tracker is not None:
            tracker.close()
        self.exit()


def make_app(
    db_url: str | None = None, *, clock: Callable[[], datetime] | None = None
) -> EngagementApp:
    return EngagementApp(db_url, clock=clock)


def run(db_url: str | None = None) -> None:
    make_app(db_url).run()
