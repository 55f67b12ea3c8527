"""Defences around SQLite itself: the WAL-reset bug and damaged files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from engagement import sqlite_safety
from engagement.errors import StorageError
from engagement.tracker import Tracker


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ((3, 40, 1), True),
        ((3, 51, 2), True),
        ((3, 44, 6), False),
        ((3, 50, 7), False),
        ((3, 51, 3), False),
        ((3, 54, 1), False),
        ((3, 6, 23), False),
    ],
)
def test_affected_versions(version: tuple[int, int, int], affected: bool) -> None:
    assert sqlite_safety.affected_by_wal_reset_bug(version) is affected


def test_the_write_lock_excludes_other_holders(tmp_path: Path) -> None:
    lock = sqlite_safety.WriteLock(tmp_path / "x.db")
    order: list[str] = []

    def second() -> None:
        with lock.held():
            order.append("second")

    with lock.held():
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.2)
        order.append("first")
    thread.join(timeout=5)
    assert order == ["first", "second"]
    assert (tmp_path / "x.db.lock").stat().st_mode & 0o777 == 0o600


def test_a_damaged_file_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    with Tracker(str(path)) as tracker:
        for index in range(200):
            tracker.add_stakeholder(f"Stakeholder number {index}", kind="ngo", notes="x" * 500)
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 2 * page):
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="is damaged") as caught:
        Tracker(str(path))
    message = str(caught.value)
    assert "engagement restore" in message and len(message) < 400 and "\n" not in message
