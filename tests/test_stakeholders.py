"""Stakeholders, their names and their people — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from engagement.errors import (
    AmbiguousName,
    ConcurrentEdit,
    DuplicateName,
    InvalidInput,
    StakeholderNotFound,
    ValidationFailed,
)
from engagement.tracker import Tracker


@pytest.fixture
def red_cross(tracker: Tracker) -> Tracker:
    tracker.add_stakeholder(
        "Russian Red Cross",
        kind="national_society",
        country="ru",
        aliases=["RRC"],
        tags=["#Partner"],
    )
    tracker.add_stakeholder(
        "Russian Red Cross Belgorod Regional Branch",
        kind="national_society",
        country="RU",
        parent="RRC",
    )
    return tracker


def test_a_stakeholder_is_stored_as_given_with_a_normalised_country(red_cross: Tracker) -> None:
    item = red_cross.get_stakeholder("Russian Red Cross")
    assert (item.name, item.kind.value, item.country, item.aliases, item.tags) == (
        "Russian Red Cross",
        "national_society",
        "RU",
        ["RRC"],
        ["partner"],
    )
    assert item.version == 1


def test_names_resolve_by_alias_ignoring_case_accents_and_punctuation(red_cross: Tracker) -> None:
    assert red_cross.get_stakeholder("rrc").name == "Russian Red Cross"
    assert red_cross.get_stakeholder("  russian red-cross. ").name == "Russian Red Cross"
    branch = red_cross.get_stakeholder("Russian Red Cross Belgorod Regional Branch")
    assert branch.parent == "Russian Red Cross"
    assert red_cross.get_stakeholder(f"#{branch.id}").name == branch.name


def test_an_unknown_name_suggests_the_closest_ones(red_cross: Tracker) -> None:
    with pytest.raises(StakeholderNotFound) as caught:
        red_cross.get_stakeholder("Russain Red Crss")
    assert caught.value.suggestions[0] == "Russian Red Cross"
    assert "did you mean 'Russian Red Cross'" in str(caught.value)


def test_a_shared_alias_is_ambiguous_until_the_country_is_given(tracker: Tracker) -> None:
    tracker.add_stakeholder(
        "Ministry of Foreign Affairs of the Russian Federation",
        kind="ministry",
        country="RU",
        aliases=["MFA"],
    )
    tracker.add_stakeholder(
        "Ministry of Foreign Affairs of the Republic of Belarus",
        kind="ministry",
        country="BY",
        aliases=["MFA"],
    )
    with pytest.raises(AmbiguousName) as caught:
        tracker.get_stakeholder("MFA")
    assert len(caught.value.candidates) == 2
    assert "Belarus" in str(caught.value) and "Russia" in str(caught.value)
    assert tracker.get_stakeholder("MFA (BY)").country == "BY"


def test_duplicate_names_are_refused_whatever_their_spelling(red_cross: Tracker) -> None:
    with pytest.raises(DuplicateName, match="already taken"):
        red_cross.add_stakeholder("RUSSIAN red cross", kind="ngo")


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"kind": "minstry"}, "kind"),
        ({"kind": "ministry", "country": "XX"}, "not an ISO 3166-1"),
        ({"kind": "ministry", "parent": "Nowhere Ministry"}, "no stakeholder is called"),
    ],
)
def test_bad_stakeholders_are_refused_and_nothing_is_written(
    tracker: Tracker, fields: dict[str, str], fragment: str
) -> None:
    with pytest.raises((InvalidInput, StakeholderNotFound)) as caught:
        tracker.add_stakeholder("State Duma", **fields)  # type: ignore[arg-type]
    assert fragment in str(caught.value)
    assert tracker.list_stakeholders() == []


def test_an_alias_cannot_be_another_stakeholders_name(red_cross: Tracker) -> None:
    red_cross.add_stakeholder("Belarus Red Cross", kind="national_society", country="BY")
    with pytest.raises(ValidationFailed, match="name of another stakeholder"):
        red_cross.add_alias("RRC", "Belarus Red Cross")


def test_renaming_keeps_the_old_name_as_an_alias(red_cross: Tracker) -> None:
    red_cross.update_stakeholder("RRC", name="Russian Red Cross Society")
    assert red_cross.get_stakeholder("Russian Red Cross").name == "Russian Red Cross Society"


def test_a_stale_edit_is_refused(red_cross: Tracker) -> None:
    first = red_cross.get_stakeholder("RRC")
    red_cross.update_stakeholder("RRC", notes="Main partner", expected_version=first.version)
    with pytest.raises(ConcurrentEdit, match="changed since you opened it"):
        red_cross.update_stakeholder("RRC", notes="Overwrite", expected_version=first.version)
    assert red_cross.get_stakeholder("RRC").notes == "Main partner"


def test_a_parent_cannot_be_its_own_branch(red_cross: Tracker) -> None:
    with pytest.raises(ValidationFailed, match="itself or one of its branches"):
        red_cross.update_stakeholder("RRC", parent="Russian Red Cross Belgorod Regional Branch")


def test_lists_filter_by_kind_country_tag_and_parent(red_cross: Tracker) -> None:
    red_cross.add_stakeholder("Embassy of Switzerland in Moscow", kind="embassy", country="CH")
    assert [s.name for s in red_cross.list_stakeholders(kind="embassy")] == [
        "Embassy of Switzerland in Moscow"
    ]
    assert len(red_cross.list_stakeholders(country="RU")) == 2
    assert [s.name for s in red_cross.list_stakeholders(tag="partner")] == ["Russian Red Cross"]
    assert [s.name for s in red_cross.list_stakeholders(parent="RRC")] == [
        "Russian Red Cross Belgorod Regional Branch"
    ]


def test_archived_stakeholders_leave_lists_but_still_resolve(red_cross: Tracker) -> None:
    red_cross.archive_stakeholder("Russian Red Cross Belgorod Regional Branch")
    assert [s.name for s in red_cross.list_stakeholders()] == ["Russian Red Cross"]
    assert len(red_cross.list_stakeholders(include_archived=True)) == 2
    assert red_cross.get_stakeholder("Russian Red Cross Belgorod Regional Branch").archived


def test_affiliations_link_people_to_organisations(tracker: Tracker) -> None:
    tracker.add_stakeholder(
        "Office of the High Commissioner for Human Rights in the Russian Federation",
        kind="government_office",
        country="RU",
        aliases=["Ombudsman's Office"],
    )
    tracker.add_stakeholder(
        "Tatiana Moskalkova", kind="person", country="RU", aliases=["Tatyana Moskalkova"]
    )
    created = tracker.add_affiliation(
        "Tatyana Moskalkova",
        "Ombudsman's Office",
        title="High Commissioner for Human Rights",
        start="2016-04",
    )
    assert created.person == "Tatiana Moskalkova" and created.current
    profile = tracker.stakeholder_profile("Ombudsman's Office")
    assert [(p.person, p.title) for p in profile.people] == [
        ("Tatiana Moskalkova", "High Commissioner for Human Rights")
    ]
    again = tracker.add_affiliation(
        "Tatiana Moskalkova",
        "Ombudsman's Office",
        title="High Commissioner for Human Rights",
        start="2016-04-01",
    )
    assert again.id == created.id
    with pytest.raises(ValidationFailed, match="not a person"):
        tracker.add_affiliation("Ombudsman's Office", "Tatiana Moskalkova", title="x")


def test_control_characters_never_reach_the_database(tracker: Tracker) -> None:
    created = tracker.add_stakeholder(
        "Evil\x1b]52;c;aGVsbG8=\x07 Corp\x1b[2J", kind="private_sector"
    )
    assert "\x1b" not in created.name and "\x07" not in created.name
    assert created.name == "Evil]52;c;aGVsbG8= Corp[2J"
