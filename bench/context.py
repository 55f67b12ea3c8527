"""What every case shares: the scale, the generated database, the sample database, a raw
``sqlite3`` connection for baselines, and the folders results and scratch files go to.

The generated database is kept in ``bench/work`` (or ``$BENCH_WORK``) between runs, keyed by
scale, because generating a million interactions takes minutes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engagement.tracker import Tracker

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Scale:
    name: str
    stakeholders: int
    interactions: int
    repeats: int
    #: Repetitions of whole-process measures (CLI, TUI start-up), which take ~0.1–1 s each.
    process_repeats: int
    #: Repetitions of the .ics import into khal and calcurse, which take seconds each.
    import_repeats: int
    ics_events: int


SCALES = {
    "tiny": Scale("tiny", 300, 3_000, 3, 2, 1, 300),
    "small": Scale("small", 10_000, 100_000, 30, 10, 3, 10_000),
    "medium": Scale("medium", 30_000, 300_000, 40, 15, 3, 10_000),
    "default": Scale("default", 100_000, 1_000_000, 50, 20, 5, 10_000),
}


@dataclass
class Context:
    scale: Scale
    work: Path
    out: Path
    path: Path
    sample_path: Path
    generate: dict[str, float] = field(default_factory=dict)
    _raw: sqlite3.Connection | None = None
    _tracker: Tracker | None = None

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    @property
    def sample_url(self) -> str:
        return f"sqlite:///{self.sample_path}"

    @property
    def raw(self) -> sqlite3.Connection:
        """The stdlib connection baselines use, tuned as the library tunes its own."""
        if self._raw is None:
            self._raw = sqlite3.connect(self.path, check_same_thread=False)
            self._raw.execute("PRAGMA mmap_size = 268435456")
            self._raw.execute("PRAGMA cache_size = -65536")
        return self._raw

    @property
    def tracker(self) -> Tracker:
        if self._tracker is None:
            from engagement.tracker import Tracker

            self._tracker = Tracker(self.url)
        return self._tracker

    def key_stakeholder(self, rank: int = 0) -> tuple[int, int]:
        """The stakeholder with the ``rank``-th most interactions: (id, count)."""
        row = self.raw.execute(
            "SELECT stakeholder_id, count(*) FROM interaction_stakeholders "
            "GROUP BY stakeholder_id ORDER BY count(*) DESC LIMIT 1 OFFSET ?",
            (rank,),
        ).fetchone()
        return int(row[0]), int(row[1])

    def scratch(self, name: str) -> Path:
        """An empty folder for one case's throwaway files."""
        folder = self.work / "scratch" / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None
        if self._raw is not None:
            self._raw.close()
            self._raw = None


def prepare(scale_name: str, *, work: Path | None = None, out: Path | None = None) -> Context:
    """The context for ``scale_name``: generates the database (and the sample one) if missing."""
    scale = SCALES[scale_name]
    if os.environ.get("BENCH_ICS_EVENTS"):
        # Fewer calendar events than the scale's (the CI smoke run: khal takes minutes on 10,000).
        scale = replace(scale, ics_events=int(os.environ["BENCH_ICS_EVENTS"]))
    work = work or Path(os.environ.get("BENCH_WORK", HERE / "work"))
    work.mkdir(parents=True, exist_ok=True)
    context = Context(
        scale=scale,
        work=work,
        out=out or HERE,
        path=work / f"bench-{scale.name}.db",
        sample_path=work / "sample.db",
    )
    if not context.path.exists():
        context.generate = _generate(context.path, scale)
    if not context.sample_path.exists():
        _sample(context.sample_path)
    return context


def _generate(path: Path, scale: Scale) -> dict[str, float]:
    from engagement.tracker import Tracker

    print(
        f"generating {scale.stakeholders:,} stakeholders / {scale.interactions:,} interactions …",
        flush=True,
    )
    partial = path.with_suffix(".partial")
    for leftover in path.parent.glob(partial.name + "*"):
        leftover.unlink()
    with Tracker(f"sqlite:///{partial}") as tracker:
        report = tracker.generate_bench_data(
            stakeholders=scale.stakeholders, interactions=scale.interactions, seed=1
        )
    partial.rename(path)
    print(f"  generated {report.rows:,} rows at {report.rows_per_second:,.0f} rows/s", flush=True)
    return {
        "rows": report.rows,
        "seconds": round(report.seconds, 1),
        "rows_per_second": round(report.rows_per_second),
        **{f"{k} s": round(v, 1) for k, v in report.phases.items()},
        "cpu_seconds": round(sum(report.cpu.values()), 1),
    }


def _sample(path: Path) -> None:
    from engagement.tracker import Tracker

    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with Tracker(f"sqlite:///{partial}") as tracker:
        tracker.load_sample(with_examples=True)
    partial.rename(path)
