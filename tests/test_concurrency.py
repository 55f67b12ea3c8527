"""Several processes writing at once lose nothing: every read-modify-write lands exactly once,
no error reaches the user, and the database stays intact — on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engagement.errors import ConcurrentEdit
from engagement.models import Stakeholder
from engagement.storage import Database
from engagement.tracker import Tracker

PROCESSES = 8
ROUNDS = int(os.environ.get("ENGAGEMENT_STRESS_ROUNDS", "1000"))


def _increment(session: Session) -> None:
    counter = session.scalars(select(Stakeholder).where(Stakeholder.name == "Counter")).one()
    counter.notes = str(int(counter.notes) + 1)


def _worker(url: str, rounds: int, errors: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    tracker = Tracker(url, migrate=False)
    failures = 0
    try:
        for _ in range(rounds):
            try:
                tracker.db.write(_increment)
            except Exception as error:
                failures += 1
                errors.put(repr(error))
    finally:
        tracker.close()
    errors.put(f"done:{failures}")


def test_eight_writers_lose_no_update(db_url: str) -> None:
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Counter", kind="ngo", notes="0")
    context = multiprocessing.get_context("spawn")
    errors: multiprocessing.Queue = context.Queue()  # type: ignore[type-arg]
    workers = [
        context.Process(target=_worker, args=(db_url, ROUNDS, errors)) for _ in range(PROCESSES)
    ]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    reports: list[str] = []
    while sum(report.startswith("done:") for report in reports) < PROCESSES:
        reports.append(errors.get(timeout=600))
    for worker in workers:
        worker.join(timeout=60)
    elapsed = time.monotonic() - started
    failed = [report for report in reports if report != "done:0"]
    assert failed == [], failed
    with Tracker(db_url) as tracker:
        assert tracker.get_stakeholder("Counter").notes == str(PROCESSES * ROUNDS), elapsed
        assert tracker.get_stakeholder("Counter").version == 1 + PROCESSES * ROUNDS
        if tracker.db.is_sqlite:
            with tracker.db.engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def test_a_stale_write_is_refused_not_lost(db_url: str) -> None:
    """Optimistic locking: the ORM notices a row changed under it and says so."""
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Counter", kind="ngo", notes="0")
        database = Database(db_url)
        try:
            with Session(database.engine, expire_on_commit=False) as stale:
                row = stale.scalars(select(Stakeholder)).one()
                stale.commit()  # an editor read the record, then went for coffee
                tracker.update_stakeholder("Counter", notes="changed elsewhere")
                row.notes = "overwrite"
                with pytest.raises(Exception) as caught:
                    stale.commit()
                assert "StaleData" in type(caught.value).__name__
        finally:
            database.dispose()
        with pytest.raises(ConcurrentEdit):
            tracker.update_stakeholder("Counter", notes="again", expected_version=1)
        assert tracker.get_stakeholder("Counter").notes == "changed elsewhere"
