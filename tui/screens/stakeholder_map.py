"""The power–interest grid: stakeholders scored for influence and interest (1–5) placed in the
four named quadrants, as the report draws it.

Laid out as the grid is usually drawn — influence grows upwards, interest to the right:

    keep satisfied  | manage closely
    ----------------+---------------
    monitor         | keep informed

Selecting a stakeholder opens its detail. Who is not scored yet is counted at the bottom (the
scores are set in the stakeholder form, or with ``engagement stakeholder edit --influence N``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from tui.screens.base import BaseScreen
from tui.support import app_of
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from engagement.schemas import MapQuadrant, StakeholderMap

LAYOUT = ("keep-satisfied", "manage-closely", "monitor", "keep-informed")
"""Quadrant keys in reading order: top left, top right, bottom left, bottom right."""


class StakeholderMapScreen(BaseScreen):
    CSS_PATH = "stakeholder_map.tcss"
    FAILURE_TITLE = "Could not load the stakeholder map"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "insights", "Insights", tooltip="activity per month, who went quiet"),
    ]

    @dataclass
    class Loaded(Message):
        grid: StakeholderMap

    def __init__(self) -> None:
        super().__init__()
        self.grid: StakeholderMap | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Grid(id="map-grid", classes="loadable"):
            for key in LAYOUT:
                with Vertical(classes="quadrant", id=f"quadrant-{key}"):
                    yield OptionList(id=f"list-{key}", classes="quadrant-list")
        yield Static("", id="map-note")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "Power–interest grid"
        self.query_one("#map-grid").loading = True
        self.load()

    def on_screen_resume(self) -> None:
        if self.grid is not None:
            self.load()

    @work(thread=True, exclusive=True, group="map", exit_on_error=False)
    def load(self) -> None:
        self.post_message(self.Loaded(self.tracker().stakeholder_map()))

    def on_stakeholder_map_screen_loaded(self, message: Loaded) -> None:
        first_load = self.grid is None
        self.grid = message.grid
        self.query_one("#map-grid").loading = False
        for key in LAYOUT:
            self._fill(message.grid.quadrant(key))
        scored = sum(len(q.stakeholders) for q in message.grid.quadrants)
        note = Text(
            f"{scored} scored, {message.grid.unscored} not yet · "
            f"influence and interest 1–5, {message.grid.threshold}+ is high",
            style="dim",
        )
        self.query_one("#map-note", Static).update(note)
        if first_load:
            self._focus_first()

    def _fill(self, quadrant: MapQuadrant) -> None:
        box = self.query_one(f"#quadrant-{quadrant.key}")
        box.border_title = f"{quadrant.name} · {len(quadrant.stakeholders)}"
        box.border_subtitle = f"{quadrant.influence} influence, {quadrant.interest} interest"
        options = self.query_one(f"#list-{quadrant.key}", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not quadrant.stakeholders:
            options.add_option(Option(Text("nobody here", style="dim"), disabled=True))
            return
        for item in quadrant.stakeholders:
            prompt = Text(item.name)
            prompt.append(f"  {item.influence}/{item.interest}", style="dim")
            options.add_option(Option(prompt, id=f"s{item.id}"))
        count = len(quadrant.stakeholders)
        options.highlighted = min(highlighted or 0, count - 1)

    def _focus_first(self) -> None:
        """Focus the first quadrant that has someone in it (manage closely first)."""
        assert self.grid is not None
        for key in ("manage-closely", "keep-satisfied", "keep-informed", "monitor"):
            if self.grid.quadrant(key).stakeholders:
                self.query_one(f"#list-{key}", OptionList).focus()
                return
        self.query_one("#list-keep-satisfied", OptionList).focus()

    def action_insights(self) -> None:
        """Go to Insights — back to it when it is the screen below (see the map key there)."""
        from tui.screens.insights import InsightsScreen

        stack = self.app.screen_stack
        if len(stack) > 1 and isinstance(stack[-2], InsightsScreen):
            self.app.pop_screen()
        else:
            app_of(self).action_insights()

    @on(OptionList.OptionSelected, ".quadrant-list")
    def _open(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        if key.startswith("s"):
            app_of(self).open_stakeholder(f"#{key[1:]}")
