"""Checks on the hand-built sample data set ``data/sample.yaml``.

The file is validated as a whole with the same schema as any import, then checked for what the
schema cannot see: that every name it refers to is defined in the file, that canonical names stay
unique once folded, and that the facts taken from the seed report are recorded as the report
states them (dates at their true precision, the 22 embassies, the confidential MFA dialogue...).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from engagement.errors import InvalidInput
from engagement.names import fold_name
from engagement.schemas import DatasetImport, InteractionCreate, validated
from engagement.vocab import Confidentiality, InteractionStatus, Precision, StakeholderKind

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample.yaml"

EMBASSY_COUNTRIES = {
    "AU", "AT", "CA", "CM", "CN", "DO", "DE", "FR", "IN", "IE", "IL",
    "ME", "NL", "NO", "PS", "QA", "SG", "ZA", "CH", "TR", "GB", "YE",
}  # fmt: skip

KAZAN_UID = "sample-2025-05-16-kazan-forum"
MFA_DIALOGUE_UID = "sample-2025-05-mfa-bilateral-dialogue"
MOD_CHANNEL_UID = "sample-2025-05-01-mod-daily-channel"

RU_MFA = "Ministry of Foreign Affairs of the Russian Federation"
RU_MOD = "Ministry of Defence of the Russian Federation"
BY_MFA = "Ministry of Foreign Affairs of the Republic of Belarus"
BY_MOD = "Ministry of Defence of the Republic of Belarus"
HCHR_OFFICE = "Office of the High Commissioner for Human Rights in the Russian Federation"
CHILDREN_OFFICE = "Office of the Presidential Commissioner for Children's Rights"
BY_INTERIOR = "Ministry of Internal Affairs of the Republic of Belarus"
BY_BORDER = "State Border Committee of the Republic of Belarus"
SAMR = "Spiritual Administration of the Muslims of Russia"
RCSC_TRAINING = "Training Center of the Red Cross Society of China"


# --- helpers ------------------------------------------------------------------------------


def load_raw() -> dict[str, Any]:
    with SAMPLE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict), "sample.yaml must hold a mapping at the top level"
    return data


def dangling_references(data: DatasetImport) -> list[str]:
    """Every name used by parent, affiliations and interactions that no stakeholder carries."""
    names = {stakeholder.name for stakeholder in data.stakeholders}
    problems = []
    for post in data.posts:
        for value in (post.organisation, *(holder.person for holder in post.holders)):
            if value not in names:
                problems.append(f"post {post.title!r}: {value!r}")
    names |= {post.title for post in data.posts}
    for stakeholder in data.stakeholders:
        if stakeholder.parent is not None and stakeholder.parent not in names:
            problems.append(f"parent of {stakeholder.name!r}: {stakeholder.parent!r}")
    for affiliation in data.affiliations:
        for field in ("person", "organisation"):
            value = getattr(affiliation, field)
            if value not in names:
                problems.append(f"affiliation {field}: {value!r}")
    for interaction in data.interactions:
        for participant in interaction.stakeholders:
            if participant.name not in names:
                problems.append(f"interaction {interaction.uid}: {participant.name!r}")
    return problems


def folded_duplicates(names: list[str]) -> list[str]:
    counts = Counter(fold_name(name) for name in names)
    return sorted(key for key, count in counts.items() if count > 1)


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return load_raw()


@pytest.fixture(scope="module")
def dataset(raw: dict[str, Any]) -> DatasetImport:
    return validated(DatasetImport, raw)


@pytest.fixture(scope="module")
def stakeholders(dataset: DatasetImport) -> dict[str, Any]:
    return {stakeholder.name: stakeholder for stakeholder in dataset.stakeholders}


@pytest.fixture(scope="module")
def interactions(dataset: DatasetImport) -> dict[str, InteractionCreate]:
    return {interaction.uid or "": interaction for interaction in dataset.interactions}


def names_in(interaction: InteractionCreate) -> set[str]:
    return {participant.name for participant in interaction.stakeholders}


# --- the file as a whole ------------------------------------------------------------------


def test_sample_validates_as_a_dataset(dataset: DatasetImport) -> None:
    assert dataset.version == 1
    assert dataset.stakeholders and dataset.affiliations and dataset.interactions


def test_invalid_data_is_rejected_with_a_readable_message(raw: dict[str, Any]) -> None:
    broken = dict(raw)
    broken["interactions"] = [dict(raw["interactions"][0], when="not a date")]
    with pytest.raises(InvalidInput) as caught:
        validated(DatasetImport, broken)
    assert "interactions[0]" in str(caught.value)


# --- names and references -----------------------------------------------------------------


def test_every_reference_names_a_stakeholder_exactly(dataset: DatasetImport) -> None:
    assert dangling_references(dataset) == []


def test_reference_check_detects_a_dangling_name(raw: dict[str, Any]) -> None:
    broken = dict(raw)
    broken["affiliations"] = [*raw["affiliations"], {
        "person": "Pavel Savchuk", "organisation": "Russian Red Cros", "title": "President",
    }]  # fmt: skip
    assert dangling_references(validated(DatasetImport, broken)) == [
        "affiliation organisation: 'Russian Red Cros'"
    ]


def test_canonical_names_are_unique_once_folded(dataset: DatasetImport) -> None:
    assert folded_duplicates([s.name for s in dataset.stakeholders]) == []
    assert folded_duplicates(["Council of the Federation", "council of the federation."]) != []


def test_aliases_do_not_shadow_other_canonical_names(dataset: DatasetImport) -> None:
    owner = {fold_name(s.name): s.name for s in dataset.stakeholders}
    clashes = [
        (stakeholder.name, alias)
        for stakeholder in dataset.stakeholders
        for alias in stakeholder.aliases
        if owner.get(fold_name(alias), stakeholder.name) != stakeholder.name
    ]
    assert clashes == []


def test_aliases_are_distinct_within_each_stakeholder(dataset: DatasetImport) -> None:
    for stakeholder in dataset.stakeholders:
        keys = [fold_name(alias) for alias in stakeholder.aliases]
        assert len(keys) == len(set(keys)), stakeholder.name
        assert fold_name(stakeholder.name) not in keys, stakeholder.name


def test_parents_are_organisations_and_people_are_not_parents(stakeholders: dict[str, Any]) -> None:
    for stakeholder in stakeholders.values():
        if stakeholder.parent is None:
            continue
        assert stakeholder.kind is not StakeholderKind.PERSON, stakeholder.name
        assert stakeholders[stakeholder.parent].kind is not StakeholderKind.PERSON


def test_affiliations_link_people_to_organisations(dataset: DatasetImport) -> None:
    kinds = {s.name: s.kind for s in dataset.stakeholders}
    for affiliation in dataset.affiliations:
        assert kinds[affiliation.person] is StakeholderKind.PERSON
        assert kinds[affiliation.organisation] is not StakeholderKind.PERSON
    people = {name for name, kind in kinds.items() if kind is StakeholderKind.PERSON}
    assert people <= {a.person for a in dataset.affiliations}


def test_staff_are_not_stakeholders(dataset: DatasetImport) -> None:
    folded = {fold_name(s.name) for s in dataset.stakeholders}
    for interaction in dataset.interactions:
        assert not {fold_name(person) for person in interaction.staff} & folded, interaction.uid


# --- required stakeholders ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "aliases"),
    [
        ("Russian Council of Muftis", "religious_body", []),
        (
            "Federation Council",
            "parliament",
            ["Council of Federation", "Council of the Federation", "Совет Федерации"],
        ),
        ("State Duma", "parliament", []),
        ("Russian Red Cross", "national_society", ["RRC"]),
        ("Belarus Red Cross", "national_society", ["BRC"]),
        ("Tatiana Moskalkova", "person", ["Tatyana Moskalkova", "Татьяна Москалькова"]),
        ("Pavel Savchuk", "person", []),
        ("Ravil Gainutdin", "person", ["Sheikh Ravil Gainutdin", "Равиль Гайнутдин"]),
        (RU_MFA, "ministry", ["MFA", "Russian MFA", "Ministry of Foreign Affairs", "МИД России"]),
        (RU_MOD, "ministry", ["MoD", "Russian MoD", "Ministry of Defence", "Минобороны России"]),
        (BY_MFA, "ministry", ["MFA", "Belarusian MFA"]),
        (BY_MOD, "ministry", ["MoD", "Belarusian MoD"]),
        (HCHR_OFFICE, "government_office", ["Office of the High Commissioner for Human Rights"]),
        ("Collective Security Treaty Organisation", "regional_organisation", ["CSTO"]),
        (
            "Interparliamentary Assembly of the Commonwealth of Independent States",
            "regional_organisation",
            ["IPA CIS"],
        ),
        ("Shanghai Cooperation Organisation", "regional_organisation", ["SCO"]),
        ("Russian International Affairs Council", "think_tank", ["RIAC"]),
        ("Trialogue Club", "think_tank", []),
        ("Valdai Discussion Club", "think_tank", []),
        ("MGIMO University", "academia", ["MGIMO"]),
        ("Russian Association of International Law", "academia", ["RAIL"]),
        ("BI.ZONE", "private_sector", []),
        ("Federation of Jewish Communities of Russia", "religious_body", []),
        ("Buddhist Traditional Sangha of Russia", "religious_body", []),
        (SAMR, "religious_body", []),
        ("Russian Orthodox Church Hospital of St. Alexey", "religious_body", []),
        (BY_BORDER, "government_office", []),
        ("Ministry of Justice of the Republic of Belarus", "ministry", []),
        (BY_INTERIOR, "ministry", ["Interior Ministry"]),
        ("Red Cross Society of China", "national_society", []),
        (RCSC_TRAINING, "national_society", []),
    ],
)
def test_required_stakeholder(
    stakeholders: dict[str, Any], name: str, kind: str, aliases: list[str]
) -> None:
    assert name in stakeholders, f"missing stakeholder {name!r}"
    stakeholder = stakeholders[name]
    assert stakeholder.kind == StakeholderKind(kind)
    assert set(aliases) <= set(stakeholder.aliases)


def test_russian_and_belarusian_bodies_carry_their_country(stakeholders: dict[str, Any]) -> None:
    for name in (RU_MFA, RU_MOD, HCHR_OFFICE, "State Duma", "Federation Council"):
        assert stakeholders[name].country == "RU", name
    for name in (BY_MFA, BY_MOD, "Belarus Red Cross", BY_BORDER):
        assert stakeholders[name].country == "BY", name


def test_main_bodies_have_cyrillic_aliases(stakeholders: dict[str, Any]) -> None:
    def cyrillic(text: str) -> bool:
        return any("\u0400" <= ch <= "\u04ff" for ch in text)

    for name, stakeholder in stakeholders.items():
        if stakeholder.country in {"RU", "BY"} and stakeholder.kind is not StakeholderKind.PERSON:
            if "inferred" in stakeholder.tags or stakeholder.parent == "Russian Red Cross":
                continue
            assert any(cyrillic(alias) for alias in stakeholder.aliases), name


def test_hierarchy(stakeholders: dict[str, Any]) -> None:
    children = {n for n, s in stakeholders.items() if s.parent == "Russian Red Cross"}
    for region in ("Belgorod", "Kursk", "Rostov", "Voronezh"):
        assert any(region in child and "Branch" in child for child in children), region
    academy = "Diplomatic Academy of the Ministry of Foreign Affairs of the Russian Federation"
    assert stakeholders[academy].parent == RU_MFA
    assert stakeholders["Russian Orthodox Church Hospital of St. Alexey"].parent == (
        "Russian Orthodox Church"
    )
    assert stakeholders[RCSC_TRAINING].parent == ("Red Cross Society of China")


def test_affiliations_required_by_the_report(dataset: DatasetImport) -> None:
    held = {(a.person, a.organisation, a.title) for a in dataset.affiliations}
    assert ("Tatiana Moskalkova", HCHR_OFFICE, "High Commissioner for Human Rights") in held
    assert ("Pavel Savchuk", "Russian Red Cross", "President") in held
    assert ("Ravil Gainutdin", "Russian Council of Muftis", "Chairman") in held
    assert any(
        a.person == "Ravil Gainutdin" and a.organisation == SAMR for a in dataset.affiliations
    )


# --- the diplomatic corps -----------------------------------------------------------------


def test_exactly_22_embassies_with_the_reported_countries(dataset: DatasetImport) -> None:
    embassies = [s for s in dataset.stakeholders if s.kind is StakeholderKind.EMBASSY]
    assert len(embassies) == 22
    assert {e.country for e in embassies} == EMBASSY_COUNTRIES
    for embassy in embassies:
        assert embassy.name.startswith("Embassy of ") and embassy.name.endswith(" in Moscow")


def test_every_embassy_appears_in_an_interaction(dataset: DatasetImport) -> None:
    embassies = {s.name for s in dataset.stakeholders if s.kind is StakeholderKind.EMBASSY}
    used = set().union(*(names_in(i) for i in dataset.interactions))
    assert embassies - used == set()


# --- interactions -------------------------------------------------------------------------


def test_uids_are_unique_and_prefixed(dataset: DatasetImport) -> None:
    uids = [i.uid for i in dataset.interactions]
    assert all(uid and uid.startswith("sample-") for uid in uids)
    assert [uid for uid, n in Counter(uids).items() if n > 1] == []


def test_every_stakeholder_is_used_or_is_a_parent(dataset: DatasetImport) -> None:
    used = set().union(*(names_in(i) for i in dataset.interactions))
    parents = {s.parent for s in dataset.stakeholders if s.parent}
    unused = {s.name for s in dataset.stakeholders} - used - parents
    assert unused == set()


def test_all_reported_activities_are_held_and_within_the_period(dataset: DatasetImport) -> None:
    for interaction in dataset.interactions:
        assert interaction.status is InteractionStatus.HELD, interaction.uid
        period = interaction.period
        assert period.first_day().isoformat() >= "2025-05-01", interaction.uid
        assert period.last_day().isoformat() <= "2025-09-03", interaction.uid
        assert interaction.summary, interaction.uid


def test_kazan_forum(interactions: dict[str, InteractionCreate]) -> None:
    kazan = interactions[KAZAN_UID]
    assert kazan.period.precision is Precision.DAY
    assert kazan.period.iso_start() == "2025-05-16" and kazan.period.end is None
    assert "Russian Council of Muftis" in names_in(kazan)
    assert "Ravil Gainutdin" in names_in(kazan)
    assert "first-contact" in kazan.tags
    assert "first time" in kazan.summary


def test_mfa_dialogue_is_confidential(interactions: dict[str, InteractionCreate]) -> None:
    dialogue = interactions[MFA_DIALOGUE_UID]
    assert dialogue.confidentiality is Confidentiality.CONFIDENTIAL
    assert names_in(dialogue) == {RU_MFA}
    assert (dialogue.period.iso_start(), dialogue.period.iso_end()) == ("2025-05", "2025-08")


def test_mod_channel_is_a_daily_call(interactions: dict[str, InteractionCreate]) -> None:
    channel = interactions[MOD_CHANNEL_UID]
    assert channel.recurrence == "FREQ=DAILY"
    assert channel.kind.value == "call"
    assert channel.period.iso_start() == "2025-05-01"
    assert channel.confidentiality is Confidentiality.INTERNAL
    assert names_in(channel) == {RU_MOD}


@pytest.mark.parametrize(
    ("uid", "start", "end"),
    [
        ("sample-2025-05-13-csto-afghanistan-working-group", "2025-05-13", None),
        ("sample-2025-06-10-martens-readings", "2025-06-10", "2025-06-11"),
        ("sample-2025-06-11-repatriation-fallen-servicemen", "2025-06-11", "2025-06-16"),
        ("sample-2025-06-30-director-of-operations-visit", "2025-06-30", "2025-07-08"),
        ("sample-2025-06-18-spief-mgimo-panel", "2025-06-18", "2025-06-21"),
        ("sample-2025-06-18-spief-religious-circles", "2025-06-18", "2025-06-21"),
        ("sample-2025-06-18-spief-bizone", "2025-06-18", "2025-06-21"),
        ("sample-2025-08-21-sco-seminar", "2025-08-21", "2025-09-03"),
        ("sample-2025-05-kazan-forum-federation-council-panel", "2025-05", None),
        ("sample-2025-05-st-petersburg-legal-forum", "2025-05", None),
        ("sample-2025-05-diplomatic-academy-conference", "2025-05", None),
        ("sample-2025-05-state-border-committee-seminar", "2025-05", None),
        ("sample-2025-05-kirov-forensic-conference", "2025-05", None),
        ("sample-2025-05-family-links-network-tashkent", "2025-05", None),
        ("sample-2025-06-scam-response", "2025-06", None),
        ("sample-2025-06-parliamentary-advisors-deputies", "2025-06", None),
        ("sample-2025-06-belarus-mod-meetings", "2025-06", None),
        ("sample-2025-06-euro-asian-law-congress", "2025-06", None),
        ("sample-2025-07-rail-annual-meeting", "2025-07", None),
        ("sample-2025-07-brc-rfl-amendment", "2025-07", None),
        ("sample-2025-07-brc-micro-economic-initiatives-pilot", "2025-07", None),
        ("sample-2025-08-st-alexey-hospital-erw-training", "2025-08", None),
        ("sample-2025-08-martens-180th-anniversary", "2025-08", None),
        ("sample-2025-08-offzone", "2025-08", None),
        ("sample-2025-05-think-tank-events", "2025-05", "2025-08"),
        ("sample-2025-05-diplomatic-corps-exchanges", "2025-05", "2025-08"),
        ("sample-2025-05-moskalkova-rfl-office-visit", "2025-05", "2025-08"),
        ("sample-2025-05-ipa-cis-migration-proposals", "2025-05", "2025-08"),
    ],
)
def test_dates_keep_the_precision_of_the_report(
    interactions: dict[str, InteractionCreate], uid: str, start: str, end: str | None
) -> None:
    period = interactions[uid].period
    expected = Precision.MONTH if len(start) == 7 else Precision.DAY
    assert period.precision is expected
    assert (period.iso_start(), period.iso_end()) == (start, end)


@pytest.mark.parametrize(
    ("uid", "kind", "must_include"),
    [
        (
            "sample-2025-06-30-director-of-operations-visit",
            "visit",
            {"Tatiana Moskalkova", HCHR_OFFICE, "Pavel Savchuk", "Russian Red Cross"},
        ),
        (
            "sample-2025-06-10-martens-readings",
            "conference",
            {
                "Collective Security Treaty Organisation",
                "Interparliamentary Assembly of the Commonwealth of Independent States",
                BY_MOD,
                BY_MFA,
                "Ministry of Justice of the Republic of Belarus",
                BY_INTERIOR,
            },
        ),
        ("sample-2025-06-11-repatriation-fallen-servicemen", "operation", set()),
        (
            "sample-2025-08-21-sco-seminar",
            "seminar",
            {RCSC_TRAINING},
        ),
        (
            "sample-2025-05-children-family-reunification",
            "operation",
            {CHILDREN_OFFICE, "Government of the State of Qatar"},
        ),
        ("sample-2025-07-brc-rfl-amendment", "agreement", {"Belarus Red Cross"}),
        ("sample-2025-05-rrc-law-legal-expertise", "submission", {"Russian Red Cross"}),
        (
            "sample-2025-05-ipa-cis-migration-proposals",
            "submission",
            {"Interparliamentary Assembly of the Commonwealth of Independent States"},
        ),
        (
            "sample-2025-06-18-spief-religious-circles",
            "meeting",
            {"Federation of Jewish Communities of Russia", "Buddhist Traditional Sangha of Russia"},
        ),
        ("sample-2025-06-18-spief-mgimo-panel", "event", {"MGIMO University"}),
        ("sample-2025-06-18-spief-bizone", "meeting", {"BI.ZONE"}),
        (
            "sample-2025-05-think-tank-events",
            "event",
            {"Russian International Affairs Council", "Trialogue Club", "Valdai Discussion Club"},
        ),
        (
            "sample-2025-05-family-links-network-tashkent",
            "conference",
            {"Russian Red Cross Restoring Family Links Team", "Belarus Red Cross"},
        ),
        ("sample-2025-05-kazan-forum-federation-council-panel", "event", {"Federation Council"}),
    ],
)
def test_key_activities(
    interactions: dict[str, InteractionCreate], uid: str, kind: str, must_include: set[str]
) -> None:
    interaction = interactions[uid]
    assert interaction.kind.value == kind
    assert must_include <= names_in(interaction)


def test_director_of_operations_is_staff(interactions: dict[str, InteractionCreate]) -> None:
    visit = interactions["sample-2025-06-30-director-of-operations-visit"]
    assert visit.staff == ["Yasmine Praz Dessimoz"]
    assert visit.location == "Moscow"
    assert {"pow", "missing"} <= set(visit.tags)


def test_organisers_are_hosts(interactions: dict[str, InteractionCreate]) -> None:
    def role(uid: str, name: str) -> str:
        return next(p.role.value for p in interactions[uid].stakeholders if p.name == name)

    assert role("sample-2025-08-21-sco-seminar", RCSC_TRAINING) == "host"
    assert role("sample-2025-06-18-spief-mgimo-panel", "MGIMO University") == "host"
    assert (
        role("sample-2025-05-kazan-forum-federation-council-panel", "Federation Council") == "host"
    )
    assert role(KAZAN_UID, "Russian Council of Muftis") == "counterpart"


def test_follow_ups_are_dated_in_2025(
    dataset: DatasetImport, interactions: dict[str, InteractionCreate]
) -> None:
    follow_ups = [f for i in dataset.interactions for f in i.follow_ups]
    assert len(follow_ups) >= 5
    assert all(f.due is not None and f.due.year == 2025 for f in follow_ups)
    assert any(f.done for f in follow_ups) and not all(f.done for f in follow_ups)
    legal = interactions["sample-2025-05-rrc-law-legal-expertise"]
    assert legal.follow_ups, "the legal expertise on the draft RRC law should carry follow-ups"


def test_tags_are_lowercase_with_dashes(dataset: DatasetImport) -> None:
    for interaction in dataset.interactions:
        for tag in interaction.tags:
            assert tag == tag.lower() and " " not in tag and "_" not in tag, (interaction.uid, tag)
