"""Pausing Python's cyclic garbage collector around bulk work.

Each collection of the oldest generation walks every live object. A bulk validation or load
keeps millions alive (parsed events, validated items, queued rows) while allocating millions
more, so the collector wakes again and again for a cost that grows with the work — a quarter
of a 10,000-event .ics import, measured. What such work allocates holds no reference cycles,
so there is nothing for the collector to find; it runs again as usual afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic garbage collection for the duration (nested uses are fine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
