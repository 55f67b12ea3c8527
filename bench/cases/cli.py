"""Whole-process CLI commands: the big database against the sample one (the cost of a read
command must not grow with the database), and ``--help`` against importing click alone.

Each command asks for a bounded answer (``--limit 50``, the default search page…): a command
that prints every row of a 100,000-row table is slower at scale by nature, not by design.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench.cases.queries import last_day, words
from bench.harness import Measure, compare, failure, timing

if TYPE_CHECKING:
    from bench.context import Context

AREA = "cli"


def engagement() -> str:
    return str(Path(sys.executable).with_name("engagement"))


def _command(url: str, *args: str) -> Callable[[], object]:
    command = [engagement(), "--db", url, *args]
    return lambda: subprocess.run(command, check=True, capture_output=True)


def _key(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        row = raw.execute(
            "SELECT stakeholder_id FROM interaction_stakeholders GROUP BY stakeholder_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return int(row[0])


def run(context: Context) -> list[Measure]:
    print("cli (whole process)", flush=True)
    repeats = context.scale.process_repeats
    measures: list[Measure] = []
    try:
        measures.append(
            compare(
                AREA,
                "engagement --help",
                timing(
                    lambda: subprocess.run(
                        [engagement(), "--help"], check=True, capture_output=True
                    )
                ),
                timing(lambda: subprocess.run([sys.executable, "-c", "import click"], check=True)),
                repeats=repeats * 2,
                target="p95 ≤ 2× import click",
                limit=2.0,
                baseline="python -c 'import click'",
            )
        )
    except Exception as error:
        measures.append(failure(AREA, "engagement --help", "", error, "sqlite"))
    common = words(context.raw)[-1][1]
    end = last_day(context.raw)
    year = [f"--from={(end - timedelta(days=365)).isoformat()}", f"--to={end.isoformat()}"]
    big_key, sample_key = _key(context.path), _key(context.sample_path)
    commands: list[tuple[str, list[str], list[str]]] = [
        ("history KEY --limit 50", ["history", f"#{big_key}", "--limit", "50"],
         ["history", f"#{sample_key}", "--limit", "50"]),
        (f"search {common}", ["search", common], ["search", common]),
        ("dormant --limit 50", ["dormant", "--limit", "50"], ["dormant", "--limit", "50"]),
        ("upcoming", ["upcoming"], ["upcoming"]),
        ("stakeholder show KEY", ["stakeholder", "show", f"#{big_key}"],
         ["stakeholder", "show", f"#{sample_key}"]),
        ("stats --by month (a year)", ["stats", "--by", "month", *year],
         ["stats", "--by", "month", *year]),
    ]  # fmt: skip
    for label, big, small in commands:
        name = f"engagement {label}: big vs sample database"
        try:
            measures.append(
                compare(
                    AREA,
                    name,
                    timing(_command(context.url, *big)),
                    timing(_command(context.sample_url, *small)),
                    repeats=repeats,
                    target="p95 ≤ 1.3× the sample database",
                    limit=1.3,
                    baseline="same command, sample database",
                )
            )
        except Exception as error:
            measures.append(failure(AREA, name, "p95 ≤ 1.3× sample", error, "sqlite"))
    return measures
