"""Choosing the stakeholders of an interaction: chosen ones as removable chips, more added by
autocompletion from the matching engine, or created on the spot when none fits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from tui.widgets.suggest import SuggestField, SuggestInput, SuggestionSource

NEW_PREFIX = "new:"


class Chip(Static, can_focus=True):
    """One chosen stakeholder; delete, backspace or a click removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("delete,backspace", "remove", "Remove", show=True),
    ]

    @dataclass
    class Removed(Message):
        chip: Chip

    def __init__(self, reference: str, name: str) -> None:
        super().__init__(Text.assemble(("✕ ", "bold"), name), classes="chip")
        self.reference = reference
        self.stakeholder_name = name

    def action_remove(self) -> None:
        self.post_message(self.Removed(self))

    def on_click(self) -> None:
        self.post_message(self.Removed(self))


class StakeholderPicker(Vertical):
    """``chosen`` holds (reference, name) pairs; the reference is ``#<id>`` so that saving never
    meets an ambiguous name."""

    @dataclass
    class CreateWanted(Message):
        """The user picked "new stakeholder" for text that matched nobody."""

        picker: StakeholderPicker
        name: str

    @dataclass
    class Changed(Message):
        picker: StakeholderPicker

    def __init__(
        self,
        fetch: SuggestionSource,
        chosen: list[tuple[str, str]] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch = fetch
        self._initial = list(chosen or [])

    def compose(self) -> ComposeResult:
        with Vertical(classes="chips"):
            for reference, name in self._initial:
                yield Chip(reference, name)
        yield SuggestField(
            self._fetch, placeholder="type a name, alias or acronym…", id="stakeholder-search"
        )

    @property
    def chosen(self) -> list[tuple[str, str]]:
        return [(chip.reference, chip.stakeholder_name) for chip in self.query(Chip)]

    def add(self, reference: str, name: str) -> None:
        if any(existing == reference for existing, _ in self.chosen):
            return
        self.query_one(".chips", Vertical).mount(Chip(reference, name))
        self.post_message(self.Changed(self))

    def replace(self, chosen: list[tuple[str, str]]) -> None:
        self.query(Chip).remove()
        chips = self.query_one(".chips", Vertical)
        for reference, name in chosen:
            chips.mount(Chip(reference, name))

    @on(SuggestField.Accepted)
    def _accepted(self, event: SuggestField.Accepted) -> None:
        event.stop()
        value = event.suggestion.value
        if value.startswith(NEW_PREFIX):
            self.post_message(self.CreateWanted(self, value[len(NEW_PREFIX) :]))
        else:
            self.add(value, event.suggestion.label)

    @on(Chip.Removed)
    def _removed(self, event: Chip.Removed) -> None:
        event.stop()
        event.chip.remove()
        self.query_one(SuggestInput).focus()
        self.post_message(self.Changed(self))

    @on(SuggestInput.EmptyBackspace)
    def _backspace(self, event: SuggestInput.EmptyBackspace) -> None:
        event.stop()
        chips = list(self.query(Chip))
        if chips:
            chips[-1].remove()
            self.post_message(self.Changed(self))
