"""Shared helpers of the data-safety tests (backups, exports, imports, merges); no tests here.

Hypothesis profiles: ``ci`` (the default) keeps the property tests bounded; ``soak`` runs many
more examples: ``HYPOTHESIS_PROFILE=soak make test PYTEST_ARGS="tests/test_transfer*.py"``.
Database-backed properties make a fresh database per example from the session's migrated
templates (an example must not see the previous one's rows), on each engine.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from engagement.tracker import Tracker
from tests.conftest import PgServer, _need_pg, fixed_clock

settings.register_profile(
    "ci", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "soak", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

DB_EXAMPLES = 50 if os.environ.get("HYPOTHESIS_PROFILE") == "soak" else 12
"""Examples for properties that build databases (each costs a database per engine)."""
DB_SETTINGS = settings(
    max_examples=DB_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
"""Explicit, so that another test module registering profiles of the same names (profiles are
global) cannot change what these properties cost."""

Templates = Callable[[str, str], str]


@contextmanager
def fresh_tracker(
    engine: str, templates: Templates, pg_server: PgServer | None, folder: Path
) -> Iterator[Tracker]:
    """A tracker on a new, empty, migrated database of its own."""
    if engine == "sqlite":
        path = folder / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(templates("sqlite", "empty"), path)
        try:
            with Tracker(f"sqlite:///{path}", clock=fixed_clock) as tracker:
                yield tracker
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    server = _need_pg(pg_server)
    name = server.create(templates("postgresql", "empty"))
    try:
        with Tracker(server.url_for(name), clock=fixed_clock) as tracker:
            yield tracker
    finally:
        server.drop(name)


# --- text that tends to break exports ------------------------------------------------------

TRICKY_STARTS = [
    "", "=", "+", "-", "@", "'", "''", "'=", "'+1", "\t", "\r", "=SUM(A1:A9)", "-1", "@cmd",
    '=HYPERLINK("http://x")', "\"quoted\"", ",", ";",
]  # fmt: skip
SCRIPTS = [
    "", "Москва", "Беларусь", "مرحبا بالعالم", "שלום עולם", "北京市", "Ελλάδα", "हिन्दी",
    "ქართული", "Türkiye", "e\u0301", "😀", "\u200fRTL",
]  # fmt: skip
plain = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
text = st.builds(
    lambda start, script, rest: start + script + rest,
    st.sampled_from(TRICKY_STARTS),
    st.sampled_from(SCRIPTS),
    plain,
)
multiline = st.lists(text, max_size=3).map("\n".join)


def cell_values() -> st.SearchStrategy[str]:
    """Any string, with a strong bias towards what spreadsheets treat as formulas."""
    return st.one_of(
        text, st.text(), st.builds(lambda q, v: q + v, st.sampled_from(["'", "''"]), text)
    )


WHEN = ["2025-05", "16 May 2025", "2025-07-01 10:00 Europe/Moscow", "June 30 to July 8 2025"]
KINDS = ["ministry", "ngo", "person", "embassy", "national_society"]
LEVELS = ["public", "internal", "confidential", "strictly_confidential"]


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, object]]]:
    """A small data set in any script, with formula-like, right-to-left and multi-line text.
    Suffixes (' n1', ' a12', ' i3') keep names distinct whatever the random part folds to."""
    people: list[dict[str, object]] = []
    for i in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(KINDS))
        parents = [p["name"] for p in people if p["kind"] != "person"]
        people.append(
            {
                "name": draw(text) + f" n{i}",
                "kind": kind,
                "country": draw(st.sampled_from([None, "RU", "CH", "BY"])),
                "aliases": [draw(text) + f" a{i}{j}" for j in range(draw(st.integers(0, 2)))],
                "tags": ["t" + draw(plain)[:10] for _ in range(draw(st.integers(0, 2)))],
                "notes": draw(multiline),
                "influence": draw(st.one_of(st.none(), st.integers(1, 5))),
                "parent": draw(st.sampled_from([None, *parents])) if kind != "person" else None,
            }
        )
    names = [str(p["name"]) for p in people]
    meetings: list[dict[str, object]] = []
    for k in range(draw(st.integers(0, 3))):
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True))
        meetings.append(
            {
                "title": draw(text) + f" i{k}",
                "when": draw(st.sampled_from(WHEN)),
                "with_": [
                    {"name": n, "role": draw(st.sampled_from(["counterpart", "host", "observer"]))}
                    for n in chosen
                ],
                "summary": draw(multiline),
                "outcome": draw(multiline),
                "location": draw(text),
                "tags": ["t" + draw(plain)[:10] for _ in range(draw(st.integers(0, 2)))],
                "staff": [draw(text) + f" s{j}" for j in range(draw(st.integers(0, 2)))],
                "confidentiality": draw(st.sampled_from(LEVELS)),
                "follow_ups": [
                    {"text": draw(multiline) + "f"} for _ in range(draw(st.integers(0, 2)))
                ],
            }
        )
    return {"stakeholders": people, "interactions": meetings}


def fill(tracker: Tracker, data: dict[str, list[dict[str, object]]]) -> None:
    """Enter a data set through the public API, as a user would."""
    for person in data["stakeholders"]:
        tracker.add_stakeholder(**person)  # type: ignore[arg-type]
    for meeting in data["interactions"]:
        values = dict(meeting)
        tracker.log_interaction(str(values.pop("title")), **values)  # type: ignore[arg-type]
