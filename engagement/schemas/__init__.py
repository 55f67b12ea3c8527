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
from engagement.schemas.search import (
    DormantEntry,
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

__all__ = [
    "AffiliationCreate",
    "AffiliationRead",
    "DatasetImport",
    "DormantEntry",
    "FollowUpCreate",
    "FollowUpRead",
    "ImportSummary",
    "InteractionCreate",
    "InteractionRead",
    "InteractionUpdate",
    "Line",
    "Name",
    "ParticipantIn",
    "ParticipantRead",
    "SearchHit",
    "StakeholderCreate",
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
