"""Stakeholders, their names for search, affiliations and the tenures of posts."""

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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engagement.models.columns import Base, UTCDateTime, utcnow


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
