"""History, dormant stakeholders and statistics on the sample data — both engines."""

from __future__ import annotations

import json
import re
from datetime import date, datetime

from click.testing import CliRunner

from engagement.cli import main
from engagement.tracker import Tracker


def test_history_is_newest_first_and_related_adds_branches_and_people(sample: Tracker) -> None:
    own = sample.history("Russian Red Cross")
    days = [item.period.first_day() for item in own]
    assert days == sorted(days, reverse=True)
    related = sample.history("Russian Red Cross", include_related=True)
    names = {name for item in related for name in item.stakeholders}
    assert {"Russian Red Cross Belgorod Regional Branch", "Pavel Savchuk"} <= names
    ombudsman = sample.history(
        "Office of the High Commissioner for Human Rights in the Russian Federation",
        include_related=True,
    )
    assert any("Tatiana Moskalkova" in item.stakeholders for item in ombudsman)


def test_dormant_lists_the_never_contacted_first_then_the_oldest(sample: Tracker) -> None:
    entries = sample.dormant(60)
    never = [e for e in entries if e.last_contact is None]
    dated = [e.last_contact for e in entries if e.last_contact is not None]
    assert entries[: len(never)] == never
    assert dated == sorted(dated)
    assert all(d < date(2025, 7, 3) for d in dated)
    names = {e.stakeholder.name for e in entries}
    assert "Ministry of Defence of the Russian Federation" not in names  # daily channel: ongoing
    assert {e.stakeholder.kind.value for e in sample.dormant(60, kind="embassy")} <= {"embassy"}


def test_stats_count_interactions_and_distinct_stakeholders(sample: Tracker) -> None:
    by_month = {row.group: row for row in sample.stats(by="month")}
    assert set(by_month) >= {"2025-05", "2025-06", "2025-07", "2025-08"}
    by_kind = {row.group: row.interactions for row in sample.stats(by="kind")}
    assert by_kind["conference"] >= 1
    total = sum(row.interactions for row in sample.stats(by="kind"))
    june = sample.stats(start=date(2025, 6, 1), end=date(2025, 6, 30), by="kind")
    assert 0 < sum(row.interactions for row in june) < total
    countries = {row.group for row in sample.stats(by="country")}
    assert {"RU", "BY", "CH"} <= countries


def test_the_cli_views(sample_url: str) -> None:
    runner = CliRunner()

    def run_json(*args: str) -> object:
        result = runner.invoke(main, ["--db", sample_url, *args, "--json"])
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    hits = run_json("search", "Moskalkova", "--kind", "visit")
    assert isinstance(hits, list) and hits and {"snippet", "highlights", "title"} <= hits[0].keys()
    dormant = run_json("dormant", "--days", "90")
    assert (
        isinstance(dormant, list)
        and {"stakeholder", "last_contact", "days_since"} <= dormant[0].keys()
    )
    stats = run_json("stats", "--by", "month", "--from", "2025-05", "--to", "2025-08")
    assert [row["group"] for row in stats] == ["2025-05", "2025-06", "2025-07", "2025-08"]
    human = runner.invoke(
        main, ["--db", sample_url, "history", "Russian Red Cross", "--include-related"]
    )
    months = [
        datetime.strptime(line.strip(), "%B %Y")
        for line in human.stdout.splitlines()
        if re.fullmatch(r"[A-Z][a-z]+ \d{4}", line.strip())
    ]
    assert len(months) >= 2 and months == sorted(months, reverse=True)


def test_the_profile_says_whether_they_were_first_engaged_in_a_period(sample: Tracker) -> None:
    muftis = sample.stakeholder_profile(
        "Russian Council of Muftis", start=date(2025, 5, 1), end=date(2025, 8, 31)
    )
    assert muftis.first_time_in_period is True
    later = sample.stakeholder_profile("Russian Council of Muftis", start=date(2025, 6, 1))
    assert later.first_time_in_period is False
    assert sample.stakeholder_profile("Russian Council of Muftis").first_time_in_period is None
