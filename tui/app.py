"""The Textual application: built by :func:`make_app`, shared by ``engagement tui``,
``make run`` and the tests.

Three modes, each with its own stack of screens — the dashboard, the stakeholder list and search
(``d``, ``s``, ``/``) — and detail screens pushed on top. Only the dashboard is imported up
front and the library is opened from a worker thread on first use: importing SQLAlchemy and
pydantic, or migrating the database, must not delay the first paint.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from tui import styles_cache_leak
from tui.drafts import Draft, DraftStore, default_state_dir
from tui.screens.dashboard import DashboardScreen

if TYPE_CHECKING:
    from engagement.tracker import Tracker
    from tui.screens.interaction_form import InteractionFormScreen

DARK, LIGHT = "textual-dark", "textual-light"
GLOBAL_ACTIONS = {
    "search",
    "stakeholders",
    "dashboard",
    "new_interaction",
    "quick_add",
    "export",
    "help",
    "quit",
}


def default_briefs_dir() -> Path:
    """Where the TUI saves briefs: an 'engagement briefs' folder in the user's documents."""
    from platformdirs import user_documents_path

    return user_documents_path() / "engagement briefs"


def _stakeholders_screen() -> Screen[Any]:
    from tui.screens.stakeholders import StakeholdersScreen

    return StakeholdersScreen()


def _search_screen() -> Screen[Any]:
    from tui.screens.search import SearchScreen

    return SearchScreen()


def _commands() -> type[Provider]:
    from tui.commands import EngagementCommands

    return EngagementCommands


class EngagementApp(App[None]):
    """Stakeholder engagement tracker."""

    CSS_PATH = ["app.tcss", "lists.tcss", "forms.tcss"]  # noqa: RUF012 (Textual's own type)
    TITLE = "engagement"
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        SystemCommandsProvider,
        _commands,
    }
    MODES: ClassVar[dict[str, str | Callable[[], Screen[Any]]]] = {
        "dashboard": DashboardScreen,
        "stakeholders": _stakeholders_screen,
        "search": _search_screen,
    }
    DEFAULT_MODE = "dashboard"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "search", "Search", tooltip="full-text search of the log"),
        Binding("s", "stakeholders", "Stakeholders", tooltip="find and filter stakeholders"),
        Binding("d", "dashboard", "Dashboard", tooltip="upcoming, due, dormant, recent"),
        Binding("n", "new_interaction", "New", tooltip="log a new interaction"),
        Binding("a,colon", "quick_add", "Quick add", tooltip="log from one typed line"),
        Binding("x", "export", "Export", show=False, tooltip="export a calendar (.ics)"),
        Binding("question_mark", "help", "Help", tooltip="this list of keys"),
        Binding("q", "quit", "Quit", tooltip="quit (asks first if a form is unsaved)"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, tooltip="light / dark theme"),
    ]

    def __init__(
        self,
        db_url: str | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
        state_dir: Path | None = None,
    ) -> None:
        super().__init__()
        styles_cache_leak.plug()
        self.db_url = db_url
        self.clock = clock
        self.drafts = DraftStore((state_dir or default_state_dir()) / "drafts")
        self.briefs_dir = state_dir / "briefs" if state_dir else default_briefs_dir()
        self.forms: set[InteractionFormScreen] = set()
        self._tracker: Tracker | None = None
        self._tracker_lock = threading.Lock()

    def tracker(self) -> Tracker:
        """The library facade, opened on first use — from a worker thread, never at start-up."""
        with self._tracker_lock:
            if self._tracker is None:
                from engagement.storage import INTERACTIVE
                from engagement.tracker import Tracker

                self._tracker = Tracker(self.db_url, clock=self.clock, memory=INTERACTIVE)
                # What exists by now — Textual, the library, SQLAlchemy and pydantic with their
                # caches — lives as long as the app: spare it the cycle collector's full
                # passes, which otherwise walk it all every few screens (~30 ms each).
                gc.freeze()
            return self._tracker

    def close_tracker(self) -> None:
        with self._tracker_lock:
            if self._tracker is not None:
                self._tracker.close()
                self._tracker = None

    def on_mount(self) -> None:
        self.call_after_refresh(self._offer_draft)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open its answer comes first: the global keys wait."""
        return not (self.screen.is_modal and action in GLOBAL_ACTIONS)

    # --- navigation -------------------------------------------------------------------

    def _to_mode(self, mode: str) -> None:
        """Show ``mode``'s view, back at its first screen unless a form is open in it (an
        unsaved form is never closed by navigation)."""
        if self.current_mode != mode:
            self.switch_mode(mode)
        from tui.screens.interaction_form import InteractionFormScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, InteractionFormScreen):
            if isinstance(self.screen, Screen) and self.screen.is_modal:
                break
            self.pop_screen()

    def action_dashboard(self) -> None:
        self._to_mode("dashboard")

    def action_stakeholders(self) -> None:
        self._to_mode("stakeholders")

    def action_search(self) -> None:
        self._to_mode("search")

    def open_interaction(self, interaction_id: int) -> None:
        from tui.screens.interaction import InteractionScreen

        self.push_screen(InteractionScreen(interaction_id))

    def open_stakeholder(self, reference: str) -> None:
        from tui.screens.stakeholder_spare import stakeholder_screen

        self.push_screen(stakeholder_screen(self, reference))

    def open_brief(self, *, stakeholder: str | None = None, meeting: int | None = None) -> None:
        """Show (and save) the brief on a stakeholder, or for a meeting."""
        from tui.screens.brief import BriefScreen

        self.push_screen(BriefScreen(self.briefs_dir, stakeholder=stakeholder, meeting=meeting))

    def action_insights(self) -> None:
        from tui.screens.insights import InsightsScreen

        self.push_screen(InsightsScreen())

    def action_stakeholder_map(self) -> None:
        from tui.screens.stakeholder_map import StakeholderMapScreen

        self.push_screen(StakeholderMapScreen())

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_quick_add(self) -> None:
        from tui.screens.quick_add import QuickAddScreen

        self.push_screen(QuickAddScreen())

    def action_export(self) -> None:
        from tui.screens.export import ExportScreen

        self.push_screen(ExportScreen())

    def action_add_stakeholder(self) -> None:
        from tui.screens.stakeholder_form import StakeholderFormScreen

        self.push_screen(StakeholderFormScreen(standalone=True))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    # --- forms and drafts ---------------------------------------------------------------

    def _open_form(self, interaction_id: int | None) -> InteractionFormScreen | None:
        """Bring an already open form for the same interaction to the front instead of
        opening a second one."""
        for form in self.forms:
            if form.interaction_id == interaction_id and form in self.screen_stack:
                while self.screen is not form:
                    self.pop_screen()
                return form
        return None

    def action_new_interaction(self) -> None:
        if self._open_form(None) is not None:
            return
        context: list[tuple[str, str]] = getattr(self.screen, "context_stakeholders", lambda: [])()
        draft = self.drafts.load("new")
        if draft is None:
            self._push_form(None, stakeholders=context)
            return
        self._ask_about_draft(draft, fresh=lambda: self._push_form(None, stakeholders=context))

    def edit_interaction(self, interaction_id: int) -> None:
        if self._open_form(interaction_id) is not None:
            return
        draft = self.drafts.load(f"edit-{interaction_id}")
        if draft is None:
            self._push_form(interaction_id)
            return
        self._ask_about_draft(draft, fresh=lambda: self._push_form(interaction_id))

    def _push_form(
        self, interaction_id: int | None, *, stakeholders: list[tuple[str, str]] | None = None
    ) -> None:
        from tui.forms import InteractionFields
        from tui.screens.interaction_form import InteractionFormScreen

        fields = InteractionFields(stakeholders=[[ref, name] for ref, name in stakeholders or []])
        self.push_screen(
            InteractionFormScreen(
                interaction_id=interaction_id,
                fields=fields if interaction_id is None else None,
            )
        )

    def restore_draft(self, draft: Draft) -> None:
        from tui.forms import InteractionFields
        from tui.screens.interaction_form import InteractionFormScreen

        data = draft.fields
        interaction_id = data.get("_interaction_id")
        original = data.get("_original")
        self.push_screen(
            InteractionFormScreen(
                interaction_id=interaction_id if isinstance(interaction_id, int) else None,
                fields=InteractionFields.from_dict(data),
                original=InteractionFields.from_dict(original)
                if isinstance(original, dict) and isinstance(interaction_id, int)
                else None,
                version=data.get("_version") if isinstance(data.get("_version"), int) else None,
            )
        )

    def _ask_about_draft(self, draft: Draft, *, fresh: Callable[[], None] | None) -> None:
        from tui.screens.dialogs import ChoiceDialog

        def answered(choice: str | None) -> None:
            if choice == "restore":
                self.restore_draft(draft)
            elif choice == "discard":
                self.drafts.discard(draft.key)
                if fresh is not None:
                    fresh()

        choices = [("restore", "Restore it", "primary")]
        if fresh is None:
            choices += [("discard", "Discard it", "error"), ("later", "Later", "default")]
        else:
            choices += [
                ("discard", "Discard, start afresh", "error"),
                ("later", "Cancel", "default"),
            ]
        message = Text("Unsaved draft: ")
        message.append(draft.label)
        self.push_screen(
            ChoiceDialog(
                "You have an unsaved draft", message, choices, cancel_key="later", id="draft"
            ),
            answered,
        )

    def _offer_draft(self) -> None:
        """On start, offer back the newest draft an earlier session left behind."""
        drafts = self.drafts.all()
        if drafts:
            self._ask_about_draft(drafts[0], fresh=None)

    async def action_quit(self) -> None:
        from tui.screens.dialogs import ChoiceDialog

        dirty = [form for form in self.forms if form.dirty]
        if not dirty:
            self.close_tracker()
            self.exit()
            return
        for form in dirty:
            form.keep_draft()

        def answered(choice: str | None) -> None:
            if choice == "quit":
                self.close_tracker()
                self.exit()

        names = ", ".join(f"“{form.current().title or 'untitled'}”" for form in dirty)
        message = Text("Unsaved changes in ")
        message.append(names)
        message.append(". Quit anyway? The draft is kept and offered back next time.")
        self.push_screen(
            ChoiceDialog(
                "Quit with unsaved changes?",
                message,
                [("quit", "Quit, keep draft", "warning"), ("stay", "Stay", "primary")],
                cancel_key="stay",
                id="confirm-quit",
            ),
            answered,
        )


def make_app(
    db_url: str | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
    state_dir: Path | None = None,
) -> EngagementApp:
    """The app for ``db_url`` (None: ``$ENGAGEMENT_DB`` or the default file). ``clock`` fixes
    "now" and ``state_dir`` moves the drafts folder (tests use both)."""
    return EngagementApp(db_url, clock=clock, state_dir=state_dir)


def run(db_url: str | None = None) -> None:
    app = make_app(db_url)
    try:
        app.run()
    finally:
        app.close_tracker()
