"""The sample data set, loaded through the library on both engines."""

from __future__ import annotations

from engagement.tracker import Tracker


def test_the_kazan_forum_dialogue_is_in_the_muftis_history(sample: Tracker) -> None:
    history = sample.history("Russian Council of Muftis")
    kazan = [item for item in history if item.start == "2025-05-16"]
    assert kazan, [item.title for item in history]
    assert "Kazan" in kazan[0].location
    assert kazan[0].precision == "day"


def test_there_are_22_embassies(sample: Tracker) -> None:
    embassies = sample.list_stakeholders(kind="embassy")
    assert len(embassies) == 22
    assert {e.country for e in embassies} >= {"CH", "QA", "TR", "PS", "YE", "GB"}


def test_loading_again_duplicates_nothing(sample: Tracker) -> None:
    before = (len(sample.list_stakeholders(include_archived=True)), len(sample.history("RRC")))
    summary = sample.load_sample()
    assert (summary.stakeholders_added, summary.interactions_added, summary.affiliations_added) == (
        0,
        0,
        0,
    )
    assert summary.interactions_updated == 0
    after = (len(sample.list_stakeholders(include_archived=True)), len(sample.history("RRC")))
    assert before == after


def test_names_from_the_report_resolve(sample: Tracker) -> None:
    assert sample.get_stakeholder("Tatyana Moskalkova").name == "Tatiana Moskalkova"
    assert sample.get_stakeholder("Council of Federation").name == "Federation Council"
    assert sample.get_stakeholder("Russian MFA").country == "RU"


def test_seed_precisions_are_kept(sample: Tracker) -> None:
    martens = [
        i
        for i in sample.history("Collective Security Treaty Organisation")
        if i.start == "2025-06-10"
    ]
    assert martens and martens[0].end == "2025-06-11"
    mfa = sample.history("Ministry of Foreign Affairs of the Russian Federation")
    confidential = [i for i in mfa if i.confidentiality.value == "confidential"]
    assert confidential and confidential[0].precision == "month"
    mod = sample.history("Ministry of Defence of the Russian Federation")
    assert any(i.recurrence == "FREQ=DAILY" for i in mod)


def test_related_history_of_the_russian_red_cross_includes_its_branches(sample: Tracker) -> None:
    own = {i.id for i in sample.history("Russian Red Cross")}
    related = sample.history("Russian Red Cross", include_related=True)
    names = {name for item in related for name in item.stakeholders}
    assert own < {i.id for i in related}
    assert any("Belgorod" in name for name in names)


def test_examples_are_planned_and_marked(sample: Tracker) -> None:
    sample.load_sample(with_examples=True)
    upcoming = sample.upcoming(14).interactions
    examples = [e.interaction for e in upcoming if "example" in e.interaction.tags]
    assert len(examples) == 3
    assert all(e.title.startswith("Example:") and e.status.value == "planned" for e in examples)
    sample.load_sample(with_examples=True)
    assert (
        len([e for e in sample.upcoming(14).interactions if "example" in e.interaction.tags]) == 3
    )
