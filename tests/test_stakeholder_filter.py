"""Finding stakeholders with a count limit (the TUI's filter-as-you-type): the same matches,
ranked the same, as without one while they are few; a lower bound when there are more."""

from __future__ import annotations

from engagement.tracker import Tracker


def _names(tracker: Tracker, text: str, **options: object) -> list[str]:
    return [item.name for item in tracker.find_stakeholders(text, **options).items]  # type: ignore[arg-type]


def test_under_the_limit_the_page_and_count_are_those_without_one(sample: Tracker) -> None:
    for text in ("red cross", "mosk", "москал", "tat mosk", "icrc", "r", "m"):
        plain = sample.find_stakeholders(text, limit=50)
        counted = sample.find_stakeholders(text, limit=50, count_limit=1000)
        assert counted.total == plain.total, text
        assert not counted.at_least
        assert [i.id for i in counted.items] == [i.id for i in plain.items], text


def test_filters_and_paging_apply_with_a_limit(sample: Tracker) -> None:
    plain = sample.find_stakeholders("red cross", kind="national_society", limit=3, offset=3)
    counted = sample.find_stakeholders(
        "red cross", kind="national_society", limit=3, offset=3, count_limit=1000
    )
    assert [i.id for i in counted.items] == [i.id for i in plain.items]
    assert counted.total == plain.total


def test_over_the_limit_the_count_is_a_lower_bound(sample: Tracker) -> None:
    everyone_with_r = sample.find_stakeholders("r", limit=500)
    assert everyone_with_r.total > 3
    counted = sample.find_stakeholders("r", limit=50, count_limit=3)
    assert counted.at_least
    assert counted.total == 3
    assert len(counted.items) == 3
    assert {i.id for i in counted.items} <= {i.id for i in everyone_with_r.items}


def test_typos_fall_back_to_similar_names_with_a_limit(sample: Tracker) -> None:
    page = sample.find_stakeholders("moskalkva", count_limit=1000)
    assert page.fuzzy
    assert page.items[0].name == "Tatiana Moskalkova"


def test_an_empty_filter_counts_everyone(sample: Tracker) -> None:
    plain = sample.find_stakeholders("", limit=10)
    counted = sample.find_stakeholders("", limit=10, count_limit=5)
    assert counted.total == plain.total
    assert not counted.at_least
