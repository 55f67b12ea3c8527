"""The audit log and clearances, as read by front ends."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

from engagement.vocab import Confidentiality


class AuditEntryRead(BaseModel):
    """One row inserted, updated or deleted: who did it and when, the row before and after.

    ``actor`` is the PostgreSQL role that was logged in, or on SQLite the operating-system user
    ("unknown" when another program wrote). ``changed`` lists the columns an update changed.
    ``before``/``after`` are the stored row as the database saw it (dates as ISO text; SQLite
    shows true/false as 1/0).
    """

    id: int
    at: datetime
    actor: str
    action: Literal["insert", "update", "delete"]
    table: str
    row_id: str | None
    stakeholder_id: int | None
    interaction_id: int | None
    confidentiality: Confidentiality | None
    changed: list[str]
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ClearanceRead(BaseModel):
    """The highest confidentiality level a PostgreSQL role may see."""

    role: str
    level: Confidentiality
