"""The commitments ledger: promises made or received, and whom they concern."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.models.columns import Base, UTCDateTime, utcnow


class Commitment(Base):
    """A promise with a direction (``owed_by``: ``us`` or ``them``), an owner on our side, a
    due date and a status; it may come from an interaction, whose confidentiality it inherits
    unless given its own. Unlike a follow-up it outlives the interaction (which may be
    deleted: the link is then cleared) and it concerns stakeholders directly."""

    __tablename__ = "commitments"
    __table_args__ = (Index("ix_commitments_status_due_on", "status", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    owed_by: Mapped[str] = mapped_column(String(8))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="SET NULL"), index=True
    )
    confidentiality: Mapped[str] = mapped_column(String(32))
    # The day it was made (the interaction's day, by default) and the day it was kept or
    # dropped: what the activity report counts, whatever day it was typed in.
    made_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    links: Mapped[list[CommitmentStakeholder]] = relationship(
        cascade="all, delete-orphan", order_by="CommitmentStakeholder.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class CommitmentStakeholder(Base):
    __tablename__ = "commitment_stakeholders"

    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
