"""Search results, pages of stakeholders, and the relationship-health views."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from engagement.schemas.interactions import InteractionRead
from engagement.schemas.stakeholders import StakeholderRead


class StakeholderPage(BaseModel):
    """One page of a stakeholder list: ``total`` tells a virtual list how far it scrolls."""

    items: list[StakeholderRead]
    total: int
    offset: int
    fuzzy: bool = False


class SearchHit(BaseModel):
    """An interaction found by full-text search, with the passage that matched.

    ``highlights`` are (start, end) character offsets into ``snippet``: front ends style those
    ranges themselves, so the snippet never has to carry markup.
    """

    interaction: InteractionRead
    snippet: str
    highlights: list[tuple[int, int]]
    score: float


class DormantEntry(BaseModel):
    stakeholder: StakeholderRead
    last_contact: date | None
    days_since: int | None


class StatRow(BaseModel):
    group: str
    interactions: int
    stakeholders: int
