"""Property-based fuzzing of the parsers that take free text: whatever is typed, the answer is a
result or our own clear rejection — never another exception. Bounded for CI; set
HYPOTHESIS_PROFILE=soak for a long run (``make soak``)."""

from __future__ import annotations

import os
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engagement.dates import parse_period
from engagement.errors import ValidationFailed
from engagement.search_query import parse_query
from engagement.tracker import Tracker

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("soak", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

NOW = datetime(2025, 6, 1, 9, 0)
DATEISH = st.text(
    alphabet=st.sampled_from(list("0123456789-/.: TtoJunMayDecFebAprilSeptemberUTC+EurpMsckw")),
    max_size=40,
)
ANY_TEXT = st.text(max_size=300)
QUERYISH = st.lists(
    st.sampled_from(
        [
            '"',
            "-",
            "*",
            "OR",
            "AND",
            "NOT",
            "NEAR(",
            ")",
            "(",
            ":",
            "^",
            "москва",
            "pow",
            "forum",
            "'",
            ";",
            "--",
            " ",
            "\x00",
            "\\",
            "{",
            "}",
        ]
    ),
    max_size=30,
).map("".join)


@given(st.one_of(ANY_TEXT, DATEISH), st.one_of(st.none(), ANY_TEXT, DATEISH))
def test_dates_parse_or_are_rejected_clearly(when: str, until: str | None) -> None:
    try:
        period = parse_period(when, until, now=NOW)
    except ValidationFailed as error:
        assert error.field in {"when", "until", "timezone"}
        return
    assert period.first_day() <= period.last_day()
    assert period.describe()
    assert period.explain()


@given(st.one_of(ANY_TEXT, QUERYISH))
def test_queries_parse_or_are_rejected_clearly(text: str) -> None:
    try:
        query = parse_query(text)
    except ValidationFailed as error:
        assert error.field == "query"
        return
    if not query.empty:
        assert query.to_fts5()
        assert query.to_tsquery()


def test_the_database_accepts_any_compiled_query(tmp_path: object) -> None:
    """The compiled queries are run for real on SQLite (FTS5 is the stricter parser)."""
    tracker = Tracker(f"sqlite:///{tmp_path}/fuzz.db")
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    tracker.log_interaction("Forum on pow", with_=["Russian Red Cross"], when="2025-06-10")

    @settings(max_examples=150, deadline=None)
    @given(st.one_of(ANY_TEXT, QUERYISH))
    def run(text: str) -> None:
        try:
            tracker.search(text)
        except ValidationFailed as error:
            assert error.field == "query"

    try:
        run()
    finally:
        tracker.close()
