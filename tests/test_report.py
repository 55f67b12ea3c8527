"""The activity report built from the sample data reads like the seed report — both engines."""

from __future__ import annotations

from datetime import date

import pytest

from engagement.report.model import ActivityReport, ReportSection
from engagement.tracker import Tracker

MAY, AUGUST = date(2025, 5, 1), date(2025, 8, 31)

# The seed's sections in its order and wording (sentence case); "Facts and figures" comes first.
SEED_HEADINGS = [
    "Cooperation with Red Cross partners",
    "Dialogue with authorities and political actors",
    "Religious circles",
    "Regional organisations and associations",
    "Academics and expert community",
    "Forensic expertise",
    "Private sector and cyber/digital",
    "Diplomatic corps",
]

# Every dated activity of the seed: (section, date phrase, words of the logged title). The date
# phrases are the seed's own, except "From June 18 to 21" where the seed writes "On June 18 to
# 21" (a slip: it writes "From June 11 to 16" for the other multi-day span).
SEED_ACTIVITIES = [
    ("Dialogue with authorities and political actors", "From June 11 to 16", "Repatriation of"),
    ("Dialogue with authorities and political actors", "From June 30 to July 8", "Director of"),
    ("Dialogue with authorities and political actors", "On June 10 and 11", "Martens Readings"),
    ("Dialogue with authorities and political actors", "From June 18 to 21", "MGIMO panel"),
    ("Dialogue with authorities and political actors", "In May", "Legal Forum"),
    ("Dialogue with authorities and political actors", "In May", "Diplomatic Academy"),
    ("Dialogue with authorities and political actors", "In May", "Federation Council high-level"),
    ("Dialogue with authorities and political actors", "In June", "parliamentary advisors"),
    ("Dialogue with authorities and political actors", "In May", "State Border Committee"),
    ("Dialogue with authorities and political actors", "In June", "Plan of cooperation"),
    ("Cooperation with Red Cross partners", "In May", "Family Links Network"),
    ("Cooperation with Red Cross partners", "In July", "Amendment on cooperation"),
    ("Cooperation with Red Cross partners", "In July", "Micro-Economic Initiatives pilot"),
    ("Cooperation with Red Cross partners", "In June", "large-scale scam"),
    ("Religious circles", "On May 16", "KazanForum"),
    ("Religious circles", "From June 18 to 21", "Jewish and Buddhist"),
    ("Religious circles", "In August", "St. Alexey Hospital"),
    ("Regional organisations and associations", "On May 13", "CSTO Working Group"),
    ("Regional organisations and associations", "From August 21 to September 3", "SCO Member"),
    ("Academics and expert community", "From May to August", "Think-tank events"),
    ("Academics and expert community", "In June", "Euro-Asian Law Congress"),
    ("Academics and expert community", "In July", "Russian Association of International Law"),
    ("Forensic expertise", "In May", "Topical issues of Forensic Science"),
    ("Private sector and cyber/digital", "From June 18 to 21", "BI.ZONE and sessions on AI"),
    ("Private sector and cyber/digital", "In August", "OFFZONE"),
]

SEED_COUNTRIES = (
    "Australia, Austria, Cameroon, Canada, China, Dominican Republic, France, Germany, India, "
    "Ireland, Israel, Montenegro, Netherlands, Norway, Palestine, Qatar, Singapore, South Africa, "
    "Switzerland, Türkiye, United Kingdom and Yemen"
)


def section(report: ActivityReport, heading: str) -> ReportSection:
    return next(item for item in report.sections if item.heading == heading)


def lines_of(report: ActivityReport, heading: str) -> list[str]:
    return [
        line.text
        for group in section(report, heading).groups
        for entry in group.entries
        for line in entry.lines
    ]


def entry_lines(report: ActivityReport, heading: str, name: str) -> list[str]:
    for group in section(report, heading).groups:
        for entry in group.entries:
            if entry.name == name:
                return [line.text for line in entry.lines]
    raise AssertionError(f"no entry {name!r} under {heading!r}")


@pytest.fixture
def seed_report(sample: Tracker) -> ActivityReport:
    return sample.activity_report(MAY, AUGUST)


def test_every_section_of_the_seed_is_there_in_order(
    sample: Tracker, seed_report: ActivityReport
) -> None:
    markdown = sample.render_report(seed_report, "md")
    assert isinstance(markdown, str)
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    # The seed's sections, then the commitments ledger and the stakeholder map (not in the seed)
    assert headings == ["Facts and figures", *SEED_HEADINGS, "Commitments", "Stakeholder map"]
    assert markdown.startswith("# Activity report\n\n**From May to August 2025**")


@pytest.mark.parametrize(("heading", "when", "words"), SEED_ACTIVITIES)
def test_every_dated_activity_is_in_its_section_with_the_seed_date(
    seed_report: ActivityReport, heading: str, when: str, words: str
) -> None:
    matching = [text for text in lines_of(seed_report, heading) if words in text]
    assert matching, f"{words!r} is not under {heading!r}"
    assert any(text.startswith(f"{when}, the delegation ") for text in matching), matching


def test_the_martens_readings_are_told_under_the_belarusian_authorities(
    seed_report: ActivityReport,
) -> None:
    authorities = section(seed_report, "Dialogue with authorities and political actors")
    belarus = next(group for group in authorities.groups if group.heading == "In Belarus")
    texts = [line.text for entry in belarus.entries for line in entry.lines]
    assert any(text.startswith("On June 10 and 11, ") and "Martens" in text for text in texts)
    assert authorities.groups[0].heading is None  # the Russian authorities come first


def test_first_time_engagements_are_marked(seed_report: ActivityReport) -> None:
    kazan = entry_lines(seed_report, "Religious circles", "Russian Council of Muftis")
    assert kazan[0].startswith("On May 16, the delegation took part in the conference")
    assert kazan[0].endswith("in Kazan, for the first time.")
    spief = entry_lines(
        seed_report, "Religious circles", "Federation of Jewish Communities of Russia"
    )
    assert "the Buddhist Traditional Sangha of Russia" in spief[0]
    assert spief[0].endswith("for the first time.")
    assert seed_report.facts.first_time == [
        "Russian Council of Muftis",
        "Ravil Gainutdin",
        "Spiritual Administration of the Muslims of Russia",
        "Federation of Jewish Communities of Russia",
        "Buddhist Traditional Sangha of Russia",
    ]
    # The sample log starts with the period: everyone's first contact is in it, yet only the
    # engagements logged as first contacts are called first-time.
    everything = [t for s in SEED_HEADINGS[:-1] for t in lines_of(seed_report, s)]
    assert sum("for the first time" in text for text in everything) == 2


def test_the_mfa_dialogue_is_summarised_without_its_details(
    sample: Tracker, seed_report: ActivityReport
) -> None:
    mfa = entry_lines(
        seed_report,
        "Dialogue with authorities and political actors",
        "Ministry of Foreign Affairs of the Russian Federation",
    )
    assert mfa[-1] == (
        "Regular confidential bilateral dialogue with the Ministry of Foreign Affairs "
        "continued in this period."
    )
    everything = seed_report.model_dump_json()
    # The confidential interaction's own title and summary never reach the report.
    assert "with the Russian MFA" not in everything
    assert "confidential and bilateral" not in everything
    assert seed_report.facts.summarised == 1


def test_ongoing_channels_are_told_once(seed_report: ActivityReport) -> None:
    mod = entry_lines(
        seed_report,
        "Dialogue with authorities and political actors",
        "Ministry of Defence of the Russian Federation",
    )
    assert mod[0] == "Daily open channels with the Ministry of Defence continued."
    assert sum("open channel" in text for text in mod) == 1


def test_the_diplomatic_corps_is_a_sorted_list_of_22_countries(
    seed_report: ActivityReport,
) -> None:
    corps = section(seed_report, "Diplomatic corps")
    assert corps.groups == []
    assert corps.paragraphs == [
        "The delegation maintained exchanges with the diplomatic corps of 22 countries: "
        f"{SEED_COUNTRIES}."
    ]
    assert corps.stakeholders == 22


def test_facts_and_figures(seed_report: ActivityReport) -> None:
    facts = seed_report.facts
    assert (facts.interactions, facts.shown_in_full, facts.summarised) == (41, 40, 1)
    assert facts.stakeholders == 63
    assert facts.events_attended == 15  # events, conferences and seminars
    assert (facts.follow_ups_opened, facts.follow_ups_closed) == (9, 1)
    kinds = {row.label: row.count for row in facts.by_kind}
    assert kinds["conferences"] == 9 and kinds["calls"] == 1
    assert sum(kinds.values()) == 41
    sections = {row.heading: (row.interactions, row.stakeholders) for row in facts.by_section}
    assert sections["Diplomatic corps"] == (1, 22)
    assert sections["Forensic expertise"] == (1, 1)
    assert [row.heading for row in facts.by_section] == SEED_HEADINGS


def test_monthly_counts_cover_each_month_an_interaction_spans(
    seed_report: ActivityReport,
) -> None:
    monthly = seed_report.monthly
    assert monthly.months == ["2025-05", "2025-06", "2025-07", "2025-08"]
    assert monthly.labels == ["May 2025", "Jun 2025", "Jul 2025", "Aug 2025"]
    # Academics: think-tank events (May–August), Euro-Asian congress (June), RAIL (July).
    assert monthly.series["Academics and expert community"] == [1, 2, 2, 1]
    assert monthly.series["Forensic expertise"] == [1, 0, 0, 0]
    assert monthly.series["Diplomatic corps"] == [1, 1, 1, 1]


def test_a_shorter_period_only_tells_what_falls_in_it(sample: Tracker) -> None:
    june = sample.activity_report(date(2025, 6, 1), date(2025, 6, 30))
    assert june.period == "In June 2025"
    texts = [t for heading in SEED_HEADINGS[:-1] for t in lines_of(june, heading)]
    assert any("Euro-Asian Law Congress" in text for text in texts)
    assert not any("OFFZONE" in text for text in texts)
    assert not any("CSTO Working Group" in text for text in texts)
    # The daily channel has occurrences in June; the May–August ranges overlap it.
    assert any(text.startswith("Daily open channels") for text in texts)
    assert june.monthly.months == ["2025-06"]
    other_year = sample.activity_report(date(2025, 6, 1), date(2026, 1, 31))
    assert any(
        text.startswith("In June 2025, ")
        for text in lines_of(other_year, "Academics and expert community")
    )


def test_an_empty_period_gives_an_empty_report(sample: Tracker) -> None:
    report = sample.activity_report(date(2024, 1, 1), date(2024, 3, 31))
    assert report.facts.interactions == 0
    assert all(item.empty for item in report.sections)
    assert report.monthly.series == {}
    assert "From January to March 2024" in str(sample.render_report(report, "md"))
