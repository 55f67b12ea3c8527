"""What the confidentiality cap lets into the report, and how the report reads the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event

from engagement.errors import InvalidInput, ValidationFailed
from engagement.report import build
from engagement.tracker import Tracker
from engagement.vocab import Confidentiality

MAY, AUGUST = date(2025, 5, 1), date(2025, 8, 31)
CONFIDENTIAL_SECRETS = (
    "Operation Nightingale",
    "BLUEBIRD",
    "Safe house 7",
    "Ministry of Silence",
    "Chile",
)
STRICT_SECRETS = ("Project Edelweiss", "EDELWEISS-KEY", "Ivan Hiddenov", "Vault 9")


@pytest.fixture
def guarded(sample: Tracker) -> Tracker:
    """The sample with a confidential interaction (MFA, a body and an embassy seen nowhere
    else) and a strictly confidential one (with a person seen nowhere else)."""
    sample.add_stakeholder("Ministry of Silence", kind="ministry", country="RU")
    sample.add_stakeholder("Embassy of Chile in Moscow", kind="embassy", country="CL")
    sample.add_stakeholder("Ivan Hiddenov", kind="person", country="RU")
    sample.log_interaction(
        "Operation Nightingale",
        with_=[
            {
                "name": "Ministry of Foreign Affairs of the Russian Federation",
                "role": "counterpart",
            },
            {"name": "Ministry of Silence", "role": "participant"},
            {"name": "Embassy of Chile in Moscow", "role": "participant"},
        ],
        when="2025-07-14",
        kind="meeting",
        location="Safe house 7",
        summary="Codeword BLUEBIRD.",
        confidentiality="confidential",
    )
    sample.log_interaction(
        "Project Edelweiss",
        with_=["Embassy of Switzerland in Moscow", "Ivan Hiddenov"],
        when="2025-06-03",
        kind="call",
        location="Vault 9",
        summary="Key EDELWEISS-KEY.",
        confidentiality="strictly_confidential",
    )
    return sample


def everything(tracker: Tracker, cap: str) -> str:
    """The report in every text form at once, model included."""
    report = tracker.activity_report(MAY, AUGUST, confidentiality_max=cap, summaries=True)
    markdown = tracker.render_report(report, "md")
    html = tracker.render_report(report, "html")
    assert isinstance(markdown, str) and isinstance(html, str)
    return "\n".join([report.model_dump_json(), markdown, html])


def test_by_default_confidential_is_summarised_and_strictly_confidential_left_out(
    guarded: Tracker,
) -> None:
    text = everything(guarded, "internal")
    for secret in CONFIDENTIAL_SECRETS + STRICT_SECRETS:
        assert secret not in text
    report = guarded.activity_report(MAY, AUGUST)
    assert report.confidentiality_max is Confidentiality.INTERNAL
    # Two confidential interactions with the MFA now, one of them with a third party: one line,
    # no longer "bilateral", naming only the MFA.
    authorities = next(s for s in report.sections if s.key == "authorities")
    mfa = next(
        e for g in authorities.groups for e in g.entries if e.name.startswith("Ministry of F")
    )
    assert mfa.lines[-1].text == (
        "Regular confidential dialogue with the Ministry of Foreign Affairs "
        "continued in this period."
    )
    assert mfa.lines[-1].kind == "confidential"
    assert report.facts.interactions == 42  # 41 + the confidential one; the strict one unseen
    assert report.facts.stakeholders == 63  # the summary's other counterparts are not counted
    assert report.facts.summarised == 2
    # The Swiss embassy is still listed for its own exchanges; nobody new appears for the
    # strictly confidential call.
    corps = next(s for s in report.sections if s.key == "diplomatic-corps")
    assert corps.stakeholders == 22
    assert sum(row.count for row in report.facts.by_kind) == 42
    markdown = guarded.render_report(report, "md")
    assert "> **Confidentiality:** up to *internal*." in str(markdown)


def test_a_confidential_cap_shows_confidential_in_full_but_not_strictly(
    guarded: Tracker,
) -> None:
    text = everything(guarded, "confidential")
    for secret in CONFIDENTIAL_SECRETS:
        assert secret in text
    for secret in STRICT_SECRETS:
        assert secret not in text
    report = guarded.activity_report(MAY, AUGUST, confidentiality_max="confidential")
    assert report.facts.summarised == 0 and report.facts.interactions == 42
    kinds = {
        line.kind for s in report.sections for g in s.groups for e in g.entries for line in e.lines
    }
    assert "confidential" not in kinds
    assert "Regular confidential bilateral dialogue with the Russian MFA" in text


def test_a_public_cap_shows_public_interactions_only(guarded: Tracker) -> None:
    text = everything(guarded, "public")
    for secret in CONFIDENTIAL_SECRETS + STRICT_SECRETS:
        assert secret not in text
    assert "confidential dialogue" not in text.lower()
    assert "Daily open channels" not in text  # the MoD channel is internal
    assert "Response to a large-scale scam" not in text  # internal
    assert "Euro-Asian Law Congress" in text  # public
    report = guarded.activity_report(MAY, AUGUST, confidentiality_max="public")
    assert report.facts.summarised == 0
    assert report.facts.interactions == report.facts.shown_in_full < 41


def test_only_a_strictly_confidential_cap_shows_everything(guarded: Tracker) -> None:
    text = everything(guarded, "strictly_confidential")
    for secret in CONFIDENTIAL_SECRETS + STRICT_SECRETS:
        assert secret in text


def test_a_wrong_cap_or_period_is_refused(sample: Tracker) -> None:
    with pytest.raises(ValidationFailed, match="is not a level"):
        sample.activity_report(MAY, AUGUST, confidentiality_max="secret")
    with pytest.raises(ValidationFailed, match="before from"):
        sample.activity_report(AUGUST, MAY)
    with pytest.raises(ValidationFailed, match="ten years"):
        sample.activity_report(date(2000, 1, 1), date(2025, 1, 1))
    with pytest.raises(ValidationFailed, match="not a report format"):
        sample.render_report(sample.activity_report(MAY, AUGUST), "docx")


# --- reading the database ------------------------------------------------------------------


@contextmanager
def counted(tracker: Tracker) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    engine = tracker.db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_number_of_queries_does_not_grow_with_the_log(sample: Tracker) -> None:
    with counted(sample) as before:
        sample.activity_report(MAY, AUGUST)
    for n in range(40):
        name = f"Think tank number {n}"
        sample.add_stakeholder(name, kind="think_tank", country="RU")
        sample.log_interaction(
            f"Round table {n}",
            with_=[name, "Russian Red Cross", "Embassy of India in Moscow"],
            when=f"2025-07-{n % 28 + 1:02d}",
            kind="event",
        )
    with counted(sample) as after:
        report = sample.activity_report(MAY, AUGUST)
    assert report.facts.interactions == 81
    assert len(after) == len(before), "queries grew with the number of interactions"
    # The period is read once, bounded by its dates; full interactions only for printed lines.
    period_reads = [
        s for s in after if "FROM interactions" in s and "start_on <=" in s and "last_on" in s
    ]
    assert period_reads


def test_lines_beyond_the_limits_are_counted_not_printed(sample: Tracker) -> None:
    from engagement.report.categories import load_config

    config = load_config()
    tight = config.model_copy(
        update={"limits": config.limits.model_copy(update={"lines_per_entry": 2})}
    )
    report = sample.db.read(
        lambda s: build.activity_report(
            s,
            start=MAY,
            end=AUGUST,
            cap=Confidentiality.INTERNAL,
            title=None,
            config=tight,
            today=date(2025, 9, 1),
        )
    )
    red_cross = report.sections[0].groups[0].entries[0]
    assert red_cross.name == "Russian Red Cross"
    assert [line.kind for line in red_cross.lines] == ["interaction", "interaction", "more"]
    assert red_cross.lines[-1].text == (
        "…and 6 more interactions in this period "
        "(2 operations, 1 activity, 1 submission, 1 training and 1 visit)."
    )


def test_the_stakeholder_map_sorts_scored_stakeholders_into_quadrants(sample: Tracker) -> None:
    for quadrant in sample.stakeholder_map().quadrants:  # the sample's own scores, cleared
        for item in quadrant.stakeholders:
            sample.update_stakeholder(f"#{item.id}", influence=None, interest=None)
    assert all(not q.stakeholders for q in sample.stakeholder_map().quadrants)
    for name, influence, interest in [
        ("Russian Red Cross", 5, 5),
        ("Federation Council", 4, 2),
        ("BI.ZONE", 2, 4),
        ("Trialogue Club", 1, 1),
        ("Ivan Nobody", 3, 3),
    ]:
        if name == "Ivan Nobody":
            sample.add_stakeholder(name, kind="person", influence=influence, interest=interest)
        else:
            sample.update_stakeholder(name, influence=influence, interest=interest)
    grid = sample.stakeholder_map()
    names = {q.key: [item.name for item in q.stakeholders] for q in grid.quadrants}
    assert names == {
        "manage-closely": ["Russian Red Cross", "Ivan Nobody"],
        "keep-satisfied": ["Federation Council"],
        "keep-informed": ["BI.ZONE"],
        "monitor": ["Trialogue Club"],
    }
    assert [q.name for q in grid.quadrants] == [
        "Manage closely",
        "Keep satisfied",
        "Keep informed",
        "Monitor",
    ]
    assert grid.quadrant("manage-closely").stakeholders[0].engaged is None
    in_report = sample.activity_report(MAY, AUGUST).stakeholder_map
    engaged = {i.name: i.engaged for q in in_report.quadrants for i in q.stakeholders}
    assert engaged["Russian Red Cross"] is True and engaged["Ivan Nobody"] is False
    with pytest.raises(InvalidInput):
        sample.update_stakeholder("BI.ZONE", influence=6)
