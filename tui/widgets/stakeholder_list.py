"""The stakeholder list: a virtual list that fetches pages of rows as they come into view.

It never holds the whole table. A new filter fetches the first page (and the total, which sets
the scroll range); scrolling fetches the page under the viewport; pages of an older filter are
dropped when they arrive late. That keeps a keystroke-to-repaint cycle cheap at 100,000
stakeholders.
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

from tui.support import report_failure
from tui.widgets.lines import CursorLines

if TYPE_CHECKING:
    from engagement.schemas import StakeholderPage, StakeholderRead


class StakeholderQuery(NamedTuple):
    text: str = ""
    kind: str | None = None
    country: str | None = None


PageLoader = Callable[[StakeholderQuery, int, int], "StakeholderPage"]


class StakeholderList(CursorLines):
    """Name, kind, country, last contact and number of interactions, one page at a time."""

    # A page covers a tall terminal: the fewer rows a keystroke reads, the sooner it paints.
    PAGE_SIZE = 50
    header_lines = 1

    @dataclass
    class Chosen(Message):
        """Enter or a click on a stakeholder."""

        stakeholder: StakeholderRead

    @dataclass
    class Counted(Message):
        """A new filter's first page arrived: how many match (at least, when ``at_least``), and
        whether by typo tolerance."""

        total: int
        fuzzy: bool
        at_least: bool = False

    @dataclass
    class PageLoaded(Message):
        """A page fetched by a worker (internal)."""

        generation: int
        page_number: int
        page: StakeholderPage

    def __init__(self, loader: PageLoader, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._loader = loader
        self._query = StakeholderQuery()
        self._generation = 0
        self._total = 0
        self._pages: dict[int, list[StakeholderRead]] = {}
        self._pending: set[int] = set()
        self.loaded = False

    # --- data ---------------------------------------------------------------------------

    @property
    def current_query(self) -> StakeholderQuery:
        return self._query

    @property
    def row_count(self) -> int:
        return self._total

    def item(self, index: int) -> StakeholderRead | None:
        page = self._pages.get(index // self.PAGE_SIZE)
        if page is None:
            return None
        offset = index % self.PAGE_SIZE
        return page[offset] if offset < len(page) else None

    @property
    def highlighted(self) -> StakeholderRead | None:
        return self.item(self.cursor) if self._total else None

    def set_query(self, query: StakeholderQuery) -> None:
        """Show the stakeholders matching ``query``; the current rows stay until the new first
        page arrives, so typing never flashes an empty list."""
        self._query = query
        self._generation += 1
        self._pending = {0}
        self._fetch_first(self._generation, query)

    def reload(self) -> None:
        self.set_query(self._query)

    @work(thread=True, exclusive=True, group="stakeholder-filter", exit_on_error=False)
    def _fetch_first(self, generation: int, query: StakeholderQuery) -> None:
        page = self._loader(query, 0, self.PAGE_SIZE)
        if not get_current_worker().is_cancelled:
            self.post_message(self.PageLoaded(generation, 0, page))

    @work(thread=True, group="stakeholder-page", exit_on_error=False)
    def _fetch_page(self, generation: int, query: StakeholderQuery, number: int) -> None:
        page = self._loader(query, number * self.PAGE_SIZE, self.PAGE_SIZE)
        self.post_message(self.PageLoaded(generation, number, page))

    def _want_page(self, number: int) -> None:
        if number in self._pages or number in self._pending or number < 0:
            return
        if number * self.PAGE_SIZE >= self._total:
            return
        self._pending.add(number)
        # Deferred: this runs while lines are being drawn.
        self.call_later(self._fetch_page, self._generation, self._query, number)

    def on_stakeholder_list_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._pending.discard(message.page_number)
        if message.page_number == 0:
            self._pages = {0: message.page.items}
            self._total = message.page.total
            self.loaded = True
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
            self.rows_changed()
            page = message.page
            self.post_message(self.Counted(page.total, page.fuzzy, page.at_least))
        else:
            self._pages[message.page_number] = message.page.items
            self.refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if report_failure(self, event, "Could not list stakeholders"):
            self._pending.clear()

    def cursor_moved(self, index: int) -> None:
        number = index // self.PAGE_SIZE
        self._want_page(number)
        if index % self.PAGE_SIZE > self.PAGE_SIZE * 3 // 4:
            self._want_page(number + 1)

    def row_chosen(self, index: int) -> None:
        item = self.item(index)
        if item is not None:
            self.post_message(self.Chosen(item))

    # --- drawing ------------------------------------------------------------------------

    def _widths(self, width: int) -> tuple[int, int, int, int, int]:
        kind = 26 if width >= 110 else 16
        country, last, count = 7, 14, 6
        name = max(10, width - kind - country - last - count - 1)
        return name, kind, country, last, count

    def render_header(self, width: int) -> list[Segment]:
        name, kind, country, last, count = self._widths(width)
        style = Style()
        return [
            self.cells(" Name", name, style),
            self.cells(" Kind", kind, style),
            self.cells(" Ctry", country, style),
            self.cells(" Last contact", last, style),
            Segment(f"{'Int.':>{count}}", style),
        ]

    def render_row(self, index: int, width: int, style: Style) -> list[Segment]:
        item = self.item(index)
        name, kind, country, last, count = self._widths(width)
        if item is None:
            self._want_page(index // self.PAGE_SIZE)
            dim = style + self.get_component_rich_style("lines--dim", partial=True)
            return [self.cells(" …", width, dim)]
        dim = style + self.get_component_rich_style("lines--dim", partial=True)
        archived = " (archived)" if item.archived else ""
        last_contact = item.last_contact.isoformat() if item.last_contact else "never"
        return [
            self.cells(f" {item.name}{archived}", name, style),
            self.cells(" " + item.kind.value.replace("_", " "), kind, dim),
            self.cells(f" {item.country or '—'}", country, dim),
            self.cells(f" {last_contact}", last, style if item.last_contact else dim),
            Segment(f"{item.interaction_count:>{count}}", style),
        ]
