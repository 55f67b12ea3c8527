"""Commitments in a calendar: a task (``VTODO``) due on the due date with a reminder one day
before, or an all-day event on that day for clients that ignore tasks.

The confidentiality rules are those of interactions (:mod:`engagement.ical`): a confidential
commitment is a bare "Confidential commitment" unless the user asked for everything, a strictly
confidential one is never selected. The UID names only the commitment's number, which says
nothing about it. Open commitments carry the reminder; kept and dropped ones do not.
"""

from __future__ import annotations

from datetime import timedelta

from engagement.ical import _CLASS, _SUMMARY_LIMIT, _text, fold
from engagement.schemas import CommitmentRead
from engagement.vocab import CommitmentStatus, OwedBy

REDACTED_COMMITMENT = "Confidential commitment"

_TODO_STATUS = {
    CommitmentStatus.OPEN: "NEEDS-ACTION",
    CommitmentStatus.IN_PROGRESS: "IN-PROCESS",
    CommitmentStatus.DONE: "COMPLETED",
    CommitmentStatus.DROPPED: "CANCELLED",
}


def commitment_uid(item: CommitmentRead) -> str:
    return f"commitment-{item.id}@engagement"


def title(item: CommitmentRead) -> str:
    """'We owe Russian Red Cross: legal analysis…' / 'Owed to us by Russian Red Cross: reply…'."""
    who = ", ".join(item.stakeholders)
    head = f"We owe {who}: " if item.owed_by is OwedBy.US else f"Owed to us by {who}: "
    first_line = item.text.split("\n", 1)[0]
    text = head + first_line
    return text if len(text) <= _SUMMARY_LIMIT else text[: _SUMMARY_LIMIT - 1] + "…"


def todo(item: CommitmentRead, hidden: bool, stamp: str) -> list[bytes]:
    assert item.due is not None
    lines = [
        b"BEGIN:VTODO\r\n",
        fold("UID:" + commitment_uid(item)),
        fold("DTSTAMP:" + stamp),
        fold(f"DUE;VALUE=DATE:{item.due:%Y%m%d}"),
        fold(f"SEQUENCE:{max(0, item.version - 1)}"),
        fold("STATUS:" + _TODO_STATUS[item.status]),
        *_common(item, hidden),
    ]
    if item.status is CommitmentStatus.DONE and item.closed_on is not None:
        lines.append(fold(f"COMPLETED:{item.closed_on:%Y%m%d}T120000Z"))
    if item.status.is_open:
        lines.extend(_alarm(hidden, related_end=True))
    lines.append(b"END:VTODO\r\n")
    return lines


def event(item: CommitmentRead, hidden: bool, stamp: str) -> list[bytes]:
    assert item.due is not None
    lines = [
        b"BEGIN:VEVENT\r\n",
        fold("UID:" + commitment_uid(item).replace("@", "-event@")),
        fold("DTSTAMP:" + stamp),
        fold(f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}"),
        fold(f"DTEND;VALUE=DATE:{item.due + timedelta(days=1):%Y%m%d}"),
        fold(f"SEQUENCE:{max(0, item.version - 1)}"),
        b"TRANSP:TRANSPARENT\r\n",
        *_common(item, hidden, prefix=_event_prefix(item)),
    ]
    if item.status is CommitmentStatus.DROPPED:
        lines.append(b"STATUS:CANCELLED\r\n")
    if item.status.is_open:
        lines.extend(_alarm(hidden, related_end=False))
    lines.append(b"END:VEVENT\r\n")
    return lines


def _event_prefix(item: CommitmentRead) -> str:
    if item.status is CommitmentStatus.DONE:
        return "Kept: "
    if item.status is CommitmentStatus.DROPPED:
        return "Dropped: "
    return "Due: "


def _common(item: CommitmentRead, hidden: bool, prefix: str = "") -> list[bytes]:
    lines = [
        fold("CLASS:" + _CLASS[item.confidentiality]),
        fold(f"X-ENGAGEMENT-COMMITMENT:{item.id}"),
        fold("X-ENGAGEMENT-CONFIDENTIALITY:" + item.confidentiality.value),
    ]
    if hidden:
        lines.append(fold("SUMMARY:" + _text(prefix + REDACTED_COMMITMENT)))
        lines.append(b"X-ENGAGEMENT-REDACTED:TRUE\r\n")
        return lines
    notes = [item.text, ("We owe: " if item.owed_by is OwedBy.US else "Owed to us by: ")]
    notes[1] += ", ".join(item.stakeholders)
    if item.owner:
        notes.append(f"Owner: {item.owner}")
    if item.interaction_title:
        notes.append(f"From: {item.interaction_title}")
    lines += [
        fold("SUMMARY:" + _text(prefix + title(item))),
        fold("DESCRIPTION:" + _text("\n\n".join(notes))),
        fold("X-ENGAGEMENT-OWED-BY:" + item.owed_by.value),
        b"CATEGORIES:commitment\r\n",
    ]
    return lines


def _alarm(hidden: bool, *, related_end: bool) -> list[bytes]:
    """A reminder one day before the due date (for a task, before its DUE)."""
    trigger = "TRIGGER;RELATED=END:-P1D" if related_end else "TRIGGER:-P1D"
    return [
        b"BEGIN:VALARM\r\n",
        b"ACTION:DISPLAY\r\n",
        fold(trigger),
        fold("DESCRIPTION:" + _text(REDACTED_COMMITMENT if hidden else "Commitment due tomorrow")),
        b"END:VALARM\r\n",
    ]
