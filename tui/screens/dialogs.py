"""Small typed dialogs: a question with a few answers, and a pick from a list.

Each returns its answer through ``dismiss``, so callers either pass a callback to
``push_screen`` or ``await push_screen_wait`` from an async worker.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option


class ChoiceDialog(ModalScreen[str]):
    """A question and a row of answers; returns the chosen answer's key (``escape`` returns
    ``cancel_key``, which also has the focus at first: enter never does the risky thing by
    accident). The message is shown literally: it often quotes data."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(
        self,
        title: str,
        message: str | Text,
        choices: list[tuple[str, str, str]],
        *,
        cancel_key: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._message = message if isinstance(message, Text) else Text(message)
        self._choices = choices
        self._cancel_key = cancel_key

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(self._message, classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                for key, label, variant in self._choices:
                    yield Button(label, id=f"choice-{key}", variant=variant)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self._cancel_key}", Button).focus()

    @on(Button.Pressed)
    def _chosen(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_cancel(self) -> None:
        self.dismiss(self._cancel_key)


class PickDialog(ModalScreen[str | None]):
    """Pick one of several values (the stakeholders an ambiguous name could mean); returns
    the value, or ``None`` on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, title: str, message: str, options: list[tuple[str, str]], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._title = title
        self._message = message
        self._options = options

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(Text(self._message), classes="dialog-message")
            yield OptionList(
                *[
                    Option(Text(label), id=str(index))
                    for index, (_, label) in enumerate(self._options)
                ],
                id="pick-options",
            )
            yield Static(Text("enter choose · escape cancel", style="dim"))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        if self._options:
            options.highlighted = 0

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._options[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)


def conflict_dialog(mine: int | None, theirs: int, noun: str = "interaction") -> ChoiceDialog:
    """Someone saved the record being edited: reload theirs, overwrite with mine, or go on."""
    message = Text(
        f"Someone else saved this {noun} after you opened it (your version {mine}, now "
        f"{theirs}). Reload shows their version and drops your changes; overwrite saves your "
        "changes over theirs."
    )
    return ChoiceDialog(
        f"This {noun} changed",
        message,
        [
            ("reload", "Reload theirs", "primary"),
            ("overwrite", "Overwrite", "warning"),
            ("stay", "Keep editing", "default"),
        ],
        cancel_key="stay",
        id="conflict",
    )


def leave_dialog() -> ChoiceDialog:
    """Leaving a form with unsaved changes."""
    return ChoiceDialog(
        "Leave without saving?",
        "This form has changes that are not saved.",
        [
            ("keep", "Keep draft", "primary"),
            ("discard", "Discard", "error"),
            ("stay", "Stay", "default"),
        ],
        cancel_key="stay",
        id="leave-form",
    )
