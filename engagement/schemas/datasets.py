"""Whole data sets: what an import brings and what it did."""

from __future__ import annotations

from pydantic import (
    BaseModel,
    Field,
)

from engagement.schemas.base import (
    _Input,
)
from engagement.schemas.commitments import DatasetCommitment
from engagement.schemas.interactions import InteractionCreate
from engagement.schemas.posts import PostCreate
from engagement.schemas.stakeholders import AffiliationCreate, StakeholderCreate


class DatasetImport(_Input):
    """A whole data set (the sample data, or an import): validated before anything is written."""

    version: int = 1
    stakeholders: list[StakeholderCreate] = Field(default_factory=list)
    affiliations: list[AffiliationCreate] = Field(default_factory=list)
    posts: list[PostCreate] = Field(default_factory=list)
    """Posts with their holders; loaded after stakeholders, before interactions, so that an
    interaction can name a post and be resolved to its holder on the day."""
    interactions: list[InteractionCreate] = Field(default_factory=list)
    commitments: list[DatasetCommitment] = Field(default_factory=list)


class ImportSummary(BaseModel):
    stakeholders_added: int = 0
    stakeholders_updated: int = 0
    affiliations_added: int = 0
    posts_added: int = 0
    posts_updated: int = 0
    interactions_added: int = 0
    interactions_updated: int = 0
    commitments_added: int = 0
