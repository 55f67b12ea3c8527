"""Issue #9, "Done when", end to end on the sample data and on both engines.

Each feature of the issue (posts, the commitments ledger, meeting metadata, the briefing pack)
is exercised from the command line (click's CliRunner, the wall clock) and through the
``Tracker`` API (the fixed clock of the tests), and the stakeholder detail and the brief are
checked in the TUI. Migrations that keep existing data are covered revision by revision in
tests/test_migration_suite.py (``test_rows_seeded_at_each_revision_survive_the_upgrade``,
``test_0006_keeps_links_and_adds_posts_to_existing_data``); the docs pages by tests/test_docs.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import icalendar
from textual.widgets import OptionList

from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_cli import run, run_json
from tests.test_tui_support import screen_text, settle, tui
from tui.screens.brief import BriefScreen
from tui.screens.dashboard import DashboardScreen
from tui.widgets.table import TableLines

RRC = "Russian Red Cross"
RRC_2025 = (
    "Emergency stocks for four Russian Red Cross branches",
    "First-aid trainings by the Russian Red Cross Belgorod branch",
    "Joint work with the RRC Restoring Family Links team on missing civilians",
    "Legal expertise on the draft law on the Russian Red Cross and emblem regulations",
)
BRANCHES = (
    "Russian Red Cross Belgorod Regional Branch",
    "Russian Red Cross Kursk Regional Branch",
    "Russian Red Cross Rostov Regional Branch",
    "Russian Red Cross Voronezh Regional Branch",
)
REPLY = "Reply on the family-reunification request passed on by the ICRC"
EMBLEM = "Comment on the Government regulations on the use of the Red Cross emblem"
KEPT = "Send the ICRC legal analysis of the draft law on the Russian Red Cross"
SECRET = "Hand over the confidential casualty list"


def ok(url: str, *args: str) -> str:
    result = run(url, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


# --- posts ---------------------------------------------------------------------------------


def test_posts_from_the_cli(sample_url: str) -> None:
    ok(sample_url, "stakeholder", "add", "Fahad Alpha", "--kind", "person")
    ok(sample_url, "stakeholder", "add", "Jassim Beta", "--kind", "person")
    ok(
        sample_url, "post", "add", "Ambassador of Qatar to the Russian Federation",
        "--org", "Embassy of Qatar in Moscow", "--alias", "Qatari Ambassador",
    )  # fmt: skip
    ok(sample_url, "post", "assign", "Qatari Ambassador", "Fahad Alpha",
       "--from", "2019-03", "--to", "31 January 2025")  # fmt: skip
    ok(sample_url, "post", "assign", "Qatari Ambassador", "Jassim Beta", "--from", "2025-02-15")
    old = int(ok(sample_url, "log", "Farewell call", "--with", "Qatari Ambassador",
                 "--when", "2025-01-10"))  # fmt: skip
    new = int(ok(sample_url, "log", "Courtesy call on the new Ambassador",
                 "--with", "Qatari Ambassador", "--when", "2025-03-04"))  # fmt: skip
    shown = run_json(sample_url, "post", "show", "Qatari Ambassador")
    terms = {term["tenure"]["person"]: term for term in shown["terms"]}
    assert [i["id"] for i in terms["Jassim Beta"]["interactions"]] == [new]
    assert [i["id"] for i in terms["Fahad Alpha"]["interactions"]] == [old]
    # the post's history spans its holders; each person's only their own tenure
    assert [i["id"] for i in run_json(sample_url, "history", "Qatari Ambassador")] == [new, old]
    assert [i["id"] for i in run_json(sample_url, "history", "Fahad Alpha")] == [old]
    assert [i["id"] for i in run_json(sample_url, "history", "Jassim Beta")] == [new]
    table = ok(sample_url, "post", "show", "Qatari Ambassador")
    assert "Jassim Beta (15 Feb 2025 – present)" in table and "Fahad Alpha" in table


def test_posts_through_the_tracker(sample: Tracker) -> None:
    post = sample.show_post("President of the Russian Red Cross")
    assert [term.tenure.person for term in post.terms if term.tenure] == ["Pavel Savchuk"]
    profile = sample.stakeholder_profile(RRC)
    assert "President of the Russian Red Cross" in profile.posts
    assert "President of the Russian Red Cross" not in profile.children


# --- commitments ---------------------------------------------------------------------------


def test_commitments_from_the_cli(sample_url: str, tmp_path: Path) -> None:
    listed = run_json(sample_url, "commitments", "--stakeholder", RRC)
    assert [item["text"] for item in listed] == [REPLY, EMBLEM]  # due 15 Sep, then 15 Dec
    assert KEPT not in [item["text"] for item in listed]
    assert KEPT in [item["text"] for item in run_json(sample_url, "commitments", "--all")]
    theirs = run_json(sample_url, "commitments", "--owed-by", "them")
    assert {item["owed_by"] for item in theirs} == {"them"} and REPLY in [
        item["text"] for item in theirs
    ]
    overdue = run_json(sample_url, "commitments", "--overdue")
    assert overdue and all(item["overdue"] for item in overdue)
    assert all(date.fromisoformat(item["due"]) < date.today() for item in overdue)
    added = int(
        ok(sample_url, "commitment", "add", "Send the first-aid kits", "--owed-by", "us",
           "--stakeholder", "RRC", "--owner", "Logistics", "--due", "2030-06-01")
    )  # fmt: skip
    mine = run_json(sample_url, "commitments", "--owed-by", "us", "--stakeholder", RRC)
    assert [item["id"] for item in mine][-1] == added
    assert "done" in ok(sample_url, "commitment", "done", str(added))
    assert added not in [i["id"] for i in run_json(sample_url, "commitments")]
    # calendars: a task due on the day with a reminder the day before
    target = tmp_path / "rrc.ics"
    ok(sample_url, "export", "ics", "--from", "2025-01-01", "--include-follow-ups", str(target))
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    todos = [t for t in calendar.walk("VTODO") if "X-ENGAGEMENT-COMMITMENT" in t]
    (reply,) = [t for t in todos if REPLY in str(t["SUMMARY"])]
    assert reply["DUE"].dt == date(2025, 9, 15)
    (alarm,) = reply.walk("VALARM")
    assert str(alarm["TRIGGER"].to_ical(), "ascii") == "-P1D"
    # the activity report's commitments part: made, kept, overdue
    report = ok(sample_url, "report", "--from", "2025-05", "--to", "2025-08")
    part = report[report.index("## Commitments") :]
    assert "### Made in the period" in part and "### Kept" in part and "### Overdue" in part
    assert "send the ICRC legal analysis" in part


def test_commitments_through_the_tracker(sample: Tracker) -> None:
    ours = sample.commitments(owed_by="us", stakeholder=RRC)
    assert [item.text for item in ours] == [EMBLEM]
    theirs = sample.commitments(owed_by="them", stakeholder=RRC)
    assert [(item.text, item.owner, item.due) for item in theirs] == [
        (REPLY, "RFL coordinator", date(2025, 9, 15))
    ]
    overdue = sample.commitments(overdue=True)  # the fixed clock: 1 September 2025
    assert [item.text[:40] for item in overdue] == ["Reply on the lists of prisoners of war a"]
    kept = sample.set_commitment_status(theirs[0].id, "done")
    assert kept.status.value == "done" and kept.closed_on == date(2025, 9, 1)
    assert sample.commitments(owed_by="them", stakeholder=RRC) == []


# --- meeting metadata ----------------------------------------------------------------------


def test_meeting_metadata_filters_from_the_cli(sample_url: str) -> None:
    hits = run_json(sample_url, "search", "--format", "multilateral")
    assert {hit["title"] for hit in hits} == {
        "Martens Readings: regional IHL conference",
        "CSTO Working Group on Afghanistan",
    }
    spief = run_json(sample_url, "search", "--sidelines-of", "SPIEF 2025")
    assert len(spief) == 2 and all(hit["sidelines_of"] == "SPIEF 2025" for hit in spief)
    assert [i["title"] for i in run_json(sample_url, "history", "BI.ZONE",
                                          "--sidelines-of", "SPIEF 2025")] == [
        "SPIEF: meeting with BI.ZONE and sessions on AI"
    ]  # fmt: skip
    assert run_json(sample_url, "history", "BI.ZONE", "--format", "multilateral") == []
    assert [i["title"] for i in run_json(sample_url, "history", RRC, "--format", "visit")] == [
        "First visit to Moscow of the ICRC Director of Operations"
    ]
    by_format = {row["group"]: row["interactions"] for row in
                 run_json(sample_url, "stats", "--by", "format")}  # fmt: skip
    assert by_format["multilateral"] == 2 and by_format["sidelines"] == 3
    only = run_json(sample_url, "stats", "--by", "kind", "--sidelines-of", "SPIEF 2025")
    assert sum(row["interactions"] for row in only) == 2
    refused = run(sample_url, "search", "--format", "roundtable")
    assert refused.exit_code != 0


def test_meeting_metadata_through_the_tracker(sample: Tracker) -> None:
    (visit,) = sample.history(RRC, meeting_format="visit")
    assert visit.languages == ["English", "Russian"] and visit.interpreter
    assert visit.their_delegation == ["Tatiana Moskalkova", "Pavel Savchuk"]
    assert len(sample.history("BI.ZONE", sidelines_of="spief")) == 1


# --- the briefing pack ---------------------------------------------------------------------


def _has_the_rrc_essentials(text: str) -> None:
    for expected in (*BRANCHES, "Pavel Savchuk", *RRC_2025, "Open commitments", REPLY, EMBLEM):
        assert expected in text, expected
    assert KEPT not in text  # kept: not open
    assert SECRET not in text  # confidential, above the default cap


def test_the_rrc_brief_from_the_cli(sample_url: str, tmp_path: Path) -> None:
    ok(sample_url, "commitment", "add", SECRET, "--owed-by", "us", "--stakeholder", RRC,
       "--confidentiality", "confidential")  # fmt: skip
    markdown = ok(sample_url, "brief", RRC)
    _has_the_rrc_essentials(markdown)
    assert "**Confidentiality: up to internal.**" in markdown
    assert "- **Pavel Savchuk**, President of the Russian Red Cross" in markdown
    ours = markdown.index("### We owe them")
    theirs = markdown.index("### They owe us")
    assert ours < markdown.index(EMBLEM) < theirs < markdown.index(REPLY)
    assert "1 open commitment above this level is left out." in markdown
    target = tmp_path / "rrc.html"
    ok(sample_url, "brief", "RRC", "--format", "html", "--output", str(target))
    html = target.read_text(encoding="utf-8")
    _has_the_rrc_essentials(html)
    assert '<section id="commitments">' in html
    opened = ok(sample_url, "brief", RRC, "--confidentiality-max", "confidential")
    assert SECRET in opened
    visit = run_json(sample_url, "history", RRC, "--format", "visit")[0]["id"]
    meeting = ok(sample_url, "brief", RRC, "--for-meeting", str(visit))
    assert "- **Their delegation:** Tatiana Moskalkova, Pavel Savchuk" in meeting
    assert "(visit; in English and Russian, with an interpreter)" in meeting


def test_the_rrc_brief_through_the_tracker(sample: Tracker) -> None:
    sample.add_commitment(SECRET, owed_by="us", stakeholders=[RRC], confidentiality="confidential")
    brief = sample.brief(RRC)
    assert set(BRANCHES) <= set(brief.branches)
    assert brief.counterparts[0].name == "Pavel Savchuk"
    titles = [line.title for group in brief.timeline for line in group.lines]
    assert set(RRC_2025) <= set(titles)
    (owed,) = brief.sections
    assert [[e.text for e in g.entries] for g in owed.groups] == [[EMBLEM], [REPLY]]
    for fmt in ("md", "html"):
        _has_the_rrc_essentials(str(sample.render_brief(brief, fmt)))


# --- the TUI -------------------------------------------------------------------------------


async def test_the_tui_shows_commitments_posts_and_the_brief(
    sample_url: str, tmp_path: Path
) -> None:
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        panel = app.screen.query_one("#commitments", TableLines)
        assert panel.keys, "the dashboard lists open commitments"
        assert "Reply on the lists of prisoners of war" in screen_text(app)  # overdue: first
        app.open_stakeholder(RRC)
        await settle(pilot)
        related = app.screen.query_one("#related", OptionList)
        around = [str(related.get_option_at_index(i).prompt) for i in range(related.option_count)]
        assert around[0] == "President of the Russian Red Cross · Pavel Savchuk"
        assert any(REPLY in line for line in around[:4])
        assert any(EMBLEM in line for line in around[:4])
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BriefScreen)
        assert app.screen.saved_to is not None
        _has_the_rrc_essentials(app.screen.saved_to.read_text(encoding="utf-8"))
        brief = app.screen.brief
        assert brief is not None and [s.key for s in brief.sections] == ["commitments"]


async def test_the_tui_interaction_lists_the_commitments_made_there(
    sample_url: str, tmp_path: Path
) -> None:
    legal = "Legal expertise on the draft law on the Russian Red Cross and emblem regulations"
    with Tracker(sample_url, clock=fixed_clock) as tracker:
        (meeting,) = [i for i in tracker.history(RRC) if i.title == legal]
        quiet = tracker.history("BI.ZONE")[0]
    app = tui(sample_url, tmp_path)
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        app.open_interaction(meeting.id)
        await settle(pilot)
        text = screen_text(app)
        assert "Commitments made here" in text
        assert f"we owe Russian Red Cross: {EMBLEM}" in text
        assert f"we owe Russian Red Cross: {KEPT}" in text and "· done" in text
        app.open_interaction(quiet.id)
        await settle(pilot)
        assert "Commitments made here" not in screen_text(app)
