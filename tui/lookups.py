"""Suggestion sources for the autocompleting fields: blocking library calls, run by the fields
in their own worker threads."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.widgets.stakeholder_picker import NEW_PREFIX
from tui.widgets.suggest import Suggestion

if TYPE_CHECKING:
    from engagement.tracker import Tracker

TrackerSource = Callable[[], "Tracker"]


def stakeholder_suggestions(
    tracker: TrackerSource, *, limit: int = 7, offer_new: bool = True
) -> Callable[[str], list[Suggestion]]:
    """Stakeholders matching the text (the library's matching engine), as ``#<id>`` values,
    and — when nothing is called exactly that — an entry to create it."""

    def fetch(text: str) -> list[Suggestion]:
        wanted = text.strip()
        page = tracker().find_stakeholders(wanted, limit=limit)
        found = [
            Suggestion(
                f"#{item.id}", item.name, " ".join(filter(None, [item.kind.value, item.country]))
            )
            for item in page.items
        ]
        exact = any(item.name.casefold() == wanted.casefold() for item in page.items)
        if offer_new and wanted and not exact:
            found.append(Suggestion(NEW_PREFIX + wanted, f"+ new stakeholder “{wanted}”…"))
        return found

    return fetch


def tag_suggestions(tracker: TrackerSource, *, limit: int = 8) -> Callable[[str], list[Suggestion]]:
    """Tags in use that start with the text, most used first."""

    def fetch(text: str) -> list[Suggestion]:
        return [Suggestion(tag, f"#{tag}") for tag in tracker().tags(text, limit=limit)]

    return fetch
