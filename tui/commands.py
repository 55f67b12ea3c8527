"""The command palette (ctrl+p): every action of the app, and a jump to any stakeholder by name.

Stakeholder names go through the library's matching engine (any script, aliases, typos), in a
thread so the palette keeps up with typing. Names are shown as plain content: Textual's own
fuzzy highlighter reads its input as markup, which a stakeholder's name must never be.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tui.support import app_of, tracker_of

if TYPE_CHECKING:
    from engagement.schemas import StakeholderPage

STAKEHOLDER_HITS = 8


class EngagementCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = app_of(self.screen)
        return [
            ("Dashboard", app.action_dashboard, "Upcoming, due, dormant and recent (d)"),
            ("Stakeholders", app.action_stakeholders, "Find and filter stakeholders (s)"),
            ("Search interactions", app.action_search, "Full-text search of the log (/)"),
            ("Log a new interaction", app.action_new_interaction, "Open the form (n)"),
            ("Quick add", app.action_quick_add, "Log from one line (a or :)"),
            ("Add a stakeholder", app.action_add_stakeholder, "A new organisation or person"),
            ("Insights", app.action_insights, "Interactions per month, dormant stakeholders (i)"),
            (
                "Stakeholder map",
                app.action_stakeholder_map,
                "The power–interest grid: influence × interest (m)",
            ),
            ("Export a calendar", app.action_export, "Write an .ics file (x)"),
            ("Toggle light / dark", app.action_toggle_theme, "Switch the theme (ctrl+t)"),
            ("Keys and help", app.action_help, "Every binding (?)"),
            ("Quit", app.action_quit, "Leave, asking first if a form is unsaved (q)"),
        ]

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
        if len(query.strip()) < 2:
            return
        page = await self._stakeholders(query)
        if page is None:
            return
        app = app_of(self.screen)
        for rank, item in enumerate(page.items):
            score = max(matcher.match(item.name), 0.5 - rank * 0.01)
            details = item.kind.value.replace("_", " ") + (
                f", {item.country}" if item.country else ""
            )
            yield Hit(
                score,
                Content("Stakeholder: ") + Content(item.name),
                partial(app.open_stakeholder, f"#{item.id}"),
                text=f"Stakeholder: {item.name}",
                help=f"Open the profile and history ({details})",
            )

    async def _stakeholders(self, query: str) -> StakeholderPage | None:
        screen = self.screen

        def find() -> StakeholderPage:
            return tracker_of(screen).find_stakeholders(query.strip(), limit=STAKEHOLDER_HITS)

        try:
            return await asyncio.to_thread(find)
        except Exception:  # the palette must keep working when the database does not
            return None
