"""What the TUI's Insights, sparkline and merge offer read from the library: interactions per
month by stakeholder kind, one stakeholder's months, and one stakeholder's likely duplicates —
on the sample data, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from engagement.errors import StakeholderNotFound, ValidationFailed
from engagement.tracker import Tracker


def test_monthly_activity_by_kind_adds_up_to_the_monthly_stats(sample: Tracker) -> None:
    activity = sample.activity_by_month(date(2024, 10, 15), date(2025, 9, 1))
    assert activity.months[0] == "2024-10" and activity.months[-1] == "2025-09"
    assert len(activity.months) == 12
    assert all(len(values) == 12 for values in activity.series.values())
    stats = {row.group: row.interactions for row in sample.stats(by="month")}
    # Each interaction counts once, under its lead stakeholder: the stacks add up.
    for month, total in zip(activity.months, activity.totals(), strict=True):
        assert total == stats.get(month, 0), month
    assert activity.total() == sum(stats.get(month, 0) for month in activity.months)
    assert {"national_society", "ministry"} <= set(activity.series)
    biggest = next(iter(activity.series.values()))
    assert sum(biggest) == max(sum(values) for values in activity.series.values())


def test_an_empty_window_has_every_month_and_no_series(sample: Tracker) -> None:
    activity = sample.activity_by_month(date(2020, 1, 1), date(2020, 12, 31))
    assert len(activity.months) == 12
    assert activity.series == {}
    assert activity.totals() == [0] * 12
    with pytest.raises(ValidationFailed):
        sample.activity_by_month(date(2025, 2, 1), date(2025, 1, 1))


def test_a_stakeholders_activity_covers_the_last_months_to_today(sample: Tracker) -> None:
    activity = sample.stakeholder_activity("Russian Red Cross")
    assert len(activity.months) == 24
    assert activity.months[-1] == "2025-09" and activity.months[0] == "2023-10"
    assert list(activity.series) == ["all"]
    own = [
        item
        for item in sample.history("Russian Red Cross")
        if item.status.value != "cancelled" and item.period.first_day() >= date(2023, 10, 1)
    ]
    assert activity.total() == len(own) > 0
    by_month: dict[str, int] = {}
    for item in own:
        key = item.period.first_day().strftime("%Y-%m")
        by_month[key] = by_month.get(key, 0) + 1
    assert dict(zip(activity.months, activity.totals(), strict=True)) == {
        month: by_month.get(month, 0) for month in activity.months
    }
    assert len(sample.stakeholder_activity("Russian Red Cross", months=3).months) == 3
    with pytest.raises(ValidationFailed):
        sample.stakeholder_activity("Russian Red Cross", months=0)
    with pytest.raises(StakeholderNotFound):
        sample.stakeholder_activity("Nobody At All Zzz")


def test_the_duplicates_of_one_stakeholder(sample: Tracker) -> None:
    original = sample.get_stakeholder("Tatiana Moskalkova")
    assert sample.duplicates_of("Tatiana Moskalkova") == []
    typo = sample.add_stakeholder("Tatiana Moskalkva", kind="person", country="RU")
    sample.add_stakeholder("Tatiana Moskalkova Foundation", kind="ngo", country="BY")
    found = sample.duplicates_of(f"#{typo.id}")
    assert [(pair.keep_id, pair.drop_id) for pair in found] == [(original.id, typo.id)]
    # Seen from either side, the one with more history is the one to keep.
    assert sample.duplicates_of("Tatiana Moskalkova") == found
    assert found[0] in sample.likely_duplicates()
