"""Library read paths against the same query written directly with the database driver.

The suite is written once over a :class:`Raw` baseline so that :mod:`bench.cases.pg` runs it
against PostgreSQL too; here the baseline is the stdlib ``sqlite3`` module on the same file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from bench.harness import Measure, compare, failure, timing

if TYPE_CHECKING:
    from bench.context import Context
    from engagement.tracker import Tracker

AREA = "queries"
DORMANT_DAYS = 180


class Raw(Protocol):
    """The same reads, written directly against the driver: the floor for our library."""

    label: str

    def history(self, stakeholder_id: int) -> object: ...
    def search(self, word: str) -> object: ...
    def dormant(self, cutoff: str, limit: int | None) -> object: ...


class SqliteRaw:
    label = "stdlib sqlite3"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def history(self, stakeholder_id: int) -> object:
        ids = [
            row[0]
            for row in self.raw.execute(
                "SELECT l.interaction_id FROM interaction_stakeholders l "
                "WHERE l.stakeholder_id = ? ORDER BY l.start_on DESC, l.interaction_id DESC "
                "LIMIT 50",
                (stakeholder_id,),
            )
        ]
        marks = ",".join("?" * len(ids))
        rows = self.raw.execute(f"SELECT * FROM interactions WHERE id IN ({marks})", ids)
        names = self.raw.execute(
            "SELECT l.interaction_id, s.name FROM interaction_stakeholders l "
            f"JOIN stakeholders s ON s.id = l.stakeholder_id WHERE l.interaction_id IN ({marks})",
            ids,
        )
        return rows.fetchall(), names.fetchall()

    def search(self, word: str) -> object:
        return self.raw.execute(
            "SELECT rowid, bm25(interaction_search) AS r FROM interaction_search "
            "WHERE interaction_search MATCH ? ORDER BY r LIMIT 50",
            (f'"{word}"',),
        ).fetchall()

    def dormant(self, cutoff: str, limit: int | None) -> object:
        return self.raw.execute(
            "SELECT id, name, last_contact_on FROM stakeholders WHERE archived = 0 "
            "AND ongoing = 0 AND (last_contact_on IS NULL OR last_contact_on < ?) "
            "ORDER BY last_contact_on IS NOT NULL, last_contact_on, name_key LIMIT ?",
            (cutoff, -1 if limit is None else limit),
        ).fetchall()


def words(raw: sqlite3.Connection) -> list[tuple[str, str]]:
    """(label, word) pairs from the FTS vocabulary: a rare word and the most common one."""
    raw.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
        "USING fts5vocab(main, interaction_search, row)"
    )
    picked = []
    for label, order in (("rare", "ASC"), ("common", "DESC")):
        row = raw.execute(
            "SELECT term FROM temp.vocab WHERE doc > 20 AND length(term) > 3 "
            f"ORDER BY doc {order} LIMIT 1"
        ).fetchone()
        picked.append((label, str(row[0])))
    return picked


def suite(
    tracker: Tracker,
    raw: Raw,
    *,
    key_id: int,
    key_count: int,
    search_words: Sequence[tuple[str, str]],
    last_day: date,
    repeats: int,
    backend: str,
) -> list[Measure]:
    """The query measures, ours interleaved with ``raw``'s."""
    cutoff = (tracker.today() - timedelta(days=DORMANT_DAYS)).isoformat()
    year = (last_day - timedelta(days=365), last_day)
    cases: list[tuple[str, str, Callable[[], object], Callable[[], object] | None, dict]] = [
        (
            f"history of a key stakeholder ({key_count:,} interactions), newest 50 with "
            "counterparts",
            "p95 ≤ 2× raw",
            lambda: tracker.history(f"#{key_id}", limit=50),
            lambda: raw.history(key_id),
            {"limit": 2.0},
        ),
    ]
    for label, word in search_words:
        cases.append(
            (
                f"full-text search, top 50, {label} word ({word!r})",
                "p95 ≤ 2× raw and ≤ 100 ms",
                lambda word=word: tracker.search(word, limit=50),
                lambda word=word: raw.search(word),
                {"limit": 2.0, "absolute": 100.0},
            )
        )
    cases += [
        (
            "dormant, first page (50 oldest)",
            "≤ 20 ms",
            lambda: tracker.dormant(DORMANT_DAYS, limit=50),
            lambda: raw.dormant(cutoff, 50),
            {"absolute": 20.0},
        ),
        (
            "dormant, full list",
            "p95 ≤ 1.5× raw",
            lambda: tracker.dormant(DORMANT_DAYS),
            lambda: raw.dormant(cutoff, None),
            {"limit": 1.5},
        ),
        (
            "stats by month for a year",
            "≤ 500 ms",
            lambda: tracker.stats(start=year[0], end=year[1], by="month"),
            None,
            {"absolute": 500.0},
        ),
        (
            "activity report for a year",
            "≤ 500 ms",
            lambda: tracker.activity_report(*year),
            None,
            {"absolute": 500.0},
        ),
    ]
    measures = []
    for name, target, ours, base, bounds in cases:
        heavy = base is None
        try:
            measures.append(
                compare(
                    AREA,
                    name,
                    timing(ours),
                    None if base is None else timing(base),
                    repeats=max(3, repeats // 5) if heavy else repeats,
                    target=target,
                    baseline="" if base is None else f"{raw.label}, same query",
                    backend=backend,
                    **bounds,
                )
            )
        except Exception as error:  # one broken measure must not end the run
            measures.append(failure(AREA, name, target, error, backend))
    return measures


def last_day(raw: sqlite3.Connection) -> date:
    return date.fromisoformat(raw.execute("SELECT max(start_on) FROM interactions").fetchone()[0])


def run(context: Context) -> list[Measure]:
    key_id, key_count = context.key_stakeholder()
    print(f"queries (key stakeholder #{key_id}, {key_count:,} interactions)", flush=True)
    return suite(
        context.tracker,
        SqliteRaw(context.raw),
        key_id=key_id,
        key_count=key_count,
        search_words=words(context.raw),
        last_day=last_day(context.raw),
        repeats=context.scale.repeats,
        backend="sqlite",
    )
