"""Search results, pages of stakeholders, and the relationship-health views."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from engagement.schemas.interactions import InteractionRead
from engagement.schemas.stakeholders import StakeholderRead


class StakeholderPage(BaseModel):
    """One page of a stakeholder list: ``total`` tells a virtual list how far it scrolls.

    ``at_least``: counting stopped at ``total`` (asked for with a count limit) — more match."""

    items: list[StakeholderRead]
    total: int
    offset: int
    fuzzy: bool = False
    at_least: bool = False


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


class MonthlyActivity(BaseModel):
    """Interactions per calendar month from ``months[0]`` to ``months[-1]`` ("YYYY-MM"), every
    month present even when empty, so a chart's bars line up with its labels.

    ``series`` splits the counts by stakeholder kind (each interaction counted once, under its
    lead stakeholder: the first one linked) — or holds one series, ``"all"``, for a single
    stakeholder's activity.
    """

    months: list[str]
    series: dict[str, list[int]]

    def totals(self) -> list[int]:
        """Interactions per month, all series together."""
        return [sum(values[i] for values in self.series.values()) for i in range(len(self.months))]

    def total(self) -> int:
        return sum(self.totals())
