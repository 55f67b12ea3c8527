"""A writer killed with SIGKILL at any moment leaves either all of its import or none of it,
an intact database, and a database that accepts writes afterwards."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from engagement.storage import Database
from engagement.tracker import Tracker

ITEMS = 150
TRIALS = {"sqlite": int(os.environ.get("ENGAGEMENT_CRASH_TRIALS", "40")), "postgresql": 10}

IMPORTER = """
import sys
from engagement.tracker import Tracker
url, batch, items = sys.argv[1], sys.argv[2], int(sys.argv[3])
interactions = [
    {"uid": f"crash-{batch}-{i}", "title": f"Meeting {i} of batch {batch}", "when": "2025-06-10",
     "stakeholders": ["Russian Red Cross"], "summary": "x" * 200, "tags": ["crash"]}
    for i in range(items)
]
tracker = Tracker(url, migrate=False)
print("started", flush=True)
tracker.import_dataset({"interactions": interactions})
print("finished", flush=True)
"""


def _start(url: str, batch: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", IMPORTER, url, batch, str(ITEMS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(url: str, batch: str) -> int:
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            return int(
                connection.execute(
                    text("SELECT count(*) FROM interactions WHERE uid LIKE :p"),
                    {"p": f"crash-{batch}-%"},
                ).scalar_one()
            )
    finally:
        database.dispose()


def test_killed_imports_are_all_or_nothing(db_url: str, engine: str) -> None:
    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Russian Red Cross", kind="national_society", country="RU")
    calibration = _start(db_url, "calibration")
    assert calibration.stdout is not None
    assert calibration.stdout.readline().strip() == "started"
    began = time.monotonic()
    calibration.wait(timeout=300)
    duration = time.monotonic() - began
    assert calibration.returncode == 0, calibration.stderr.read() if calibration.stderr else ""
    assert _count(db_url, "calibration") == ITEMS

    rng = random.Random(20250616)
    outcomes = {"complete": 0, "absent": 0}
    for trial in range(TRIALS[engine]):
        batch = f"t{trial}"
        process = _start(db_url, batch)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        landed = _count(db_url, batch)
        assert landed in (0, ITEMS), f"trial {trial}: {landed} of {ITEMS} interactions landed"
        outcomes["complete" if landed else "absent"] += 1

    with Tracker(db_url) as tracker:
        tracker.add_stakeholder("Written after the crashes", kind="ngo")
        assert tracker.search("batch", limit=1)
        if tracker.db.is_sqlite:
            with tracker.db.engine.connect() as connection:
                assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                fts_check = (
                    "INSERT INTO interaction_search(interaction_search) VALUES ('integrity-check')"
                )
                connection.execute(text(fts_check))
    assert outcomes["absent"] > 0, outcomes
