"""Commitments leaving the database: calendars (tasks with a reminder, or all-day events) read
back with icalendar, the confidentiality rules they share with interactions, and the
"Commitments" part of the activity report."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar

from engagement.tracker import Tracker

SEPTEMBER, DECEMBER_END = date(2025, 9, 1), date(2025, 12, 31)


def _calendar(tracker: Tracker, **options: object) -> icalendar.Calendar:
    data = tracker.export_ics(start=SEPTEMBER, end=DECEMBER_END, **options).data  # type: ignore[arg-type]
    calendar = icalendar.Calendar.from_ical(data)
    assert isinstance(calendar, icalendar.Calendar)
    return calendar


def _commitment_todos(calendar: icalendar.Calendar) -> dict[str, icalendar.Todo]:
    return {
        str(todo["UID"]): todo
        for todo in calendar.walk("VTODO")
        if "X-ENGAGEMENT-COMMITMENT" in todo
    }


def test_commitments_are_tasks_due_with_a_reminder_the_day_before(sample: Tracker) -> None:
    todos = _commitment_todos(_calendar(sample, include_follow_ups=True))
    by_summary = {str(todo["SUMMARY"]): todo for todo in todos.values()}
    reply = by_summary[
        "Owed to us by Russian Red Cross: Reply on the family-reunification request passed on "
        "by the ICRC"
    ]
    assert reply["DUE"].dt == date(2025, 9, 15)
    assert str(reply["STATUS"]) == "NEEDS-ACTION"
    assert str(reply["CLASS"]) == "PRIVATE"
    alarms = reply.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["TRIGGER"].dt == timedelta(days=-1)
    assert alarms[0]["TRIGGER"].params.get("RELATED") == "END"
    emblem = next(t for s, t in by_summary.items() if "emblem" in s)
    assert str(emblem["STATUS"]) == "IN-PROCESS" and emblem["DUE"].dt == date(2025, 12, 15)
    # The MFA commitment is confidential: busy text only, and no reminder that tells.
    hidden = [t for t in todos.values() if "X-ENGAGEMENT-REDACTED" in t]
    assert [str(t["SUMMARY"]) for t in hidden] == ["Confidential commitment"]
    assert "DESCRIPTION" not in hidden[0]
    assert b"written points" not in sample.export_ics(start=SEPTEMBER, include_follow_ups=True).data


def test_everything_when_asked_and_nothing_without_follow_ups(sample: Tracker) -> None:
    full = _commitment_todos(_calendar(sample, include_follow_ups=True, include_confidential=True))
    assert any("written points" in str(t["DESCRIPTION"]) for t in full.values())
    assert _commitment_todos(_calendar(sample)) == {}


def test_as_all_day_events_with_follow_ups_as_events(sample: Tracker) -> None:
    calendar = _calendar(sample, follow_ups_as_events=True)
    assert _commitment_todos(calendar) == {}
    events = [e for e in calendar.walk("VEVENT") if "X-ENGAGEMENT-COMMITMENT" in e]
    reply = next(e for e in events if "family-reunification" in str(e["SUMMARY"]))
    assert str(reply["SUMMARY"]).startswith("Due: ")
    assert reply["DTSTART"].dt == date(2025, 9, 15) and reply["DTEND"].dt == date(2025, 9, 16)
    assert str(reply["TRANSP"]) == "TRANSPARENT"
    assert reply.walk("VALARM")[0]["TRIGGER"].dt == timedelta(days=-1)


def test_strictly_confidential_commitments_are_left_out(tracker: Tracker) -> None:
    tracker.add_stakeholder("Russian Red Cross", kind="national_society")
    tracker.add_commitment(
        "Back-channel promise", owed_by="us", stakeholders=["Russian Red Cross"],
        due="2025-09-20", confidentiality="strictly_confidential",
    )  # fmt: skip
    result = tracker.export_ics(start=SEPTEMBER, include_follow_ups=True)
    assert b"Back-channel" not in result.data and result.left_out_confidential == 1
    kept = tracker.add_commitment(
        "Kept promise", owed_by="them", stakeholders=["Russian Red Cross"], due="2025-09-21"
    )
    tracker.set_commitment_status(kept.id, "done")
    calendar = icalendar.Calendar.from_ical(
        tracker.export_ics(start=SEPTEMBER, include_follow_ups=True).data
    )
    (todo,) = _commitment_todos(calendar).values()
    assert str(todo["STATUS"]) == "COMPLETED" and "COMPLETED" in todo
    assert todo.walk("VALARM") == []  # nothing to remind of


def test_the_report_counts_commitments_made_kept_and_overdue(sample: Tracker) -> None:
    report = sample.activity_report(date(2025, 5, 1), date(2025, 8, 31))
    facts = report.facts
    # The MFA commitment is confidential: above the default (internal) cap, left out.
    assert (facts.commitments_opened, facts.commitments_kept, facts.commitments_overdue) == (
        4,
        1,
        1,
    )
    assert [line.owed_by for line in report.commitments.overdue] == ["them"]
    markdown = sample.render_report(report, "md")
    assert isinstance(markdown, str)
    assert "## Commitments" in markdown and "### Overdue" in markdown
    assert "We owe the Russian Red Cross: send the ICRC legal analysis" in markdown
    assert "written points" not in markdown
    html = sample.render_report(report, "html")
    assert isinstance(html, str) and 'id="commitments"' in html
    capped = sample.activity_report(
        date(2025, 5, 1), date(2025, 8, 31), confidentiality_max="confidential"
    )
    assert capped.facts.commitments_opened == 5
    # Still open and past due: it stays overdue in a later report, made in neither.
    later = sample.activity_report(date(2025, 10, 1), date(2025, 10, 31))
    assert (later.facts.commitments_opened, later.facts.commitments_overdue) == (0, 1)
    earlier = sample.activity_report(date(2025, 1, 1), date(2025, 1, 31))
    assert earlier.commitments.empty
    assert "## Commitments" not in str(sample.render_report(earlier, "md"))
