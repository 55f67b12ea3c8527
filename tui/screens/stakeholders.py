"""All stakeholders, filtered as you type (name, alias, any script, typos), by kind and country.

Typing is throttled rather than simply debounced: the first keystroke after a pause queries at
once (so the list answers within a frame), and keystrokes that follow within ``THROTTLE``
seconds are folded into one trailing query. The list's filter worker is exclusive, so a late
answer to an old filter is never shown.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Header, Input, Label, Select

from engagement.vocab import StakeholderKind
from tui.screens.base import BaseScreen
from tui.support import app_of, tracker_of
from tui.widgets.footer import KeysFooter
from tui.widgets.form_row import select_options
from tui.widgets.stakeholder_list import StakeholderList, StakeholderQuery

if TYPE_CHECKING:
    from engagement.schemas import StakeholderPage, StakeholderRead

THROTTLE = 0.08
# Matches counted at most: past that the list says "1,000+" (typing on narrows it), so a
# one-letter filter over 100,000 stakeholders costs what a rare one does.
COUNT_LIMIT = 1000


class StakeholdersScreen(BaseScreen):
    FAILURE_TITLE = "Could not list stakeholders"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit"),
        Binding("plus", "add_stakeholder", "Add stakeholder"),
        Binding("b", "brief", "Brief", tooltip="the briefing pack on the highlighted one"),
        Binding("ctrl+f", "focus_filter", "Filter", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._timer: Timer | None = None
        self._last_query_at = 0.0

    def compose(self) -> ComposeResult:
        kinds = select_options(StakeholderKind)
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="filter: name, alias, any script…", id="filter", compact=True)
            yield Select(kinds, prompt="any kind", id="kind-filter", compact=True)
            yield Input(placeholder="country", id="country-filter", max_length=40, compact=True)
        yield StakeholderList(self._page, id="stakeholder-list")
        yield Label("", id="list-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(StakeholderList).set_query(StakeholderQuery())
        self.query_one("#filter", Input).focus()
        self._warm_up()

    @work(thread=True, group="warm-up", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import the typo matcher while the list loads: the first filter with no exact match
        would otherwise wait a fifth of a second for it."""
        import rapidfuzz.process  # noqa: F401

    def _page(self, query: StakeholderQuery, offset: int, limit: int) -> StakeholderPage:
        return tracker_of(self).find_stakeholders(
            query.text,
            kind=query.kind,
            country=query.country,
            limit=limit,
            offset=offset,
            count_limit=COUNT_LIMIT,
        )

    def _wanted(self) -> StakeholderQuery:
        kind = self.query_one("#kind-filter", Select).value
        country = self.query_one("#country-filter", Input).value.strip()
        return StakeholderQuery(
            self.query_one("#filter", Input).value.strip(),
            None if kind is Select.NULL else str(kind),
            country if len(country) >= 2 else None,
        )

    def _requery(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        since = time.monotonic() - self._last_query_at
        if since >= THROTTLE:
            self._run_query()
        else:
            self._timer = self.set_timer(THROTTLE - since, self._run_query)

    def _run_query(self) -> None:
        self._timer = None
        self._last_query_at = time.monotonic()
        stakeholders = self.query_one(StakeholderList)
        wanted = self._wanted()
        if wanted != stakeholders.current_query:
            stakeholders.set_query(wanted)

    @on(Input.Changed, "#filter, #country-filter")
    def _typed(self) -> None:
        self._requery()

    @on(Select.Changed, "#kind-filter")
    def _kind_changed(self) -> None:
        self._requery()

    @on(Input.Submitted, "#filter")
    def _open_highlighted(self) -> None:
        self._run_query()
        chosen = self.query_one(StakeholderList).highlighted
        if chosen is not None:
            app_of(self).open_stakeholder(f"#{chosen.id}")

    def on_key(self, event: events.Key) -> None:
        if event.key == "down" and self.focused is self.query_one("#filter"):
            self.query_one(StakeholderList).focus()
            event.stop()

    @on(StakeholderList.Counted)
    def _counted(self, event: StakeholderList.Counted) -> None:
        query = self.query_one(StakeholderList).current_query
        filtered = bool(query.text or query.kind or query.country)
        noun = "stakeholder" if event.total == 1 and not event.at_least else "stakeholders"
        count = f"{event.total:,}" + ("+" if event.at_least else "")
        text = f"{count} {noun}" + (" match" if filtered else "")
        if event.fuzzy:
            text += " · close spellings (no exact match)"
        # One line of fixed size: no need to lay the screen out again for it.
        self.query_one("#list-status", Label).update(Text(text), layout=False)

    @on(StakeholderList.Chosen)
    def _chosen(self, event: StakeholderList.Chosen) -> None:
        app_of(self).open_stakeholder(f"#{event.stakeholder.id}")

    def context_stakeholders(self) -> list[tuple[str, str]]:
        chosen = self.query_one(StakeholderList).highlighted
        if chosen is None:
            return []
        return [(f"#{chosen.id}", chosen.name)]

    def action_brief(self) -> None:
        chosen = self.query_one(StakeholderList).highlighted
        if chosen is None:
            self.notify("Highlight a stakeholder for its brief", severity="warning")
            return
        app_of(self).open_brief(stakeholder=f"#{chosen.id}")

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_edit(self) -> None:
        chosen = self.query_one(StakeholderList).highlighted
        if chosen is None:
            self.notify("Highlight a stakeholder to edit it", severity="warning")
            return
        from tui.screens.stakeholder_form import StakeholderFormScreen

        self.app.push_screen(StakeholderFormScreen(existing=chosen), self._saved)

    def action_add_stakeholder(self) -> None:
        from tui.screens.stakeholder_form import StakeholderFormScreen

        name = self.query_one("#filter", Input).value.strip()
        self.app.push_screen(StakeholderFormScreen(name=name, standalone=True), self._saved)

    def _saved(self, saved: StakeholderRead | None) -> None:
        if saved is not None:
            self.notify(f"Saved {saved.name}", markup=False)
            self.query_one(StakeholderList).reload()
