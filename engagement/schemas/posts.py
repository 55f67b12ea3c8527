"""Posts (positions that outlive their holders) and the tenures of people in them."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from engagement.errors import ValidationFailed
from engagement.schemas.base import Name, Text, _Input
from engagement.schemas.interactions import InteractionRead
from engagement.vocab import MONTH_ABBREVIATIONS, Precision


class Bound(BaseModel):
    """One end of a tenure, at the precision it is known: a day, or only the month.

    ``day`` is the first day that may be covered for a start and the last for an end, so that
    "from May 2016" and "to April 2021" cover whole months.
    """

    model_config = ConfigDict(frozen=True)

    day: date
    precision: Precision

    def iso(self) -> str:
        if self.precision is Precision.MONTH:
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    def describe(self) -> str:
        month = MONTH_ABBREVIATIONS[self.day.month]
        if self.precision is Precision.MONTH:
            return f"{month} {self.day.year}"
        return f"{self.day.day} {month} {self.day.year}"


def _bound(field: str, *, end: bool) -> BeforeValidator:
    def convert(value: Any) -> Any:
        if value is None or isinstance(value, Bound | dict):
            return value
        if isinstance(value, date):
            return Bound(day=value, precision=Precision.DAY)
        if not isinstance(value, str):
            return value
        if not value.strip():
            return None
        from engagement.dates import parse_moment

        moment = parse_moment(value, field=field)
        day = moment.value.date() if hasattr(moment.value, "date") else moment.value
        if moment.precision is Precision.MONTH:
            assert isinstance(day, date)
            last = calendar.monthrange(day.year, day.month)[1]
            return Bound(day=day.replace(day=last if end else 1), precision=Precision.MONTH)
        return Bound(day=day, precision=Precision.DAY)

    return BeforeValidator(convert)


Start = Annotated[Bound | None, _bound("from", end=False)]
End = Annotated[Bound | None, _bound("to", end=True)]


class HolderIn(_Input):
    """A holder of a post, as written in a data set (``from`` may be omitted when unknown)."""

    model_config = ConfigDict(populate_by_name=True)

    person: Name
    start: Start = Field(default=None, alias="from")
    end: End = Field(default=None, alias="to")

    @model_validator(mode="after")
    def _order(self) -> HolderIn:
        if self.start and self.end and self.end.day < self.start.day:
            raise ValidationFailed("to", self.end.iso(), f"is before from ({self.start.iso()})")
        return self


class PostCreate(_Input):
    """A new post: its title (unique, like every stakeholder name) and its organisation."""

    title: Name
    organisation: Name
    aliases: list[Name] = Field(default_factory=list)
    notes: Text = ""
    holders: list[HolderIn] = Field(default_factory=list)


class TenureCreate(HolderIn):
    post: Name


class TenureRead(BaseModel):
    id: int
    post: str
    post_id: int
    organisation: str | None
    person: str
    person_id: int
    start: str | None
    """ISO at its precision ('2016-04' or '2016-04-22'); None when not known."""
    end: str | None
    """None while the post is still held (or the end is not known)."""
    period: str
    """As a person writes it: 'Apr 2016 – present'."""
    current: bool


class PostRead(BaseModel):
    id: int
    name: str
    organisation: str | None
    organisation_id: int | None
    country: str | None
    aliases: list[str]
    current_holder: str | None
    holders: list[TenureRead]
    """Newest first."""


class PostTerm(BaseModel):
    """One holder's time in the post and the interactions held with the post then;
    ``tenure`` is None for interactions on a date when no holder is recorded."""

    tenure: TenureRead | None
    interactions: list[InteractionRead]


class PostShow(PostRead):
    """A post with its whole history: ``post show``."""

    terms: list[PostTerm]
