"""Calendars at the boundary: what an iCalendar export selected and wrote, and what an import
of invitations did.

The selection is a read model too: the service hands it to the pure iCalendar writer
(:mod:`engagement.ical`), so the writer never needs a database session.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from engagement.schemas.commitments import CommitmentRead
from engagement.schemas.interactions import FollowUpRead, InteractionRead
from engagement.vocab import Confidentiality, InteractionStatus


class CalendarFollowUp(BaseModel):
    """A follow-up with what the calendar needs of its interaction (its UID and how
    confidential it is), since the interaction itself may lie outside the exported range."""

    follow_up: FollowUpRead
    interaction_uid: str
    confidentiality: Confidentiality
    interaction_status: InteractionStatus


class CalendarSelection(BaseModel):
    """What goes into one calendar, chosen by :mod:`engagement.services.calendar`.

    Interactions known only to the month, and strictly confidential ones when they are not
    wanted, are counted rather than read: their text never leaves the database.
    """

    interactions: list[InteractionRead] = Field(default_factory=list)
    follow_ups: list[CalendarFollowUp] = Field(default_factory=list)
    commitments: list[CommitmentRead] = Field(default_factory=list)
    month_only: int = 0
    strictly_confidential: int = 0
    start: date | None = None
    end: date | None = None


class IcsExport(BaseModel):
    """An iCalendar export: the bytes, and what went in and what was left out.

    ``etag`` identifies the content (the selection and the options, not the time stamp), so a
    feed can answer "not modified"; when the caller passed the ETag it already holds and it is
    still current, ``unchanged`` is true and ``data`` is empty.
    """

    data: bytes = b""
    etag: str
    unchanged: bool = False
    calendar_name: str
    events: int = 0
    todos: int = 0
    redacted: int = 0
    left_out_month_only: int = 0
    left_out_confidential: int = 0
    time_zones: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


ImportAction = Literal["created", "updated", "unchanged", "skipped"]


class IcsImportItem(BaseModel):
    """What happened to one component of the file (an event or a task)."""

    component: str
    line: int
    uid: str = ""
    title: str = ""
    action: ImportAction
    reason: str = ""
    interaction_id: int | None = None


class IcsImportReport(BaseModel):
    """The outcome of importing one .ics file, item by item.

    ``unmatched`` lists attendees and organisers that match no stakeholder (by e-mail or
    name); with ``create_missing`` they are created instead and listed in
    ``created_stakeholders``.
    """

    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    follow_ups_added: int = 0
    items: list[IcsImportItem] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)
    created_stakeholders: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
