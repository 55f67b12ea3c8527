"""Every key, screen by screen, and the quick-add grammar: built from the bindings themselves,
so the list cannot drift from what the keys do."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

LIST_KEYS = [
    ("up / down, k / j", "move"),
    ("pageup / pagedown, home / end", "move by a page, to the ends"),
    ("enter, click", "open"),
    ("tab / shift+tab", "next / previous field or panel"),
]
FORM_KEYS = [
    ("down / up, enter or tab", "in a suggestion list: move, accept"),
    ("backspace in an empty stakeholder box", "remove the last stakeholder"),
    ("delete on a stakeholder", "remove it"),
    ("ctrl+o", "add a follow-up"),
]
QUICK_ADD = [
    ('@name  @"Full Name"', "a stakeholder (the name stays in the title)"),
    ("#tag", "a tag"),
    ("!public !internal !confidential !strict…", "confidentiality"),
    (
        "+call +visit +event …  +planned +held",
        "kind or status (a first word like Meeting sets the kind)",
    ),
    ('at "place"', "location"),
    ("2025-07-01 10:00 Europe/Moscow, tomorrow 15:00, June 30 to July 8", "the date; none = today"),
]


def _keys(app: App[None], bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, what they do), keys shown as the footer shows them; the tooltip, when there is
    one, is the longer description."""
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            keys = [app.get_key_display(Binding(key.strip(), "")) for key in binding.key.split(",")]
            rows.append((" / ".join(keys), binding.tooltip or binding.description))
    return rows


def _section(title: str, rows: list[tuple[str, str]]) -> Static:
    text = Text(title, style="bold")
    width = max((len(key) for key, _ in rows), default=0) + 3
    for key, what in rows:
        text.append(f"\n  {key:<{width}}", style="bold")
        text.append(what)
    return Static(text, classes="help-section")


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close"),
    ]

    def compose(self) -> ComposeResult:
        from tui.app import EngagementApp
        from tui.screens.base import BaseScreen
        from tui.screens.dashboard import DashboardScreen
        from tui.screens.insights import InsightsScreen
        from tui.screens.interaction import InteractionScreen
        from tui.screens.interaction_form import InteractionFormScreen
        from tui.screens.merge import MergeDialog
        from tui.screens.search import SearchScreen
        from tui.screens.stakeholder import StakeholderScreen
        from tui.screens.stakeholder_map import StakeholderMapScreen
        from tui.screens.stakeholders import StakeholdersScreen

        with Vertical(classes="dialog wide-dialog", id="help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                app = self.app
                everywhere = _keys(app, EngagementApp.BINDINGS) + _keys(app, BaseScreen.BINDINGS)
                yield _section(
                    "Everywhere",
                    [
                        *everywhere,
                        ("^p", "command palette: every action, and any stakeholder by name"),
                    ],
                )
                yield _section("Dashboard", _keys(app, DashboardScreen.BINDINGS))
                yield _section("Stakeholders", _keys(app, StakeholdersScreen.BINDINGS))
                yield _section("A stakeholder", _keys(app, StakeholderScreen.BINDINGS))
                yield _section("Merging duplicates", _keys(app, MergeDialog.BINDINGS))
                yield _section("Insights", _keys(app, InsightsScreen.BINDINGS))
                yield _section(
                    "Stakeholder map",
                    [
                        *_keys(app, StakeholderMapScreen.BINDINGS),
                        ("tab / shift+tab", "next / previous quadrant"),
                    ],
                )
                yield _section("An interaction", _keys(app, InteractionScreen.BINDINGS))
                yield _section("Search", _keys(app, SearchScreen.BINDINGS))
                form_keys = _keys(app, InteractionFormScreen.BINDINGS)
                yield _section("Log / edit form", form_keys + FORM_KEYS)
                yield _section("Lists", LIST_KEYS)
                yield _section("Quick-add line", QUICK_ADD)
            yield Static(Text("escape closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one(".dialog-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)
