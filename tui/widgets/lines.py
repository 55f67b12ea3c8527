"""A cursor over rows drawn with the Line API: the base of the virtual lists.

Only the rows on screen are ever rendered, so a list of 100,000 stakeholders costs what a list
of 30 does; subclasses say how many rows there are and how to draw row ``i``, and fetch data
for rows they do not hold yet.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.support import fit


class CursorLines(ScrollView, can_focus=True):
    """Rows with a highlighted cursor; an optional header line stays put while rows scroll."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
        Binding("enter", "choose", "Open", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "lines--header",
        "lines--cursor",
        "lines--cursor-blurred",
        "lines--dim",
        "lines--accent",
        "lines--heading",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    header_lines = 0
    _paint_style: Style | None = None

    # --- what subclasses provide ---------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int, width: int, style: Style) -> list[Segment]:
        raise NotImplementedError

    def render_header(self, width: int) -> list[Segment]:
        return []

    def selectable(self, index: int) -> bool:
        return True

    def row_chosen(self, index: int) -> None:
        """Enter or a click on row ``index``."""

    # --- geometry -----------------------------------------------------------------------

    def rows_changed(self) -> None:
        """Call when the number of rows changed: resizes the scroll range and repaints."""
        self._resize_range(Size(self.scrollable_content_region.width, self._virtual_height()))
        self.cursor = self._nearest_selectable(min(self.cursor, max(self.row_count - 1, 0)), 1)
        self.refresh()

    def _resize_range(self, size: Size) -> None:
        """Set the scroll range. Textual lays the whole screen out again whenever a virtual
        size changes; a list that only gets longer or shorter while staying taller than its
        window keeps its scrollbar and its place, so only the scrollbar is updated (each
        keystroke of a filter changes the count, and a layout would double its cost)."""
        old = self.virtual_size
        if size == old:
            return
        window = self.scrollable_content_region.height
        if self.is_mounted and old.width == size.width and min(old.height, size.height) > window:
            self.set_reactive(CursorLines.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
        else:
            self.virtual_size = size

    def _virtual_height(self) -> int:
        return self.row_count + self.header_lines

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self._virtual_height())

    @property
    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_lines)

    @property
    def first_visible(self) -> int:
        return int(self.scroll_offset.y)

    def watch_cursor(self, _old: int, new: int) -> None:
        top = self.first_visible
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self._page_height:
            self.scroll_to(y=new - self._page_height + 1, animate=False, immediate=True)
        self.refresh()
        self.cursor_moved(new)

    def cursor_moved(self, index: int) -> None:
        """Hook: the cursor is now on ``index`` (subclasses prefetch around it)."""

    # --- drawing ------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """Work out the widget's own style once per paint: Textual derives it from every
        ancestor's styles each time it is asked, which took ~40% of painting a page of rows."""
        self._paint_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._paint_style = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style if self._paint_style is None else self._paint_style
        if y < self.header_lines:
            header = self.get_component_rich_style("lines--header")
            segments = self.render_header(width)
            return Strip(segments).adjust_cell_length(width, header).apply_style(header)
        index = self.first_visible + y - self.header_lines
        if index >= self.row_count or index < 0:
            return Strip.blank(width, base)
        style = base
        if index == self.cursor and self.selectable(index):
            name = "lines--cursor" if self.has_focus else "lines--cursor-blurred"
            style = base + self.get_component_rich_style(name)
        segments = self.render_row(index, width, style)
        return Strip(segments).adjust_cell_length(width, style)

    def cells(self, text: str, width: int, style: Style) -> Segment:
        return Segment(fit(text, width), style)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- keys and mouse -----------------------------------------------------------------

    def _nearest_selectable(self, index: int, step: int) -> int:
        count = self.row_count
        if count == 0:
            return 0
        index = max(0, min(index, count - 1))
        probe = index
        while 0 <= probe < count and not self.selectable(probe):
            probe += step
        if 0 <= probe < count:
            return probe
        probe = index
        while 0 <= probe < count and not self.selectable(probe):
            probe -= step
        return probe if 0 <= probe < count else index

    def action_move(self, step: int) -> None:
        self.cursor = self._nearest_selectable(self.cursor + step, 1 if step > 0 else -1)

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self._page_height)

    def action_jump(self, where: int) -> None:
        if where < 0:
            self.cursor = self._nearest_selectable(self.row_count - 1, -1)
        else:
            self.cursor = self._nearest_selectable(0, 1)

    def action_choose(self) -> None:
        if 0 <= self.cursor < self.row_count and self.selectable(self.cursor):
            self.row_chosen(self.cursor)

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.header_lines:
            return
        index = self.first_visible + offset.y - self.header_lines
        if 0 <= index < self.row_count and self.selectable(index):
            self.focus()
            self.cursor = index
            self.row_chosen(index)
