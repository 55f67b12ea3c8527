"""Finding stakeholders by any spelling and interactions by full text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import (
    Interaction,
    InteractionStakeholder,
    InteractionTag,
    Stakeholder,
    StakeholderAlias,
)
from engagement.names import fold_name
from engagement.schemas import SearchHit, StakeholderPage
from engagement.schemas.base import clean_tag
from engagement.services import interactions, stakeholders
from engagement.services.resolve import resolve
from engagement.vocab import Confidentiality, InteractionKind, StakeholderKind, choices

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class SearchOptions:
    kind: InteractionKind | None = None
    stakeholder: str | None = None
    tag: str | None = None
    start: date | None = None
    end: date | None = None
    confidentiality_max: Confidentiality | None = None
    limit: int = 50
    offset: int = 0

    @classmethod
    def build(
        cls,
        *,
        kind: InteractionKind | str | None,
        stakeholder: str | None,
        tag: str | None,
        start: date | None,
        end: date | None,
        confidentiality_max: Confidentiality | str | None,
        limit: int,
        offset: int,
    ) -> SearchOptions:
        return cls(
            kind=_enum(InteractionKind, kind, "kind"),
            stakeholder=stakeholder or None,
            tag=clean_tag(tag) if tag else None,
            start=start,
            end=end,
            confidentiality_max=_enum(Confidentiality, confidentiality_max, "confidentiality-max"),
            limit=max(1, min(limit, 500)),
            offset=max(0, offset),
        )


def find_stakeholders(
    session: Session,
    text: str,
    *,
    kind: StakeholderKind | None,
    country: str | None,
    include_archived: bool,
    limit: int,
    offset: int,
) -> StakeholderPage:
    query = select(Stakeholder.id)
    key = fold_name(text)
    if key:
        pattern = f"%{key}%"
        aliased_ids = select(StakeholderAlias.stakeholder_id).where(
            StakeholderAlias.alias_key.like(pattern)
        )
        query = query.where(
            or_(Stakeholder.name_key.like(pattern), Stakeholder.id.in_(aliased_ids))
        )
    if kind is not None:
        query = query.where(Stakeholder.kind == kind.value)
    if country is not None:
        query = query.where(Stakeholder.country == country)
    if not include_archived:
        query = query.where(Stakeholder.archived.is_(False))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = list(
        session.scalars(
            query.order_by(Stakeholder.name_key, Stakeholder.id).limit(limit).offset(offset)
        )
    )
    return StakeholderPage(
        items=stakeholders.read_many(session, ids), total=total, offset=offset, fuzzy=False
    )


def search_interactions(
    session: Session, query_text: str, options: SearchOptions, *, today: date
) -> list[SearchHit]:
    words = [fold_name(word) for word in query_text.split() if fold_name(word)]
    query = select(Interaction.id)
    for word in words:
        pattern = f"%{word}%"
        query = query.where(
            or_(
                func.lower(Interaction.title).like(pattern),
                func.lower(Interaction.summary).like(pattern),
                func.lower(Interaction.outcome).like(pattern),
                func.lower(Interaction.location).like(pattern),
            )
        )
    query = _filtered(session, query, options)
    ids = list(
        session.scalars(
            query.order_by(Interaction.start_on.desc(), Interaction.id.desc())
            .limit(options.limit)
            .offset(options.offset)
        )
    )
    hits = []
    for item in interactions.read_many(session, ids, today=today):
        snippet = item.summary[:160] or item.title
        hits.append(SearchHit(interaction=item, snippet=snippet, highlights=[], score=1.0))
    return hits


def tags(session: Session, prefix: str, *, limit: int) -> list[str]:
    wanted = clean_tag(prefix) if prefix else ""
    query = select(InteractionTag.tag, func.count().label("uses")).group_by(InteractionTag.tag)
    if wanted:
        query = query.where(InteractionTag.tag.like(f"{wanted}%"))
    query = query.order_by(func.count().desc(), InteractionTag.tag).limit(limit)
    return [row.tag for row in session.execute(query)]


def _filtered(session: Session, query, options: SearchOptions):  # type: ignore[no-untyped-def]
    if options.kind is not None:
        query = query.where(Interaction.kind == options.kind.value)
    if options.stakeholder:
        target = resolve(session, options.stakeholder, field="stakeholder")
        query = query.where(
            Interaction.id.in_(
                select(InteractionStakeholder.interaction_id).where(
                    InteractionStakeholder.stakeholder_id == target.id
                )
            )
        )
    if options.tag:
        query = query.where(
            Interaction.id.in_(
                select(InteractionTag.interaction_id).where(InteractionTag.tag == options.tag)
            )
        )
    if options.start is not None:
        query = query.where(Interaction.last_on >= options.start)
    if options.end is not None:
        query = query.where(Interaction.start_on <= options.end)
    if options.confidentiality_max is not None:
        allowed = [level.value for level in options.confidentiality_max.levels_up_to()]
        query = query.where(Interaction.confidentiality.in_(allowed))
    return query


def _enum(enum: type[E], value: object, field: str) -> E | None:
    if value is None or value == "":
        return None
    if isinstance(value, enum):
        return value
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        raise ValidationFailed(field, value, f"is not one of {choices(enum)}") from None
