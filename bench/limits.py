"""What limits each target a run misses, written from the profiles behind docs/performance.md.

Keys are the start of a measure's name (names carry run-specific counts after that); a run
prints the text under its table for every measure that misses its target, so the gap and its
cause stay side by side. Update the text when a profile shows something new.
"""

from __future__ import annotations

#: (start of the measure's name, backend prefix or "" for any) → what limits it.
LIMITS: dict[tuple[str, str], str] = {}


def explain(name: str, backend: str) -> str | None:
    """The recorded reason for ``name`` on ``backend``, if any."""
    for (start, engine), reason in LIMITS.items():
        if name.startswith(start) and backend.startswith(engine):
            return reason
    return None
