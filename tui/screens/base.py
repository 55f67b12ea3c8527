"""What every full screen shares: the header and footer, going back, and the library."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker

from tui.support import report_failure, tracker_of

if TYPE_CHECKING:
    from engagement.tracker import Tracker


class BaseScreen(Screen[None]):
    """A full screen. ``escape`` goes back: to the previous screen, or from the root of the
    stakeholders or search views to the dashboard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="back to the previous screen")
    ]
    FAILURE_TITLE = "Something went wrong"

    def tracker(self) -> Tracker:
        return tracker_of(self)

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        elif self.app.current_mode != "dashboard":
            self.app.switch_mode("dashboard")

    def context_stakeholders(self) -> list[tuple[str, str]]:
        """Stakeholders a new interaction logged from here starts with: (reference, name)."""
        return []

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event, self.FAILURE_TITLE):
            self.work_failed()

    def work_failed(self) -> None:
        """Hook: a worker failed (the user was told); stop any spinner."""
        for widget in self.query(".loadable"):
            widget.loading = False
