"""Measuring and reporting: interleaved repetitions, medians and p95s, ratios, the result files.

These machines are small and noisy (CPU speed was seen to swing 2× within an hour), so every
figure is a median and a p95 over many repetitions, and each of our operations is interleaved
with its baseline (ours, baseline, ours, baseline …) so that a slow minute hurts both sides
alike. A ratio compares p95 with p95.
"""

from __future__ import annotations

import json
import os
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Seconds one measure may take (``$BENCH_BUDGET``); it stops repeating past that, after at
#: least ``MIN_REPEATS`` repetitions (one, if a single repetition alone eats the budget).
BUDGET_SECONDS = float(os.environ.get("BENCH_BUDGET", "60"))
MIN_REPEATS = 3

Sample = Callable[[], float]
"""One repetition; returns the measured value (milliseconds unless the measure says otherwise)."""


@dataclass
class Measure:
    area: str
    name: str
    target: str
    ours_p50: float | None = None
    ours_p95: float | None = None
    base_p50: float | None = None
    base_p95: float | None = None
    unit: str = "ms"
    baseline: str = ""
    ratio_p95: float | None = None
    limit: float | None = None
    absolute: float | None = None
    met: bool | None = None
    repeats: int = 0
    backend: str = "sqlite"
    note: str = ""
    failed: bool = False


@dataclass
class Results:
    scale: str
    stakeholders: int
    interactions: int
    machine: str
    sqlite: str
    started: str = ""
    seconds: float = 0.0
    generate: dict[str, float] = field(default_factory=dict)
    measures: list[Measure] = field(default_factory=list)


def timing(work: Callable[[], object]) -> Sample:
    """A sample that times ``work`` in milliseconds."""

    def sample() -> float:
        started = time.perf_counter()
        work()
        return (time.perf_counter() - started) * 1000

    return sample


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0.95 for p95) of a non-empty list."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _rounded(value: float) -> float:
    return round(value, 3) if abs(value) < 100 else round(value, 1)


def compare(
    area: str,
    name: str,
    ours: Sample,
    base: Sample | None,
    *,
    repeats: int,
    target: str,
    limit: float | None = None,
    absolute: float | None = None,
    baseline: str = "",
    unit: str = "ms",
    warm_up: bool = True,
    backend: str = "sqlite",
    note: str = "",
) -> Measure:
    """Interleave ours and the baseline ``repeats`` times (after one discarded warm-up each).

    ``limit`` bounds the p95 ratio ours / baseline and ``absolute`` our p95; the target is met
    when every given bound holds.
    """
    budget = BUDGET_SECONDS
    started = time.monotonic()
    if warm_up:
        ours()
        if base is not None:
            base()
    least = MIN_REPEATS if time.monotonic() - started < budget / MIN_REPEATS else 1
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(max(1, repeats)):
        mine.append(ours())
        if base is not None:
            theirs.append(base())
        if len(mine) >= least and time.monotonic() - started > budget:
            note = (
                note + "; " if note else ""
            ) + f"stopped at {len(mine)} repetitions (time budget)"
            break
    return summarise(
        area,
        name,
        mine,
        theirs,
        target=target,
        limit=limit,
        absolute=absolute,
        baseline=baseline,
        unit=unit,
        backend=backend,
        note=note,
    )


def summarise(
    area: str,
    name: str,
    mine: list[float],
    theirs: list[float],
    *,
    target: str,
    limit: float | None = None,
    absolute: float | None = None,
    baseline: str = "",
    unit: str = "ms",
    backend: str = "sqlite",
    note: str = "",
) -> Measure:
    """The measure for samples already taken (by :func:`compare`, or by a case that has to
    take them itself, such as the in-process TUI measures)."""
    measure = Measure(
        area=area,
        name=name,
        target=target,
        ours_p50=_rounded(statistics.median(mine)),
        ours_p95=_rounded(percentile(mine, 0.95)),
        unit=unit,
        baseline=baseline,
        limit=limit,
        absolute=absolute,
        repeats=len(mine),
        backend=backend,
        note=note,
    )
    if theirs:
        measure.base_p50 = _rounded(statistics.median(theirs))
        measure.base_p95 = _rounded(percentile(theirs, 0.95))
        measure.ratio_p95 = round(measure.ours_p95 / max(measure.base_p95, 1e-6), 2)
    _judge(measure)
    print(
        f"  [{backend}] {name}: ours p50 {measure.ours_p50} / p95 {measure.ours_p95} {unit}; "
        f"base p50 {measure.base_p50} / p95 {measure.base_p95}; ratio {measure.ratio_p95}",
        flush=True,
    )
    return measure


def _judge(measure: Measure) -> None:
    checks = []
    if measure.limit is not None and measure.ratio_p95 is not None:
        checks.append(measure.ratio_p95 <= measure.limit)
    if measure.absolute is not None and measure.ours_p95 is not None:
        checks.append(measure.ours_p95 <= measure.absolute)
    measure.met = all(checks) if checks else None


def generation(report: dict[str, float]) -> Measure:
    """The generator's throughput, judged against its floor (more is better, unlike the
    other measures): only when this run generated the database, since a reused one has no
    figure."""
    rate = float(report["rows_per_second"])
    measure = Measure(
        area="generate",
        name="engagement bench generate (SQLite)",
        target="≥ 100,000 rows/s",
        ours_p50=rate,
        ours_p95=rate,
        unit="rows/s",
        repeats=1,
        note=f"{int(report['rows']):,} rows in {report['seconds']:,} s",
    )
    measure.met = rate >= GENERATE_FLOOR
    return measure


#: Rows per second ``engagement bench generate`` must reach on SQLite.
GENERATE_FLOOR = 100_000


def failure(area: str, name: str, target: str, error: BaseException, backend: str) -> Measure:
    """A measure that could not be taken: recorded (and shown) rather than ending the run."""
    print(f"  [{backend}] {name}: FAILED", flush=True)
    traceback.print_exception(error)
    last = str(error).strip().splitlines()[-1:] or [type(error).__name__]
    return Measure(
        area=area,
        name=name,
        target=target,
        backend=backend,
        failed=True,
        note=f"failed: {type(error).__name__}: {last[0][:200]}",
    )


def write(results: Results, folder: Path) -> None:
    """``results.json`` (everything) and ``results.md`` (the table) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(asdict(results), indent=2) + "\n")
    (folder / "results.md").write_text(markdown(results))


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:,} {unit}"


def markdown(results: Results) -> str:
    lines = [
        f"# Benchmark results ({results.scale})",
        "",
        f"{results.stakeholders:,} stakeholders, {results.interactions:,} interactions; "
        f"{results.machine}; SQLite {results.sqlite}; run started {results.started}, "
        f"took {results.seconds:,.0f} s.",
        "",
        "Ratios compare p95 with p95, ours over the baseline, measured interleaved in the same "
        "run. Met: **no** marks a missed target; — means nothing to judge.",
        "",
        "| Area | Operation | Ours p50 | Ours p95 | Baseline | Base p50 | Base p95 | Ratio "
        "| Target | Met |",
        "|---|---|---:|---:|---|---:|---:|---:|---|---|",
    ]
    for m in results.measures:
        met = "—" if m.met is None else ("yes" if m.met else "**no**")
        if m.failed:
            met = "**failed**"
        area = m.area if m.backend == "sqlite" else f"{m.area} (PG)"
        lines.append(
            f"| {area} | {m.name} | {_figure(m.ours_p50, m.unit)} | "
            f"{_figure(m.ours_p95, m.unit)} | {m.baseline} | {_figure(m.base_p50, m.unit)} | "
            f"{_figure(m.base_p95, m.unit)} | {'' if m.ratio_p95 is None else m.ratio_p95} | "
            f"{m.target} | {met} |"
        )
    lines += _limits(results)
    notes = [m for m in results.measures if m.note]
    if notes:
        lines += ["", "Notes:", ""]
        lines += [f"- **{m.name}** ({m.backend}): {m.note}" for m in notes]
    if results.generate:
        lines += [
            "",
            "Data generation: " + ", ".join(f"{k} {v}" for k, v in results.generate.items()),
        ]
    return "\n".join(lines) + "\n"


def _limits(results: Results) -> list[str]:
    """Why each missed target is missed, from ``bench/limits.py``: the issue asks for the gap to
    be reported with what limits it, next to the figures."""
    from bench.limits import explain

    missed = [m for m in results.measures if m.met is False or m.failed]
    if not missed:
        return []
    lines = ["", "## What limits the missed targets", ""]
    for m in missed:
        reason = explain(m.name, m.backend) or "not analysed yet: see docs/performance.md"
        lines.append(f"- **{m.name}** ({m.backend}): {reason}")
    return lines
