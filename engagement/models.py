"""The tables, as SQLAlchemy typed models.

Columns that exist only to keep reads fast at scale are maintained by the service layer in the
same transaction as the change that affects them:

* ``*_key`` columns hold folded names (:mod:`engagement.names`) so lookups use an index;
* ``Interaction.start_on``/``last_on`` hold the calendar days covered, whatever the precision,
  so range filters and ordering need no date arithmetic in SQL;
* ``InteractionStakeholder.start_on`` copies the interaction's start so that a stakeholder's
  history, newest first, is one index range scan; its ``last_on``, ``status``, ``kind`` and
  ``confidentiality`` copy the interaction's too, so that counting a period is one covering
  index range (these four, and ``start_on`` as well, are kept by database triggers:
  :mod:`engagement.link_copies`);
* ``Stakeholder.first_contact_on``/``last_contact_on``/``interaction_count``/``ongoing`` answer
  "dormant" and list views without aggregating the whole log (``ongoing``: a held recurring
  interaction, such as a daily channel, keeps the relationship active).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC on every engine and hands back aware UTC datetimes.

    SQLite has no time zone type; storing one convention everywhere keeps both engines equal.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Stakeholder(Base):
    __tablename__ = "stakeholders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="SET NULL"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    first_contact_on: Mapped[date | None] = mapped_column(Date)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    interaction_count: Mapped[int] = mapped_column(Integer, default=0)
    ongoing: Mapped[bool] = mapped_column(Boolean, default=False)
    influence: Mapped[int | None] = mapped_column(Integer)
    interest: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    parent: Mapped[Stakeholder | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Stakeholder]] = relationship(back_populates="parent")
    aliases: Mapped[list[StakeholderAlias]] = relationship(
        back_populates="stakeholder", cascade="all, delete-orphan", order_by="StakeholderAlias.id"
    )
    tags: Mapped[list[StakeholderTag]] = relationship(
        cascade="all, delete-orphan", order_by="StakeholderTag.tag"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    # Dormant pages walk this in order (see migration 0008).
    __table_args__ = (Index("ix_stakeholders_last_contact", "last_contact_on", "name_key"),)


class StakeholderAlias(Base):
    __tablename__ = "stakeholder_aliases"
    __table_args__ = (UniqueConstraint("stakeholder_id", "alias_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), index=True)

    stakeholder: Mapped[Stakeholder] = relationship(back_populates="aliases")


class StakeholderTag(Base):
    __tablename__ = "stakeholder_tags"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class StakeholderKey(Base):
    """Search keys of a stakeholder (see :mod:`engagement.names`): its name, aliases and
    acronym folded, transliterated and put in word order, so that any spelling is one indexed
    equality lookup."""

    __tablename__ = "stakeholder_keys"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)
    source: Mapped[str] = mapped_column(String(16))


class StakeholderToken(Base):
    """Every word of a stakeholder's names, folded and transliterated: prefix lookups for
    filter-as-you-type stay on an index."""

    __tablename__ = "stakeholder_tokens"

    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Affiliation(Base):
    """A person's position at an organisation over a period (either end may be unknown)."""

    __tablename__ = "affiliations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Stakeholder] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Stakeholder] = relationship(foreign_keys=[organisation_id])


class PostTenure(Base):
    """A person holding a post (a stakeholder of kind ``post``) for a period.

    ``start_on`` is the first day that may be covered and ``end_on`` the last (``None``: not
    known / still held); the precisions (``day`` or ``month``) say how exactly each end is
    known, as for interactions. A post has one holder at a time: the service refuses overlaps.
    """

    __tablename__ = "post_tenures"
    __table_args__ = (Index("ix_post_tenures_post_id_start_on", "post_id", "start_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("stakeholders.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True
    )
    start_on: Mapped[date | None] = mapped_column(Date)
    start_precision: Mapped[str] = mapped_column(String(16), default="day")
    end_on: Mapped[date | None] = mapped_column(Date)
    end_precision: Mapped[str] = mapped_column(String(16), default="day")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class AwareUTCDateTime(UTCDateTime):
    """A ``timestamptz`` on PostgreSQL (filled by the database's clock in triggers), naive UTC
    text on SQLite; either way aware UTC datetimes in Python."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and dialect.name == "postgresql":
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UTC column")
            return value.astimezone(UTC)
        return super().process_bind_param(value, dialect)


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
