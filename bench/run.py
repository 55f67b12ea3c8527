"""The benchmark: our operations against same-run baselines, as ratios.

Run with ``make bench`` (``BENCH_SCALE=small`` for a quick run). These machines are small and
noisy, so every figure is a median and a p95 over many repetitions, and each of our operations
is interleaved with its baseline (ours, baseline, ours, baseline …) so that a slow minute hurts
both sides alike. Results go to ``bench/results.json`` and ``bench/results.md``.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCALES = {
    "small": (10_000, 100_000, 30),
    "medium": (30_000, 300_000, 40),
    "default": (100_000, 1_000_000, 50),
}


@dataclass
class Measure:
    name: str
    target: str
    ours_p50_ms: float
    ours_p95_ms: float
    base_p50_ms: float | None = None
    base_p95_ms: float | None = None
    baseline: str = ""
    ratio_p95: float | None = None
    limit: float | None = None
    met: bool | None = None
    note: str = ""


@dataclass
class Results:
    scale: str
    stakeholders: int
    interactions: int
    machine: str
    sqlite: str
    generate: dict[str, float] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def compare(
    name: str,
    ours: Callable[[], object],
    base: Callable[[], object] | None,
    *,
    repeats: int,
    target: str,
    limit: float | None = None,
    baseline: str = "",
    absolute_ms: float | None = None,
) -> Measure:
    """Interleave ours and the baseline; the ratio compares p95 with p95."""
    ours()
    if base is not None:
        base()
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        mine.append(timed(ours))
        if base is not None:
            theirs.append(timed(base))
    measure = Measure(
        name=name,
        target=target,
        ours_p50_ms=round(statistics.median(mine), 3),
        ours_p95_ms=round(percentile(mine, 0.95), 3),
        baseline=baseline,
        limit=limit,
    )
    if theirs:
        measure.base_p50_ms = round(statistics.median(theirs), 3)
        measure.base_p95_ms = round(percentile(theirs, 0.95), 3)
        measure.ratio_p95 = round(measure.ours_p95_ms / max(measure.base_p95_ms, 1e-6), 2)
    checks = []
    if limit is not None and measure.ratio_p95 is not None:
        checks.append(measure.ratio_p95 <= limit)
    if absolute_ms is not None:
        checks.append(measure.ours_p95_ms <= absolute_ms)
    measure.met = all(checks) if checks else None
    print(
        f"  {name}: ours p95 {measure.ours_p95_ms} ms, base p95 {measure.base_p95_ms} ms, "
        f"ratio {measure.ratio_p95}",
        flush=True,
    )
    return measure


def main() -> int:
    scale = os.environ.get("BENCH_SCALE", "default")
    stakeholders, interactions, repeats = SCALES.get(scale, SCALES["default"])
    work = HERE / "work"
    work.mkdir(exist_ok=True)
    path = work / f"bench-{scale}.db"
    url = f"sqlite:///{path}"

    sys.path.insert(0, str(HERE.parent))
    from engagement.tracker import Tracker

    results = Results(
        scale=scale,
        stakeholders=stakeholders,
        interactions=interactions,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        sqlite=sqlite3.sqlite_version,
    )
    if not path.exists():
        print(f"generating {stakeholders} stakeholders / {interactions} interactions …", flush=True)
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        with Tracker(f"sqlite:///{partial}") as tracker:
            report = tracker.generate_bench_data(
                stakeholders=stakeholders, interactions=interactions, seed=1
            )
        partial.rename(path)
        results.generate = {
            "rows": report.rows,
            "seconds": round(report.seconds, 1),
            "rows_per_second": round(report.rows_per_second),
            **{f"{k} s": round(v, 1) for k, v in report.phases.items()},
        }
        print(f"  generated {report.rows} rows at {report.rows_per_second:,.0f} rows/s", flush=True)

    tracker = Tracker(url)
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA mmap_size = 268435456")
    raw.execute("PRAGMA cache_size = -65536")
    key_id = raw.execute(
        "SELECT stakeholder_id FROM interaction_stakeholders GROUP BY stakeholder_id "
        "ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()[0]
    key_name = f"#{key_id}"
    print(f"benchmark at scale {scale!r} (key stakeholder {key_id})", flush=True)

    def raw_history() -> object:
        ids = [
            row[0]
            for row in raw.execute(
                "SELECT l.interaction_id FROM interaction_stakeholders l "
                "WHERE l.stakeholder_id = ? ORDER BY l.start_on DESC, l.interaction_id DESC "
                "LIMIT 50",
                (key_id,),
            )
        ]
        marks = ",".join("?" * len(ids))
        rows = raw.execute(f"SELECT * FROM interactions WHERE id IN ({marks})", ids).fetchall()
        names = raw.execute(
            "SELECT l.interaction_id, s.name FROM interaction_stakeholders l "
            f"JOIN stakeholders s ON s.id = l.stakeholder_id WHERE l.interaction_id IN ({marks})",
            ids,
        ).fetchall()
        return rows, names

    results.measures.append(
        compare(
            "history of a key stakeholder, newest 50 with counterparts",
            lambda: tracker.history(key_name, limit=50),
            raw_history,
            repeats=repeats,
            target="p95 ≤ 2× raw sqlite3",
            limit=2.0,
            baseline="stdlib sqlite3, same query shape",
        )
    )

    for label, word in (("rare", _word(raw, "rare")), ("common", _word(raw, "common"))):
        query = word

        def raw_search(query: str = query) -> object:
            return raw.execute(
                "SELECT rowid, bm25(interaction_search) AS r FROM interaction_search "
                "WHERE interaction_search MATCH ? ORDER BY r LIMIT 50",
                (f'"{query}"',),
            ).fetchall()

        results.measures.append(
            compare(
                f"full-text search, top 50, {label} word ({query!r})",
                lambda query=query: tracker.search(query, limit=50),
                raw_search,
                repeats=repeats,
                target="p95 ≤ 2× raw FTS5 and ≤ 100 ms",
                limit=2.0,
                baseline="stdlib sqlite3 FTS5 bm25 top 50",
                absolute_ms=100,
            )
        )

    cutoff = (date.today() - timedelta(days=180)).isoformat()

    def raw_dormant_page() -> object:
        return raw.execute(
            "SELECT id, name, last_contact_on FROM stakeholders WHERE archived = 0 AND ongoing = 0 "
            "AND (last_contact_on IS NULL OR last_contact_on < ?) "
            "ORDER BY last_contact_on IS NOT NULL, last_contact_on, name_key LIMIT 50",
            (cutoff,),
        ).fetchall()

    results.measures.append(
        compare(
            "dormant, first page (50 oldest)",
            lambda: tracker.dormant(180, limit=50),
            raw_dormant_page,
            repeats=repeats,
            target="≤ 20 ms",
            baseline="stdlib sqlite3 on the maintained column",
            absolute_ms=20,
        )
    )

    year_end = raw.execute("SELECT max(start_on) FROM interactions").fetchone()[0]
    end = date.fromisoformat(year_end)
    start = end - timedelta(days=365)
    results.measures.append(
        compare(
            "stats by month for a year",
            lambda: tracker.stats(start=start, end=end, by="month"),
            None,
            repeats=max(5, repeats // 5),
            target="≤ 500 ms",
            absolute_ms=500,
        )
    )

    results.measures.extend(_cli_measures(url, repeats=max(5, repeats // 5)))
    tracker.close()
    raw.close()
    _write(results)
    return 0


def _word(raw: sqlite3.Connection, kind: str) -> str:
    """A word from the index vocabulary: rare (few documents) or common (many)."""
    raw.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
        "USING fts5vocab(main, interaction_search, row)"
    )
    order = "ASC" if kind == "rare" else "DESC"
    row = raw.execute(
        "SELECT term FROM temp.vocab WHERE doc > 20 AND length(term) > 3 "
        f"ORDER BY doc {order} LIMIT 1"
    ).fetchone()
    return str(row[0])


def _cli_measures(url: str, *, repeats: int) -> list[Measure]:
    executable = Path(sys.executable).with_name("engagement")

    def command(*args: str) -> Callable[[], object]:
        return lambda: subprocess.run([str(executable), *args], check=True, capture_output=True)

    return [
        compare(
            "engagement --help (whole process)",
            command("--help"),
            lambda: subprocess.run([sys.executable, "-c", "import click"], check=True),
            repeats=repeats,
            target="≤ 2× python -c 'import click'",
            limit=2.0,
            baseline="python -c 'import click'",
        ),
    ]


def _write(results: Results) -> None:
    (HERE / "results.json").write_text(json.dumps(asdict(results), indent=2) + "\n")
    lines = [
        f"# Benchmark results ({results.scale})",
        "",
        f"{results.stakeholders:,} stakeholders, {results.interactions:,} interactions; "
        f"{results.machine}; SQLite {results.sqlite}.",
        "",
        "| Operation | Ours p50 | Ours p95 | Baseline p50 | Baseline p95 | Ratio (p95) "
        "| Target | Met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for m in results.measures:
        lines.append(
            f"| {m.name} | {m.ours_p50_ms} ms | {m.ours_p95_ms} ms | "
            f"{'' if m.base_p50_ms is None else f'{m.base_p50_ms} ms'} | "
            f"{'' if m.base_p95_ms is None else f'{m.base_p95_ms} ms'} | "
            f"{'' if m.ratio_p95 is None else m.ratio_p95} | {m.target} | "
            f"{'—' if m.met is None else ('yes' if m.met else '**no**')} |"
        )
    if results.generate:
        lines += [
            "",
            "Data generation: " + ", ".join(f"{k} {v}" for k, v in results.generate.items()),
        ]
    (HERE / "results.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
