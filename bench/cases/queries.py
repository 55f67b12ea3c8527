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


# What the library returns for a page of interactions, read the plainest way: the same columns
# of the same rows and their lists, in the same order. ``{ids}`` is the driver's list of the
# page's ids. (Until session 3 the baselines fetched the interaction rows and counterpart names
# only — less than the library must return — and ordered ties differently.)
PAGE_ID_ORDER = "ORDER BY l.start_on DESC, i.start_at DESC, i.id DESC LIMIT 50"
INTERACTION_COLUMNS = (
    "id, uid, title, kind, status, precision, timezone, start_on, end_on, start_at, end_at, "
    "location, summary, outcome, confidentiality, recurrence, logged_by, created_at, "
    "updated_at, version, meeting_format, sidelines_of, interpreter, attribution"
)
READ_PAGE = (
    f"SELECT {INTERACTION_COLUMNS} FROM interactions WHERE id {{ids}}",
    "SELECT l.interaction_id, l.role, l.delegate, s.id, s.name, s.kind, p.name "
    "FROM interaction_stakeholders l JOIN stakeholders s ON s.id = l.stakeholder_id "
    "LEFT JOIN stakeholders p ON p.id = l.via_post_id WHERE l.interaction_id {ids} "
    "ORDER BY l.interaction_id, l.position",
    "SELECT interaction_id, tag FROM interaction_tags WHERE interaction_id {ids} "
    "ORDER BY interaction_id, tag",
    "SELECT interaction_id, language FROM interaction_languages WHERE interaction_id {ids} "
    "ORDER BY interaction_id, position",
    "SELECT interaction_id, name FROM interaction_staff WHERE interaction_id {ids} "
    "ORDER BY position",
    "SELECT id, interaction_id, text, due_on, owner, done, done_at FROM follow_ups "
    "WHERE interaction_id {ids} ORDER BY id",
)
STAKEHOLDER_COLUMNS = (
    "s.id, s.name, s.kind, s.country, s.parent_id, p.name, s.notes, s.archived, "
    "s.first_contact_on, s.last_contact_on, s.interaction_count, s.ongoing, s.email, "
    "s.influence, s.interest, s.created_at, s.updated_at, s.version"
)
DORMANT_WHERE = (
    "NOT s.archived AND NOT s.ongoing "
    "AND (s.last_contact_on IS NULL OR s.last_contact_on < {cutoff})"
)
DORMANT_READ = (
    f"SELECT {STAKEHOLDER_COLUMNS} FROM stakeholders s LEFT JOIN stakeholders p "
    f"ON p.id = s.parent_id WHERE {DORMANT_WHERE} "
    "ORDER BY s.last_contact_on IS NOT NULL, s.last_contact_on, s.name_key LIMIT {limit}",
    "SELECT stakeholder_id, alias FROM stakeholder_aliases WHERE stakeholder_id {ids} ORDER BY id",
    "SELECT stakeholder_id, tag FROM stakeholder_tags WHERE stakeholder_id {ids} ORDER BY tag",
)


class Raw(Protocol):
    """The same reads, written directly against the driver: the floor for our library."""

    label: str

    def history(self, stakeholder_id: int) -> object: ...
    def search(self, word: str) -> object: ...
    def rank(self, word: str) -> object: ...
    def dormant(self, cutoff: str, limit: int | None) -> object: ...


class SqliteRaw:
    label = "stdlib sqlite3"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def _page(self, ids: list[int]) -> list[list[object]]:
        marks = "IN (" + ",".join("?" * len(ids)) + ")"
        return [self.raw.execute(sql.format(ids=marks), ids).fetchall() for sql in READ_PAGE]

    def history(self, stakeholder_id: int) -> object:
        # The library checks that the stakeholder exists (an unknown id is an error, not an
        # empty history): one primary-key lookup.
        self.raw.execute("SELECT id FROM stakeholders WHERE id = ?", (stakeholder_id,)).fetchone()
        ids = [
            row[0]
            for row in self.raw.execute(
                "SELECT l.interaction_id FROM interaction_stakeholders l "
                "JOIN interactions i ON i.id = l.interaction_id "
                f"WHERE l.stakeholder_id = ? {PAGE_ID_ORDER}",
                (stakeholder_id,),
            )
        ]
        return self._page(ids)

    def rank(self, word: str) -> list[tuple[int, float]]:
        return self.raw.execute(
            "SELECT rowid, bm25(interaction_search) AS r FROM interaction_search "
            "WHERE interaction_search MATCH ? ORDER BY r LIMIT 50",
            (f'"{word}"',),
        ).fetchall()

    def search(self, word: str) -> object:
        return self._page([row[0] for row in self.rank(word)])

    def dormant(self, cutoff: str, limit: int | None) -> object:
        rows = self.raw.execute(
            DORMANT_READ[0].format(cutoff="?", limit="?"),
            (cutoff, -1 if limit is None else limit),
        ).fetchall()
        ids = [row[0] for row in rows]
        if limit is None:  # the whole list: its aliases and tags by the same condition
            chosen = (
                f"IN (SELECT s.id FROM stakeholders s WHERE {DORMANT_WHERE.format(cutoff='?')})"
            )
            params: list[object] = [cutoff]
        else:
            chosen = "IN (" + ",".join("?" * len(ids)) + ")"
            params = list(ids)
        others = [
            self.raw.execute(sql.format(ids=chosen), params).fetchall() for sql in DORMANT_READ[1:]
        ]
        return rows, others


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
        if label == "rare":
            cases.append(
                (
                    f"full-text search, top 50, {label} word ({word!r}), against the bare "
                    "ranking (ids and scores only, no hit read)",
                    "informative",
                    lambda word=word: tracker.search(word, limit=50),
                    lambda word=word: raw.rank(word),
                    {},
                )
            )
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
                    baseline="" if base is None else f"{raw.label}, same query and columns",
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
