"""The start screen: what is coming up, what is due, what is owed both ways (overdue
commitments first), who has gone quiet, what happened lately.

Every row opens what it is about (an interaction, or a stakeholder for the dormant list; a
commitment opens the interaction it came from, else the stakeholder it concerns).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Footer, Header, Label

from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.table import Cell, Column, TableLines

if TYPE_CHECKING:
    from datetime import date

    from engagement.schemas import CommitmentRead, DormantEntry, InteractionRead, Upcoming

UPCOMING_DAYS = 14
DORMANT_DAYS = 180
COMMITMENTS_SHOWN = 20


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
    class Loaded(Message):
        upcoming: Upcoming
        recent: list[InteractionRead]
        dormant: list[DormantEntry]
        commitments: list[CommitmentRead] = field(default_factory=list)

    def __init__(self) -> None:
        super().__init__()
        # A commitment row's key ("c12") -> what it opens ("i<interaction>" or "s<stakeholder>").
        self._commitment_targets: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="dashboard", classes="loadable"):
            with Vertical(classes="panel"):
                yield Label(f"Coming up · next {UPCOMING_DAYS} days", classes="panel-title")
                yield TableLines(
                    [Column("When", 22), Column("Title", share=3), Column("With", share=2)],
                    empty="nothing planned",
                    id="upcoming",
                )
            with Vertical(classes="panel"):
                yield Label("Follow-ups due", classes="panel-title")
                yield TableLines(
                    [Column("Due", 20), Column("Follow-up", share=3), Column("For", share=2)],
                    empty="nothing due",
                    id="follow-ups",
                )
            with Vertical(classes="panel", id="commitments-panel"):
                yield Label("Commitments · overdue first", classes="panel-title")
                yield TableLines(
                    [
                        Column("Due", 20),
                        Column("Owed", 9),
                        Column("Commitment", share=3),
                        Column("To/by", share=2),
                    ],
                    empty="no open commitments",
                    id="commitments",
                )
            with Vertical(classes="panel"):
                yield Label("Recent activity", classes="panel-title")
                yield TableLines(
                    [Column("When", 22), Column("Title", share=3), Column("With", share=2)],
                    empty="nothing logged yet",
                    id="recent",
                )
            with Vertical(classes="panel"):
                yield Label(f"Dormant · no contact in {DORMANT_DAYS} days", classes="panel-title")
                yield TableLines(
                    [Column("Stakeholder", share=1), Column("Last contact", 14)],
                    empty="everyone was contacted lately",
                    id="dormant",
                )
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()
        self.query_one("#upcoming", TableLines).focus()

    def on_screen_resume(self) -> None:
        if self._loaded_once:
            self.load()

    def action_reload(self) -> None:
        self.query_one("#dashboard").loading = True
        self.load()

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self) -> None:
        tracker = self.tracker()
        self.post_message(
            self.Loaded(
                tracker.upcoming(UPCOMING_DAYS),
                tracker.recent(10),
                tracker.dormant(DORMANT_DAYS, limit=10),
                tracker.commitments(limit=COMMITMENTS_SHOWN),
            )
        )

    def on_dashboard_screen_loaded(self, message: Loaded) -> None:
        from engagement.services.history import describe_occurrence

        self._loaded_once = True
        self.query_one("#dashboard").loading = False
        today = self.tracker().today()
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
                for entry in message.upcoming.interactions
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
                for follow_up in message.upcoming.follow_ups
            ]
        )
        self._commitment_targets = {
            f"c{item.id}": (
                f"i{item.interaction_id}" if item.interaction_id else f"s{item.stakeholder_ids[0]}"
            )
            for item in message.commitments
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
                for item in message.commitments
            ]
        )
        self.query_one("#recent", TableLines).set_rows(
            [
                (
                    f"i{item.id}",
                    [Cell(item.when), Cell(item.title), Cell(", ".join(item.stakeholders), "dim")],
                )
                for item in message.recent
            ]
        )
        self.query_one("#dormant", TableLines).set_rows(
            [
                (
                    f"s{quiet.stakeholder.id}",
                    [
                        Cell(quiet.stakeholder.name),
                        Cell(quiet.last_contact.isoformat() if quiet.last_contact else "never"),
                    ],
                )
                for quiet in message.dormant
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
