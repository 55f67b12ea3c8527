"""What the activity report reads about stakeholders: the ones its period involves, their
labels, hierarchy and employers, and the scores of the stakeholder map.

Like the period's reads (:mod:`engagement.services.reports`), every query selects plain columns
with Core and runs once per chunk of ids (a few hundred), never once per stakeholder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import Session

from engagement.models import Affiliation, Stakeholder, StakeholderAlias, StakeholderTag
from engagement.services.reports import as_day, chunks
from engagement.vocab import StakeholderKind

# Looked up rather than constructed: a year of a large log involves tens of thousands.
_STAKEHOLDER_KINDS = {kind.value: kind for kind in StakeholderKind}
# Above this many ids, a table is read whole rather than by chunks of ids.
WHOLE_TABLE = 5000


class StakeholderRow:
    """A stakeholder as the report files and names it. A plain slotted class, not a dataclass:
    a year of a large log involves most of 100,000 stakeholders, and its labels (tags and
    aliases) are read only for the few hundred printed (:func:`add_labels`)."""

    __slots__ = (
        "aliases",
        "country",
        "first_contact_on",
        "id",
        "kind",
        "name",
        "parent_id",
        "tags",
    )

    def __init__(
        self,
        id: int,
        name: str,
        kind: StakeholderKind,
        country: str | None,
        parent_id: int | None,
        first_contact_on: date | None,
        tags: Sequence[str] = (),
        aliases: Sequence[str] = (),
    ) -> None:
        self.id = id
        self.name = name
        self.kind = kind
        self.country = country
        self.parent_id = parent_id
        self.first_contact_on = first_contact_on
        self.tags = tags
        self.aliases = aliases


@dataclass(frozen=True)
class ScoredRow:
    id: int
    name: str
    influence: int
    interest: int


def stakeholder_rows(
    session: Session, ids: Iterable[int], *, labels: bool = True
) -> dict[int, StakeholderRow]:
    """Stakeholders, with their tags and aliases unless ``labels`` is false: the labels matter
    only for the organisations a report files under and the names it prints, a few hundred,
    while a year of a large log involves tens of thousands of stakeholders."""
    found: dict[int, StakeholderRow] = {}
    connection = session.connection()
    wanted = set(ids)
    columns = select(
        Stakeholder.id,
        Stakeholder.name,
        Stakeholder.kind,
        Stakeholder.country,
        Stakeholder.parent_id,
        type_coerce(Stakeholder.first_contact_on, String),
    )
    # A year of a large log involves most stakeholders: one pass over the table then costs
    # less than hundreds of lookups by id.
    if len(wanted) > WHOLE_TABLE:
        batches: Iterable[Any] = [connection.execute(columns).all()]
    else:
        batches = (
            connection.execute(columns.where(Stakeholder.id.in_(chunk))).all()
            for chunk in chunks(wanted)
        )
    kinds = _STAKEHOLDER_KINDS
    for batch in batches:
        for ident, name, kind, country, parent_id, first_contact in batch:
            if ident in wanted:
                found[ident] = StakeholderRow(
                    ident,
                    name,
                    kinds[kind],
                    country,
                    parent_id,
                    None if first_contact is None else as_day(first_contact),
                )
    if labels:
        add_labels(session, found, found)
    return found


def add_labels(session: Session, found: dict[int, StakeholderRow], ids: Iterable[int]) -> None:
    """Fill in the tags and aliases of ``ids`` (keys of ``found``): two queries per chunk."""
    for chunk in chunks(ids):
        tags: dict[int, list[str]] = {}
        for owner, tag in session.execute(
            select(StakeholderTag.stakeholder_id, StakeholderTag.tag)
            .where(StakeholderTag.stakeholder_id.in_(chunk))
            .order_by(StakeholderTag.tag)
        ):
            tags.setdefault(owner, []).append(tag)
        aliases: dict[int, list[str]] = {}
        for owner, alias in session.execute(
            select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias)
            .where(StakeholderAlias.stakeholder_id.in_(chunk))
            .order_by(StakeholderAlias.id)
        ):
            aliases.setdefault(owner, []).append(alias)
        for owner in chunk:
            if (row := found.get(owner)) is not None:
                row.tags = tags.get(owner, [])
                row.aliases = aliases.get(owner, [])


def tags_among(session: Session, ids: Iterable[int], tags: Iterable[str]) -> dict[int, list[str]]:
    """Which of ``tags`` each of ``ids`` carries (through the tag index: the tags a report's
    sections file by are few and selective)."""
    wanted = set(ids)
    found: dict[int, list[str]] = {}
    for owner, tag in session.execute(
        select(StakeholderTag.stakeholder_id, StakeholderTag.tag)
        .where(StakeholderTag.tag.in_(sorted(set(tags))))
        .order_by(StakeholderTag.tag)
    ):
        if owner in wanted:
            found.setdefault(owner, []).append(tag)
    return found


def parents(session: Session, ids: Iterable[int]) -> dict[int, int | None]:
    """``parent_id`` of these stakeholders and of all their ancestors: one query per level of
    the hierarchy (a few), never one per stakeholder."""
    known: dict[int, int | None] = {}
    pending = set(ids)
    while pending:
        for chunk in chunks(pending):
            for stakeholder_id, parent_id in session.execute(
                select(Stakeholder.id, Stakeholder.parent_id).where(Stakeholder.id.in_(chunk))
            ):
                known[stakeholder_id] = parent_id
        pending = {parent for parent in known.values() if parent is not None} - known.keys()
    return known


def current_organisations(
    session: Session, person_ids: Iterable[int], start: date, end: date
) -> dict[int, int]:
    """The organisation each person held a position at during the period (the first one
    recorded, when several)."""
    found: dict[int, int] = {}
    wanted = set(person_ids)
    query = (
        select(Affiliation.person_id, Affiliation.organisation_id)
        .where(
            (Affiliation.start_on.is_(None)) | (Affiliation.start_on <= end),
            (Affiliation.end_on.is_(None)) | (Affiliation.end_on >= start),
        )
        .order_by(Affiliation.person_id, Affiliation.id)
    )
    if len(wanted) > WHOLE_TABLE:
        batches: Iterable[Any] = [session.execute(query).all()]
    else:
        batches = (
            session.execute(query.where(Affiliation.person_id.in_(chunk))).all()
            for chunk in chunks(wanted)
        )
    for batch in batches:
        for person_id, organisation_id in batch:
            if person_id in wanted:
                found.setdefault(person_id, organisation_id)
    return found


def scored_stakeholders(session: Session) -> tuple[list[ScoredRow], int]:
    """Active stakeholders with both scores, and how many active ones lack one."""
    active = Stakeholder.archived.is_(False)
    scored = and_(Stakeholder.influence.is_not(None), Stakeholder.interest.is_not(None))
    rows = [
        ScoredRow(row.id, row.name, int(row.influence), int(row.interest))
        for row in session.execute(
            select(Stakeholder.id, Stakeholder.name, Stakeholder.influence, Stakeholder.interest)
            .where(active, scored)
            .order_by(Stakeholder.name_key)
        )
    ]
    total = session.scalar(select(func.count(Stakeholder.id)).where(active)) or 0
    return rows, int(total) - len(rows)
