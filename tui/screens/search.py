"""Full-text search over interactions, with the library's query syntax (words, "phrases",
-excluded, OR, prefix*), results with their matching passage highlighted.

Highlights arrive as character ranges into the snippet and are applied as styles, so a snippet
is never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Header, Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from engagement.schemas import SearchHit

DEBOUNCE = 0.25
LIMIT = 100
HIGHLIGHT = "bold reverse"


class SearchScreen(BaseScreen):
    FAILURE_TITLE = "Search failed"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("ctrl+f", "focus_query", "Query", show=False),
    ]

    @dataclass
    class Found(Message):
        query: str
        hits: list[SearchHit]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self._initial = query
        self._timer: Timer | None = None
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            self._initial,
            placeholder='search: words  "a phrase"  -not  pow OR missing  exchang*',
            id="search-query",
            compact=True,
        )
        yield Label("", id="search-status")
        yield OptionList(id="results", classes="loadable")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#search-query", Input).focus()
        self._set_status("Type to search the log; enter opens a result.")
        if self._initial:
            self.run_search(self._initial)

    def _set_status(self, text: str) -> None:
        self.query_one("#search-status", Label).update(Text(text, style="dim"))

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        query = event.value
        self._timer = self.set_timer(DEBOUNCE, lambda: self.run_search(query))

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._timer is not None:
            self._timer.stop()
        results = self.query_one("#results", OptionList)
        if self._hits and results.option_count:
            results.focus()
            results.highlighted = 0
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        if not query.strip():
            self._hits = []
            self.query_one("#results", OptionList).clear_options()
            self._set_status("Type to search the log; enter opens a result.")
            return
        self.query_one("#results").loading = True
        self._search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, query: str) -> None:
        hits = self.tracker().search(query, limit=LIMIT)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(query, hits))

    def on_search_screen_found(self, message: Found) -> None:
        results = self.query_one("#results", OptionList)
        results.loading = False
        if message.query != self.query_one("#search-query", Input).value:
            return
        self._hits = message.hits
        results.clear_options()
        results.add_options(_option(index, hit) for index, hit in enumerate(message.hits))
        count = len(message.hits)
        more = f" (the first {LIMIT})" if count == LIMIT else ""
        noun = "interaction" if count == 1 else "interactions"
        self._set_status(f"{count} {noun}{more} · enter opens · down moves into the results")

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#search-query"):
            results = self.query_one("#results", OptionList)
            if results.option_count:
                results.focus()
                if results.highlighted is None:
                    results.highlighted = 0
                event.stop()

    @on(OptionList.OptionSelected, "#results")
    def _open(self, event: OptionList.OptionSelected) -> None:
        app_of(self).open_interaction(self._hits[event.option_index].interaction.id)

    def _highlighted(self) -> SearchHit | None:
        results = self.query_one("#results", OptionList)
        index = results.highlighted
        return self._hits[index] if index is not None and index < len(self._hits) else None

    def action_edit(self) -> None:
        hit = self._highlighted()
        if hit is None:
            self.notify("Highlight a result to edit it", severity="warning")
            return
        app_of(self).edit_interaction(hit.interaction.id)

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def context_stakeholders(self) -> list[tuple[str, str]]:
        hit = self._highlighted()
        if hit is None:
            return []
        return [(f"#{p.id}", p.name) for p in hit.interaction.participants]


def _option(index: int, hit: SearchHit) -> Option:
    item = hit.interaction
    prompt = Text()
    prompt.append(item.title, style="bold")
    prompt.append(f"  {item.when} · {item.kind.value}", style="dim")
    if item.stakeholders:
        prompt.append("\n  with " + ", ".join(item.stakeholders), style="dim")
    snippet = Text(hit.snippet.replace("\n", " "))
    for start, end in hit.highlights:
        snippet.stylize(HIGHLIGHT, start, end)
    if hit.snippet:
        prompt.append("\n  ")
        prompt.append_text(snippet)
    return Option(prompt, id=str(index))
