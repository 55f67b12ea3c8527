"""Records kept about the data rather than the data itself: merges (to undo them), the audit
log written by triggers, and the clearances of PostgreSQL roles."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from engagement.models.columns import AwareUTCDateTime, Base, UTCDateTime, utcnow


class StakeholderMerge(Base):
    """A merge of one stakeholder (dropped) into another (kept), with what it changed.

    The dropped row is deleted by the merge, so ``details`` (JSON) keeps its full snapshot and
    the ids of everything moved: that is what lets ``unmerge`` put it all back exactly, with the
    original id when it is still free. A merge that was undone keeps its row (``undone_at``) as
    an audit trail.
    """

    __tablename__ = "stakeholder_merges"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    keep_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    dropped_id: Mapped[int] = mapped_column(Integer, index=True)
    dropped_name: Mapped[str] = mapped_column(String(300))
    dropped_key: Mapped[str] = mapped_column(String(300), index=True)
    details: Mapped[str] = mapped_column(Text)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """One row inserted, updated or deleted, as database triggers recorded it
    (:mod:`engagement.auditing`); nothing in the application writes here."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(AwareUTCDateTime, index=True)
    actor: Mapped[str | None] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(8))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str | None] = mapped_column(String(500))
    stakeholder_id: Mapped[int | None] = mapped_column(Integer, index=True)
    interaction_id: Mapped[int | None] = mapped_column(Integer, index=True)
    confidentiality: Mapped[str | None] = mapped_column(String(32))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)


class Clearance(Base):
    """The highest confidentiality level a PostgreSQL role may see; row-level security reads
    it (a role without a row sees public interactions only). Unused on SQLite."""

    __tablename__ = "clearances"

    role_name: Mapped[str] = mapped_column(String(63), primary_key=True)
    level: Mapped[str] = mapped_column(String(32))
