"""A work-around for a Textual memory leak that made every screen opened slower than the last.

Textual (8.x) memoises ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on the
method, so each cache entry holds the widget's ``StylesCache`` — and with it every line the
widget last painted — until 1,024 newer entries push it out (Textualize/textual#6665). Every
widget of every screen ever shown stays reachable that way: after thirty stakeholder pages the
app held about 500,000 objects instead of 130,000, and each full pass of Python's cycle
collector, which walks them all, grew from ~20 ms to ~200 ms — landing, now and then, in the
middle of opening a screen.

The method only combines two colours; :func:`plug` memoises it on the colours alone.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from textual._styles_cache import StylesCache
from textual.color import Color


def plug() -> None:
    """Replace the leaking memo (once; a Textual without it is left as it is)."""
    current: Any = StylesCache.__dict__.get("get_inner_outer")
    combine = getattr(current, "__wrapped__", None)
    if combine is None or not hasattr(current, "cache_clear"):
        return

    @lru_cache(1024)
    def by_colours(base_background: Color, background: Color) -> Any:
        return combine(None, base_background, background)

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> Any:
        return by_colours(base_background, background)

    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign,assignment]
    current.cache_clear()
