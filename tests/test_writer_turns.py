"""PostgreSQL writers take turns fairly: one that keeps losing serialization races gets a turn
alone, and ordinary writers wait behind it rather than beating it again."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from engagement import writer_turns
from engagement.models import Stakeholder
from engagement.tracker import Tracker

pytestmark = pytest.mark.parametrize("engine", ["postgresql"])  # advisory locks are PostgreSQL's


class _SerializationFailure(Exception):
    sqlstate = "40001"


def _lost_race() -> OperationalError:
    return OperationalError("UPDATE ...", {}, _SerializationFailure("could not serialize access"))


def _turn_is_taken(tracker: Tracker) -> bool:
    """Whether some connection holds the sole turn, asked from a connection of our own."""
    with tracker.db.engine.connect() as connection:
        free = connection.execute(
            text("SELECT pg_try_advisory_lock_shared(:key)"), {"key": writer_turns.TURN_KEY}
        ).scalar_one()
        if free:
            connection.execute(
                text("SELECT pg_advisory_unlock_shared(:key)"), {"key": writer_turns.TURN_KEY}
            )
        connection.commit()
    return not free


def test_a_writer_that_keeps_losing_takes_the_turn_alone(db_url: str) -> None:
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Counter", kind="ngo", notes="0")
        attempts: list[bool] = []

        def increment(session: Session) -> str:
            attempts.append(_turn_is_taken(tracker))
            if len(attempts) <= writer_turns.ESCALATE_AFTER:
                raise _lost_race()
            row = session.scalars(select(Stakeholder).where(Stakeholder.name == "Counter")).one()
            row.notes = str(int(row.notes) + 1)
            return row.notes

        assert tracker.db.write(increment) == "1"
        alone = [False] * writer_turns.ESCALATE_AFTER + [True]
        assert attempts == alone
        assert not _turn_is_taken(tracker), "the turn is given back once the write committed"
        assert tracker.get_stakeholder("Counter").notes == "1"


def test_ordinary_writers_wait_while_a_starving_writer_has_its_turn(db_url: str) -> None:
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Counter", kind="ngo", notes="0")
        finished: list[float] = []

        def ordinary_write() -> None:
            tracker.update_stakeholder("Counter", notes="written")
            finished.append(time.monotonic())

        with writer_turns.sole_turn(tracker.db.engine):
            writer = threading.Thread(target=ordinary_write)
            writer.start()
            time.sleep(0.5)
            assert finished == [], "an ordinary write went ahead of the writer holding the turn"
            released = time.monotonic()
        writer.join(timeout=30)
        assert finished and finished[0] >= released
        assert tracker.get_stakeholder("Counter").notes == "written"


def test_a_lock_connection_that_fails_at_the_end_frees_the_turn_and_reports_no_error(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write committed; failing to end the lock's transaction must neither fail it nor keep
    the turn taken (the connection is dropped, and the lock ends with its session)."""
    with Tracker(db_url) as tracker:
        ended: list[bool] = []

        def failing_rollback(self: Any) -> None:
            ended.append(True)
            raise _lost_race()

        with writer_turns.sole_turn(tracker.db.engine):
            monkeypatch.setattr(writer_turns.Connection, "rollback", failing_rollback)
        monkeypatch.undo()
        assert ended == [True]
        deadline = time.monotonic() + 10
        while _turn_is_taken(tracker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _turn_is_taken(tracker)
