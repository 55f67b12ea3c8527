"""What limits each target a run misses, written from the profiles behind docs/performance.md.

Keys are the start of a measure's name (names carry run-specific counts after that); a run
prints the text under its table for every measure that misses its target, so the gap and its
cause stay side by side. Update the text when a profile shows something new.
"""

from __future__ import annotations

#: (start of the measure's name, backend prefix or "" for any) → what limits it.
LIMITS: dict[tuple[str, str], str] = {
    ("history of a key stakeholder", ""): (
        "the raw floor is ~0.8 ms (the same columns, counterparts and order as ours); on top we "
        "build 50 interaction read models, their participants and periods (pydantic models, set "
        "without re-validation: ~1.2 ms), and pay SQLAlchemy's ~60 µs on each of ~8 statements. "
        "Reaching 2× needs non-pydantic read models, which changes what every front end receives."
    ),
    ("full-text search, top 50, rare", ""): (
        "the same read-model cost as history for 50 hits, plus snippets (~0.9 ms for 20 hits) "
        "against a sub-millisecond FTS5 lookup; on PostgreSQL a word missing from the index's "
        "statistics can be planned as a walk of the newest documents, each vectorised on the fly "
        "(a stored tsvector column would fix it)."
    ),
    ("full-text search, top 50, common", "postgresql"): (
        "each of the 2,000 newest candidates is turned into a tsvector twice (filter and rank); "
        "a stored tsvector column (a migration) would remove that."
    ),
    ("dormant, full list", ""): (
        "~4 µs per entry to build the two read models of each dormant stakeholder (and free "
        "them), over nearly every stakeholder (the generated log ends about a year before "
        "today): the raw side only makes tuples of the same columns."
    ),
    ("stats by month for a year", ""): (
        "one aggregate over the links' covering index (migration 0009): ~0.3 s at 1M on a quiet "
        "machine; over the bound only under load."
    ),
    ("engagement stats", ""): (
        "a year's statistics at 1M count ~320,000 links (the library's ~0.3 s, above), which "
        "the sample's few dozen do not: the command's cost grows with the period's activity, "
        "not with the file; the process around it is the same as on the sample."
    ),
    ("activity report for a year", "postgresql"): (
        "the same Python filing of the period's links into sections as on SQLite (see its "
        "line), here over a year of the 100,000-interaction database; its p95 moves with the "
        "shared machine's load (the p50 is at the bound)."
    ),
    ("activity report for a year", ""): (
        "the period's ~320,000 links are filed into report sections in Python: which section a "
        "link counts in depends on the stakeholder's top-level organisation or, for a person, "
        "the employer during the period. Moving that into SQL needs a maintained top-level "
        "organisation column and per-period employers; measured parts of that design (a join of "
        "each link to stakeholders ~0.15 s, a per-report filing table ~0.3 s) put its floor at "
        "0.5–0.8 s. See docs/architecture.md, 'Counting at scale'."
    ),
    ("import ", ""): (
        "not size-dependent: Python start-up and imports (~0.7 s CPU), parsing 190,000 lines "
        "(~1.7 s), matching and creating the ~27,000 people the file names, with search keys and "
        "audit entries (~3.7 s), storing the events with links, audit, search documents and "
        "contact columns (~4 s). calcurse (C) does no matching, indexing or auditing."
    ),
    ("stakeholder filter keystroke", ""): (
        "the library's capped search is ~10 ms; the rest is Textual's own layout of the Input on "
        "every key, the worker thread's time under the event loop, and on the first keys the "
        "dashboard's loading at 1M."
    ),
    ("open a stakeholder", ""): (
        "independent of the history's length (the 15-interaction baseline costs the same): "
        "reading the profile and the first page (~9 ms on an idle core, the profile's counts "
        "~5.5 ms) then one layout and paint of the screen by Textual (~20 ms); the screen itself "
        "is built ahead (a spare, after the last one closed). Under load the event loop waits "
        "for a core and for the reader thread (GIL), which is where the p95 goes."
    ),
    ("engagement bench generate", ""): (
        "about 100,000 rows/s on a quiet machine (76.8 s for 7.7M rows); under load the Python "
        "row building, the sorts of the index builds and the full-text index build share two "
        "cores with everything else."
    ),
}


def explain(name: str, backend: str) -> str | None:
    """The recorded reason for ``name`` on ``backend``, if any."""
    for (start, engine), reason in LIMITS.items():
        if name.startswith(start) and backend.startswith(engine):
            return reason
    return None
