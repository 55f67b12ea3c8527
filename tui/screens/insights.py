"""Insights: how much engagement there was month by month, and who has gone quiet.

The chart is a terminal plot (textual-plotext) of interactions per month, stacked by the kind of
each interaction's lead stakeholder — the few biggest kinds by name, the rest as "other" so the
legend stays readable at 80 columns. The window ends with the app clock's month; ``[``/``]``
move it by a year, ``-``/``+`` shorten or lengthen it, ``0`` puts it back. Both parts load in a
worker: the screen paints at once and never waits for the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Header, Label
from textual_plotext import PlotextPlot

from engagement.vocab import MONTH_ABBREVIATIONS as MONTHS
from tui.screens.base import BaseScreen
from tui.screens.dashboard import DORMANT_DAYS
from tui.support import app_of, now_of
from tui.widgets.footer import KeysFooter
from tui.widgets.table import Cell, Column, TableLines

if TYPE_CHECKING:
    from engagement.schemas import DormantEntry, MonthlyActivity

DEFAULT_MONTHS = 12
MIN_MONTHS, MAX_MONTHS, STEP = 6, 60, 6
SHOWN_KINDS = 5
"""Kinds stacked by name; the others are added up as "other"."""
DORMANT_LIMIT = 200


@dataclass(frozen=True)
class Window:
    """``months`` months ending ``back`` months before the clock's month."""

    months: int = DEFAULT_MONTHS
    back: int = 0

    def bounds(self, today: date) -> tuple[date, date]:
        last = today.year * 12 + today.month - 1 - self.back
        first = last - (self.months - 1)
        return date(first // 12, first % 12 + 1, 1), date(last // 12, last % 12 + 1, 1)


def stacked(activity: MonthlyActivity, shown: int = SHOWN_KINDS) -> dict[str, list[int]]:
    """The series to stack: the ``shown`` biggest kinds (the library orders them), the rest
    summed as "other"."""
    items = list(activity.series.items())
    series = {kind.replace("_", " "): values for kind, values in items[:shown]}
    rest = [values for _, values in items[shown:]]
    if rest:
        series["other"] = [sum(column) for column in zip(*rest, strict=True)]
    return series


def month_label(key: str, *, with_year: bool) -> str:
    """'2025-06' → 'Jun' or "Jun 25" (the year on January and on the first bar)."""
    year, month = key.split("-")
    return f"{MONTHS[int(month)]} {year[2:]}" if with_year else MONTHS[int(month)]


class InsightsScreen(BaseScreen):
    CSS_PATH = "insights.tcss"
    FAILURE_TITLE = "Could not load the insights"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left_square_bracket", "shift(12)", "Earlier", tooltip="a year earlier"),
        Binding("right_square_bracket", "shift(-12)", "Later", tooltip="a year later"),
        Binding("minus", "resize(-1)", "Shorter", tooltip="six months fewer"),
        Binding("plus,equals_sign", "resize(1)", "Longer", tooltip="six months more"),
        Binding("0", "reset", "Reset", show=False, tooltip="back to the last 12 months"),
        Binding("m", "map", "Map", tooltip="the power–interest grid"),
    ]

    @dataclass
    class ChartLoaded(Message):
        window: Window
        activity: MonthlyActivity
        requested: Window | None = None
        """The window asked for, when the default one was empty and moved to the latest
        activity (a database whose last entries are older than a year)."""

    @dataclass
    class DormantLoaded(Message):
        dormant: list[DormantEntry]

    def __init__(self) -> None:
        super().__init__()
        self.window = Window()
        self.activity: MonthlyActivity | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="insights-body"):
            yield Label("Interactions per month", id="chart-title", classes="panel-title")
            yield PlotextPlot(id="chart", classes="loadable")
            yield Label(f"Dormant · no contact in {DORMANT_DAYS} days", classes="panel-title")
            yield TableLines(
                [Column("Stakeholder", share=3), Column("Kind", share=1), Column("Last", 11)],
                empty="nobody has gone quiet",
                id="insights-dormant",
            )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Insights"
        self.query_one("#chart").loading = True
        self.load_chart(self.window)
        self.load_dormant()
        self.query_one("#insights-dormant").focus()

    # --- loading ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="chart", exit_on_error=False)
    def load_chart(self, window: Window) -> None:
        today = now_of(self).date()
        tracker = self.tracker()
        start, end = window.bounds(today)
        activity = tracker.activity_by_month(start, end)
        if window == Window() and activity.total() == 0:
            latest = tracker.recent(1)
            if latest:
                day = latest[0].period.first_day()
                back = (today.year - day.year) * 12 + today.month - day.month
                moved = Window(window.months, max(0, back))
                start, end = moved.bounds(today)
                activity = tracker.activity_by_month(start, end)
                self.post_message(self.ChartLoaded(moved, activity, requested=window))
                return
        self.post_message(self.ChartLoaded(window, activity))

    @work(thread=True, exclusive=True, group="dormant", exit_on_error=False)
    def load_dormant(self) -> None:
        self.post_message(
            self.DormantLoaded(self.tracker().dormant(DORMANT_DAYS, limit=DORMANT_LIMIT))
        )

    def on_insights_screen_chart_loaded(self, message: ChartLoaded) -> None:
        if (message.requested or message.window) != self.window:
            return  # a newer window was asked for meanwhile
        self.window = message.window
        self.activity = message.activity
        self.query_one("#chart").loading = False
        activity = message.activity
        first, last = activity.months[0], activity.months[-1]
        total = activity.total()
        self.query_one("#chart-title", Label).update(
            f"Interactions per month · {month_label(first, with_year=True)} – "
            f"{month_label(last, with_year=True)} · {total} in all"
        )
        self._draw(activity)

    def _draw(self, activity: MonthlyActivity) -> None:
        chart = self.query_one("#chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        labels = [
            month_label(key, with_year=index == 0 or key.endswith("-01"))
            for index, key in enumerate(activity.months)
        ]
        series = stacked(activity)
        if series:
            # plotext takes ``labels`` here; textual-plotext's stub names it ``label``.
            plt.stacked_bar(labels, list(series.values()), labels=list(series))  # type: ignore[call-arg]
        else:
            plt.bar(labels, [0] * len(labels))
            plt.title("no interactions in these months")
        top = max(activity.totals(), default=0)
        plt.ylim(0, max(top, 1))
        plt.yfrequency(min(top, 4) + 1 if top else 2)
        chart.refresh()

    def on_insights_screen_dormant_loaded(self, message: DormantLoaded) -> None:
        self.query_one("#insights-dormant", TableLines).set_rows(
            [
                (
                    f"s{entry.stakeholder.id}",
                    [
                        Cell(entry.stakeholder.name),
                        Cell(entry.stakeholder.kind.value.replace("_", " "), "dim"),
                        Cell(entry.last_contact.isoformat() if entry.last_contact else "never"),
                    ],
                )
                for entry in message.dormant
            ]
        )

    def on_screen_resume(self) -> None:
        if self.activity is not None:  # back from a stakeholder: who is dormant may have changed
            self.load_dormant()

    # --- keys ---------------------------------------------------------------------------

    def _ask(self, window: Window) -> None:
        self.window = window
        self.query_one("#chart").loading = True
        self.load_chart(window)

    def action_shift(self, months: int) -> None:
        self._ask(Window(self.window.months, max(0, self.window.back + months)))

    def action_resize(self, direction: int) -> None:
        months = min(MAX_MONTHS, max(MIN_MONTHS, self.window.months + direction * STEP))
        self._ask(Window(months, self.window.back))

    def action_reset(self) -> None:
        self._ask(Window())

    def action_map(self) -> None:
        """Go to the map — back to it when it is the screen below, so that ``i`` and ``m``
        switch between the two instead of stacking screens."""
        from tui.screens.stakeholder_map import StakeholderMapScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], StakeholderMapScreen):
            self.app.pop_screen()
        else:
            app_of(self).action_stakeholder_map()

    @on(TableLines.Chosen, "#insights-dormant")
    def _open(self, event: TableLines.Chosen) -> None:
        app_of(self).open_stakeholder(f"#{event.key[1:]}")
