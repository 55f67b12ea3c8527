"""How the report words dates, names and sentences, and how its sections file is checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from engagement.dates import parse_period
from engagement.errors import ReportConfigInvalid
from engagement.report import phrasing
from engagement.report.categories import DEFAULT_CONFIG, load_config
from engagement.vocab import InteractionKind, StakeholderKind


@pytest.mark.parametrize(
    ("when", "until", "year", "phrase"),
    [
        ("2025-05-16", None, 2025, "On May 16"),
        ("2025-06-10", "2025-06-11", 2025, "On June 10 and 11"),
        ("2025-06-11", "2025-06-16", 2025, "From June 11 to 16"),
        ("2025-06-30", "2025-07-08", 2025, "From June 30 to July 8"),
        ("2025-08-21", "2025-09-03", 2025, "From August 21 to September 3"),
        ("2025-06", None, 2025, "In June"),
        ("2025-05", "2025-08", 2025, "From May to August"),
        ("2025-05", "2025-08", None, "From May to August 2025"),
        ("2025-11", "2026-02", None, "From November 2025 to February 2026"),
        ("2024-06", None, 2025, "In June 2024"),
        ("2024-05-16", None, 2025, "On May 16, 2024"),
        ("2024-06-10", "2024-06-11", 2025, "On June 10 and 11, 2024"),
        ("2025-12-30", "2026-01-02", None, "From December 30, 2025 to January 2, 2026"),
        ("2025-07-01 10:00 Europe/Moscow", "2025-07-01 11:30", 2025, "On July 1"),
        ("2025-07-01 22:00 Europe/Moscow", "2025-07-03 09:00", 2025, "From July 1 to 3"),
    ],
)
def test_date_phrases_follow_the_precision(
    when: str, until: str | None, year: int | None, phrase: str
) -> None:
    assert phrasing.date_phrase(parse_period(when, until), year=year) == phrase


def test_the_report_period_heading() -> None:
    assert phrasing.period_heading(date(2025, 5, 1), date(2025, 8, 31)) == "From May to August 2025"
    assert phrasing.period_heading(date(2025, 6, 1), date(2025, 6, 30)) == "In June 2025"
    assert phrasing.period_heading(date(2025, 6, 3), date(2025, 6, 20)) == "From June 3 to 20, 2025"
    assert phrasing.period_heading(date(2025, 6, 3), date(2025, 6, 3)) == "On June 3, 2025"
    assert phrasing.report_year(date(2025, 1, 1), date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("name", "kind", "shown"),
    [
        ("Ministry of Defence of the Russian Federation", StakeholderKind.MINISTRY, "the "),
        ("Federation Council", StakeholderKind.PARLIAMENT, "the "),
        ("State Duma", StakeholderKind.PARLIAMENT, "the "),
        ("Trialogue Club", StakeholderKind.THINK_TANK, "the "),
        ("Russian Red Cross", StakeholderKind.NATIONAL_SOCIETY, "the "),
        ("Tatiana Moskalkova", StakeholderKind.PERSON, ""),
        ("MGIMO University", StakeholderKind.ACADEMIA, ""),
        ("BI.ZONE", StakeholderKind.PRIVATE_SECTOR, ""),
        ("The Hague Academy", StakeholderKind.ACADEMIA, ""),
    ],
)
def test_articles(name: str, kind: StakeholderKind, shown: str) -> None:
    assert phrasing.with_article(name, kind) == f"{shown}{name}"


def test_short_names_come_from_aliases() -> None:
    aliases = ["MoD", "Russian MoD", "Ministry of Defence", "Ministry of Defense of the RF"]
    name = "Ministry of Defence of the Russian Federation"
    assert phrasing.short_name(name, aliases) == "Ministry of Defence"
    assert phrasing.short_name("Federation Council", ["Council of Federation"]) == (
        "Federation Council"
    )


def test_sentences() -> None:
    config = load_config()
    hosted = phrasing.interaction_sentence(
        config,
        when="On May 13",
        kind=InteractionKind.MEETING,
        title="CSTO Working Group on Afghanistan",
        hosts=["the Collective Security Treaty Organisation"],
        others=[],
        location="",
        first_time=[],
    )
    assert hosted == (
        "On May 13, the delegation took part in the meeting “CSTO Working Group on "
        "Afghanistan”, organised by the Collective Security Treaty Organisation."
    )
    partly_new = phrasing.interaction_sentence(
        config,
        when="In June",
        kind=InteractionKind.CALL,
        title="Check-in",
        hosts=[],
        others=["the Federation Council", "the State Duma"],
        location="Moscow",
        first_time=["the State Duma"],
    )
    assert partly_new == (
        "In June, the delegation spoke with the Federation Council and the State Duma in the "
        "call “Check-in”, in Moscow. The State Duma was engaged for the first time."
    )
    assert phrasing.recurring_sentence(
        config,
        kind=InteractionKind.MEETING,
        frequency="WEEKLY",
        names=["the Belarus Red Cross"],
        began="On June 3",
    ) == ("Weekly meetings with the Belarus Red Cross began on June 3.")
    assert phrasing.confidential_sentence("the MFA", regular=False, bilateral=True) == (
        "A confidential bilateral dialogue with the MFA took place in this period."
    )


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "sections.yaml"
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("kinds: [national_society]", "kinds: [red_cross]", "sections.0.kinds.0"),
        ("type: countries", "type: commitments", "type 'commitments' is not one of"),
        ("key: others", "key: authorities", "section keys must be unique"),
        ("{count} countries", "{number} countries", "uses {number}"),
        ("  other:          {noun", "  othr:           {noun", "kinds.othr"),
        ("subject: the delegation", "subject: [the", "not valid YAML"),
    ],
)
def test_a_broken_sections_file_is_refused_with_its_name(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(ReportConfigInvalid) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"report sections file {path}: ")
    assert problem in str(caught.value)
    with pytest.raises(ReportConfigInvalid, match="No such file"):
        load_config(tmp_path / "missing.yaml")


def test_tags_come_before_kinds_and_the_fallback_catches_the_rest() -> None:
    config = load_config()
    forensic = config.section_for(StakeholderKind.ACADEMIA, ["academia", "forensics"])
    assert forensic is not None and forensic.heading == "Forensic expertise"
    academic = config.section_for(StakeholderKind.ACADEMIA, ["academia"])
    assert academic is not None and academic.key == "academics"
    other = config.section_for(StakeholderKind.MEDIA, [])
    assert other is not None and other.fallback
