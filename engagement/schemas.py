"""Pydantic schemas: what crosses the library's boundary.

``*Create``/``*Update`` validate input from the CLI, the TUI, imports and the sample data set
alike; ``*Read`` models are what every use case returns, so no ORM object ever leaks out. Text is
cleaned on the way in: control characters (terminal escape sequences among them) are removed, so
stored data can never drive a terminal.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from engagement.countries import normalise_country
from engagement.dates import Period, canonical_zone_name, parse_date, parse_period
from engagement.errors import InvalidInput, ValidationFailed
from engagement.vocab import (
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    Role,
    StakeholderKind,
)

M = TypeVar("M", bound=BaseModel)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\u2028\u2029]+")


def clean_line(value: Any) -> Any:
    """One line of text: no control characters, no line breaks, single spaces at the ends."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    text = _LINE_BREAKS.sub(" ", text)
    return _CONTROL.sub("", text).strip()


def clean_text(value: Any) -> Any:
    """Free text: keeps line breaks and tabs, drops every other control character."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text)
    return text.strip()


def clean_tag(value: Any) -> Any:
    """Tags are compared loosely: '#POW', 'pow' and ' Pow ' are one tag."""
    if not isinstance(value, str):
        return value
    text = clean_line(value).lstrip("#").strip().casefold()
    return re.sub(r"\s+", "-", text)


def _date_input(field: str, *, end_of_month: bool = False) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            return parse_date(value, field=field, end_of_month=end_of_month)
        return value

    return BeforeValidator(convert)


Line = Annotated[str, BeforeValidator(clean_line)]
Text = Annotated[str, BeforeValidator(clean_text)]
Name = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=300)]
Tag = Annotated[str, BeforeValidator(clean_tag), Field(min_length=1, max_length=64)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


# --- stakeholders -------------------------------------------------------------------------


class StakeholderCreate(_Input):
    name: Name
    kind: StakeholderKind
    country: str | None = None
    parent: Name | None = None
    aliases: list[Name] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    notes: Text = ""

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return normalise_country(value) if isinstance(value, str) else value


class StakeholderUpdate(_Input):
    """A partial update: only the fields that are set change."""

    name: Name | None = None
    kind: StakeholderKind | None = None
    country: str | None = None
    parent: Name | None = None
    notes: Text | None = None
    tags: list[Tag] | None = None
    archived: bool | None = None
    expected_version: int | None = None

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return normalise_country(value) if isinstance(value, str) else value


class StakeholderRead(BaseModel):
    id: int
    name: str
    kind: StakeholderKind
    country: str | None
    parent: str | None
    parent_id: int | None
    aliases: list[str]
    tags: list[str]
    notes: str
    archived: bool
    first_contact: date | None
    last_contact: date | None
    interaction_count: int
    ongoing: bool
    created_at: datetime
    updated_at: datetime
    version: int


class AffiliationCreate(_Input):
    person: Name
    organisation: Name
    title: Name
    start: Annotated[date | None, _date_input("from")] = None
    end: Annotated[date | None, _date_input("to", end_of_month=True)] = None

    @model_validator(mode="after")
    def _order(self) -> AffiliationCreate:
        if self.start and self.end and self.end < self.start:
            raise ValidationFailed(
                "to", self.end.isoformat(), f"is before from ({self.start.isoformat()})"
            )
        return self


class AffiliationRead(BaseModel):
    id: int
    person: str
    person_id: int
    organisation: str
    organisation_id: int
    title: str
    start: date | None
    end: date | None
    current: bool


class StakeholderProfile(StakeholderRead):
    """A stakeholder with what surrounds it: for ``stakeholder show``."""

    children: list[str]
    people: list[AffiliationRead]
    positions: list[AffiliationRead]
    open_follow_ups: list[FollowUpRead]
    interactions_by_kind: dict[str, int]


# --- interactions -------------------------------------------------------------------------


class ParticipantIn(_Input):
    name: Name
    role: Role = Role.COUNTERPART

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {"name": value} if isinstance(value, str) else value


class ParticipantRead(BaseModel):
    id: int
    name: str
    kind: StakeholderKind
    role: Role


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

    @model_validator(mode="before")
    @classmethod
    def _accept_when(cls, data: Any) -> Any:
        return _period_from_input(data)

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
    period: Period = Field(exclude=True)
    type: Literal["interaction"] = "interaction"


class UpcomingItem(BaseModel):
    """An occurrence in the upcoming view: an interaction (or one repeat of a recurring one)."""

    occurrence: str
    interaction: InteractionRead


class Upcoming(BaseModel):
    interactions: list[UpcomingItem]
    follow_ups: list[FollowUpRead]


class DatasetImport(_Input):
    """A whole data set (the sample data, or an import): validated before anything is written."""

    version: int = 1
    stakeholders: list[StakeholderCreate] = Field(default_factory=list)
    affiliations: list[AffiliationCreate] = Field(default_factory=list)
    interactions: list[InteractionCreate] = Field(default_factory=list)


class ImportSummary(BaseModel):
    stakeholders_added: int = 0
    stakeholders_updated: int = 0
    affiliations_added: int = 0
    interactions_added: int = 0
    interactions_updated: int = 0


def clean_name(value: str, *, field: str) -> str:
    """A single name (an alias, say) cleaned and checked like a stakeholder's name."""
    cleaned = clean_line(value)
    if not isinstance(cleaned, str) or not cleaned:
        raise ValidationFailed(field, value, "is empty")
    if len(cleaned) > 300:
        raise ValidationFailed(field, cleaned[:40] + "…", "is longer than 300 characters")
    return cleaned


def validated(model: type[M], data: Any) -> M:
    """Validate ``data`` as ``model``; failures become one readable :class:`InvalidInput`."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput.from_problems(_problems(error)) from None


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"] if part != "__root__")
        context = item.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, ValidationFailed):
            if not where:
                label = cause.field
            elif where == cause.field or where.endswith("." + cause.field):
                label = where
            else:
                label = f"{where}.{cause.field}"
            shown = repr(cause.value) if isinstance(cause.value, str) else str(cause.value)
            problems.append(f"{label}: {shown} {cause.problem}")
            continue
        value = item.get("input")
        shown = "" if isinstance(value, (dict, list)) else f" (got {value!r})"
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{where or 'input'}: {message}{shown}")
    return problems
