"""Interactions, participants and follow-ups at the boundary."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from engagement.dates import Period, canonical_zone_name, parse_period
from engagement.errors import ValidationFailed
from engagement.schemas.base import (
    Line,
    Name,
    Tag,
    Text,
    _date_input,
    _Input,
    clean_line,
    clean_text,
)
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    MeetingFormat,
    Role,
    StakeholderKind,
)

# --- interactions -------------------------------------------------------------------------


class ParticipantIn(_Input):
    name: Name
    role: Role = Role.COUNTERPART
    delegate: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class ParticipantRead(BaseModel):
    id: int
    name: str
    kind: StakeholderKind
    role: Role
    delegate: bool = False
    via_post: str | None = None
    """The post this person was met as (they were resolved from it on the day)."""


class FollowUpCreate(_Input):
    text: Annotated[str, BeforeValidator(clean_text), Field(min_length=1, max_length=5000)]
    due: Annotated[date | None, _date_input("due")] = None
    owner: Line = ""
    done: bool = False


class FollowUpRead(BaseModel):
    id: int
    interaction_id: int
    interaction_title: str
    text: str
    due: date | None
    owner: str
    done: bool
    done_at: datetime | None
    overdue: bool


def _check_rrule(value: str | None) -> str | None:
    if value is None:
        return None
    rule = clean_line(value)
    if not rule:
        return None
    rule = re.sub(r"^RRULE:", "", rule, flags=re.IGNORECASE).upper()
    from dateutil.rrule import rrulestr

    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationFailed(
            "repeat",
            value,
            "is not an iCalendar RRULE; write e.g. FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO",
        ) from None
    return rule


def _period_from_input(data: Any) -> Any:
    """Accept ``when``/``until``/``timezone`` text (CLI, YAML) in place of a ``period``."""
    if not isinstance(data, dict) or "period" in data:
        return data
    if "when" not in data:
        return data
    values = dict(data)
    when, until, zone = values.pop("when"), values.pop("until", None), values.pop("timezone", None)
    if when is None:
        return data
    values["period"] = parse_period(
        when if isinstance(when, str) else str(when),
        None if until is None else (until if isinstance(until, str) else str(until)),
        timezone=zone,
    )
    return values


Language = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=64)]
Sidelines = Annotated[str, BeforeValidator(clean_line), Field(max_length=300)]


def _check_sidelines(format_: MeetingFormat | None, sidelines_of: str | None) -> None:
    if sidelines_of and format_ not in (None, MeetingFormat.SIDELINES):
        raise ValidationFailed(
            "sidelines-of",
            sidelines_of,
            f"is only for the 'sidelines' format (the format is {format_.value})",
        )


class InteractionCreate(_Input):
    title: Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=500)]
    kind: InteractionKind = InteractionKind.MEETING
    status: InteractionStatus | None = None
    period: Period
    location: Annotated[str, BeforeValidator(clean_line), Field(max_length=500)] = ""
    summary: Text = ""
    outcome: Text = ""
    tags: list[Tag] = Field(default_factory=list)
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    stakeholders: list[ParticipantIn] = Field(min_length=1)
    staff: list[Name] = Field(default_factory=list)
    recurrence: str | None = None
    logged_by: Line = ""
    follow_ups: list[FollowUpCreate] = Field(default_factory=list)
    uid: Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=200)] | None = (
        None
    )
    meeting_format: MeetingFormat | None = None
    sidelines_of: Sidelines | None = None
    languages: list[Language] = Field(default_factory=list)
    interpreter: bool = False
    attribution: Attribution = Attribution.ON_RECORD

    @model_validator(mode="before")
    @classmethod
    def _accept_when(cls, data: Any) -> Any:
        return _period_from_input(data)

    @model_validator(mode="after")
    def _sidelines(self) -> InteractionCreate:
        """Giving the event implies the format: "on the sidelines of SPIEF 2025"."""
        _check_sidelines(self.meeting_format, self.sidelines_of)
        if self.sidelines_of and self.meeting_format is None:
            self.meeting_format = MeetingFormat.SIDELINES
        if not self.sidelines_of:
            self.sidelines_of = None
        return self

    @field_validator("recurrence")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return _check_rrule(value)


class InteractionUpdate(_Input):
    """A partial update; dates stay as text so they can be read against the stored ones
    (``until "16:00"`` means 16:00 on the day the interaction starts)."""

    title: (
        Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=500)] | None
    ) = None
    kind: InteractionKind | None = None
    status: InteractionStatus | None = None
    when: str | None = None
    until: str | None = None
    timezone: str | None = None
    location: Annotated[str, BeforeValidator(clean_line), Field(max_length=500)] | None = None
    summary: Text | None = None
    outcome: Text | None = None
    tags: list[Tag] | None = None
    confidentiality: Confidentiality | None = None
    recurrence: str | None = None
    staff: list[Name] | None = None
    add_stakeholders: list[ParticipantIn] = Field(default_factory=list)
    remove_stakeholders: list[Name] = Field(default_factory=list)
    expected_version: int | None = None
    # Meeting metadata; an empty format or sidelines text clears it.
    meeting_format: MeetingFormat | Literal[""] | None = None
    sidelines_of: Sidelines | None = None
    languages: list[Language] | None = None
    interpreter: bool | None = None
    attribution: Attribution | None = None
    their_delegation: list[Name] | None = None

    @field_validator("recurrence")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return _check_rrule(value) if value else value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return canonical_zone_name(value) if value else value


class InteractionRead(BaseModel):
    id: int
    uid: str
    title: str
    kind: InteractionKind
    status: InteractionStatus
    start: str
    end: str | None
    precision: str
    timezone: str | None
    when: str
    location: str
    summary: str
    outcome: str
    stakeholders: list[str]
    participants: list[ParticipantRead]
    tags: list[str]
    confidentiality: Confidentiality
    staff: list[str]
    recurrence: str | None
    logged_by: str
    created_at: datetime
    updated_at: datetime
    version: int
    follow_ups: list[FollowUpRead]
    meeting_format: MeetingFormat | None = None
    sidelines_of: str | None = None
    languages: list[str] = Field(default_factory=list)
    interpreter: bool = False
    attribution: Attribution = Attribution.ON_RECORD
    their_delegation: list[str] = Field(default_factory=list)
    period: Period = Field(exclude=True)
    type: Literal["interaction"] = "interaction"

    @property
    def notes_shareable(self) -> bool:
        """Whether the notes (summary, outcome) may leave the database: not when off record."""
        return self.attribution is not Attribution.OFF_RECORD


class UpcomingItem(BaseModel):
    """An occurrence in the upcoming view: an interaction (or one repeat of a recurring one)."""

    occurrence: str
    interaction: InteractionRead


class Upcoming(BaseModel):
    interactions: list[UpcomingItem]
    follow_ups: list[FollowUpRead]
