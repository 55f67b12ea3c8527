"""A stakeholder screen built ahead of need, so that opening a stakeholder skips building one.

Composing the screen and mounting and styling its thirty-odd widgets is a third of the time
from the request to the first frame. Once a stakeholder screen closes, another one, empty, is
built while the user looks at what is underneath; the next stakeholder opened is shown on it.
A spare styled for another theme or terminal width is dropped and a new screen built instead.

Mounting a screen that is not shown uses three private members of Textual's ``App``. A Textual
without them gets no spare: every stakeholder screen is then built when opened, as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from tui.screens.stakeholder import StakeholderScreen

if TYPE_CHECKING:
    from textual.app import App
    from textual.geometry import Size

_PRIVATE_MEMBERS = ("_load_screen_css", "_register", "_css_update_count")

_SPARES: WeakKeyDictionary[App[None], tuple[StakeholderScreen, Size]] = WeakKeyDictionary()


def stakeholder_screen(app: App[None], reference: str) -> StakeholderScreen:
    """The screen to push for ``reference``: the spare when it still fits, else a new one."""
    held = _SPARES.pop(app, None)
    if held is not None:
        spare, size = held
        if (
            spare.is_running
            and size == app.size
            and spare._css_update_count == app._css_update_count
        ):
            spare.open(reference)
            return spare
        spare.remove()
    return StakeholderScreen(reference)


def prepare_spare(app: App[None]) -> None:
    """Build the spare screen (composed and mounted, never shown until it is opened)."""
    if app in _SPARES or app._exit or not app.is_running or not supported(app):
        return
    spare = StakeholderScreen()
    app._load_screen_css(spare)
    app._register(app, spare)
    _SPARES[app] = (spare, app.size)


def supported(app: App[None]) -> bool:
    """Whether this Textual has the members a spare screen needs."""
    return all(hasattr(app, name) for name in _PRIVATE_MEMBERS)
