"""Guarding SQLite files against library bugs and silent damage.

SQLite 3.7.0 to 3.51.2 (except the 3.44.6 and 3.50.7 backports) can corrupt a database in WAL
mode when several processes write and checkpoint it at once (the "WAL-reset" bug). Python links
whatever SQLite the system has — 3.40.1 on Debian 12. (Encrypted databases are the exception:
the ``sqlcipher3`` wheel bundles its own fixed SQLite, see :mod:`engagement.encryption`, and the
check below is made against the library each database really uses.) With an affected library
engagement:

* serialises every write unit and every close (where the last connection checkpoints) across
  processes with an advisory lock file beside the database, so two processes never write or
  checkpoint concurrently — the race the bug needs cannot happen between engagement processes;
* says so once, and recommends PostgreSQL for a shared database (``engagement check`` prints
  the full diagnosis).

Damage from any cause is caught early: ``PRAGMA quick_check`` runs when a database is opened —
every time while the file is small, at most once a day for large files (where it takes
seconds), and always in ``engagement check``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from engagement.errors import StorageError

FIXED_IN = (3, 51, 3)
BACKPORTS = {(3, 44, 6), (3, 50, 7)}
QUICK_CHECK_ALWAYS_BELOW = 256 * 1024 * 1024
QUICK_CHECK_INTERVAL = 24 * 3600


def library_version() -> tuple[int, int, int]:
    major, minor, patch = sqlite3.sqlite_version_info
    return major, minor, patch


def affected_by_wal_reset_bug(version: tuple[int, int, int] | None = None) -> bool:
    found = version or library_version()
    return (3, 7, 0) <= found < FIXED_IN and found not in BACKPORTS


class WriteLock:
    """An advisory lock shared by every engagement process using one database file."""

    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")

    @contextmanager
    def held(self) -> Iterator[None]:
        descriptor = os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)


def quick_check_due(database: Path, *, force: bool = False) -> bool:
    if force:
        return True
    try:
        size = database.stat().st_size
    except OSError:
        return False
    if size < QUICK_CHECK_ALWAYS_BELOW:
        return True
    marker = _marker(database)
    try:
        return time.time() - marker.stat().st_mtime > QUICK_CHECK_INTERVAL
    except OSError:
        return True


def record_quick_check(database: Path) -> None:
    marker = _marker(database)
    try:
        descriptor = os.open(marker, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(descriptor)
        os.utime(marker)
    except OSError:
        pass


def raise_if_damaged(result: list[str], database: Path) -> None:
    if result == ["ok"]:
        return
    problems = [
        line.strip()
        for row in result
        for line in row.splitlines()
        if line.strip() and not line.startswith("***")
    ]
    more = len(problems) - 2
    shown = "; ".join(problems[:2]) + (f"; and {more} more problems" if more > 0 else "")
    raise StorageError(
        f"the database file {database} is damaged ({shown}); nothing was changed. Restore it "
        "from a backup with 'engagement restore', or copy out what is readable with "
        "'sqlite3 FILE .recover'"
    )


def _marker(database: Path) -> Path:
    return database.with_name(database.name + ".checked")
