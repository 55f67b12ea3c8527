"""A small table whose columns share the width they are given, row by row with the Line API.

The dashboard's panels are narrow and change size with the terminal; a column is either a fixed
number of cells or a share of what is left, so the title is never pushed off screen by a long
date and nothing needs a horizontal scrollbar.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.message import Message

from tui.widgets.lines import CursorLines


class Column(NamedTuple):
    title: str
    width: int = 0
    share: int = 1


class Cell(NamedTuple):
    text: str
    style: str = ""


class TableLines(CursorLines):
    """Rows of cells keyed by a string; ``enter`` or a click posts :class:`Chosen`."""

    header_lines = 1

    @dataclass
    class Chosen(Message):
        table: TableLines
        key: str

        @property
        def control(self) -> TableLines:
            return self.table

    def __init__(
        self, columns: list[Column], *, empty: str = "nothing here", id: str | None = None
    ):
        super().__init__(id=id)
        self.columns = columns
        self.empty = empty
        self._rows: list[tuple[str, list[Cell]]] = []

    @property
    def row_count(self) -> int:
        return max(1, len(self._rows))

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self._rows]

    def cell_texts(self, column: int) -> list[str]:
        return [cells[column].text for _, cells in self._rows]

    @property
    def highlighted_key(self) -> str | None:
        return self._rows[self.cursor][0] if 0 <= self.cursor < len(self._rows) else None

    def set_rows(self, rows: list[tuple[str, list[Cell]]]) -> None:
        self._rows = rows
        self.rows_changed()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self.row_count + self.header_lines

    def selectable(self, index: int) -> bool:
        return index < len(self._rows)

    def row_chosen(self, index: int) -> None:
        if index < len(self._rows):
            self.post_message(self.Chosen(self, self._rows[index][0]))

    def _widths(self, width: int) -> list[int]:
        fixed = sum(column.width for column in self.columns if column.width)
        shares = sum(column.share for column in self.columns if not column.width) or 1
        free = max(0, width - fixed)
        widths = [column.width or max(4, free * column.share // shares) for column in self.columns]
        widths[-1] += max(0, width - sum(widths))
        return widths

    def render_header(self, width: int) -> list[Segment]:
        return [
            self.cells(f" {column.title}", cell_width, Style())
            for column, cell_width in zip(self.columns, self._widths(width), strict=True)
        ]

    def render_row(self, index: int, width: int, style: Style) -> list[Segment]:
        if index >= len(self._rows):
            dim = style + self.get_component_rich_style("lines--dim", partial=True)
            return [self.cells(f" {self.empty}", width, dim)]
        _, cells = self._rows[index]
        segments = []
        for cell, cell_width in zip(cells, self._widths(width), strict=True):
            cell_style = style + Style.parse(cell.style) if cell.style else style
            if cell.style == "dim":
                cell_style = style + self.get_component_rich_style("lines--dim", partial=True)
            segments.append(self.cells(f" {cell.text}", cell_width, cell_style))
        return segments
