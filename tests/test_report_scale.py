"""The report's counting shortcuts keep the same answers as the plain rules they replace."""

from __future__ import annotations

from datetime import date

from engagement.tracker import Tracker


def test_first_contact_on_an_interaction_begun_before_the_period(tracker: Tracker) -> None:
    """A stakeholder first met in a programme that began before the period and runs into it is
    new in the report for that period, marked on that programme: the first-contact day lies
    before the period, and only the log's first day bounds what counts."""
    tracker.add_stakeholder("Ministry of Justice", kind="ministry", country="RU")
    tracker.add_stakeholder("Kazan Federal University", kind="academia", country="RU")
    tracker.log_interaction("Earlier contact", with_=["Ministry of Justice"], when="2025-01-15")
    tracker.log_interaction(
        "Summer school on IHL",
        with_=["Kazan Federal University"],
        when="June 30 to July 8 2025",
        kind="training",
    )
    tracker.log_interaction(
        "Follow-up seminar", with_=["Kazan Federal University"], when="2025-07-20", kind="seminar"
    )
    report = tracker.activity_report(date(2025, 7, 1), date(2025, 7, 31))
    assert report.facts.first_time == ["Kazan Federal University"]
    lines = [
        line
        for section in report.sections
        for group in section.groups
        for entry in group.entries
        for line in entry.lines
    ]
    marked = [line.title for line in lines if line.first_time]
    assert marked == ["Summer school on IHL"]
