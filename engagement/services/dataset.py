"""Importing a whole data set (the sample data, or a file from another tracker) in one unit.

Everything is validated by the schemas before anything is written, and the import runs in one
transaction: it lands completely or not at all. Importing the same data again changes nothing —
stakeholders are matched by name, affiliations by person, organisation, title and start, and
interactions by uid, posts by title and their holders by person and start.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.errors import EngagementError, ValidationFailed
from engagement.models import Affiliation, Commitment, Stakeholder, StakeholderTag
from engagement.names import fold_name
from engagement.schemas import (
    CommitmentCreate,
    DatasetCommitment,
    DatasetImport,
    ImportSummary,
    StakeholderCreate,
)
from engagement.services import commitments, interactions, posts, stakeholders
from engagement.services.resolve import resolve


class ImportFailed(EngagementError):
    """One item of a data set could not be applied; nothing was imported."""


def import_dataset(session: Session, data: DatasetImport, *, now: datetime) -> ImportSummary:
    summary = ImportSummary()
    for index, item in enumerate(data.stakeholders):
        with _item("stakeholders", index, item.name):
            added = _upsert_stakeholder(session, item)
            if added:
                summary.stakeholders_added += 1
            elif added is False:
                summary.stakeholders_updated += 1
    session.flush()
    for index, item in enumerate(data.stakeholders):
        if item.parent:
            with _item("stakeholders", index, item.name):
                child = resolve(session, item.name)
                parent = resolve(session, item.parent, field="parent")
                if child.parent_id != parent.id:
                    child.parent = parent
    known = session.scalar(select(func.count()).select_from(Affiliation)) or 0
    for index, affiliation in enumerate(data.affiliations):
        with _item("affiliations", index, affiliation.person):
            stakeholders.add_affiliation(session, affiliation)
    session.flush()
    summary.affiliations_added = (
        session.scalar(select(func.count()).select_from(Affiliation)) or 0
    ) - known
    for index, post in enumerate(data.posts):
        with _item("posts", index, post.title):
            added = posts.upsert(session, post, today=now.date())
            if added:
                summary.posts_added += 1
            elif added is False:
                summary.posts_updated += 1
    for index, interaction in enumerate(data.interactions):
        with _item("interactions", index, interaction.uid or interaction.title):
            existing = (
                interactions.find_by_uid(session, interaction.uid) if interaction.uid else None
            )
            if existing is None:
                interactions.log(session, interaction, now=now)
                summary.interactions_added += 1
            elif interactions.replace(session, existing, interaction, now=now):
                summary.interactions_updated += 1
    session.flush()
    for index, commitment in enumerate(data.commitments):
        with _item("commitments", index, commitment.text[:60]):
            if _add_commitment(session, commitment, now=now):
                summary.commitments_added += 1
    session.flush()
    return summary


def _add_commitment(session: Session, item: DatasetCommitment, *, now: datetime) -> bool:
    """Add the commitment unless one with the same text and direction is there (True if
    added): loading a data set again duplicates nothing, and a status changed since is kept."""
    if session.scalar(
        select(Commitment.id).where(
            Commitment.text == item.text, Commitment.owed_by == item.owed_by.value
        )
    ):
        return False
    data = item
    if item.from_interaction:
        found = interactions.find_by_uid(session, item.from_interaction)
        if found is None:
            raise ValidationFailed(
                "from_interaction", item.from_interaction, "is not the uid of an interaction"
            )
        data = item.model_copy(update={"interaction_id": found})
    plain = CommitmentCreate.model_validate(data.model_dump(exclude={"from_interaction"}))
    commitments.add(session, plain, today=now.date())
    return True


def _upsert_stakeholder(session: Session, item: StakeholderCreate) -> bool | None:
    """Create the stakeholder (True), bring it up to date (False), or leave it (None)."""
    existing = session.scalars(
        select(Stakeholder).where(Stakeholder.name_key == fold_name(item.name))
    ).first()
    if existing is None:
        stakeholders.add(session, item.model_copy(update={"parent": None}))
        return True
    changed = False
    for field, value in (
        ("kind", item.kind.value),
        ("country", item.country),
        ("notes", item.notes),
    ):
        if getattr(existing, field) != value:
            setattr(existing, field, value)
            changed = True
    known_aliases = {alias.alias_key for alias in existing.aliases}
    for alias in item.aliases:
        if fold_name(alias) not in known_aliases:
            stakeholders.add_alias(session, f"#{existing.id}", alias)
            known_aliases.add(fold_name(alias))
            changed = True
    known_tags = {tag.tag for tag in existing.tags}
    for tag in item.tags:
        if tag not in known_tags:
            existing.tags.append(StakeholderTag(tag=tag))
            known_tags.add(tag)
            changed = True
    return False if changed else None


@contextmanager
def _item(section: str, index: int, label: str) -> Iterator[None]:
    """Prefix any error with the item it came from, so a bad file can be fixed quickly."""
    try:
        yield
    except ImportFailed:
        raise
    except EngagementError as error:
        raise ImportFailed(f"{section}[{index}] ({label}): {error}") from error
