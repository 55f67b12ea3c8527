"""The merge dialog: two stakeholders side by side, which one is kept (``w`` swaps), and what
moves — so that merging duplicates is a decision taken with both records in view.

Returns ``(keep, drop)`` as the profiles shown (their versions guard the merge against an edit
made meanwhile), or ``None``. Everything shown from the records is literal text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

if TYPE_CHECKING:
    from engagement.schemas import StakeholderProfile

Pair = tuple["StakeholderProfile", "StakeholderProfile"]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def describe(profile: StakeholderProfile) -> Table:
    """One record, as the merge needs it: what identifies it and what hangs off it."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    kind = profile.kind.value.replace("_", " ")
    last = profile.last_contact.isoformat() if profile.last_contact else "never"
    for label, value in (
        ("Id", f"#{profile.id}"),
        ("Kind", kind + (f", {profile.country}" if profile.country else "")),
        ("Part of", profile.parent or ""),
        ("Also", ", ".join(profile.aliases)),
        ("History", f"{_plural(profile.interaction_count, 'interaction')}, last {last}"),
        ("People", ", ".join(a.person for a in profile.people)),
        ("Positions", ", ".join(a.organisation for a in profile.positions)),
        ("Branches", ", ".join(profile.children)),
        ("Tags", " ".join(f"#{tag}" for tag in profile.tags)),
    ):
        if value:
            grid.add_row(Text(label), Text(value))
    return grid


def what_moves(keep: StakeholderProfile, drop: StakeholderProfile) -> Text:
    """The merge in one paragraph, naming both records."""
    moved = [
        _plural(drop.interaction_count, "interaction"),
        _plural(len(drop.people) + len(drop.positions), "affiliation"),
    ]
    if drop.children:
        moved.append(_plural(len(drop.children), "branch").replace("branchs", "branches"))
    if drop.tags:
        moved.append(_plural(len(drop.tags), "tag"))
    text = Text("Moves ")
    text.append(", ".join(moved))
    text.append(" from “")
    text.append(drop.name, style="bold")
    text.append("” to “")
    text.append(keep.name, style="bold")
    text.append(
        "”; its name and aliases become aliases" if drop.aliases else "”; its name becomes an alias"
    )
    text.append(" of the one kept, and it is removed. The merge is recorded: ")
    text.append("U", style="bold")
    text.append(" on the kept stakeholder's page undoes it.")
    return text


class MergeDialog(ModalScreen["Pair | None"]):
    CSS_PATH = "merge.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("w", "swap", "Swap", tooltip="keep the other one"),
        Binding("left", "app.focus_previous", "Previous", show=False),
        Binding("right", "app.focus_next", "Next", show=False),
    ]

    def __init__(self, keep: StakeholderProfile, drop: StakeholderProfile) -> None:
        super().__init__(id="merge-dialog")
        self.keep = keep
        self.drop = drop

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="merge"):
            yield Label("Merge duplicate stakeholders?", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"), Horizontal(id="merge-records"):
                yield Static(id="merge-keep", classes="merge-record")
                yield Static(id="merge-drop", classes="merge-record")
            yield Static(id="merge-moves", classes="dialog-message")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Merge", id="merge-yes", variant="warning", compact=True)
                yield Button("Swap  w", id="merge-swap", compact=True)
                yield Button("Cancel  esc", id="merge-cancel", variant="primary", compact=True)

    def on_mount(self) -> None:
        self._show()
        self.query_one("#merge-cancel", Button).focus()

    def _show(self) -> None:
        for widget_id, heading, profile in (
            ("#merge-keep", "KEEP", self.keep),
            ("#merge-drop", "MERGE INTO IT", self.drop),
        ):
            title = Text(f"{heading}\n", style="bold reverse" if heading == "KEEP" else "bold")
            title.append(profile.name, style="bold")
            self.query_one(widget_id, Static).update(Group(title, describe(profile)))
        self.query_one("#merge-moves", Static).update(what_moves(self.keep, self.drop))

    def action_swap(self) -> None:
        self.keep, self.drop = self.drop, self.keep
        self._show()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "merge-yes":
            self.dismiss((self.keep, self.drop))
        elif event.button.id == "merge-swap":
            self.action_swap()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
