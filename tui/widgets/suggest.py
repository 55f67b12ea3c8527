"""An input with a drop-down of suggestions fetched as you type (stakeholders, tags).

Suggestions come from a blocking ``fetch(text)`` run in an exclusive thread worker, so a slow
database never holds up a keystroke and only the latest text's answer is shown. Keys:
down/up move through the suggestions, enter or tab accepts one, escape closes the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, get_current_worker

from tui.support import report_failure

DEBOUNCE = 0.12


class Suggestion(NamedTuple):
    """``value`` is what accepting gives back (e.g. ``#12``); ``label`` is what is shown."""

    value: str
    label: str
    detail: str = ""


SuggestionSource = Callable[[str], list[Suggestion]]


class SuggestInput(Input):
    """The text box of a :class:`SuggestField`; its keys drive the drop-down when it is open."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "suggestion(1)", "Next suggestion", show=False),
        Binding("up", "suggestion(-1)", "Previous suggestion", show=False),
        Binding("enter", "accept", "Accept", show=False),
        Binding("tab", "accept_tab", "Accept", show=False),
        Binding("escape", "close", "Close suggestions", show=False),
        Binding("backspace", "backspace", "Delete", show=False),
    ]

    @dataclass
    class EmptyBackspace(Message):
        """Backspace in an empty box: a picker removes its last choice."""

        input: SuggestInput

    def _field(self) -> SuggestField | None:
        parent = self.parent
        return parent if isinstance(parent, SuggestField) else None

    def action_suggestion(self, step: int) -> None:
        field = self._field()
        if field is None or not field.move(step):
            raise SkipAction()

    async def action_accept(self) -> None:
        field = self._field()
        if field is None or not field.accept():
            await self.action_submit()

    def action_accept_tab(self) -> None:
        field = self._field()
        if field is None or not field.accept():
            raise SkipAction()

    def action_close(self) -> None:
        field = self._field()
        if field is None or not field.close():
            raise SkipAction()

    def action_backspace(self) -> None:
        if not self.value:
            self.post_message(self.EmptyBackspace(self))
        else:
            self.action_delete_left()


class SuggestionList(OptionList, can_focus=False):
    """Never takes the focus: typing carries on in the input while the list is open."""


class SuggestField(Vertical):
    """``fetch`` gives suggestions for the text; ``tokens`` makes it complete the last word of a
    list ("pow, miss" → "pow, missing, ")."""

    @dataclass
    class Accepted(Message):
        field: SuggestField
        suggestion: Suggestion

        @property
        def control(self) -> SuggestField:
            return self.field

    def __init__(
        self,
        fetch: SuggestionSource,
        *,
        placeholder: str = "",
        value: str = "",
        tokens: bool = False,
        keep_text: bool = False,
        min_chars: int = 1,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._fetch_source = fetch
        self._placeholder = placeholder
        self._initial = value
        self._tokens = tokens
        self._keep_text = keep_text
        self._min_chars = min_chars
        self._timer: Timer | None = None
        self._suppress = False
        self._choices: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        yield SuggestInput(value=self._initial, placeholder=self._placeholder, compact=True)
        yield SuggestionList(classes="suggestions")

    def on_mount(self) -> None:
        self.query_one(OptionList).display = False

    @property
    def input(self) -> SuggestInput:
        return self.query_one(SuggestInput)

    @property
    def value(self) -> str:
        return self.input.value

    @value.setter
    def value(self, text: str) -> None:
        self._suppress = True
        self.input.value = text
        self.input.cursor_position = len(text)

    @property
    def is_open(self) -> bool:
        return bool(self.query_one(OptionList).display)

    # --- fetching -----------------------------------------------------------------------

    def _fragment(self, text: str) -> str:
        if not self._tokens:
            return text.strip()
        return text.replace(",", " ").split(" ")[-1].lstrip("#") if text else ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        if event.input is not self.input:
            return
        if self._suppress:
            self._suppress = False
            return
        if self._timer is not None:
            self._timer.stop()
        fragment = self._fragment(event.value)
        if len(fragment) < self._min_chars:
            self.close()
            return
        self._timer = self.set_timer(DEBOUNCE, lambda: self._fetch(fragment))

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _fetch(self, fragment: str) -> None:
        found = self._fetch_source(fragment)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, fragment, found)

    def _show(self, fragment: str, found: list[Suggestion]) -> None:
        if fragment != self._fragment(self.value) or not self.input.has_focus:
            return
        self._choices = found
        options = self.query_one(OptionList)
        options.clear_options()
        for suggestion in found:
            prompt = Text(suggestion.label, end="")
            if suggestion.detail:
                prompt.append(f"  {suggestion.detail}", style="dim")
            options.add_option(Option(prompt))
        options.display = bool(found)
        if found:
            options.highlighted = 0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event, "Could not fetch suggestions")

    # --- choosing -----------------------------------------------------------------------

    def move(self, step: int) -> bool:
        options = self.query_one(OptionList)
        if not options.display or not self._choices:
            return False
        current = options.highlighted or 0
        options.highlighted = (current + step) % len(self._choices)
        return True

    def accept(self) -> bool:
        options = self.query_one(OptionList)
        if not options.display or options.highlighted is None:
            return False
        self._take(options.highlighted)
        return True

    def close(self) -> bool:
        options = self.query_one(OptionList)
        was_open = bool(options.display)
        options.display = False
        return was_open

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._take(event.option_index)
        self.input.focus()

    def _take(self, index: int) -> None:
        if not 0 <= index < len(self._choices):
            return
        chosen = self._choices[index]
        self.close()
        if self._tokens:
            text = self.value
            head = text[: len(text) - len(self._fragment(text))]
            if head.endswith("#"):
                head = head[:-1]
            self.value = f"{head}{chosen.value}, "
        elif self._keep_text:
            self.value = chosen.value
        else:
            self.value = ""
        self.post_message(self.Accepted(self, chosen))

    def on_descendant_blur(self) -> None:
        if not self.input.has_focus:
            self.close()
