"""What limits each target a run misses, written from the profiles behind docs/performance.md.

Keys are the start of a measure's name (names carry run-specific counts after that); a run
prints the text under its table for every measure that misses its target, so the gap and its
cause stay side by side. Update the text when a profile shows something new.
"""

from __future__ import annotations

#: (start of the measure's name, backend prefix or "" for any) → what limits it.
LIMITS: dict[tuple[str, str], str] = {
    ("history of a key stakeholder", ""): (
        "the raw floor is ~0.6-0.8 ms (the same 8 statements, columns and order as ours), and "
        "ours sends the same statements to the same driver cursor; on top it pays the read "
        "transaction (~70 µs: session, BEGIN, COMMIT) and builds 50 interaction read models "
        "with their ~160 participants (~0.4 ms CPU: pydantic instances whose state is set "
        "inline, periods and their texts from a cache keyed by the stored values; ~0.55 ms when "
        "that cache is cold). That is 2.0× raw in CPU time (2.3× cold), so the p95 ratio sits "
        "at the bound and moves with the shared machine's load; going lower needs read models "
        "that are not pydantic instances, which changes what every front end receives."
    ),
    ("full-text search, top 50, rare", "postgresql"): (
        "the word, the candidate bound and the page are rendered into the statement, so a rare "
        "word is planned as a lookup in the stored tsvector's GIN index (migration 0010; a "
        "generic plan walks every stored vector), without parallel workers (starting them "
        "costs more than the lookup): the lookup is the baseline's. The rest is what it costs "
        "on SQLite (see its line): the read transaction, the hits' read models and a snippet "
        "per hit, against a baseline of about two milliseconds."
    ),
    ("full-text search, top 50, rare", ""): (
        "the FTS5 lookup is ~40 µs, the page's six statements are the baseline's; on top: the "
        "read transaction, 21 read models (as for history, ~17 µs each) and a snippet per hit "
        "(~10 µs: the matching text split into words, each checked against the folded and "
        "transliterated forms; texts that cannot hold the word are passed over after one "
        "lower() each): ~2.6-2.8× raw in CPU time against a half-millisecond baseline. Going "
        "lower needs read models that are not pydantic instances."
    ),
    ("full-text search, top 50, common", "postgresql"): (
        "the stored tsvectors (migration 0010) of the 2,000 newest matches are read and ranked: "
        "~15-25 ms p50 at 100k on the loaded 2-core machine; over the bound only under load."
    ),
    ("dormant, full list", ""): (
        "~3 µs per entry to build the two read models of each dormant stakeholder (two "
        "pydantic instances, eight slot writes, two lists), free them, and one young-generation "
        "garbage-collector pass over them, over nearly every stakeholder (the generated log ends "
        "about a year before today): the raw side only makes tuples of the same columns. "
        "~1.5× raw in CPU time on SQLite; on PostgreSQL the naive timestamps are now made UTC "
        "with datetime.combine (63 → 44 ms CPU at 10,000 stakeholders). The aliases and tags "
        "statements (an IN over the same condition, as the baseline's) take ~230 ms of the "
        "SQLite list; written as joins they take ~80 ms, which would speed up both sides."
    ),
    ("stats by month for a year", ""): (
        "one aggregate over the links' covering index (migration 0009): ~0.3 s at 1M on a quiet "
        "machine; over the bound only under load. Of it, reading the index range is ~25 ms, the "
        "sort for GROUP BY month ~0.1 s and the two distinct counts the rest; counting the "
        "interactions from their own index (with an EXISTS per interaction for 'has a "
        "stakeholder') or the distinct (month, stakeholder) pairs separately was measured no "
        "faster."
    ),
    ("engagement stats", ""): (
        "a year's statistics at 1M count ~300,000 links (the library's ~0.3 s, above), which "
        "the sample's few dozen do not: the command's cost grows with the period's activity, "
        "not with the file; the process around it is the same as on the sample. Distinct "
        "counts do not add up across months, so no summary table can stand in for the links."
    ),
    ("activity report for a year", "postgresql"): (
        "the same Python filing of the period's links into sections as on SQLite (see its "
        "line); the links and light rows arrive through psycopg, a little slower than from "
        "SQLite's file. At 100,000 interactions a year takes about the bound (0.4-0.5 s)."
    ),
    ("activity report for a year", ""): (
        "the period's ~300,000 links are read into Python (fetching them alone is ~0.2–0.3 s "
        "CPU) and filed per interaction: which sections an interaction counts in, and under "
        "which entry, depends on each stakeholder's top-level organisation or, for a person, the "
        "employer during the period. The per-link steps now run in C (a stable sort on a role "
        "rank computed by the database, map, set and dict builtins: ~22% less CPU than session "
        "3, same output), but the ~200,000 (interaction, section) pairs of a year remain Python "
        "steps. Moving the filing into SQL needs a maintained top-level organisation column and "
        "per-period employers; measured parts of that design (a join of each link to "
        "stakeholders ~0.15 s, a per-report filing table ~0.3 s) put its floor at 0.5–0.8 s. "
        "See docs/architecture.md, 'Counting at scale'."
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
