"""Logging, editing and cancelling interactions; follow-ups; history and upcoming — on SQLite
and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from engagement.errors import (
    ConcurrentEdit,
    InteractionNotFound,
    InvalidInput,
    StakeholderNotFound,
    ValidationFailed,
)
from engagement.tracker import Tracker


@pytest.fixture
def world(tracker: Tracker) -> Tracker:
    tracker.add_stakeholder(
        "Russian Red Cross", kind="national_society", country="RU", aliases=["RRC"]
    )
    tracker.add_stakeholder(
        "Russian Red Cross Kursk Regional Branch",
        kind="national_society",
        country="RU",
        parent="RRC",
    )
    tracker.add_stakeholder("Pavel Savchuk", kind="person", country="RU")
    tracker.add_affiliation("Pavel Savchuk", "RRC", title="President", start="2022-01-01")
    tracker.add_stakeholder(
        "Office of the High Commissioner for Human Rights in the Russian Federation",
        kind="government_office",
        country="RU",
        aliases=["Ombudsman's Office"],
    )
    tracker.add_stakeholder(
        "Tatiana Moskalkova", kind="person", country="RU", aliases=["Tatyana Moskalkova"]
    )
    tracker.add_affiliation(
        "Tatiana Moskalkova", "Ombudsman's Office", title="High Commissioner for Human Rights"
    )
    return tracker


def test_a_range_of_days_is_stored_and_shown_as_written(world: Tracker) -> None:
    visit = world.log_interaction(
        "Director of Operations' first visit to Moscow",
        with_=["Tatyana Moskalkova", "RRC"],
        when="June 30 to July 8 2025",
        kind="visit",
        location="Moscow",
        tags=["#POW", "missing"],
        staff=["Yasmine Praz Dessimoz"],
    )
    again = world.get_interaction(visit.id)
    assert (again.start, again.end, again.precision, again.when) == (
        "2025-06-30",
        "2025-07-08",
        "day",
        "30 Jun – 8 Jul 2025",
    )
    assert again.stakeholders == ["Tatiana Moskalkova", "Russian Red Cross"]
    assert again.tags == ["missing", "pow"]
    assert again.status.value == "held"
    assert again.staff == ["Yasmine Praz Dessimoz"]


def test_a_month_is_kept_as_a_month(world: Tracker) -> None:
    item = world.log_interaction(
        "Emergency stocks", with_=["RRC"], when="2025-05", kind="operation"
    )
    assert (item.start, item.end, item.precision, item.when) == (
        "2025-05",
        None,
        "month",
        "May 2025",
    )


def test_a_timed_meeting_keeps_its_zone(world: Tracker) -> None:
    item = world.log_interaction(
        "Coordination meeting",
        with_=["RRC"],
        when="2025-09-10 11:00",
        until="12:30",
        timezone="Europe/Moscow",
    )
    assert (item.start, item.end, item.timezone) == (
        "2025-09-10T11:00:00+03:00",
        "2025-09-10T12:30:00+03:00",
        "Europe/Moscow",
    )
    assert item.status.value == "planned"


def test_follow_ups_are_added_due_and_completed(world: Tracker) -> None:
    item = world.log_interaction(
        "Legal expertise on the draft RRC law",
        with_=["RRC"],
        when="2025-06",
        kind="submission",
        follow_ups=[{"text": "Send the legal analysis", "due": "2025-08-15"}],
    )
    follow_up = item.follow_ups[0]
    assert (follow_up.due, follow_up.overdue, follow_up.done) == (date(2025, 8, 15), True, False)
    assert [f.text for f in world.upcoming(14).follow_ups] == ["Send the legal analysis"]
    done = world.complete_follow_up(follow_up.id)
    assert done.done and not done.overdue
    assert world.upcoming(14).follow_ups == []
    extra = world.add_follow_up(item.id, "Share the emblem regulations", due="2025-09-05")
    assert [f.id for f in world.upcoming(14).follow_ups] == [extra.id]


def test_editing_changes_only_what_is_given_and_bumps_the_version(world: Tracker) -> None:
    item = world.log_interaction("Meeting", with_=["RRC"], when="2025-06-10", location="Moscow")
    edited = world.update_interaction(
        item.id,
        title="Meeting on RFL cases",
        until="2025-06-11",
        add_stakeholders=["Pavel Savchuk"],
    )
    assert edited.title == "Meeting on RFL cases"
    assert (edited.start, edited.end, edited.location) == ("2025-06-10", "2025-06-11", "Moscow")
    assert edited.stakeholders == ["Russian Red Cross", "Pavel Savchuk"]
    assert edited.version == item.version + 1
    fewer = world.update_interaction(item.id, remove_stakeholders=["RRC"])
    assert fewer.stakeholders == ["Pavel Savchuk"]
    with pytest.raises(ValidationFailed, match="no stakeholder"):
        world.update_interaction(item.id, remove_stakeholders=["Pavel Savchuk"])


def test_a_stale_interaction_edit_is_refused_and_the_newer_one_kept(world: Tracker) -> None:
    item = world.log_interaction("Meeting", with_=["RRC"], when="2025-06-10")
    world.update_interaction(item.id, location="Moscow", expected_version=item.version)
    with pytest.raises(ConcurrentEdit, match="changed since you opened it"):
        world.update_interaction(item.id, location="Minsk", expected_version=item.version)
    assert world.get_interaction(item.id).location == "Moscow"


def test_cancelling_keeps_the_interaction_in_the_history(world: Tracker) -> None:
    item = world.log_interaction("Planned visit", with_=["RRC"], when="2025-09-20")
    assert world.cancel_interaction(item.id).status.value == "cancelled"
    assert [i.status.value for i in world.history("RRC")] == ["cancelled"]
    assert world.upcoming(30).interactions == []


@pytest.mark.parametrize(
    ("fields", "error", "fragment"),
    [
        ({"when": "2025-06-11", "until": "2025-06-10"}, InvalidInput, "before the start"),
        ({"when": "someday"}, InvalidInput, "not a date I can read"),
        ({"when": "2025-06-10", "kind": "party"}, InvalidInput, "kind"),
        ({"when": "2025-06-10", "confidentiality": "secret"}, InvalidInput, "confidentiality"),
        ({"when": "2025-06-10", "recurrence": "FREQ=SOMETIMES"}, InvalidInput, "RRULE"),
        ({"when": "2025-06-10", "with_": ["Nobody Known"]}, StakeholderNotFound, "Nobody Known"),
        ({"when": "2025-06-10", "with_": []}, InvalidInput, "stakeholders"),
    ],
)
def test_bad_interactions_are_refused_and_nothing_is_written(
    world: Tracker, fields: dict[str, object], error: type[Exception], fragment: str
) -> None:
    arguments: dict[str, object] = {"with_": ["RRC"], **fields}
    with pytest.raises(error) as caught:
        world.log_interaction("Meeting", **arguments)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert world.history("RRC") == []


def test_unknown_interactions_are_reported(world: Tracker) -> None:
    with pytest.raises(InteractionNotFound, match="no interaction has id 999"):
        world.get_interaction(999)


def test_history_is_newest_first_and_related_adds_branches_and_people(world: Tracker) -> None:
    world.log_interaction("Stocks", with_=["RRC"], when="2025-05")
    world.log_interaction(
        "Kursk distribution", with_=["Russian Red Cross Kursk Regional Branch"], when="2025-07-02"
    )
    world.log_interaction("Meeting with the President", with_=["Pavel Savchuk"], when="2025-07-01")
    world.log_interaction("Before his time", with_=["Pavel Savchuk"], when="2021-03-01")
    assert [i.title for i in world.history("RRC")] == ["Stocks"]
    assert [i.title for i in world.history("RRC", include_related=True)] == [
        "Kursk distribution",
        "Meeting with the President",
        "Stocks",
    ]
    window = world.history(
        "RRC", include_related=True, start=date(2025, 7, 1), end=date(2025, 7, 1)
    )
    assert [i.title for i in window] == ["Meeting with the President"]


def test_contact_dates_follow_the_log(world: Tracker) -> None:
    world.log_interaction("Stocks", with_=["RRC"], when="2025-05")
    first = world.log_interaction("Visit", with_=["RRC"], when="2025-06-30", until="2025-07-08")
    profile = world.get_stakeholder("RRC")
    assert (profile.first_contact, profile.last_contact, profile.interaction_count) == (
        date(2025, 5, 1),
        date(2025, 7, 8),
        2,
    )
    world.cancel_interaction(first.id)
    profile = world.get_stakeholder("RRC")
    assert (profile.last_contact, profile.interaction_count) == (date(2025, 5, 31), 1)
    assert profile.version == 1


def test_upcoming_shows_the_next_occurrence_of_recurring_interactions(world: Tracker) -> None:
    world.log_interaction(
        "Daily open channel",
        with_=["RRC"],
        when="2025-05-01",
        kind="call",
        recurrence="FREQ=DAILY",
        status="held",
    )
    world.log_interaction("Planned visit", with_=["Pavel Savchuk"], when="2025-09-05")
    world.log_interaction("Too far", with_=["Pavel Savchuk"], when="2025-12-05")
    upcoming = world.upcoming(14)
    assert [(e.occurrence, e.interaction.title) for e in upcoming.interactions] == [
        ("2025-09-01", "Daily open channel"),
        ("2025-09-05", "Planned visit"),
    ]
    assert world.get_stakeholder("RRC").ongoing


def test_changing_only_the_participants_still_guards_against_stale_edits(world: Tracker) -> None:
    item = world.log_interaction("Meeting", with_=["RRC"], when="2025-06-10")
    edited = world.update_interaction(item.id, add_stakeholders=["Pavel Savchuk"])
    assert edited.version == item.version + 1
    with pytest.raises(ConcurrentEdit):
        world.update_interaction(item.id, tags=["rfl"], expected_version=item.version)


def test_cancelling_twice_says_so(world: Tracker) -> None:
    item = world.log_interaction("Visit", with_=["RRC"], when="2025-09-20")
    world.cancel_interaction(item.id)
    with pytest.raises(ValidationFailed, match="already cancelled"):
        world.cancel_interaction(item.id)


def test_a_repeated_affiliation_fills_in_dates_instead_of_duplicating(world: Tracker) -> None:
    again = world.add_affiliation("Pavel Savchuk", "RRC", title="President")
    dated = world.add_affiliation("Pavel Savchuk", "RRC", title="President", end="2030-01-01")
    assert again.id == dated.id and dated.end == date(2030, 1, 1)
    assert len(world.stakeholder_profile("RRC").people) == 1


def test_a_recurring_timed_occurrence_is_described_in_its_zone(world: Tracker) -> None:
    from engagement.services.history import describe_occurrence

    world.log_interaction(
        "Weekly call",
        with_=["RRC"],
        when="2025-08-04 10:00",
        timezone="Europe/Moscow",
        recurrence="FREQ=WEEKLY",
        status="held",
        kind="call",
    )
    entry = world.upcoming(14).interactions[0]
    assert describe_occurrence(entry.interaction, entry.occurrence) == (
        "1 Sep 2025 10:00 (Europe/Moscow)"
    )


def test_a_timed_recurrence_with_a_local_until_still_shows(world: Tracker) -> None:
    world.log_interaction(
        "Weekly call until December",
        with_=["RRC"],
        when="2025-08-04 10:00",
        timezone="Europe/Moscow",
        recurrence="FREQ=WEEKLY;UNTIL=20251201T100000",
        status="held",
        kind="call",
    )
    assert [e.interaction.title for e in world.upcoming(14).interactions] == [
        "Weekly call until December"
    ]
