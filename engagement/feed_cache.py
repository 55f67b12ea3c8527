"""What an open tracker remembers between polls of a calendar feed, so that an unchanged
calendar is confirmed without reading it again.

A feed's ETag is the fingerprint of the calendar's content (:func:`engagement.ical.fingerprint`),
which takes reading the whole selection to compute: seconds at a million interactions. So each
time it is computed, it is remembered with the **change stamp** read just before the selection
in the same read unit (:func:`engagement.services.calendar.change_stamp`: the newest audit
entry the role can see, and what tells that the audit triggers were suspended). A later
request with the same parameters on the same day, holding that ETag, is answered "unchanged"
after one look at the stamp if it has not moved. When it has moved, the selection is read and
fingerprinted again; the client downloads only if the content did change.

The rule rests on every change to what an export shows leaving an audit entry, which holds for
every write unit of engagement and for other programs writing to the database while its
triggers are in place (docs/calendars.md, "The feed's cache", lists the exceptions). What a
stamp cannot see is bounded in time: a remembered answer is trusted for
:data:`REVALIDATE_AFTER` at most, then the selection is read again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

#: The longest an ETag is confirmed by its stamp alone before the selection is read again:
#: the bound on how late a change that leaves no audit entry the role can see reaches a feed.
REVALIDATE_AFTER = 600.0
#: Distinct parameter sets remembered (one per feed or repeated export); the oldest goes first.
CAPACITY = 32


@dataclass(frozen=True)
class Remembered:
    etag: str
    stamp: str
    checked: float


class FeedCache:
    """ETags by the key of their parameters, with the stamp they were computed at."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Remembered] = OrderedDict()

    def stamp_to_confirm(self, key: str, etag: str) -> str | None:
        """The stamp at which ``etag`` was computed for ``key``, if it is still worth
        comparing (remembered, the same ETag, checked recently enough)."""
        with self._lock:
            entry = self._entries.get(key)
        if entry is None or entry.etag != etag:
            return None
        if time.monotonic() - entry.checked > REVALIDATE_AFTER:
            return None
        return entry.stamp

    def remember(self, key: str, etag: str, stamp: str) -> None:
        with self._lock:
            self._entries[key] = Remembered(etag, stamp, time.monotonic())
            self._entries.move_to_end(key)
            while len(self._entries) > CAPACITY:
                self._entries.popitem(last=False)


def parameters_key(*parts: object) -> str:
    """A key for everything a calendar's content depends on besides the data: the
    parameters of the export, the options, the output format and today's date."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
