"""The start screen: what is coming up, what is due, what is owed both ways (overdue
commitments first), who has gone quiet, what happened lately.

Every row opens what it is about (an interaction, or a stakeholder for the dormant list; a
commitment opens the interaction it came from, else the stakeholder it concerns).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Label
from textual.worker import get_current_worker

from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.footer import KeysFooter
from tui.widgets.table import Cell, Column, TableLines

if TYPE_CHECKING:
    from datetime import date

    from engagement.schemas import CommitmentRead, DormantEntry, InteractionRead, Upcoming
    from engagement.tracker import Tracker

UPCOMING_DAYS = 14
DORMANT_DAYS = 180
COMMITMENTS_SHOWN = 20
# How long the loading worker waits for the first frame, in refreshes and at most in seconds.
FIRST_PAINT_ROUNDS = 20
FIRST_PAINT_TIMEOUT = 2.0
# How long the first frame is given to reach the terminal before the panels are mounted and the
# library is imported: Textual writes frames from a thread of its own, which those would slow.
FIRST_FRAME_WRITE = 0.05
# Seconds back on the dashboard before its panels are reloaded.
RESUME_RELOAD_DELAY = 0.3
# What each panel's worker asks the library for; "upcoming" also fills the follow-ups panel.
PANELS: dict[str, Callable[[Tracker], Any]] = {
    "upcoming": lambda tracker: tracker.upcoming(UPCOMING_DAYS),
    "commitments": lambda tracker: tracker.commitments(limit=COMMITMENTS_SHOWN),
    "recent": lambda tracker: tracker.recent(10),
    "dormant": lambda tracker: tracker.dormant(DORMANT_DAYS, limit=10),
}
PANEL_WIDGETS = {
    "upcoming": ["upcoming", "follow-ups"],
    "commitments": ["commitments"],
    "recent": ["recent"],
    "dormant": ["dormant"],
}


class DashboardScreen(BaseScreen):
    """Four panels; their rows carry keys ``i<id>`` (interaction) or ``s<id>`` (stakeholder)."""

    FAILURE_TITLE = "Could not load the dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("b", "brief", "Brief", tooltip="the brief for the highlighted meeting"),
        Binding("r", "reload", "Reload", show=False),
        Binding("i", "app.insights", "Insights", tooltip="activity per month, who went quiet"),
        Binding("m", "app.stakeholder_map", "Map", tooltip="the power–interest grid"),
    ]

    _loaded_once = False

    @dataclass
    class PanelLoaded(Message):
        """One panel's data, from its own thread (internal)."""

        panel: str
        data: Any

    def __init__(self) -> None:
        super().__init__()
        # A commitment row's key ("c12") -> what it opens ("i<interaction>" or "s<stakeholder>").
        self._commitment_targets: dict[str, str] = {}
        self._arrived: set[str] = set()
        self._first_paint = threading.Event()
        # Data that came before the panels were mounted (the worker's wait timed out).
        self._early: list[DashboardScreen.PanelLoaded] = []
        self._reload_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Loading…", id="dashboard-loading", classes="panel-loading")
        yield KeysFooter()

    def _panels(self) -> Grid:
        def panel(name: str, title: str, table: TableLines) -> Vertical:
            return Vertical(
                Label(title, classes="panel-title"),
                table,
                classes="panel loadable",
                id=f"{name}-panel",
            )

        return Grid(
            panel(
                "upcoming",
                f"Coming up · next {UPCOMING_DAYS} days",
                TableLines(
                    [Column("When", 22), Column("Title", share=3), Column("With", share=2)],
                    empty="nothing planned",
                    id="upcoming",
                ),
            ),
            panel(
                "follow-ups",
                "Follow-ups due",
                TableLines(
                    [Column("Due", 20), Column("Follow-up", share=3), Column("For", share=2)],
                    empty="nothing due",
                    id="follow-ups",
                ),
            ),
            panel(
                "commitments",
                "Commitments · overdue first",
                TableLines(
                    [
                        Column("Due", 20),
                        Column("Owed", 9),
                        Column("Commitment", share=3),
                        Column("To/by", share=2),
                    ],
                    empty="no open commitments",
                    id="commitments",
                ),
            ),
            panel(
                "recent",
                "Recent activity",
                TableLines(
                    [Column("When", 22), Column("Title", share=3), Column("With", share=2)],
                    empty="nothing logged yet",
                    id="recent",
                ),
            ),
            panel(
                "dormant",
                f"Dormant · no contact in {DORMANT_DAYS} days",
                TableLines(
                    [Column("Stakeholder", share=1), Column("Last contact", 14)],
                    empty="everyone was contacted lately",
                    id="dormant",
                ),
            ),
            id="dashboard",
        )

    def on_mount(self) -> None:
        self.load()
        self._watch_first_paint()

    def _watch_first_paint(self, rounds: int = 0) -> None:
        """The first frame is the header, the footer's keys and one "Loading…": the panels
        (twenty widgets to style and draw) are mounted right after it, and the loading worker
        starts then too — opening the library imports SQLAlchemy and pydantic, a second of CPU
        that would compete with the first paint for the interpreter. The footer fills in its
        keys a few refreshes after mounting."""
        keys = self.query_one(KeysFooter).children
        if not any(key.region.width for key in keys) and rounds < FIRST_PAINT_ROUNDS:
            self.call_after_refresh(self._watch_first_paint, rounds + 1)
            return
        self.set_timer(FIRST_FRAME_WRITE, self._show_panels)

    async def _show_panels(self) -> None:
        await self.query_one("#dashboard-loading").remove()
        await self.mount(self._panels(), before=self.query_one(KeysFooter))
        self._show_loading()
        self.query_one("#upcoming", TableLines).focus()
        self._first_paint.set()
        early, self._early = self._early, []
        for message in early:
            self.on_dashboard_screen_panel_loaded(message)

    def on_screen_resume(self) -> None:
        """Back on the dashboard: refresh it, unless the user moves on at once (opening one
        stakeholder after another from it): the panels' queries would only slow the next
        screen down."""
        if self._loaded_once:
            self._reload_timer = self.set_timer(RESUME_RELOAD_DELAY, self.load)

    def on_screen_suspend(self) -> None:
        if self._reload_timer is not None:
            self._reload_timer.stop()
            self._reload_timer = None

    def action_reload(self) -> None:
        self._show_loading()
        self.load()

    def get_loading_widget(self) -> Widget:
        """A still "Loading…" over each panel, not Textual's animated indicator: five of those
        take a tenth of a core while the library is still being imported."""
        return Label("Loading…", classes="panel-loading")

    def _show_loading(self) -> None:
        for panel in self.query(".panel"):
            panel.loading = True

    def load(self) -> None:
        self._arrived.clear()
        self._load_panels()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def _load_panels(self) -> None:
        """Every panel's query runs in its own thread and each panel paints as soon as its
        data arrives: the slowest holds up none of the others."""
        self._first_paint.wait(FIRST_PAINT_TIMEOUT)
        worker = get_current_worker()
        tracker = self.tracker()  # the first call opens the library
        if self._loaded_once:
            tracker.catch_up_on_search_documents()  # the opening did it the first time
        failure: BaseException | None = None
        with ThreadPoolExecutor(len(PANELS), thread_name_prefix="dashboard") as pool:
            panels = {pool.submit(fetch, tracker): name for name, fetch in PANELS.items()}
            for done in as_completed(panels):
                try:
                    data = done.result()
                except Exception as error:
                    failure = failure or error
                    continue
                if not worker.is_cancelled:
                    self.post_message(self.PanelLoaded(panels[done], data))
        if failure is not None:
            raise failure

    def on_dashboard_screen_panel_loaded(self, message: PanelLoaded) -> None:
        if not self._first_paint.is_set():
            self._early.append(message)
            return
        today = self.tracker().today()
        if message.panel == "upcoming":
            self._show_upcoming(message.data, today)
        elif message.panel == "commitments":
            self._show_commitments(message.data, today)
        elif message.panel == "recent":
            self._show_recent(message.data)
        else:
            self._show_dormant(message.data)
        for panel in PANEL_WIDGETS[message.panel]:
            self.query_one(f"#{panel}-panel").loading = False
        self._arrived.add(message.panel)
        if self._arrived == set(PANELS):
            self._loaded_once = True

    def _show_upcoming(self, upcoming: Upcoming, today: date) -> None:
        from engagement.services.history import describe_occurrence

        self.query_one("#upcoming", TableLines).set_rows(
            [
                (
                    f"i{entry.interaction.id}",
                    [
                        Cell(describe_occurrence(entry.interaction, entry.occurrence)),
                        Cell(entry.interaction.title),
                        Cell(", ".join(entry.interaction.stakeholders), "dim"),
                    ],
                )
                for entry in upcoming.interactions
            ]
        )
        self.query_one("#follow-ups", TableLines).set_rows(
            [
                (
                    f"i{follow_up.interaction_id}",
                    [
                        Cell(
                            (_day_label(follow_up.due, today) if follow_up.due else "")
                            + (" overdue" if follow_up.overdue else ""),
                            "bold red" if follow_up.overdue else "",
                        ),
                        Cell(follow_up.text),
                        Cell(follow_up.interaction_title, "dim"),
                    ],
                )
                for follow_up in upcoming.follow_ups
            ]
        )

    def _show_commitments(self, commitments: list[CommitmentRead], today: date) -> None:
        self._commitment_targets = {
            f"c{item.id}": (
                f"i{item.interaction_id}" if item.interaction_id else f"s{item.stakeholder_ids[0]}"
            )
            for item in commitments
        }
        self.query_one("#commitments", TableLines).set_rows(
            [
                (
                    f"c{item.id}",
                    [
                        Cell(
                            (_day_label(item.due, today) if item.due else "")
                            + (" overdue" if item.overdue else ""),
                            "bold red" if item.overdue else "",
                        ),
                        Cell("by us" if item.owed_by.value == "us" else "to us"),
                        Cell(item.text),
                        Cell(", ".join(item.stakeholders), "dim"),
                    ],
                )
                for item in commitments
            ]
        )

    def _show_recent(self, recent: list[InteractionRead]) -> None:
        self.query_one("#recent", TableLines).set_rows(
            [
                (
                    f"i{item.id}",
                    [Cell(item.when), Cell(item.title), Cell(", ".join(item.stakeholders), "dim")],
                )
                for item in recent
            ]
        )

    def _show_dormant(self, dormant: list[DormantEntry]) -> None:
        self.query_one("#dormant", TableLines).set_rows(
            [
                (
                    f"s{quiet.stakeholder.id}",
                    [
                        Cell(quiet.stakeholder.name),
                        Cell(quiet.last_contact.isoformat() if quiet.last_contact else "never"),
                    ],
                )
                for quiet in dormant
            ]
        )

    # --- opening what a row is about ----------------------------------------------------

    @on(TableLines.Chosen)
    def _open(self, event: TableLines.Chosen) -> None:
        key = self._commitment_targets.get(event.key, event.key)  # a commitment: where it is
        if key.startswith("s"):
            app_of(self).open_stakeholder(f"#{key[1:]}")
        else:
            app_of(self).open_interaction(int(key[1:]))

    def action_brief(self) -> None:
        table = self.focused if isinstance(self.focused, TableLines) else None
        key = table.highlighted_key if table is not None else None
        if key is None:
            self.notify("Highlight a meeting or a stakeholder for its brief", severity="warning")
        elif key.startswith("s"):
            app_of(self).open_brief(stakeholder=f"#{key[1:]}")
        else:
            app_of(self).open_brief(meeting=int(key[1:]))

    def action_edit(self) -> None:
        table = self.focused if isinstance(self.focused, TableLines) else None
        key = table.highlighted_key if table is not None else None
        if key is None or not key.startswith("i"):
            self.notify("Highlight an interaction to edit it", severity="warning")
            return
        app_of(self).edit_interaction(int(key[1:]))


def _day_label(day: date, today: date) -> str:
    """Short when it is this year; with the year otherwise, so a follow-up overdue since last
    December is not read as due next month."""
    return day.strftime("%d %b") if day.year == today.year else day.strftime("%d %b %Y")
