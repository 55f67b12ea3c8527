"""Bulk JSON import against raw ``executemany`` of the same rows into the same schema.

A dump of a tenth of the scale (generated once, kept in the work folder) is imported into a
new database with ``Tracker.import_json``: reading the file, validating every item and every
cross-reference, building the rows and the search structures, and writing them in one
transaction. The baseline writes exactly the rows that import ends with — every data table, the
search documents included — with the stdlib ``sqlite3`` module: one ``executemany`` per table
in one transaction, into a copy of the same empty database (same schema, indexes and full-text
triggers; like the import into an empty file, without per-row audit entries), with the
library's connection settings. Neither side counts creating the empty database. The target
(throughput ≥ 0.5× raw) is a time ratio ≤ 2.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.harness import Measure, compare, failure, timing

if TYPE_CHECKING:
    from bench.context import Context

AREA = "transfer"
_SKIPPED = {"alembic_version", "audit_log", "sqlite_sequence", "sqlite_stat1", "sqlite_stat4"}


def _dataset(context: Context) -> tuple[int, int]:
    scale = context.scale
    return max(100, scale.stakeholders // 10), max(1000, scale.interactions // 10)


def _dump(context: Context) -> Path:
    """The JSON dump to import (made once per size: generated, then exported whole)."""
    from engagement.tracker import Tracker

    stakeholders, interactions = _dataset(context)
    path = context.work / f"import-{stakeholders}-{interactions}.json"
    if path.exists():
        return path
    source = context.work / f"import-{stakeholders}-{interactions}.db"
    for leftover in context.work.glob(source.name + "*"):
        leftover.unlink()
    with Tracker(f"sqlite:///{source}") as tracker:
        tracker.generate_bench_data(stakeholders=stakeholders, interactions=interactions, seed=2)
        tracker.export_json(context.work / (path.name + ".partial"), confidentiality_max=None)
    (context.work / (path.name + ".partial")).rename(path)
    for leftover in context.work.glob(source.name + "*"):
        leftover.unlink()
    return path


def _template(folder: Path) -> Path:
    """An empty database at the schema head, made by the library."""
    from engagement.tracker import Tracker

    path = folder / "empty.db"
    with Tracker(f"sqlite:///{path}"):
        pass
    return path


def _tables(path: Path) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    """Every data table's rows as the import left them, parents before children."""
    from engagement.models import Base

    order = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}
    with sqlite3.connect(path) as raw:
        names = [
            str(row[0])
            for row in raw.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'interaction_search%'"
            )
        ]
        tables = []
        for name in sorted((n for n in names if n not in _SKIPPED), key=lambda n: order[n]):
            cursor = raw.execute(f'SELECT * FROM "{name}"')
            columns = [str(d[0]) for d in cursor.description]
            tables.append((name, columns, cursor.fetchall()))
    return tables


class _Baseline:
    """Raw ``executemany`` of the imported rows into a fresh copy of the empty database."""

    def __init__(self, template: Path, folder: Path, tables: list[Any]) -> None:
        self.template = template
        self.target = folder / "raw.db"
        self.tables = tables
        self.raw: sqlite3.Connection | None = None

    def prepare(self) -> None:
        for leftover in self.target.parent.glob(self.target.name + "*"):
            leftover.unlink()
        shutil.copyfile(self.template, self.target)
        raw = sqlite3.connect(self.target, isolation_level=None)
        for pragma in (
            "foreign_keys = ON",
            "journal_mode = WAL",
            "synchronous = FULL",
            "cache_size = -65536",
            "mmap_size = 268435456",
        ):
            raw.execute(f"PRAGMA {pragma}")
        triggers = raw.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'audit_%'"
        ).fetchall()
        for (name,) in triggers:
            raw.execute(f'DROP TRIGGER "{name}"')
        self.raw = raw

    def load(self) -> None:
        raw = self.raw
        assert raw is not None
        raw.execute("BEGIN IMMEDIATE")
        for name, columns, rows in self.tables:
            if rows:
                listed = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join("?" * len(columns))
                raw.executemany(f'INSERT INTO "{name}" ({listed}) VALUES ({marks})', rows)
        raw.execute("COMMIT")
        raw.close()
        self.raw = None


def run(context: Context) -> list[Measure]:
    from engagement.tracker import Tracker

    print("transfer (bulk JSON import)", flush=True)
    name = "JSON import (validated, one transaction) vs raw executemany of the same rows"
    target = "throughput ≥ 0.5× raw executemany (time ratio ≤ 2)"
    try:
        dump = _dump(context)
        folder = context.scratch("transfer")
        template = _template(folder)
        ours_path = folder / "ours.db"

        def fresh() -> None:
            for leftover in folder.glob(ours_path.name + "*"):
                leftover.unlink()
            shutil.copyfile(template, ours_path)

        fresh()
        with Tracker(f"sqlite:///{ours_path}") as tracker:
            report = tracker.import_json(dump)
        tables = _tables(ours_path)
        rows = sum(len(t[2]) for t in tables)
        baseline = _Baseline(template, folder, tables)

        def ours() -> float:
            fresh()
            with Tracker(f"sqlite:///{ours_path}") as tracker:
                return timing(lambda: tracker.import_json(dump))()

        def base() -> float:
            baseline.prepare()
            return timing(baseline.load)()

        measure = compare(
            AREA,
            name,
            ours,
            base,
            repeats=context.scale.import_repeats,
            target=target,
            limit=2.0,
            baseline="stdlib sqlite3 executemany, same rows, same schema, one transaction",
            note=(
                f"{report.interactions_added:,} interactions, "
                f"{report.stakeholders_added:,} stakeholders: {rows:,} rows in "
                f"{len(tables)} tables ({dump.stat().st_size / 1e6:,.0f} MB of JSON)"
            ),
        )
        if measure.ours_p50 and measure.base_p50:
            measure.note += (
                f"; p50 {rows / measure.ours_p50 * 1000:,.0f} rows/s ours, "
                f"{rows / measure.base_p50 * 1000:,.0f} rows/s raw"
            )
        return [measure]
    except Exception as error:
        return [failure(AREA, name, target, error, "sqlite")]
