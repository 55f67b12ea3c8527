"""Interactions and what hangs off them: participants, tags, staff, languages, the search
document and follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.models.columns import Base, UTCDateTime, utcnow
from engagement.models.stakeholders import Stakeholder


class Interaction(Base):
    __tablename__ = "interactions"
    __table_args__ = (
        Index("ix_interactions_start_on_id", "start_on", "id"),
        Index("ix_interactions_status_start_on", "status", "start_on"),
        # Covers the period queries (stats, the report): see migration 0008.
        Index("ix_interactions_period", "last_on", "start_on", "status", "kind", "confidentiality"),
        # The few recurring interactions, for "upcoming" (migration 0008).
        Index(
            "ix_interactions_recurring",
            "start_on",
            sqlite_where=sql_text("recurrence IS NOT NULL"),
            postgresql_where=sql_text("recurrence IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16))
    precision: Mapped[str] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    last_on: Mapped[date] = mapped_column(Date)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    confidentiality: Mapped[str] = mapped_column(String(32), index=True)
    recurrence: Mapped[str | None] = mapped_column(String(500))
    source_sequence: Mapped[int | None] = mapped_column(Integer)
    logged_by: Mapped[str] = mapped_column(String(200), default="")
    # Meeting metadata (docs/meeting-metadata.md): a null format is "not recorded".
    meeting_format: Mapped[str | None] = mapped_column(String(16), index=True)
    sidelines_of: Mapped[str | None] = mapped_column(String(300))
    interpreter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    attribution: Mapped[str] = mapped_column(
        String(16), default="on_record", server_default="on_record"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    links: Mapped[list[InteractionStakeholder]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan"
    )
    tags: Mapped[list[InteractionTag]] = relationship(
        cascade="all, delete-orphan", order_by="InteractionTag.tag"
    )
    staff: Mapped[list[InteractionStaff]] = relationship(
        cascade="all, delete-orphan", order_by="InteractionStaff.position"
    )
    follow_ups: Mapped[list[FollowUp]] = relationship(
        back_populates="interaction", cascade="all, delete-orphan", order_by="FollowUp.id"
    )
    languages: Mapped[list[InteractionLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="InteractionLanguage.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class InteractionStakeholder(Base):
    __tablename__ = "interaction_stakeholders"
    __table_args__ = (
        Index(
            "ix_interaction_stakeholders_history", "stakeholder_id", "start_on", "interaction_id"
        ),
        # Covers the period counts (stats, the report), whole links included: migration 0009.
        Index(
            "ix_interaction_stakeholders_period",
            "last_on",
            "start_on",
            "status",
            "kind",
            "confidentiality",
            "stakeholder_id",
            "interaction_id",
            "role",
            "position",
        ),
    )

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="RESTRICT"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer, default=0)
    start_on: Mapped[date] = mapped_column(Date)
    # Copies of the interaction's columns, set and kept by database triggers
    # (engagement/link_copies.py): never written by the application.
    last_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[str | None] = mapped_column(String(32))
    confidentiality: Mapped[str | None] = mapped_column(String(32))
    # One of their delegation (as opposed to, say, the host of a multilateral meeting).
    delegate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set on a person's link that was added because a post they held was named: the post the
    # person was met as. Such links follow the post's tenures (see services/posts.py).
    via_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL"), index=True
    )

    interaction: Mapped[Interaction] = relationship(back_populates="links")
    stakeholder: Mapped[Stakeholder] = relationship(foreign_keys=[stakeholder_id])


class InteractionTag(Base):
    __tablename__ = "interaction_tags"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class InteractionStaff(Base):
    """Our own people who took part (staff names, not stakeholders)."""

    __tablename__ = "interaction_staff"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class InteractionLanguage(Base):
    """A language used at the meeting, in the order given (the first is the main one)."""

    __tablename__ = "interaction_languages"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class InteractionDocument(Base):
    """The searchable text of an interaction (title, notes, place, tags, stakeholder names),
    folded and transliterated. SQLite indexes it with FTS5; PostgreSQL stores its tsvector in a
    generated ``vector`` column with a GIN index. Both are created by the migrations
    (:mod:`engagement.fulltext`), not declared here."""

    __tablename__ = "interaction_documents"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )
    document: Mapped[str] = mapped_column(Text)


class PendingDocument(Base):
    """An interaction whose search document still names a participant as it was before a
    rename by a PostgreSQL role that could not see the interaction; the next process of a role
    that can see it rewrites the document (:func:`engagement.services.search_index.drain_pending`).
    Always empty on SQLite."""

    __tablename__ = "pending_documents"

    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True
    )


class FollowUp(Base):
    __tablename__ = "follow_ups"
    __table_args__ = (Index("ix_follow_ups_done_due_on", "done", "due_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interaction_id: Mapped[int] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(200), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    interaction: Mapped[Interaction] = relationship(back_populates="follow_ups")
