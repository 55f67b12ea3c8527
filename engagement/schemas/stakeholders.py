"""Stakeholders, aliases and affiliations at the boundary."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    field_validator,
    model_validator,
)

from engagement.countries import normalise_country
from engagement.errors import ValidationFailed
from engagement.schemas.base import (
    Name,
    Tag,
    Text,
    _date_input,
    _Input,
    clean_line,
)
from engagement.schemas.interactions import FollowUpRead
from engagement.schemas.posts import TenureRead
from engagement.vocab import (
    StakeholderKind,
)

# --- stakeholders -------------------------------------------------------------------------


Score = Annotated[int, Field(ge=1, le=5, description="1 (low) to 5 (high)")]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    address = clean_line(value).lower()
    if len(address) > 320 or not _EMAIL.match(address):
        raise ValidationFailed("email", value, "is not an e-mail address (name@example.org)")
    return address


Email = Annotated[str, BeforeValidator(_email)]


class StakeholderCreate(_Input):
    name: Name
    kind: StakeholderKind
    country: str | None = None
    parent: Name | None = None
    aliases: list[Name] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    notes: Text = ""
    email: Email | None = None
    influence: Score | None = None
    interest: Score | None = None

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
    email: Email | None = None
    influence: Score | None = None
    interest: Score | None = None
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
    email: str | None = None
    influence: int | None = None
    interest: int | None = None
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
    """Branches: the organisations (and people) below it; its posts are in ``posts``."""
    posts: list[str] = Field(default_factory=list)
    """The posts at this organisation, held or vacant (see docs/posts.md)."""
    people: list[AffiliationRead]
    positions: list[AffiliationRead]
    open_follow_ups: list[FollowUpRead]
    interactions_by_kind: dict[str, int]
    first_time_in_period: bool | None = None
    """With a period asked for: whether our first contact falls inside it."""
    post_tenures: list[TenureRead] = Field(default_factory=list)
    """Holders of its posts (an organisation), a person's posts, or a post's holders; newest
    first (see docs/posts.md)."""
