"""Small helpers every screen and widget shares: reaching the library, showing data literally,
and turning a failed worker into a notification.

Nothing here imports the library at module level: the first paint must not wait for SQLAlchemy
or pydantic (see :mod:`tui.app`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from engagement.tracker import Tracker
    from tui.app import EngagementApp

P = ParamSpec("P")
R = TypeVar("R")


def app_of(node: DOMNode) -> EngagementApp:
    """The app, typed: screens call its navigation (``open_interaction`` …)."""
    return node.app  # type: ignore[return-value]


def tracker_of(node: DOMNode) -> Tracker:
    """The app's :class:`~engagement.tracker.Tracker` (opened on first use; call from a worker
    thread, since opening it imports the library and may migrate the database)."""
    opener: Callable[[], Tracker] = node.app.tracker  # type: ignore[attr-defined]
    return opener()


def now_of(node: DOMNode) -> datetime:
    """ "Now" as the app sees it: the injected clock in tests, the local time otherwise."""
    clock: Callable[[], datetime] | None = getattr(node.app, "clock", None)
    return clock() if clock is not None else datetime.now().astimezone()


async def in_thread(function: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a blocking library call off the event loop, from an async worker that also has to
    wait for dialogs (a thread worker cannot ``push_screen_wait``)."""
    return await asyncio.to_thread(function, *args, **kwargs)


def literal(value: Any, style: str = "") -> Text:
    """Data shown exactly as stored: a name like ``[bold]X[/]`` is text, never markup."""
    return Text("" if value is None else str(value), style=style, end="")


def fit(text: str, width: int) -> str:
    """``text`` cut or padded to ``width`` terminal cells (wide characters count double), with
    an ellipsis where it was cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + "…"


def error_message(error: BaseException | None) -> str:
    """The library's own message (written for the user); never a traceback."""
    if error is None:
        return "something went wrong"
    text = str(error).strip()
    return text or type(error).__name__


def report_failure(node: DOMNode, event: Worker.StateChanged, title: str = "") -> bool:
    """Notify a worker's failure; True if it failed (so callers can stop spinners)."""
    if event.state is not WorkerState.ERROR:
        return False
    node.app.notify(
        error_message(event.worker.error),
        title=title or "Something went wrong",
        severity="error",
        markup=False,
        timeout=8,
    )
    return True


def split_tags(text: str) -> list[str]:
    """'pow, missing #rfl' → ['pow', 'missing', 'rfl']: tags have no spaces, so commas and
    spaces both separate them."""
    words = text.replace(",", " ").replace(";", " ").split()
    return [word.lstrip("#") for word in words if word.lstrip("#")]


def split_names(text: str) -> list[str]:
    """Names contain spaces, so only commas and semicolons separate them."""
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
