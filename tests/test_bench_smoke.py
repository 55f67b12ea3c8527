"""The benchmark harness still runs end to end at the issue's smoke scale (``BENCH_SCALE=small``,
with 1,000 calendar events so that the khal import stays short) and reports every operation
with figures. Nothing here is timed: the figures are only checked to exist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Every operation the suite reports (on SQLite), by a part of its name.
OPERATIONS = {
    "queries": [
        "history of a key stakeholder",
        "full-text search, top 50, rare",
        "full-text search, top 50, common",
        "dormant, first page",
        "dormant, full list",
        "stats by month",
        "activity report",
    ],
    "cli": ["engagement --help", "history KEY", "search", "dormant", "upcoming",
            "stakeholder show", "stats"],
    "ics": ["render", "render vs floor", "read + render", "feed: unchanged",
            "vs khal", "vs calcurse"],
    "transfer": ["JSON import"],
    "tui": ["first painted dashboard", "dashboard data painted", "filter keystroke",
            "open a stakeholder", "peak RSS"],
}  # fmt: skip


@pytest.mark.slow
def test_tiny_benchmark_reports_every_operation(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BENCH_SCALE": "small",
        "BENCH_ICS_EVENTS": "1000",
        "BENCH_OUT": str(tmp_path / "out"),
        "BENCH_WORK": str(tmp_path / "work"),
        "BENCH_BUDGET": "3",
        "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
    }
    if os.environ.get("ENGAGEMENT_TEST_PG"):
        env["ENGAGEMENT_BENCH_PG"] = os.environ["ENGAGEMENT_TEST_PG"]
    finished = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    results = json.loads((tmp_path / "out" / "results.json").read_text())
    measures = results["measures"]
    failed = [m["name"] + ": " + m["note"] for m in measures if m["failed"]]
    assert not failed
    for area, names in OPERATIONS.items():
        mine = [m for m in measures if m["area"] == area and m["backend"] == "sqlite"]
        for part in names:
            found = [m for m in mine if part in m["name"]]
            assert found, f"{area}: no measure named like {part!r}"
            for measure in found:
                assert measure["ours_p50"] > 0 and measure["ours_p95"] >= measure["ours_p50"]
                assert measure["repeats"] >= 1
                if measure["baseline"] and "not installed" not in measure["note"]:
                    assert measure["base_p50"] > 0 and measure["ratio_p95"] > 0
    if os.environ.get("ENGAGEMENT_TEST_PG"):
        on_pg = [m for m in measures if m["backend"].startswith("postgresql")]
        assert len(on_pg) >= len(OPERATIONS["queries"])
        assert all(m["ours_p50"] > 0 for m in on_pg)
    generated = [m for m in measures if m["area"] == "generate"]
    assert len(generated) == 1 and generated[0]["ours_p50"] > 0 and generated[0]["met"] is not None
    table = (tmp_path / "out" / "results.md").read_text()
    assert "| Area | Operation |" in table
    assert all(m["name"] in table for m in measures)
