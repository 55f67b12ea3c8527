"""How the report files an interaction whose stakeholders fall in several sections: which entry
it goes under in each (the section's leading stakeholder: a host, then a counterpart, then a
participant, then the one logged first), who is counted, and what the closing line of a section
cut short says. The builder computes these in one pass with shortcuts (a sort on the role's
rank, the entries' interactions adding up); these are the plain rules they must keep."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from engagement.report import phrasing
from engagement.report.categories import DEFAULT_CONFIG
from engagement.report.model import ActivityReport, ReportSection
from engagement.tracker import Tracker

PERIOD = (date(2025, 3, 1), date(2025, 3, 31))


def _section(report: ActivityReport, key: str) -> ReportSection:
    return next(section for section in report.sections if section.key == key)


def _entries(section: ReportSection) -> dict[str, list[str]]:
    return {
        entry.name: [line.title for line in entry.lines if line.kind == "interaction"]
        for group in section.groups
        for entry in group.entries
    }


def _people(tracker: Tracker) -> None:
    for name in ("Ministry of Justice", "Ministry of Health"):
        tracker.add_stakeholder(name, kind="ministry", country="RU")
    for name in ("Kazan Federal University", "Saint Petersburg University"):
        tracker.add_stakeholder(name, kind="academia", country="RU")


def test_each_section_files_an_interaction_under_its_own_lead(tracker: Tracker) -> None:
    _people(tracker)
    tracker.log_interaction(
        "Round table on detention",
        with_=[
            {"name": "Kazan Federal University", "role": "participant"},
            {"name": "Ministry of Justice", "role": "participant"},
            {"name": "Saint Petersburg University", "role": "counterpart"},
            {"name": "Ministry of Health", "role": "participant"},
        ],
        when="2025-03-10",
    )
    tracker.log_interaction(
        "Briefing",
        with_=[
            {"name": "Ministry of Justice", "role": "observer"},
            {"name": "Ministry of Health", "role": "host"},
        ],
        when="2025-03-12",
    )
    report = tracker.activity_report(*PERIOD)
    # Among the academics a counterpart leads a participant logged before it; among the
    # authorities, of two participants the first logged leads, and a host leads an observer.
    assert _entries(_section(report, "academics")) == {
        "Saint Petersburg University": ["Round table on detention"]
    }
    assert _entries(_section(report, "authorities")) == {
        "Ministry of Justice": ["Round table on detention"],
        "Ministry of Health": ["Briefing"],
    }
    counts = {row.key: (row.interactions, row.stakeholders) for row in report.facts.by_section}
    assert counts == {"authorities": (2, 2), "academics": (1, 2)}
    assert report.facts.stakeholders == 4
    assert report.monthly.series == {
        _section(report, "authorities").heading: [2],
        _section(report, "academics").heading: [1],
    }


def test_a_section_cut_short_counts_the_interactions_left_out(
    tracker: Tracker, tmp_path: Path
) -> None:
    _people(tracker)
    for day in (3, 4, 5):
        tracker.log_interaction(
            f"Meeting {day}", with_=["Ministry of Justice"], when=f"2025-03-{day:02d}"
        )
    tracker.log_interaction(
        "Joint visit", with_=["Ministry of Health", "Ministry of Justice"], when="2025-03-06"
    )
    tracker.log_interaction("Consultation", with_=["Ministry of Health"], when="2025-03-07")
    config = tmp_path / "sections.yaml"
    config.write_text(
        DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
            "entries_per_section: 40", "entries_per_section: 1"
        ),
        encoding="utf-8",
    )
    report = tracker.activity_report(*PERIOD, sections=config)
    authorities = _section(report, "authorities")
    # The joint visit is under its first-logged stakeholder, the Ministry of Health: the
    # Ministry of Justice leads with three, and the Ministry of Health's two are left out.
    assert list(_entries(authorities)) == ["Ministry of Justice"]
    assert authorities.interactions == 5
    assert authorities.paragraphs == [phrasing.more_entries_sentence(1, 2)]
