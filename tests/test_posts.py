"""Posts that outlive their holders: tenures, one holder at a time, interactions with a post
resolved to its holder on the day, history across rotations, the CLI, dumps (both engines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engagement.errors import EngagementError, TenureOverlap, ValidationFailed
from engagement.tracker import Tracker
from tests.test_cli import run, run_json

SWISS = "Ambassador of Switzerland to Russia"


@pytest.fixture
def embassy(tracker: Tracker) -> Tracker:
    tracker.add_stakeholder("Embassy of Switzerland in Moscow", kind="embassy", country="CH")
    for name in ("Hans Alpha", "Greta Beta", "Urs Gamma"):
        tracker.add_stakeholder(name, kind="person", country="CH")
    tracker.add_post(SWISS, org="Embassy of Switzerland in Moscow", aliases=["Swiss Ambassador"])
    return tracker


def _titles(items: list) -> list[str]:  # type: ignore[type-arg]
    return [item.title for item in items]


def test_a_post_is_a_stakeholder_under_its_organisation(embassy: Tracker) -> None:
    post = embassy.get_stakeholder("Swiss Ambassador")
    assert (post.name, post.kind.value, post.parent, post.country) == (
        SWISS,
        "post",
        "Embassy of Switzerland in Moscow",
        "CH",
    )


def test_interactions_with_a_post_follow_the_holder_across_a_rotation(embassy: Tracker) -> None:
    embassy.assign_post("Swiss Ambassador", "Hans Alpha", start="2019-09", end="2024-03")
    embassy.assign_post("Swiss Ambassador", "Greta Beta", start="2024-03")
    lunch = embassy.log_interaction("Lunch", with_=["Swiss Ambassador"], when="4 May 2023")
    reception = embassy.log_interaction("Reception", with_=["Swiss Ambassador"], when="2025-05-04")
    direct = embassy.log_interaction("Tea with Hans", with_=["Hans Alpha"], when="2025-06-01")
    assert lunch.stakeholders == [SWISS, "Hans Alpha"]
    assert lunch.participants[1].via_post == SWISS
    assert reception.stakeholders == [SWISS, "Greta Beta"]
    assert _titles(embassy.history("Hans Alpha")) == ["Tea with Hans", "Lunch"]
    assert _titles(embassy.history("Greta Beta")) == ["Reception"]
    assert _titles(embassy.history(SWISS)) == ["Reception", "Lunch"]
    assert embassy.get_stakeholder("Greta Beta").interaction_count == 1
    shown = embassy.show_post("Swiss Ambassador")
    assert shown.current_holder == "Greta Beta"
    assert [
        (t.tenure.person if t.tenure else None, _titles(t.interactions)) for t in shown.terms
    ] == [
        ("Greta Beta", ["Reception"]),
        ("Hans Alpha", ["Lunch"]),
    ]
    assert direct.id not in {i.id for term in shown.terms for i in term.interactions}


def test_a_tenure_recorded_later_resolves_earlier_interactions(embassy: Tracker) -> None:
    call = embassy.log_interaction("Call", with_=["Swiss Ambassador"], when="2022-02-02")
    assert call.stakeholders == [SWISS]
    assert embassy.show_post(SWISS).terms[0].tenure is None
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09")
    assert _titles(embassy.history("Hans Alpha")) == ["Call"]
    # Correcting the tenure moves the interaction off the person again.
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09", end="2021-12")
    assert embassy.history("Hans Alpha") == []
    assert embassy.get_stakeholder("Hans Alpha").interaction_count == 0
    embassy.assign_post(SWISS, "Urs Gamma", start="2022-01")
    assert embassy.get_interaction(call.id).stakeholders == [SWISS, "Urs Gamma"]


def test_moving_an_interaction_in_time_changes_the_holder(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09", end="2024-03")
    embassy.assign_post(SWISS, "Greta Beta", start="2024-03")
    meeting = embassy.log_interaction("Talks", with_=["Swiss Ambassador"], when="2023-01-10")
    moved = embassy.update_interaction(meeting.id, when="2025-01-10")
    assert moved.stakeholders == [SWISS, "Greta Beta"]
    assert embassy.history("Hans Alpha") == []


def test_overlapping_tenures_are_refused_naming_the_holder(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09-01")
    with pytest.raises(TenureOverlap) as caught:
        embassy.assign_post(SWISS, "Greta Beta", start="2024-03-01")
    message = str(caught.value)
    assert "Hans Alpha" in message and "1 Sep 2019 – present" in message
    assert "--from 2019-09-01 --to DATE" in message
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09-01", end="2024-02-29")
    embassy.assign_post(SWISS, "Greta Beta", start="2024-03-01")
    with pytest.raises(TenureOverlap, match="already has a holder"):
        embassy.assign_post(SWISS, "Urs Gamma", start="2023-01", end="2025-01")
    with pytest.raises(TenureOverlap, match="Greta Beta"):
        embassy.assign_post(SWISS, "Urs Gamma", start="2025-01")


def test_a_handover_within_a_month_known_only_to_the_month_is_allowed(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09", end="April 2024")
    embassy.assign_post(SWISS, "Greta Beta", start="April 2024")
    assert [t.person for t in embassy.show_post(SWISS).holders] == ["Greta Beta", "Hans Alpha"]
    with pytest.raises(TenureOverlap):
        embassy.assign_post(SWISS, "Urs Gamma", start="March 2024")


@pytest.mark.parametrize(
    ("post", "person", "problem"),
    [
        ("Embassy of Switzerland in Moscow", "Hans Alpha", "not a post"),
        (SWISS, "Embassy of Switzerland in Moscow", "not a person"),
    ],
)
def test_assign_checks_kinds(embassy: Tracker, post: str, person: str, problem: str) -> None:
    with pytest.raises(ValidationFailed, match=problem):
        embassy.assign_post(post, person, start="2020-01-01")


def test_kinds_of_posts_and_holders_are_kept(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09")
    with pytest.raises(ValidationFailed, match="post tenure"):
        embassy.update_stakeholder(SWISS, kind="embassy")
    with pytest.raises(ValidationFailed, match="post tenure"):
        embassy.update_stakeholder("Hans Alpha", kind="ngo")


def test_a_post_belongs_to_an_organisation(embassy: Tracker) -> None:
    with pytest.raises(ValidationFailed, match="belongs to an organisation"):
        embassy.add_post("Adviser", org="Hans Alpha")


def test_profiles_show_posts_and_holders(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09", end="2024-03")
    embassy.assign_post(SWISS, "Greta Beta", start="2024-03")
    person = embassy.stakeholder_profile("Hans Alpha")
    assert [(t.post, t.period, t.current) for t in person.post_tenures] == [
        (SWISS, "Sep 2019 – Mar 2024", False)
    ]
    embassy_profile = embassy.stakeholder_profile("Embassy of Switzerland in Moscow")
    assert [t.person for t in embassy_profile.post_tenures if t.current] == ["Greta Beta"]


def test_the_sample_carries_posts(sample: Tracker) -> None:
    shown = sample.show_post("President of the Russian Red Cross")
    assert shown.organisation == "Russian Red Cross"
    assert shown.current_holder == "Pavel Savchuk"
    assert "First visit to Moscow of the ICRC Director of Operations" in _titles(
        shown.terms[0].interactions
    )
    assert (
        sample.show_post(
            "High Commissioner for Human Rights in the Russian Federation"
        ).current_holder
        == "Tatiana Moskalkova"
    )
    assert (
        sample.show_post("Chairman of the Russian Council of Muftis").current_holder
        == "Ravil Gainutdin"
    )
    vacant = sample.show_post("Swiss Ambassador in Moscow")
    assert (vacant.current_holder, vacant.terms) == (None, [])
    assert sample.load_sample().posts_added == 0


def test_a_dump_round_trip_keeps_tenures_and_resolutions(embassy: Tracker, tmp_path: Path) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09", end="2024-03")
    embassy.log_interaction("Lunch", with_=["Swiss Ambassador"], when="2023-05-04")
    path = tmp_path / "dump.json"
    embassy.export_json(path, confidentiality_max=None)
    dump = json.loads(path.read_text(encoding="utf-8"))
    assert [(t["start"], t["start_precision"], t["end_precision"]) for t in dump["tenures"]] == [
        ("2019-09-01", "month", "month")
    ]
    with Tracker("sqlite://") as copy:
        copy.import_json(path)
        assert _titles(copy.history("Hans Alpha")) == ["Lunch"]
        lunch = copy.history(SWISS)[0]
        assert lunch.participants[1].via_post == SWISS
        assert copy.show_post(SWISS).holders[0].period == "Sep 2019 – Mar 2024"


def test_merging_a_post_holder_is_refused_rather_than_losing_tenures(embassy: Tracker) -> None:
    embassy.assign_post(SWISS, "Hans Alpha", start="2019-09")
    with pytest.raises(EngagementError, match="post"):
        embassy.merge_stakeholders("Greta Beta", "Hans Alpha")
    assert embassy.show_post(SWISS).current_holder == "Hans Alpha"


# --- the command line ---------------------------------------------------------------------


def test_post_commands(db_url: str) -> None:
    assert (
        run(
            db_url, "stakeholder", "add", "Russian Red Cross", "--kind", "national_society"
        ).exit_code
        == 0
    )
    for name in ("Raisa Lukutsova", "Pavel Savchuk"):
        assert run(db_url, "stakeholder", "add", name, "--kind", "person").exit_code == 0
    added = run(
        db_url, "post", "add", "President of the Russian Red Cross", "--org", "Russian Red Cross"
    )
    assert added.exit_code == 0 and added.output.strip().isdigit()
    first = run(
        db_url,
        "post",
        "assign",
        "President of the Russian Red Cross",
        "Raisa Lukutsova",
        "--from",
        "2017-04",
        "--to",
        "2021-10",
    )
    assert first.exit_code == 0, first.output
    assert (
        "Raisa Lukutsova holds President of the Russian Red Cross: Apr 2017 – Oct 2021"
        in first.output
    )
    tenure = run_json(
        db_url,
        "post",
        "assign",
        "President of the Russian Red Cross",
        "Pavel Savchuk",
        "--from",
        "2021-11",
    )
    assert (tenure["person"], tenure["start"], tenure["end"], tenure["current"]) == (
        "Pavel Savchuk",
        "2021-11",
        None,
        True,
    )
    clash = run(
        db_url,
        "post",
        "assign",
        "President of the Russian Red Cross",
        "Raisa Lukutsova",
        "--from",
        "2022-01",
    )
    assert clash.exit_code == 1
    assert (
        clash.output.startswith("error: ") and "Pavel Savchuk (Nov 2021 – present)" in clash.output
    )
    logged = run(
        db_url,
        "log",
        "Emergency stocks",
        "--with",
        "President of the Russian Red Cross",
        "--when",
        "June 2025",
    )
    assert logged.exit_code == 0, logged.output
    old = run(
        db_url,
        "log",
        "Courtesy visit",
        "--with",
        "President of the Russian Red Cross",
        "--when",
        "2019-03-05",
    )
    assert old.exit_code == 0, old.output
    shown = run_json(db_url, "post", "show", "President of the Russian Red Cross")
    assert shown["current_holder"] == "Pavel Savchuk"
    assert [
        (term["tenure"]["person"], [i["title"] for i in term["interactions"]])
        for term in shown["terms"]
    ] == [
        ("Pavel Savchuk", ["Emergency stocks"]),
        ("Raisa Lukutsova", ["Courtesy visit"]),
    ]
    text = run(db_url, "post", "show", "President of the Russian Red Cross")
    assert (
        "Raisa Lukutsova (Apr 2017 – Oct 2021)" in text.output and "Courtesy visit" in text.output
    )
    history = run_json(db_url, "history", "Raisa Lukutsova")
    assert [item["title"] for item in history] == ["Courtesy visit"]
    profile = run(db_url, "stakeholder", "show", "Pavel Savchuk")
    assert "Posts" in profile.output and "Nov 2021 – present" in profile.output


def test_quick_add_resolves_a_post(tracker: Tracker) -> None:
    from engagement.quickadd import parse_quick_add
    from tests.conftest import FIXED_NOW

    tracker.add_stakeholder("Embassy of Qatar in Moscow", kind="embassy", country="QA")
    tracker.add_stakeholder("Ahmed Delta", kind="person", country="QA")
    tracker.add_post("Ambassador of Qatar to Russia", org="Embassy of Qatar in Moscow")
    tracker.assign_post("Ambassador of Qatar to Russia", "Ahmed Delta", start="2020-01-01")
    parsed = parse_quick_add(
        'Met the @"Ambassador of Qatar to Russia" on reunification #children 2025-06-02',
        now=FIXED_NOW,
    )
    names = [tracker.resolve_stakeholder(name).name for name in parsed.stakeholders]
    logged = tracker.log_interaction(parsed.title, with_=names, when="2025-06-02")
    assert logged.stakeholders == ["Ambassador of Qatar to Russia", "Ahmed Delta"]
    assert [item.title for item in tracker.history("Ahmed Delta")] == [parsed.title]
