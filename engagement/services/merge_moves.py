"""The row moves of a merge and their inverses (:mod:`engagement.services.merge`).

Each ``move_*`` rewrites DROP's rows to KEEP with Core statements and returns what an undo
needs, as JSON-ready values; each ``restore_*`` takes that record back, moving only rows that
are still where the merge put them. Core, not the ORM: the ORM would null out DROP's children on
delete and cascade through relationships.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.orm import Session

from engagement.models import (
    Affiliation,
    Commitment,
    CommitmentStakeholder,
    Interaction,
    InteractionStakeholder,
    Stakeholder,
    StakeholderAlias,
)
from engagement.names import fold_name

AFFILIATION_FIELDS = (
    "id", "person_id", "organisation_id", "title", "start_on", "end_on", "created_at",
)  # fmt: skip


def move_links(session: Session, k: int, d: int) -> list[dict[str, Any]]:
    """DROP's links become KEEP's; where KEEP already took part, DROP's link is removed."""
    rows, shared = _move_link_rows(session, InteractionStakeholder, "interaction_id", k, d)
    return [
        {
            "interaction_id": link.interaction_id,
            "role": link.role,
            "position": link.position,
            "shared": link.interaction_id in shared,
            "delegate": bool(link.delegate),
        }
        for link in rows
    ]


def restore_links(session: Session, k: int, new_id: int, links: list[dict[str, Any]]) -> None:
    def start_on(interaction_id: int) -> Any:
        return session.scalar(select(Interaction.start_on).where(Interaction.id == interaction_id))

    _restore_link_rows(
        session,
        InteractionStakeholder,
        Interaction,
        "interaction_id",
        k,
        links,
        moved_back=lambda link: {
            "stakeholder_id": new_id,
            "role": link["role"],
            "position": link["position"],
            "delegate": link.get("delegate", False),
        },
        inserted=lambda link: {
            "interaction_id": link["interaction_id"],
            "stakeholder_id": new_id,
            "role": link["role"],
            "position": link["position"],
            "start_on": start_on(link["interaction_id"]),
            "delegate": link.get("delegate", False),
        },
    )


def move_commitment_links(session: Session, k: int, d: int) -> list[dict[str, Any]]:
    """DROP's commitments now concern KEEP (a commitment both concerned keeps KEEP's link)."""
    rows, shared = _move_link_rows(session, CommitmentStakeholder, "commitment_id", k, d)
    return [
        {
            "commitment_id": row.commitment_id,
            "position": row.position,
            "shared": row.commitment_id in shared,
        }
        for row in rows
    ]


def restore_commitment_links(
    session: Session, k: int, new_id: int, links: list[dict[str, Any]]
) -> None:
    _restore_link_rows(
        session,
        CommitmentStakeholder,
        Commitment,
        "commitment_id",
        k,
        links,
        moved_back=lambda link: {"stakeholder_id": new_id},
        inserted=lambda link: {
            "commitment_id": link["commitment_id"],
            "stakeholder_id": new_id,
            "position": link["position"],
        },
    )


def _move_link_rows(
    session: Session, model: Any, parent: str, k: int, d: int
) -> tuple[list[Row[Any]], set[int]]:
    """DROP's rows of a link table (as they were) and the parents KEEP was already linked to;
    DROP's links to those parents are deleted, the others re-pointed to KEEP."""
    parent_column = getattr(model, parent)
    shared = set(session.scalars(select(parent_column).where(model.stakeholder_id == k)))
    rows = list(
        session.execute(
            select(model.__table__).where(model.stakeholder_id == d).order_by(parent_column)
        )
    )
    session.execute(delete(model).where(model.stakeholder_id == d, parent_column.in_(shared)))
    session.execute(update(model).where(model.stakeholder_id == d).values(stakeholder_id=k))
    return rows, shared


def _restore_link_rows(
    session: Session,
    model: Any,
    parent_model: Any,
    parent: str,
    k: int,
    links: list[dict[str, Any]],
    *,
    moved_back: Callable[[dict[str, Any]], dict[str, Any]],
    inserted: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Links of parents that still exist go back to the restored stakeholder: the moved link if
    it is still KEEP's, else (shared, or removed since) a new one."""
    existing = set(
        session.scalars(
            select(parent_model.id).where(parent_model.id.in_([link[parent] for link in links]))
        )
    )
    for link in links:
        if link[parent] not in existing:
            continue
        here = getattr(model, parent) == link[parent]
        if not link["shared"]:
            moved = session.execute(
                update(model).where(here, model.stakeholder_id == k).values(moved_back(link))
            )
            if getattr(moved, "rowcount", 0):
                continue
        session.execute(insert(model), inserted(link))


def move_affiliations(
    session: Session, k: int, d: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    moved: list[dict[str, Any]] = []
    deleted: list[dict[str, Any]] = []
    rows = session.execute(
        select(Affiliation.__table__)
        .where((Affiliation.person_id == d) | (Affiliation.organisation_id == d))
        .order_by(Affiliation.id)
    ).all()
    for row in rows:
        column = "person_id" if row.person_id == d else "organisation_id"
        person = k if column == "person_id" else row.person_id
        organisation = k if column == "organisation_id" else row.organisation_id
        twin = session.scalar(
            select(Affiliation.id).where(
                Affiliation.id != row.id,
                Affiliation.person_id == person,
                Affiliation.organisation_id == organisation,
                func.lower(Affiliation.title) == row.title.lower(),
                Affiliation.start_on.is_(None)
                if row.start_on is None
                else Affiliation.start_on == row.start_on,
            )
        )
        if twin is not None:
            deleted.append({f: to_json(getattr(row, f)) for f in AFFILIATION_FIELDS})
            session.execute(delete(Affiliation).where(Affiliation.id == row.id))
        else:
            moved.append({"id": row.id, "column": column})
            session.execute(update(Affiliation).where(Affiliation.id == row.id).values({column: k}))
    return moved, deleted


def restore_affiliations(
    session: Session, k: int, new_id: int, dropped_id: int, details: dict[str, Any]
) -> None:
    """Move DROP's affiliations back from KEEP, and bring back those the merge deleted."""
    for moved in details["affiliations_moved"]:
        column = getattr(Affiliation, moved["column"])
        session.execute(
            update(Affiliation)
            .where(Affiliation.id == moved["id"], column == k)
            .values({moved["column"]: new_id})
        )
    for deleted in details["affiliations_deleted"]:
        values = {f: from_json(f, deleted[f]) for f in AFFILIATION_FIELDS}
        for column in ("person_id", "organisation_id"):
            if values[column] == dropped_id:
                values[column] = new_id
        insert_keeping_id(session, Affiliation, values)


def add_aliases(session: Session, keep: Stakeholder, names: list[str]) -> list[dict[str, Any]]:
    known = {keep.name_key} | set(
        session.scalars(
            select(StakeholderAlias.alias_key).where(StakeholderAlias.stakeholder_id == keep.id)
        )
    )
    added = []
    for name in names:
        key = fold_name(name)
        if not key or key in known:
            continue
        known.add(key)
        alias_id = session.execute(
            insert(StakeholderAlias)
            .values(stakeholder_id=keep.id, alias=name, alias_key=key)
            .returning(StakeholderAlias.id)
        ).scalar_one()
        added.append({"id": alias_id, "alias": name})
    return added


def reparent(session: Session, which: Any, parent_id: int | None) -> None:
    """A structural move, not an edit: ``updated_at`` is kept, so an undo restores it exactly."""
    session.execute(
        update(Stakeholder)
        .where(which)
        .values(parent_id=parent_id, updated_at=Stakeholder.updated_at)
    )


def insert_keeping_id(session: Session, model: Any, values: dict[str, Any]) -> int:
    """Insert with the row's original id when it is free, else with a new one."""
    row = dict(values)
    if row.get("id") is None or session.get(model, row["id"]) is not None:
        row.pop("id", None)
    inserted = session.execute(insert(model).values(row).returning(model.id)).scalar_one()
    return int(inserted)


def to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def from_json(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field.endswith("_at"):
        return datetime.fromisoformat(value)
    if field.endswith("_on"):
        return date.fromisoformat(value)
    return value


__all__ = [
    "AFFILIATION_FIELDS",
    "add_aliases",
    "from_json",
    "insert_keeping_id",
    "move_affiliations",
    "move_commitment_links",
    "move_links",
    "reparent",
    "restore_affiliations",
    "restore_commitment_links",
    "restore_links",
    "to_json",
]
