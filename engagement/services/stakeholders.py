"""Stakeholders: organisations and people, their aliases and tags (affiliations between them:
:mod:`engagement.services.affiliations`, re-exported here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engagement.errors import ConcurrentEdit, DuplicateName, ValidationFailed
from engagement.models import (
    Affiliation,
    FollowUp,
    Interaction,
    InteractionStakeholder,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderTag,
)
from engagement.names import fold_name
from engagement.schemas import (
    StakeholderCreate,
    StakeholderProfile,
    StakeholderRead,
    StakeholderUpdate,
    TenureRead,
)
from engagement.services import followups, search_index
from engagement.services.affiliations import add_affiliation as add_affiliation
from engagement.services.affiliations import affiliations as affiliations
from engagement.services.resolve import resolve
from engagement.vocab import InteractionStatus, StakeholderKind


def add(session: Session, data: StakeholderCreate) -> StakeholderRead:
    key = fold_name(data.name)
    if not key:
        raise ValidationFailed("name", data.name, "has no letters or digits")
    _check_name_free(session, key, data.name)
    stakeholder = Stakeholder(
        name=data.name,
        name_key=key,
        kind=data.kind.value,
        country=data.country,
        notes=data.notes,
        archived=False,
        email=data.email,
        influence=data.influence,
        interest=data.interest,
    )
    if data.parent:
        stakeholder.parent = resolve(session, data.parent, field="parent")
    session.add(stakeholder)
    for alias in data.aliases:
        _add_alias(session, stakeholder, alias)
    stakeholder.tags = [StakeholderTag(tag=tag) for tag in dict.fromkeys(data.tags)]
    session.flush()
    search_index.index_stakeholders(session.connection(), [stakeholder.id])
    return read(session, stakeholder.id)


def update(session: Session, name: str, data: StakeholderUpdate) -> StakeholderRead:
    stakeholder = resolve(session, name)
    if data.expected_version is not None and data.expected_version != stakeholder.version:
        raise ConcurrentEdit(
            f"stakeholder {stakeholder.name!r}", data.expected_version, stakeholder.version
        )
    changes = data.model_fields_set
    if "name" in changes and data.name is not None and data.name != stakeholder.name:
        key = fold_name(data.name)
        if key != stakeholder.name_key:
            _check_name_free(session, key, data.name)
        old_name = stakeholder.name
        stakeholder.name, stakeholder.name_key = data.name, key
        if fold_name(old_name) not in {alias.alias_key for alias in stakeholder.aliases}:
            _add_alias(session, stakeholder, old_name)
    if "kind" in changes and data.kind is not None:
        if data.kind is StakeholderKind.PERSON or stakeholder.kind == StakeholderKind.PERSON.value:
            _check_kind_change(session, stakeholder, data.kind)
        if data.kind.value != stakeholder.kind:
            _check_no_tenures(session, stakeholder, data.kind)
        stakeholder.kind = data.kind.value
    if "country" in changes:
        stakeholder.country = data.country
    if "parent" in changes:
        stakeholder.parent = (
            None if not data.parent else _valid_parent(session, stakeholder, data.parent)
        )
    if "notes" in changes and data.notes is not None:
        stakeholder.notes = data.notes
    if "tags" in changes and data.tags is not None:
        stakeholder.tags = [StakeholderTag(tag=tag) for tag in dict.fromkeys(data.tags)]
    if "archived" in changes and data.archived is not None:
        stakeholder.archived = data.archived
    for field in ("email", "influence", "interest"):
        if field in changes:
            setattr(stakeholder, field, getattr(data, field))
    session.flush()
    if "name" in changes:
        _reindex_names(session, stakeholder.id)
    return read(session, stakeholder.id)


def add_alias(session: Session, name: str, alias: str) -> StakeholderRead:
    stakeholder = resolve(session, name)
    _add_alias(session, stakeholder, alias)
    session.flush()
    _reindex_names(session, stakeholder.id)
    return read(session, stakeholder.id)


def get(session: Session, name: str) -> StakeholderRead:
    return read(session, resolve(session, name).id)


def profile(
    session: Session,
    name: str,
    *,
    today: date,
    period: tuple[date | None, date | None] | None = None,
) -> StakeholderProfile:
    stakeholder = resolve(session, name)
    base = read(session, stakeholder.id)
    below = session.execute(
        select(Stakeholder.name, Stakeholder.kind)
        .where(Stakeholder.parent_id == stakeholder.id)
        .order_by(Stakeholder.name)
    ).all()
    children = [name for name, kind in below if kind != StakeholderKind.POST.value]
    post_names = [name for name, kind in below if kind == StakeholderKind.POST.value]
    since = today - timedelta(days=365)
    by_kind = dict(
        session.execute(
            select(Interaction.kind, func.count())
            .join(InteractionStakeholder, InteractionStakeholder.interaction_id == Interaction.id)
            .where(
                InteractionStakeholder.stakeholder_id == stakeholder.id,
                # The link's copy of the start day bounds the scan by the history index: a
                # stakeholder in 15,000 interactions reads only the last year's links.
                InteractionStakeholder.start_on >= since,
                InteractionStakeholder.start_on <= today,
                Interaction.status != InteractionStatus.CANCELLED.value,
            )
            .group_by(Interaction.kind)
            .order_by(Interaction.kind)
        ).all()
    )
    open_items = list(
        session.scalars(
            select(FollowUp.id)
            .join(
                InteractionStakeholder,
                InteractionStakeholder.interaction_id == FollowUp.interaction_id,
            )
            .where(
                InteractionStakeholder.stakeholder_id == stakeholder.id, FollowUp.done.is_(False)
            )
            .order_by(FollowUp.due_on.is_(None), FollowUp.due_on, FollowUp.id)
        )
    )
    return StakeholderProfile(
        **base.model_dump(),
        children=children,
        posts=post_names,
        people=affiliations(session, organisation_id=stakeholder.id, today=today),
        positions=affiliations(session, person_id=stakeholder.id, today=today),
        open_follow_ups=followups.read_many(session, open_items, today=today),
        interactions_by_kind={str(kind): int(count) for kind, count in by_kind.items()},
        first_time_in_period=None if period is None else _within(base.first_contact, period),
        post_tenures=_post_tenures(session, stakeholder, today=today),
    )


def _post_tenures(session: Session, stakeholder: Stakeholder, *, today: date) -> list[TenureRead]:
    from engagement.services import posts

    if stakeholder.kind == StakeholderKind.PERSON.value:
        return posts.tenures(session, today=today, person_id=stakeholder.id)
    if stakeholder.kind == StakeholderKind.POST.value:
        return posts.tenures(session, today=today, post_id=stakeholder.id)
    return posts.tenures(session, today=today, organisation_id=stakeholder.id)


def _within(day: date | None, period: tuple[date | None, date | None]) -> bool:
    start, end = period
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def list_(
    session: Session,
    *,
    kind: StakeholderKind | None = None,
    country: str | None = None,
    tag: str | None = None,
    parent: str | None = None,
    include_archived: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[StakeholderRead]:
    query = select(Stakeholder.id).order_by(Stakeholder.name_key, Stakeholder.id)
    if kind is not None:
        query = query.where(Stakeholder.kind == kind.value)
    if country is not None:
        query = query.where(Stakeholder.country == country)
    if tag is not None:
        query = query.where(
            Stakeholder.id.in_(
                select(StakeholderTag.stakeholder_id).where(StakeholderTag.tag == tag)
            )
        )
    if parent is not None:
        query = query.where(Stakeholder.parent_id == resolve(session, parent, field="parent").id)
    if not include_archived:
        query = query.where(Stakeholder.archived.is_(False))
    if limit is not None:
        query = query.limit(limit)
    if offset:
        query = query.offset(offset)
    return read_many(session, list(session.scalars(query)))


PARENT = aliased(Stakeholder)
# What a StakeholderRead is built from (besides aliases and tags), with PARENT outer-joined on
# parent_id; the dormant list reads the same.
READ_COLUMNS = (
    Stakeholder.id,
    Stakeholder.name,
    Stakeholder.kind,
    Stakeholder.country,
    Stakeholder.parent_id,
    PARENT.name.label("parent_name"),
    Stakeholder.notes,
    Stakeholder.archived,
    Stakeholder.first_contact_on,
    Stakeholder.last_contact_on,
    Stakeholder.interaction_count,
    Stakeholder.ongoing,
    Stakeholder.email,
    Stakeholder.influence,
    Stakeholder.interest,
    Stakeholder.created_at,
    Stakeholder.updated_at,
    Stakeholder.version,
)


def read(session: Session, stakeholder_id: int) -> StakeholderRead:
    return read_many(session, [stakeholder_id])[0]


def read_many(session: Session, ids: Sequence[int]) -> list[StakeholderRead]:
    """Read models for ``ids``, in that order, with a fixed number of queries."""
    if not ids:
        return []
    rows = {
        row.id: row
        for row in session.execute(
            select(*READ_COLUMNS)
            .outerjoin(PARENT, PARENT.id == Stakeholder.parent_id)
            .where(Stakeholder.id.in_(ids))
        )
    }
    aliases: dict[int, list[str]] = defaultdict(list)
    for owner, alias in session.execute(
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias)
        .where(StakeholderAlias.stakeholder_id.in_(ids))
        .order_by(StakeholderAlias.id)
    ):
        aliases[owner].append(alias)
    tags: dict[int, list[str]] = defaultdict(list)
    for owner, tag in session.execute(
        select(StakeholderTag.stakeholder_id, StakeholderTag.tag)
        .where(StakeholderTag.stakeholder_id.in_(ids))
        .order_by(StakeholderTag.tag)
    ):
        tags[owner].append(tag)
    result = []
    for stakeholder_id in ids:
        row = rows[stakeholder_id]
        result.append(
            StakeholderRead(
                id=row.id,
                name=row.name,
                kind=StakeholderKind(row.kind),
                country=row.country,
                parent=row.parent_name,
                parent_id=row.parent_id,
                aliases=aliases[row.id],
                tags=tags[row.id],
                notes=row.notes,
                archived=row.archived,
                first_contact=row.first_contact_on,
                last_contact=row.last_contact_on,
                interaction_count=row.interaction_count,
                ongoing=row.ongoing,
                email=row.email,
                influence=row.influence,
                interest=row.interest,
                created_at=row.created_at,
                updated_at=row.updated_at,
                version=row.version,
            )
        )
    return result


def descendants(session: Session, stakeholder_id: int) -> list[int]:
    """Ids of every organisation below this one (branches of branches included)."""
    found: list[int] = []
    frontier = [stakeholder_id]
    seen = {stakeholder_id}
    while frontier:
        children = [
            child
            for child in session.scalars(
                select(Stakeholder.id).where(Stakeholder.parent_id.in_(frontier))
            )
            if child not in seen
        ]
        seen.update(children)
        found.extend(children)
        frontier = children
    return found


def _reindex_names(session: Session, stakeholder_id: int) -> None:
    """A stakeholder's names changed: its keys, and the documents of its interactions."""
    connection = session.connection()
    search_index.index_stakeholders(connection, [stakeholder_id])
    search_index.reindex_participants(connection, [stakeholder_id])


def _add_alias(session: Session, stakeholder: Stakeholder, alias: str) -> None:
    key = fold_name(alias)
    if not key:
        raise ValidationFailed("alias", alias, "has no letters or digits")
    if key == stakeholder.name_key or key in {item.alias_key for item in stakeholder.aliases}:
        return
    other = session.scalars(
        select(Stakeholder.name).where(
            Stakeholder.name_key == key, Stakeholder.id != stakeholder.id
        )
    ).first()
    if other is not None:
        raise ValidationFailed(
            "alias", alias, f"is the name of another stakeholder ({other!r}); it cannot be an alias"
        )
    stakeholder.aliases.append(StakeholderAlias(alias=alias, alias_key=key))


def _check_name_free(session: Session, key: str, name: str) -> None:
    existing = session.scalars(select(Stakeholder.name).where(Stakeholder.name_key == key)).first()
    if existing is not None:
        raise DuplicateName(name, existing)


def _valid_parent(session: Session, stakeholder: Stakeholder, parent_name: str) -> Stakeholder:
    parent = resolve(session, parent_name, field="parent")
    if parent.id == stakeholder.id or parent.id in descendants(session, stakeholder.id):
        raise ValidationFailed(
            "parent", parent_name, f"is {stakeholder.name!r} itself or one of its branches"
        )
    return parent


def _check_kind_change(session: Session, stakeholder: Stakeholder, kind: StakeholderKind) -> None:
    column = (
        Affiliation.person_id
        if stakeholder.kind == StakeholderKind.PERSON.value
        else Affiliation.organisation_id
    )
    linked = session.scalar(
        select(func.count()).select_from(Affiliation).where(column == stakeholder.id)
    )
    if linked and kind.value != stakeholder.kind:
        raise ValidationFailed(
            "kind", kind.value, f"cannot change: {stakeholder.name!r} has {linked} affiliation(s)"
        )


def _check_no_tenures(session: Session, stakeholder: Stakeholder, kind: StakeholderKind) -> None:
    """A post that has holders stays a post, and a holder stays a person (docs/posts.md)."""
    held = session.scalar(
        select(func.count())
        .select_from(PostTenure)
        .where((PostTenure.post_id == stakeholder.id) | (PostTenure.person_id == stakeholder.id))
    )
    if held:
        raise ValidationFailed(
            "kind", kind.value, f"cannot change: {stakeholder.name!r} has {held} post tenure(s)"
        )


__all__ = [
    "add",
    "add_affiliation",
    "add_alias",
    "affiliations",
    "descendants",
    "get",
    "list_",
    "profile",
    "read",
    "read_many",
    "update",
]
