"""Quick-add: one line, parsed as you type, logged on enter.

The line's grammar is :mod:`engagement.quickadd`'s. On enter each ``@name`` is resolved; a name
that could mean several stakeholders asks which one, a name that matches nobody offers the
closest spellings or to create the stakeholder on the spot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static
from textual.worker import Worker

from tui.support import in_thread, now_of, report_failure, tracker_of

if TYPE_CHECKING:
    from engagement.quickadd import QuickAdd

EXAMPLE = (
    "Meeting with @Moskalkova on POW exchanges #pow 2025-07-01 10:00 Europe/Moscow !confidential"
)
HINT = '@name  @"full name"  #tag  !confidential  +call  +planned  at "place"  · a date anywhere'
CREATE = "\x00create"


class QuickAddScreen(ModalScreen[int | None]):
    """Returns the id of the interaction logged, or ``None``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close")]

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._text = text
        self._parsed: QuickAdd | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="quick-add"):
            yield Label("Quick add", classes="dialog-title")
            yield Input(self._text, placeholder=EXAMPLE, id="quick-input")
            yield Static(Text(HINT, style="dim"), id="quick-hint")
            yield Static("", id="quick-preview")
            yield Static(Text("enter logs it · escape closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#quick-input", Input).focus()
        if self._text:
            self._preview(self._text)

    @on(Input.Changed, "#quick-input")
    def _typed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, line: str) -> None:
        from engagement.errors import EngagementError
        from engagement.quickadd import parse_quick_add

        preview = self.query_one("#quick-preview", Static)
        self._parsed = None
        if not line.strip():
            preview.update("")
            return
        try:
            parsed = parse_quick_add(line, now=now_of(self))
        except EngagementError as error:
            preview.update(Text(f"✗ {error}"))
            preview.set_class(True, "-error")
            return
        self._parsed = parsed
        text = Text()
        for label, value in parsed.summary():
            text.append(f"{label:<16}", style="bold")
            text.append(f"{value}\n")
        text.rstrip()
        preview.update(text)
        preview.set_class(False, "-error")

    @on(Input.Submitted, "#quick-input")
    def _submit(self) -> None:
        if self.busy:
            return
        if self._parsed is None:
            self.notify("Nothing to log yet: see the message under the line", severity="warning")
            return
        self.busy = True
        self._log(self._parsed)

    @work(exclusive=True, group="quick-add", exit_on_error=False)
    async def _log(self, parsed: QuickAdd) -> None:
        try:
            references: list[str] = []
            for name in parsed.stakeholders:
                reference = await self._resolve(name)
                if reference is None:
                    self.notify("Not logged: no stakeholder chosen", severity="warning")
                    return
                references.append(reference)
            tracker = tracker_of(self)
            logged = await in_thread(
                lambda: tracker.log_interaction(**parsed.log_arguments(references))
            )
        finally:
            self.busy = False
        with_text = ", ".join(logged.stakeholders)
        self.notify(f"Logged “{logged.title}” with {with_text} · {logged.when}", markup=False)
        self.dismiss(logged.id)

    async def _resolve(self, name: str) -> str | None:
        """``#<id>`` of the stakeholder ``name`` means, asking the user when it is unclear."""
        from engagement.errors import AmbiguousName, StakeholderNotFound
        from tui.screens.dialogs import PickDialog

        tracker = tracker_of(self)
        try:
            found = await in_thread(tracker.resolve_stakeholder, name)
            return f"#{found.id}"
        except AmbiguousName as error:
            options = [(c, c) for c in error.candidates if not c.endswith(" more")]
            title, message = "Which one?", f"“{name}” could be any of these:"
        except StakeholderNotFound as error:
            options = [(s, s) for s in error.suggestions]
            title, message = "Who is this?", f"No stakeholder is called “{name}”."
            options.append((CREATE, f"+ Create a new stakeholder “{name}”…"))
        picked = await self.app.push_screen_wait(PickDialog(title, message, options, id="pick"))
        if picked is None:
            return None
        if picked == CREATE:
            from tui.screens.stakeholder_form import StakeholderFormScreen

            created = await self.app.push_screen_wait(StakeholderFormScreen(name=name))
            return None if created is None else f"#{created.id}"
        canonical = _name_of(picked)
        found = await in_thread(tracker.resolve_stakeholder, canonical)
        return f"#{found.id}"

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event, "Not logged"):
            self.busy = False

    def action_close(self) -> None:
        self.dismiss(None)


def _name_of(label: str) -> str:
    """Candidates read 'Name (kind, Country)': the canonical name is before the last ' ('."""
    return label.rsplit(" (", 1)[0] if label.endswith(")") and " (" in label else label
