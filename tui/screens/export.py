"""Calendar export: a range, stakeholders, tags and what to include, written to an .ics file.

The work is the library's (``Tracker.export_ics``, see :mod:`tui.calendar_export`); the dialog
collects the choices and says where the file went and what was left out.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static
from textual.worker import Worker

from tui.calendar_export import export_calendar
from tui.support import report_failure, split_names, split_tags, tracker_of
from tui.widgets.form_row import row

DEFAULT_PATH = "~/engagement-export.ics"


class ExportScreen(ModalScreen[Path | None]):
    """Returns the file written, or ``None``. With ``interaction_ids`` it exports just those."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("ctrl+s", "export", "Export", priority=True),
    ]

    def __init__(self, *, interaction_ids: list[int] | None = None, title: str = "") -> None:
        super().__init__()
        self._ids = interaction_ids
        self._title = title

    def compose(self) -> ComposeResult:
        single = self._ids is not None
        with Vertical(classes="dialog wide-dialog", id="export"):
            heading = Text("Export to a calendar (.ics)")
            if single:
                heading = Text("Export “")
                heading.append(self._title)
                heading.append("” to .ics")
            yield Label(heading, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                if not single:
                    yield from row(
                        "From",
                        Input(placeholder="e.g. 2025-06 · 1 Sep 2025", id="from", compact=True),
                    )
                    yield from row("To", Input(placeholder="e.g. 2025-12", id="to", compact=True))
                    yield from row(
                        "Stakeholders",
                        Input(
                            placeholder="comma-separated names (all if empty)",
                            id="stakeholders",
                            compact=True,
                        ),
                    )
                    yield from row(
                        "Tags",
                        Input(placeholder="pow missing (all if empty)", id="tags", compact=True),
                    )
                yield from row(
                    "Include",
                    Checkbox("confidential interactions", False, id="confidential", compact=True),
                )
                yield from row(
                    "", Checkbox("follow-ups with due dates", True, id="follow-ups", compact=True)
                )
                yield from row("File", Input(DEFAULT_PATH, id="path", compact=True))
                yield Static("", id="export-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export  ctrl+s", id="do-export", variant="primary", compact=True)
                yield Button("Close  esc", id="close-export", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-error").display = False
        self.query(Input).first().focus()

    def _choices(self) -> dict[str, Any]:
        from engagement.dates import parse_date

        def value(selector: str) -> str:
            found = self.query(selector)
            return found.first(Input).value.strip() if found else ""

        include_confidential = self.query_one("#confidential", Checkbox).value
        choices: dict[str, Any] = {
            "include_confidential": include_confidential,
            "confidentiality_max": "strictly_confidential" if include_confidential else "internal",
            "include_follow_ups": self.query_one("#follow-ups", Checkbox).value,
        }
        if self._ids is not None:
            choices["interaction_ids"] = list(self._ids)
            return choices
        if value("#from"):
            choices["start"] = parse_date(value("#from"), field="from")
        if value("#to"):
            choices["end"] = parse_date(value("#to"), field="to", end_of_month=True)
        choices["stakeholders"] = split_names(value("#stakeholders"))
        choices["tags"] = split_tags(value("#tags"))
        return choices

    @on(Button.Pressed, "#do-export")
    def action_export(self) -> None:
        from engagement.errors import EngagementError

        error = self.query_one("#export-error", Static)
        try:
            choices = self._choices()
        except EngagementError as problem:
            error.update(Text(str(problem)))
            error.display = True
            return
        error.display = False
        path_text = self.query_one("#path", Input).value.strip() or DEFAULT_PATH
        self._export(choices, Path(path_text).expanduser())

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, choices: dict[str, Any], path: Path) -> None:
        written = export_calendar(tracker_of(self), choices, path)
        self.app.call_from_thread(
            self.notify, written.message(), title="Calendar written", markup=False, timeout=8
        )
        self.app.call_from_thread(self.dismiss, written.path)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, "Export failed")

    @on(Button.Pressed, "#close-export")
    def action_close(self) -> None:
        self.dismiss(None)
