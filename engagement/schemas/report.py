"""The activity report at the boundary.

The models live beside their builder (:mod:`engagement.report.model`), where the report's
structure is explained; they are re-exported here so that front ends find every read model of
the library in one place, as for the other areas.
"""

from __future__ import annotations

from engagement.report.model import (
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

__all__ = [
    "ActivityReport",
    "CountRow",
    "Facts",
    "MapQuadrant",
    "MapStakeholder",
    "MonthlyCounts",
    "ReportGroup",
    "ReportLine",
    "ReportSection",
    "SectionCount",
    "StakeholderEntry",
    "StakeholderMap",
]
