"""What a brief holds: plain data, rendered by the templates and dumped as JSON as it is."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from engagement.schemas import FollowUpRead, TenureRead
from engagement.vocab import Confidentiality


class BriefLine(BaseModel):
    """One interaction as a line of the brief."""

    id: int
    when: str
    title: str
    kind: str
    status: str
    location: str
    others: list[str]
    """The other participants (the stakeholder itself is implied)."""
    tags: list[str]
    confidentiality: Confidentiality
    how: str = ""
    """How it was held, from the meeting metadata: 'sidelines of SPIEF 2025; in English and
    Russian, with an interpreter; notes off the record' (empty when nothing is recorded)."""
    their_delegation: list[str] = Field(default_factory=list)
    our_delegation: list[str] = Field(default_factory=list)


class TimelineGroup(BaseModel):
    label: str
    """'June 2025' or 'Q2 2025'."""
    lines: list[BriefLine]


class Counterpart(BaseModel):
    """A person we deal with at the stakeholder: a post holder or an affiliated person."""

    name: str
    position: str
    since: str
    last_met: str | None
    meetings: int


class RelatedEngagement(BaseModel):
    name: str
    relation: str
    """'parent', 'branch', 'sister organisation', 'person', 'post'."""
    kind: str
    last_contact: str
    interactions: int


class TopicCount(BaseModel):
    tag: str
    count: int


class BriefEntry(BaseModel):
    """Something to be done, in a section: a text with its due day, owner and state."""

    text: str
    due: date | None = None
    overdue: bool = False
    owner: str = ""
    state: str = ""
    """A word on where it stands ('in progress'), empty when there is nothing to add."""
    concerns: list[str] = Field(default_factory=list)
    """Who it concerns, when not (only) the stakeholder of the brief: a branch, a person."""
    source: str = ""
    """The interaction it came from (empty when none, or when that one is above the cap)."""


class BriefGroup(BaseModel):
    """A titled part of a section ('We owe them', 'They owe us')."""

    title: str
    entries: list[BriefEntry]
    empty: str = "None."


class BriefSection(BaseModel):
    """An extra section contributed by one function (see :mod:`engagement.brief.sections`):
    plain ``items``, or ``groups`` of entries, or both."""

    key: str
    title: str
    items: list[str] = Field(default_factory=list)
    groups: list[BriefGroup] = Field(default_factory=list)
    empty: str = "Nothing to report."
    note: str = ""
    """A line under the section, such as what the cap left out of it."""
    withheld: int = 0
    """Items above the cap left out of this section (counted in the note at the top too)."""
    withheld_noun: str = "item"
    """What those items are, in the singular: 'open commitment'."""


class Brief(BaseModel):
    title: str
    stakeholder: str
    stakeholder_id: int
    kind: str
    country: str | None
    parent: str | None
    aliases: list[str]
    tags: list[str]
    branches: list[str]
    posts: list[TenureRead]
    """Current holders of its posts (an organisation), a person's posts, or a post's holders."""
    counterparts: list[Counterpart]
    prepared_on: date
    confidentiality_max: Confidentiality
    withheld: int
    """Interactions above the cap, left out of every section."""
    for_meeting: BriefLine | None = None
    since: date
    first_contact: str | None
    recent_count: int
    frequency: str
    grouping: str
    """'month' or 'quarter'."""
    timeline: list[TimelineGroup]
    topics: list[TopicCount]
    follow_ups: list[FollowUpRead]
    upcoming: list[BriefLine]
    related: list[RelatedEngagement]
    sections: list[BriefSection] = Field(default_factory=list)
