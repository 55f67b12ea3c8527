"""The activity report as data: what the builder produces and every renderer reads.

Keeping the report a plain pydantic tree (sections → groups → stakeholder entries → lines, plus
facts and monthly counts) means the text is decided once, in :mod:`engagement.report.build` and
:mod:`engagement.report.phrasing`, and Markdown, HTML, PDF and a future TUI screen only lay it
out; ``--json``-style consumers get the same content. Nothing here holds more than the
confidentiality cap let through: the builder never reads the text of what it summarises.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from engagement.vocab import Confidentiality

LineKind = Literal["interaction", "recurring", "confidential", "more"]
QuadrantKey = Literal["manage-closely", "keep-satisfied", "keep-informed", "monitor"]
Level = Literal["high", "low"]


class ReportLine(BaseModel):
    """One sentence of a stakeholder entry.

    ``interaction`` lines tell one interaction; ``recurring`` ones summarise an ongoing
    channel once; ``confidential`` ones say only that a confidential dialogue took place;
    ``more`` counts what the length limits left out.
    """

    kind: LineKind
    text: str
    date: str = ""
    interaction_id: int | None = None
    title: str = ""
    detail: str = ""
    first_time: list[str] = Field(default_factory=list)


class StakeholderEntry(BaseModel):
    """A stakeholder (an organisation with its branches and people) and its lines."""

    stakeholder_id: int
    name: str
    country: str | None = None
    first_time: bool = False
    interactions: int = 0
    lines: list[ReportLine] = Field(default_factory=list)


class ReportGroup(BaseModel):
    """Entries under an optional sub-heading ("In Belarus"); ``heading`` is None for the main
    group of a section."""

    heading: str | None = None
    entries: list[StakeholderEntry] = Field(default_factory=list)


class ReportSection(BaseModel):
    key: str
    heading: str
    type: str
    paragraphs: list[str] = Field(default_factory=list)
    groups: list[ReportGroup] = Field(default_factory=list)
    interactions: int = 0
    stakeholders: int = 0

    @property
    def empty(self) -> bool:
        return not self.paragraphs and not any(group.entries for group in self.groups)


class CountRow(BaseModel):
    label: str
    count: int


class SectionCount(BaseModel):
    key: str
    heading: str
    interactions: int
    stakeholders: int


class Facts(BaseModel):
    """Facts and figures over what the report shows (summarised interactions included, left-out
    ones not: counting them would reveal them)."""

    interactions: int = 0
    shown_in_full: int = 0
    summarised: int = 0
    by_kind: list[CountRow] = Field(default_factory=list)
    by_section: list[SectionCount] = Field(default_factory=list)
    stakeholders: int = 0
    first_time: list[str] = Field(default_factory=list)
    events_attended: int = 0
    follow_ups_opened: int = 0
    follow_ups_closed: int = 0
    commitments_opened: int = 0
    commitments_kept: int = 0
    commitments_overdue: int = 0


class MonthlyCounts(BaseModel):
    """Interactions per month and section: an interaction counts in every month of the period
    it covers (a May–August programme is engagement in each of those months)."""

    months: list[str] = Field(default_factory=list)
    labels: list[str] = Field(default_factory=list)
    series: dict[str, list[int]] = Field(default_factory=dict)

    def total(self, month_index: int) -> int:
        return sum(values[month_index] for values in self.series.values())


class MapStakeholder(BaseModel):
    id: int
    name: str
    influence: int
    interest: int
    engaged: bool | None = None


class MapQuadrant(BaseModel):
    key: QuadrantKey
    name: str
    influence: Level
    interest: Level
    stakeholders: list[MapStakeholder] = Field(default_factory=list)


class StakeholderMap(BaseModel):
    """The power–interest grid: scores of ``threshold`` and above count as high.

    ``engaged`` on a stakeholder says whether the report's period shows an interaction with it
    (None outside a report); ``unscored`` counts active stakeholders without both scores.
    """

    threshold: int
    quadrants: list[MapQuadrant]
    unscored: int = 0

    def quadrant(self, key: str) -> MapQuadrant:
        return next(item for item in self.quadrants if item.key == key)


class CommitmentLine(BaseModel):
    """One commitment in the report: who owes what to whom, by when."""

    id: int
    text: str
    sentence: str
    owed_by: str
    due: date | None = None
    status: str


class CommitmentsPart(BaseModel):
    """The "Commitments" section: made in the period, kept in the period, and still open past
    their due date (due by the end of the period and before the day of the report)."""

    opened: list[CommitmentLine] = Field(default_factory=list)
    kept: list[CommitmentLine] = Field(default_factory=list)
    overdue: list[CommitmentLine] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.opened or self.kept or self.overdue)


class ActivityReport(BaseModel):
    title: str
    start: date
    end: date
    period: str
    prepared_on: date
    confidentiality_max: Confidentiality
    confidentiality_note: str
    facts: Facts
    sections: list[ReportSection]
    monthly: MonthlyCounts
    stakeholder_map: StakeholderMap
    commitments: CommitmentsPart = Field(default_factory=CommitmentsPart)
