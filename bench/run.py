"""The benchmark: our operations against same-run baselines, as ratios.

Run with ``make bench`` (``BENCH_SCALE=small`` for a quick run, ``tiny`` for the smoke test).
``BENCH_ONLY=queries,ics`` runs some areas only; ``BENCH_OUT`` and ``BENCH_WORK`` move the
result files and the generated databases. PostgreSQL figures are added when
``ENGAGEMENT_BENCH_PG`` (or ``ENGAGEMENT_TEST_PG``) names a server.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: ``python bench/run.py``
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.context import SCALES, Context, prepare

AREAS = ("queries", "cli", "ics", "transfer", "tui", "pg")


def _area(name: str) -> Callable[[Context], list[harness.Measure]]:
    from importlib import import_module

    module = import_module(f"bench.cases.{name}")
    runner: Callable[[Context], list[harness.Measure]] = module.run
    return runner


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "default")
    if scale not in SCALES:
        print(f"BENCH_SCALE must be one of {', '.join(SCALES)}", file=sys.stderr)
        return 2
    only = [a for a in os.environ.get("BENCH_ONLY", "").split(",") if a] or list(AREAS)
    unknown = set(only) - set(AREAS)
    if unknown:
        print(f"BENCH_ONLY: unknown areas {sorted(unknown)}", file=sys.stderr)
        return 2
    out = Path(os.environ["BENCH_OUT"]) if os.environ.get("BENCH_OUT") else None
    started = time.monotonic()
    context = prepare(scale, out=out)
    results = harness.Results(
        scale=scale,
        stakeholders=context.scale.stakeholders,
        interactions=context.scale.interactions,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        sqlite=sqlite3.sqlite_version,
        started=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        generate=context.generate,
    )
    print(f"benchmark at scale {scale!r}: {', '.join(only)}", flush=True)
    if context.generate:
        results.measures.append(harness.generation(context.generate))
    try:
        for area in AREAS:
            if area in only:
                results.measures.extend(_area(area)(context))
                results.seconds = round(time.monotonic() - started, 1)
                harness.write(results, context.out)  # partial results survive a crash
    finally:
        context.close()
    results.seconds = round(time.monotonic() - started, 1)
    harness.write(results, context.out)
    print(f"wrote {context.out / 'results.md'}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
