"""Pydantic schemas: what crosses the library's boundary.

``*Create``/``*Update`` validate input from the CLI, the TUI, imports and the sample data set
alike; ``*Read`` models are what every use case returns, so no ORM object ever leaks out. Text is
cleaned on the way in: control characters (terminal escape sequences among them) are removed, so
stored data can never drive a terminal.
"""

from __future__ import annotations

from engagement.schemas.base import (
    Line,
    Name,
    Tag,
    Text,
    clean_line,
    clean_name,
    clean_tag,
    clean_text,
    validated,
)
from engagement.schemas.calendar import (
    CalendarFollowUp,
    CalendarSelection,
    IcsExport,
    IcsImportItem,
    IcsImportReport,
)
from engagement.schemas.datasets import (
    DatasetImport,
    ImportSummary,
)
from engagement.schemas.interactions import (
    FollowUpCreate,
    FollowUpRead,
    InteractionCreate,
    InteractionRead,
    InteractionUpdate,
    ParticipantIn,
    ParticipantRead,
    Upcoming,
    UpcomingItem,
)
from engagement.schemas.report import (
    ActivityReport,
    CountRow,
    Facts,
    MapQuadrant,
    MapStakeholder,
    MonthlyCounts,
    ReportGroup,
    ReportLine,
    ReportSection,
    SectionCount,
    StakeholderEntry,
    StakeholderMap,
)
from engagement.schemas.search import (
    DormantEntry,
    MonthlyActivity,
    SearchHit,
    StakeholderPage,
    StatRow,
)
from engagement.schemas.stakeholders import (
    AffiliationCreate,
    AffiliationRead,
    StakeholderCreate,
    StakeholderProfile,
    StakeholderRead,
    StakeholderUpdate,
)
from engagement.schemas.transfer import (
    BackupSummary,
    CsvImportReport,
    CsvRowResult,
    DumpDocument,
    DumpImportReport,
    DuplicatePair,
    ExportSummary,
    MergeRead,
    RestoreSummary,
)

__all__ = [
    "ActivityReport",
    "AffiliationCreate",
    "AffiliationRead",
    "BackupSummary",
    "CalendarFollowUp",
    "CalendarSelection",
    "CountRow",
    "CsvImportReport",
    "CsvRowResult",
    "DatasetImport",
    "DormantEntry",
    "DumpDocument",
    "DumpImportReport",
    "DuplicatePair",
    "ExportSummary",
    "Facts",
    "FollowUpCreate",
    "FollowUpRead",
    "IcsExport",
    "IcsImportItem",
    "IcsImportReport",
    "ImportSummary",
    "InteractionCreate",
    "InteractionRead",
    "InteractionUpdate",
    "Line",
    "MapQuadrant",
    "MapStakeholder",
    "MergeRead",
    "MonthlyActivity",
    "MonthlyCounts",
    "Name",
    "ParticipantIn",
    "ParticipantRead",
    "ReportGroup",
    "ReportLine",
    "ReportSection",
    "RestoreSummary",
    "SearchHit",
    "SectionCount",
    "StakeholderCreate",
    "StakeholderEntry",
    "StakeholderMap",
    "StakeholderPage",
    "StakeholderProfile",
    "StakeholderRead",
    "StakeholderUpdate",
    "StatRow",
    "Tag",
    "Text",
    "Upcoming",
    "UpcomingItem",
    "clean_line",
    "clean_name",
    "clean_tag",
    "clean_text",
    "validated",
]
