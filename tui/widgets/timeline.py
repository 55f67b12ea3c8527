"""A stakeholder's history as a timeline grouped by month, loaded a page at a time.

The first page paints at once however long the history is (10,000 meetings open as fast as
ten); the next page is fetched when the cursor or the viewport nears the end of what is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.message import Message
from textual.worker import Worker, get_current_worker

from engagement.vocab import MONTH_NAMES
from tui.support import report_failure
from tui.widgets.lines import CursorLines

if TYPE_CHECKING:
    from engagement.schemas import InteractionRead

HistoryLoader = Callable[[int, int], "list[InteractionRead]"]


class _Row(NamedTuple):
    month: str
    item: InteractionRead | None


class Timeline(CursorLines):
    """Month headings, then one line per interaction, newest first."""

    # Newest first: a page covers a screen and a half, and the first paints as soon as it is
    # read however long the history is.
    PAGE_SIZE = 50

    @dataclass
    class Chosen(Message):
        interaction_id: int

    @dataclass
    class PageLoaded(Message):
        """A page fetched by a worker (internal)."""

        generation: int
        offset: int
        items: list[InteractionRead]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._loader: HistoryLoader | None = None
        self._rows: list[_Row] = []
        self._loaded = 0
        self._generation = 0
        self._more = False
        self._loading = False
        self.loaded = False

    @property
    def row_count(self) -> int:
        if not self.loaded:
            return 1
        return max(1, len(self._rows) + (1 if self._more else 0))

    @property
    def interaction_count(self) -> int:
        return self._loaded

    @property
    def highlighted(self) -> InteractionRead | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor].item
        return None

    def items(self) -> list[InteractionRead]:
        return [row.item for row in self._rows if row.item is not None]

    def show(self, loader: HistoryLoader, first_page: list[InteractionRead] | None = None) -> None:
        """Start over with another history (another stakeholder, or related ones included);
        ``first_page``, when the caller read it already, is shown at once."""
        self._loader = loader
        self._generation += 1
        if first_page is not None:
            self.on_timeline_page_loaded(self.PageLoaded(self._generation, 0, first_page))
            return
        self._loading = True
        self._fetch(self._generation, 0)

    def reload(self) -> None:
        if self._loader is not None:
            self.show(self._loader)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def _fetch(self, generation: int, offset: int) -> None:
        loader = self._loader
        if loader is None:
            return
        items = loader(offset, self.PAGE_SIZE)
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, offset, items))

    def on_timeline_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._loading = False
        if message.offset == 0:
            self._rows = []
            self._loaded = 0
            self.loaded = True
            self.scroll_to(y=0, animate=False, immediate=True)
        last_month = self._rows[-1].month if self._rows else ""
        for item in message.items:
            month = item.start[:7]
            if month != last_month:
                self._rows.append(_Row(month, None))
                last_month = month
            self._rows.append(_Row(month, item))
        self._loaded += len(message.items)
        self._more = len(message.items) == self.PAGE_SIZE
        if message.offset == 0:
            self.cursor = self._nearest_selectable(0, 1)
        self.rows_changed()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event, "Could not load the history"):
            self._loading = False

    def _load_more(self) -> None:
        if self._more and not self._loading:
            self._loading = True
            self.call_later(self._fetch, self._generation, self._loaded)

    def cursor_moved(self, index: int) -> None:
        if index >= len(self._rows) - self._page_height:
            self._load_more()

    def selectable(self, index: int) -> bool:
        return index < len(self._rows) and self._rows[index].item is not None

    def row_chosen(self, index: int) -> None:
        item = self._rows[index].item if index < len(self._rows) else None
        if item is not None:
            self.post_message(self.Chosen(item.id))

    def render_row(self, index: int, width: int, style: Style) -> list[Segment]:
        dim = style + self.get_component_rich_style("lines--dim", partial=True)
        if not self.loaded:
            return [self.cells(" Loading…", width, dim)]
        if index >= len(self._rows):
            if self._more:
                self._load_more()
                return [self.cells(" Loading more…", width, dim)]
            return [self.cells(" No interactions yet.", width, dim)]
        row = self._rows[index]
        if row.item is None:
            heading = style + self.get_component_rich_style("lines--heading", partial=True)
            year, month = row.month.split("-")
            return [self.cells(f" {MONTH_NAMES[int(month)]} {year}", width, heading)]
        item = row.item
        when_width = 22 if width >= 100 else 20 if width >= 60 else 14
        kind_width = 11
        status = item.status.value
        marker = {"planned": "◇", "held": "●", "cancelled": "✕"}.get(status, "•")
        text_style = style
        if status == "cancelled":
            text_style = dim + Style(strike=True)
        accent = style + self.get_component_rich_style("lines--accent", partial=True)
        with_text = ", ".join(item.stakeholders)
        rest = max(0, width - when_width - kind_width - 4)
        title = item.title + (f" · {with_text}" if with_text else "")
        return [
            self.cells(f"  {marker} ", 4, accent),
            self.cells(item.when, when_width, dim),
            self.cells(f" {item.kind.value}", kind_width, dim),
            self.cells(f" {title}", rest, text_style),
        ]
