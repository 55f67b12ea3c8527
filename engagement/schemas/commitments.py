"""Commitments (promises owed by us or by them) at the boundary."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from engagement.schemas.base import Line, Name, _date_input, _Input, clean_text
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy

CommitmentText = Annotated[str, BeforeValidator(clean_text), Field(min_length=1, max_length=5000)]


class CommitmentCreate(_Input):
    """A new commitment: it concerns at least one stakeholder, given by name or taken from
    the interaction it came from; without a confidentiality it takes the interaction's
    (``internal`` when there is none)."""

    text: CommitmentText
    owed_by: OwedBy
    owner: Line = ""
    due: Annotated[date | None, _date_input("due")] = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    stakeholders: list[Name] = Field(default_factory=list)
    interaction_id: int | None = None
    confidentiality: Confidentiality | None = None
    made_on: Annotated[date | None, _date_input("made-on")] = None
    closed_on: Annotated[date | None, _date_input("closed-on")] = None


class DatasetCommitment(CommitmentCreate):
    """A commitment in a data set (the sample data): its interaction is named by uid."""

    from_interaction: Annotated[str, Field(min_length=1, max_length=200)] | None = None


class CommitmentUpdate(_Input):
    text: CommitmentText | None = None
    owed_by: OwedBy | None = None
    owner: Line | None = None
    due: Annotated[date | None, _date_input("due")] = None
    status: CommitmentStatus | None = None
    confidentiality: Confidentiality | None = None
    #: the day it was kept or dropped, when the status changes to one of those (default: today)
    closed_on: Annotated[date | None, _date_input("on")] = None
    expected_version: int | None = None


class CommitmentRead(BaseModel):
    id: int
    text: str
    owed_by: OwedBy
    owner: str
    due: date | None
    status: CommitmentStatus
    stakeholders: list[str]
    stakeholder_ids: list[int]
    interaction_id: int | None
    interaction_title: str | None
    confidentiality: Confidentiality
    made_on: date
    closed_on: date | None
    created_at: datetime
    updated_at: datetime
    version: int
    overdue: bool
    type: Literal["commitment"] = "commitment"

    @property
    def direction(self) -> str:
        """'we owe' or 'they owe', for one-line displays."""
        return "we owe" if self.owed_by is OwedBy.US else "they owe"
