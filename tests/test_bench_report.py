"""The benchmark's report says why a target is missed, beside the figures (issue 8 asks for
the gap to be reported with what limits it)."""

from __future__ import annotations

from bench import harness, limits


def _results(*measures: harness.Measure) -> harness.Results:
    return harness.Results(
        scale="tiny", stakeholders=1, interactions=1, machine="m", sqlite="3", measures=[*measures]
    )


def test_a_missed_target_is_listed_with_its_recorded_reason(monkeypatch) -> None:
    monkeypatch.setattr(
        limits, "LIMITS", {("history of a key", "sqlite"): "the ORM's row building"}
    )
    missed = harness.summarise(
        "queries", "history of a key stakeholder (9 interactions)", [5.0], [1.0],
        target="p95 ≤ 2× raw", limit=2.0,
    )  # fmt: skip
    met = harness.summarise("queries", "dormant, first page", [1.0], [1.0], target="", limit=2)

    table = harness.markdown(_results(missed, met))

    assert missed.met is False and met.met is True
    section = table.split("## What limits the missed targets", 1)[1]
    assert "history of a key stakeholder (9 interactions)** (sqlite): the ORM's row building" in (
        section
    )
    assert "dormant, first page" not in section


def test_a_reason_recorded_for_one_engine_is_not_given_for_the_other(monkeypatch) -> None:
    monkeypatch.setattr(limits, "LIMITS", {("search", "postgresql"): "vectorised twice"})

    assert limits.explain("search, common word", "postgresql (small)") == "vectorised twice"
    assert limits.explain("search, common word", "sqlite") is None


def test_the_known_gaps_have_their_reasons_recorded() -> None:
    for name in ("history of a key stakeholder (1 interactions)", "activity report for a year"):
        assert limits.explain(name, "sqlite")


def test_an_unexplained_miss_points_to_the_performance_page(monkeypatch) -> None:
    monkeypatch.setattr(limits, "LIMITS", {})
    missed = harness.summarise("queries", "something new", [5.0], [1.0], target="", limit=2.0)

    table = harness.markdown(_results(missed))

    assert "**something new** (sqlite): not analysed yet" in table


def test_no_section_when_every_target_is_met() -> None:
    met = harness.summarise("queries", "search", [1.0], [1.0], target="", limit=2.0)

    assert "What limits" not in harness.markdown(_results(met))


def test_the_generator_is_judged_against_its_floor() -> None:
    fast = harness.generation({"rows": 1_000_000, "seconds": 8.0, "rows_per_second": 125_000})
    slow = harness.generation({"rows": 1_000_000, "seconds": 40.0, "rows_per_second": 25_000})

    assert fast.met is True and slow.met is False
    assert "1,000,000 rows in 8.0 s" in fast.note
