"""The briefing pack on the sample data (both engines): content, the confidentiality cap,
a brief for a meeting, extra sections, escaping, formats and the command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from engagement.brief import sections
from engagement.brief.model import BriefSection
from engagement.brief.sections import BriefContext
from engagement.errors import ReportRendererMissing, ValidationFailed
from engagement.tracker import Tracker
from tests.test_cli import run, run_json

RRC_2025 = (
    "Emergency stocks for four Russian Red Cross branches",
    "First-aid trainings by the Russian Red Cross Belgorod branch",
    "Joint work with the RRC Restoring Family Links team on missing civilians",
    "Legal expertise on the draft law on the Russian Red Cross and emblem regulations",
)


def _titles(brief: object) -> list[str]:
    return [line.title for group in brief.timeline for line in group.lines]  # type: ignore[attr-defined]


def test_the_russian_red_cross_brief(sample: Tracker) -> None:
    brief = sample.brief("Russian Red Cross")
    assert brief.confidentiality_max.value == "internal"
    assert {
        "Russian Red Cross Belgorod Regional Branch",
        "Russian Red Cross Kursk Regional Branch",
        "Russian Red Cross Rostov Regional Branch",
        "Russian Red Cross Voronezh Regional Branch",
    } <= set(brief.branches)
    assert "President of the Russian Red Cross" not in brief.branches
    assert [(t.post, t.person) for t in brief.posts] == [
        ("President of the Russian Red Cross", "Pavel Savchuk")
    ]
    savchuk = brief.counterparts[0]
    assert (savchuk.name, savchuk.position, savchuk.meetings) == (
        "Pavel Savchuk",
        "President of the Russian Red Cross",
        1,
    )
    assert savchuk.last_met == "30 Jun – 8 Jul 2025"
    for title in RRC_2025:
        assert title in _titles(brief), title
    assert [group.label for group in brief.timeline] == ["June 2025", "May 2025"]
    assert brief.first_contact == "May – August 2025"
    assert brief.frequency.startswith(f"{brief.recent_count} interactions in the last 24 months")
    assert ("rfl", 2) in [(topic.tag, topic.count) for topic in brief.topics]
    assert any("draft RRC law" in item.text for item in brief.follow_ups)
    assert {item.relation for item in brief.related} == {"branch"}
    text = sample.render_brief(brief, "md")
    assert isinstance(text, str)
    assert text.index("**Confidentiality: up to internal.**") < text.index("## Who they are")
    for expected in ("Pavel Savchuk", "Branches:", "Emergency stocks", "## Open follow-ups"):
        assert expected in text


def test_the_cap_leaves_out_what_is_above_it_everywhere(sample: Tracker) -> None:
    secret = sample.log_interaction(
        "Secret talks on the *draft* law",
        with_=["Pavel Savchuk"],
        when="2025-08-20",
        confidentiality="confidential",
        tags=["secret-topic"],
        follow_ups=[{"text": "Secret follow-up"}],
    )
    capped = sample.brief("Russian Red Cross")
    assert secret.title not in _titles(capped)
    assert capped.withheld == 1
    assert "secret-topic" not in [topic.tag for topic in capped.topics]
    assert "Secret follow-up" not in [item.text for item in capped.follow_ups]
    assert capped.counterparts[0].last_met == "30 Jun – 8 Jul 2025"
    markdown = sample.render_brief(capped, "md")
    assert "Secret" not in markdown and "1 interaction above this level is left out" in markdown
    opened = sample.brief("Russian Red Cross", confidentiality_max="confidential")
    assert secret.title in _titles(opened) and opened.withheld == 0
    assert opened.counterparts[0].last_met == "20 Aug 2025"
    assert r"Secret talks on the \*draft\* law" in str(sample.render_brief(opened, "md"))
    html = sample.render_brief(opened, "html")
    assert isinstance(html, str) and 'data-cap="confidential"' in html
    with pytest.raises(ValidationFailed, match="above the cap"):
        sample.brief("Russian Red Cross", for_meeting=secret.id)


def test_a_brief_for_an_upcoming_meeting(sample: Tracker) -> None:
    sample.load_sample(with_examples=True)
    meeting = sample.history("Russian Red Cross", start=sample.today())[0]
    brief = sample.brief_for_meeting(meeting.id)
    assert brief.stakeholder == "Russian Red Cross"
    assert brief.for_meeting is not None and brief.for_meeting.id == meeting.id
    assert meeting.id not in [line.id for line in brief.upcoming]
    assert "For the meeting:" in str(sample.render_brief(brief, "md"))


def test_a_section_is_one_function(sample: Tracker) -> None:
    def counted(_session: object, context: BriefContext) -> BriefSection:
        return BriefSection(
            key="counted",
            title="In scope",
            items=[f"{len(context.interaction_ids)} interactions in scope"],
        )

    sections.section(counted)  # type: ignore[arg-type]
    try:
        brief = sample.brief("Russian Red Cross")
    finally:
        sections.unregister(counted)  # type: ignore[arg-type]
    assert [section.title for section in brief.sections] == ["Open commitments", "In scope"]
    assert "## In scope" in str(sample.render_brief(brief, "md"))
    assert [s.key for s in sample.brief("Russian Red Cross").sections] == ["commitments"]


def _commitments(brief: object) -> dict[str, list[str]]:
    (section,) = [s for s in brief.sections if s.key == "commitments"]  # type: ignore[attr-defined]
    return {group.title: [entry.text for entry in group.entries] for group in section.groups}


def test_open_commitments_both_ways_under_the_cap(sample: Tracker) -> None:
    brief = sample.brief("Russian Red Cross")
    owed = _commitments(brief)
    assert owed["We owe them"] == [
        "Comment on the Government regulations on the use of the Red Cross emblem"
    ]
    assert owed["They owe us"] == [
        "Reply on the family-reunification request passed on by the ICRC"
    ]
    texts = [text for group in owed.values() for text in group]
    assert not any("legal analysis" in text for text in texts)  # kept: not open
    (section,) = brief.sections
    entry = section.groups[1].entries[0]
    assert (entry.due.isoformat(), entry.owner, entry.overdue) == (  # type: ignore[union-attr]
        "2025-09-15",
        "RFL coordinator",
        False,
    )
    secret = sample.add_commitment(
        "Hand over the confidential list",
        owed_by="us",
        stakeholders=["Russian Red Cross Kursk Regional Branch"],
        due="2025-08-01",
        confidentiality="confidential",
    )
    late = sample.add_commitment(
        "Send the training kit to the Belgorod branch",
        owed_by="us",
        stakeholders=["Russian Red Cross Belgorod Regional Branch"],
        owner="Logistics",
        due="2025-08-20",
    )
    capped = sample.brief("Russian Red Cross")
    owed = _commitments(capped)
    assert owed["We owe them"][0] == late.text  # overdue first
    assert secret.text not in owed["We owe them"]
    (section,) = capped.sections
    first = section.groups[0].entries[0]
    assert first.overdue and first.concerns == ["Russian Red Cross Belgorod Regional Branch"]
    assert section.note == "1 open commitment above this level is left out."
    markdown = str(sample.render_brief(capped, "md"))
    assert "## Open commitments" in markdown and "### They owe us" in markdown
    assert f"- **Overdue:** {late.text} (Russian Red Cross Belgorod Regional Branch)" in markdown
    assert "— due 2025-09-15 — RFL coordinator" in markdown
    assert secret.text not in markdown and "1 open commitment above this level" in markdown
    assert "Nothing above this level was left out." not in markdown
    assert "1 open commitment above this level is left out of every section." in markdown
    html = str(sample.render_brief(capped, "html"))
    assert '<section id="commitments">' in html and "<h3>We owe them</h3>" in html
    assert '<li class="overdue"><strong>Overdue:</strong> Send the training kit' in html
    assert secret.text not in html
    opened = sample.brief("Russian Red Cross", confidentiality_max="confidential")
    assert secret.text in _commitments(opened)["We owe them"]


def test_a_commitment_from_a_withheld_meeting_does_not_name_it(sample: Tracker) -> None:
    secret = sample.log_interaction(
        "Secret talks with the RRC",
        with_=["Russian Red Cross"],
        when="2025-08-20",
        confidentiality="confidential",
    )
    sample.add_commitment(
        "Share the agreed public line",
        owed_by="us",
        interaction_id=secret.id,
        confidentiality="internal",
    )
    (section,) = sample.brief("Russian Red Cross").sections
    (entry,) = [e for e in section.groups[0].entries if e.text == "Share the agreed public line"]
    assert entry.source == ""
    assert secret.title not in str(sample.render_brief(sample.brief("Russian Red Cross"), "md"))


def test_meeting_metadata_in_the_timeline_and_the_meeting(sample: Tracker) -> None:
    visit = "First visit to Moscow of the ICRC Director of Operations"
    brief = sample.brief("Russian Red Cross")
    (line,) = [line for g in brief.timeline for line in g.lines if line.title == visit]
    assert line.how == "in English and Russian, with an interpreter"
    assert "President of the Russian Red Cross" not in line.others  # told through its holder
    assert "Pavel Savchuk" in line.others
    bizone = sample.brief("BI.ZONE")
    assert "on the sidelines of SPIEF 2025" in str(sample.render_brief(bizone, "md"))
    meeting = sample.brief("Russian Red Cross", for_meeting=line.id)
    assert meeting.for_meeting is not None
    assert meeting.for_meeting.their_delegation == ["Tatiana Moskalkova", "Pavel Savchuk"]
    markdown = str(sample.render_brief(meeting, "md"))
    assert "- **Their delegation:** Tatiana Moskalkova, Pavel Savchuk" in markdown
    assert "**Our delegation:**" in markdown
    assert "<strong>Their delegation:</strong>" in str(sample.render_brief(meeting, "html"))


def test_off_record_notes_never_appear_in_a_brief(sample: Tracker) -> None:
    sample.log_interaction(
        "Quiet word with the RRC",
        with_=["Russian Red Cross"],
        when="2025-08-21",
        summary="UNSAYABLE-NOTE",
        outcome="UNSAYABLE-OUTCOME",
        attribution="off_record",
    )
    brief = sample.brief("Russian Red Cross")
    (line,) = [line for g in brief.timeline for line in g.lines if line.title.startswith("Quiet")]
    assert line.how == "notes off the record"
    for fmt in ("md", "html"):
        text = str(sample.render_brief(brief, fmt))
        assert "UNSAYABLE" not in text and "notes off the record" in text
    assert "UNSAYABLE" not in brief.model_dump_json()


def test_a_person_and_a_post_have_briefs(sample: Tracker) -> None:
    person = sample.brief("Tatiana Moskalkova")
    assert [t.post for t in person.posts] == [
        "High Commissioner for Human Rights in the Russian Federation"
    ]
    assert "Posts held" in str(sample.render_brief(person, "md"))
    post = sample.brief("Chairman of the Russian Council of Muftis")
    assert [t.person for t in post.posts] == ["Ravil Gainutdin"]


def test_pdf_needs_weasyprint(sample: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = sample.brief("Russian Red Cross")
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(ReportRendererMissing, match="engagement\\[pdf\\]"):
        sample.render_brief(brief, "pdf")


def test_the_pdf_is_rendered_when_weasyprint_is_installed(sample: Tracker) -> None:
    pytest.importorskip("weasyprint")
    data = sample.render_brief(sample.brief("Russian Red Cross"), "pdf")
    assert isinstance(data, bytes) and data.startswith(b"%PDF")


def test_the_brief_command(sample_url: str, tmp_path: Path) -> None:
    printed = run(sample_url, "brief", "RRC")
    assert printed.exit_code == 0
    assert printed.output.startswith("# Brief: Russian Red Cross")
    target = tmp_path / "rrc.html"
    written = run(sample_url, "brief", "RRC", "--format", "html", "--output", str(target))
    assert written.exit_code == 0
    assert "Pavel Savchuk" in target.read_text(encoding="utf-8")
    assert target.stat().st_mode & 0o777 == 0o600
    data = run_json(sample_url, "brief", "RRC", "--confidentiality-max", "public")
    assert data["confidentiality_max"] == "public" and data["withheld"] > 0
    refused = run(sample_url, "brief", "RRC", "--format", "pdf")
    assert refused.exit_code != 0 and "add --output" in refused.output
    missing = run(sample_url, "brief", "Nobody At All")
    assert missing.exit_code == 1 and missing.output.startswith("error: ")


def test_saving_a_brief_is_private_and_named_after_the_stakeholder(
    sample: Tracker, tmp_path: Path
) -> None:
    path = sample.save_brief(sample.brief("Russian Red Cross"), tmp_path / "briefs")
    assert path.name == "brief-Russian_Red_Cross-2025-09-01.md"
    assert path.stat().st_mode & 0o777 == 0o600


def test_commitment_text_is_shown_as_typed(sample: Tracker) -> None:
    sample.add_commitment("*urgent* <b>reply</b>", owed_by="them", stakeholders=["RRC"])
    brief = sample.brief("Russian Red Cross")
    assert r"\*urgent\* \<b\>reply\</b\>" in str(sample.render_brief(brief, "md"))
    html = str(sample.render_brief(brief, "html"))
    assert "*urgent* &lt;b&gt;reply&lt;/b&gt;" in html and "<b>reply" not in html
