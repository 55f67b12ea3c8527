"""What every full screen shares: the header and footer, going back, and the library."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual._context import NoActiveAppError
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

    def __init__(self) -> None:
        super().__init__()
        self._resumed = False
        self._prepare_styles()

    def _prepare_styles(self) -> None:
        """Spare the first frame of a new screen two restyles Textual would do.

        A new screen is styled as its widgets mount, with the stylesheet as it is now (a theme
        change schedules its own refresh). Textual marks a new screen as stale regardless, and
        a mode's first screen then re-parses the whole stylesheet twice (~40 ms). And it sets the
        screen's width class (``-wide`` …) on the first resize, after the widgets were styled,
        which restyles every one of them: set up front, each widget is styled once.
        """
        try:
            app = self.app
        except NoActiveAppError:
            return
        self._css_update_count = app._css_update_count
        breakpoints = self.HORIZONTAL_BREAKPOINTS
        if breakpoints is None:
            breakpoints = app.HORIZONTAL_BREAKPOINTS
        if breakpoints:
            wanted = self._get_breakpoint_classes(app.size.width, breakpoints)
            for _, name in breakpoints:
                self.set_class(name in wanted, name, update=False)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual restyles a screen's every widget each time it resumes, in case the styles
        changed meanwhile; on the first, the widgets were styled as they mounted, moments ago,
        so that pass only doubles the first frame's styling. (Textual calls this before its
        own handler, which reads ``refresh_styles``.)"""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

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
