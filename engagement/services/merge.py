"""Merging duplicate stakeholders and undoing merges (likely duplicates: transfer.duplicates).

A merge moves everything of DROP to KEEP — interaction links (when both took part in the same
interaction, KEEP's link stays and DROP's goes), affiliations, aliases (DROP's own name becomes
one of KEEP's), tags, branches (``parent_id``) — then deletes DROP. Follow-ups belong to
interactions, not stakeholders, so they follow the links and nothing moves. Other merges that
had kept DROP are re-pointed to KEEP, so they can still be undone.

Everything needed to undo it is recorded in ``stakeholder_merges.details`` (JSON): DROP's row as
it was, its aliases and tags, and the id of every row moved, added or deleted. ``unmerge``
brings DROP back (original id if still free) and moves back whatever is still where the merge
put it; what someone changed since is respected rather than overwritten.

All row moves are Core statements: the ORM would otherwise null out DROP's children on delete
and cascade through relationships. KEEP's version is bumped with an optimistic check, so an edit
of KEEP opened before the merge is refused instead of silently undoing part of it.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from engagement.errors import ConcurrentEdit, MergeRefused
from engagement.models import (
    Affiliation,
    Commitment,
    CommitmentStakeholder,
    Interaction,
    InteractionStakeholder,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderMerge,
    StakeholderTag,
)
from engagement.names import fold_name
from engagement.schemas import MergeRead
from engagement.services import search_index, stakeholders
from engagement.services.interactions import refresh_contacts
from engagement.services.resolve import resolve
from engagement.vocab import StakeholderKind

_ROW_FIELDS = (
    "id", "name", "name_key", "kind", "country", "email", "parent_id", "notes", "archived",
    "influence", "interest", "created_at", "updated_at", "version",
)  # fmt: skip
_AFFILIATION_FIELDS = (
    "id", "person_id", "organisation_id", "title", "start_on", "end_on", "created_at",
)  # fmt: skip


def merge(
    session: Session,
    keep_name: str,
    drop_name: str,
    *,
    now: datetime,
    keep_version: int | None = None,
    drop_version: int | None = None,
) -> MergeRead:
    keep = resolve(session, keep_name, field="keep")
    drop = resolve(session, drop_name, field="drop")
    _check(session, keep, drop, keep_version, drop_version)
    k, d = keep.id, drop.id
    details: dict[str, Any] = {
        "dropped": {field: _json(getattr(drop, field)) for field in _ROW_FIELDS},
        "aliases": [
            {"id": a.id, "alias": a.alias, "alias_key": a.alias_key}
            for a in sorted(drop.aliases, key=lambda alias: alias.id)
        ],
        "tags": sorted(tag.tag for tag in drop.tags),
    }
    details["links"] = _move_links(session, k, d)
    details["commitments"] = _move_commitment_links(session, k, d)
    details["affiliations_moved"], details["affiliations_deleted"] = _move_affiliations(
        session, k, d
    )
    details["children"] = list(
        session.scalars(
            select(Stakeholder.id).where(Stakeholder.parent_id == d, Stakeholder.id != k)
        )
    )
    _reparent(session, Stakeholder.id.in_(details["children"]), k)
    details["keep_parent"] = None
    if keep.parent_id == d:
        details["keep_parent"] = {"was": d, "now": drop.parent_id}
        _reparent(session, Stakeholder.id == k, drop.parent_id)
    details["merges_repointed"] = list(
        session.scalars(select(StakeholderMerge.id).where(StakeholderMerge.keep_id == d))
    )
    session.execute(update(StakeholderMerge).where(StakeholderMerge.keep_id == d).values(keep_id=k))
    details["keep_aliases_added"] = _add_aliases(
        session, keep, [drop.name] + [a["alias"] for a in details["aliases"]]
    )
    keep_tags = {tag.tag for tag in keep.tags}
    details["keep_tags_added"] = [tag for tag in details["tags"] if tag not in keep_tags]
    if details["keep_tags_added"]:
        session.execute(
            insert(StakeholderTag),
            [{"stakeholder_id": k, "tag": tag} for tag in details["keep_tags_added"]],
        )
    session.expunge(drop)
    session.execute(delete(Stakeholder).where(Stakeholder.id == d))
    _bump(session, keep, now)
    _refresh(session, [k], now)
    text = json.dumps(details, ensure_ascii=False, sort_keys=True)
    record = StakeholderMerge(
        keep_id=k, dropped_id=d, dropped_name=drop.name, dropped_key=drop.name_key, details=text
    )
    record.merged_at = now
    session.add(record)
    session.flush()
    return _read(session, record)


def unmerge(
    session: Session, name: str, *, merge_id: int | None = None, now: datetime
) -> MergeRead:
    record = _find(session, name, merge_id)
    details = json.loads(record.details)
    dropped = details["dropped"]
    keep = session.get(Stakeholder, record.keep_id)
    assert keep is not None  # the foreign key cascades: a merge record always has its KEEP
    k = keep.id
    taken = session.scalar(
        select(Stakeholder.name).where(Stakeholder.name_key == dropped["name_key"])
    )
    if taken is not None:
        raise MergeRefused(
            f"cannot undo the merge of {record.dropped_name!r}: the name now belongs to "
            f"{taken!r}; rename that stakeholder first"
        )
    session.execute(
        delete(StakeholderAlias).where(
            StakeholderAlias.id.in_([a["id"] for a in details["keep_aliases_added"]]),
            StakeholderAlias.stakeholder_id == k,
        )
    )
    row = {field: _unjson(field, dropped[field]) for field in _ROW_FIELDS}
    if row["parent_id"] is not None and session.get(Stakeholder, row["parent_id"]) is None:
        row["parent_id"] = None
    new_id = _insert_keeping_id(session, Stakeholder, row)
    for alias in details["aliases"]:
        _insert_keeping_id(session, StakeholderAlias, {**alias, "stakeholder_id": new_id})
    session.execute(
        delete(StakeholderTag).where(
            StakeholderTag.stakeholder_id == k, StakeholderTag.tag.in_(details["keep_tags_added"])
        )
    )
    if details["tags"]:
        session.execute(
            insert(StakeholderTag), [{"stakeholder_id": new_id, "tag": t} for t in details["tags"]]
        )
    _restore_links(session, k, new_id, details["links"])
    _restore_commitment_links(session, k, new_id, details.get("commitments", []))
    for moved in details["affiliations_moved"]:
        column = getattr(Affiliation, moved["column"])
        session.execute(
            update(Affiliation)
            .where(Affiliation.id == moved["id"], column == k)
            .values({moved["column"]: new_id})
        )
    for deleted in details["affiliations_deleted"]:
        values = {f: _unjson(f, deleted[f]) for f in _AFFILIATION_FIELDS}
        for column in ("person_id", "organisation_id"):
            if values[column] == record.dropped_id:
                values[column] = new_id
        _insert_keeping_id(session, Affiliation, values)
    _reparent(
        session, Stakeholder.id.in_(details["children"]) & (Stakeholder.parent_id == k), new_id
    )
    if details["keep_parent"] and keep.parent_id == details["keep_parent"]["now"]:
        _reparent(session, Stakeholder.id == k, new_id)
    session.execute(
        update(StakeholderMerge)
        .where(StakeholderMerge.id.in_(details["merges_repointed"]), StakeholderMerge.keep_id == k)
        .values(keep_id=new_id)
    )
    _bump(session, keep, now)
    record.undone_at = now
    session.flush()
    _refresh(session, [k, new_id], now)
    return _read(session, record, restored_id=new_id)


def list_merges(session: Session, *, include_undone: bool = True) -> list[MergeRead]:
    query = select(StakeholderMerge).order_by(StakeholderMerge.id.desc())
    if not include_undone:
        query = query.where(StakeholderMerge.undone_at.is_(None))
    return [_read(session, record) for record in session.scalars(query)]


# --- the steps ----------------------------------------------------------------------------


def _check(
    session: Session,
    keep: Stakeholder,
    drop: Stakeholder,
    keep_version: int | None,
    drop_version: int | None,
) -> None:
    if keep.id == drop.id:
        raise MergeRefused(f"{keep.name!r} cannot be merged into itself; name two stakeholders")
    for item, expected in ((keep, keep_version), (drop, drop_version)):
        if expected is not None and expected != item.version:
            raise ConcurrentEdit(f"stakeholder {item.name!r}", expected, item.version)
    person = StakeholderKind.PERSON.value
    if (keep.kind == person) != (drop.kind == person):
        raise MergeRefused(
            f"{drop.name!r} is a {drop.kind.replace('_', ' ')} and {keep.name!r} a "
            f"{keep.kind.replace('_', ' ')}: a person and an organisation cannot be merged"
        )
    held = session.scalar(
        select(func.count())
        .select_from(PostTenure)
        .where((PostTenure.person_id == drop.id) | (PostTenure.post_id == drop.id))
    )
    if held or StakeholderKind.POST.value in (keep.kind, drop.kind):
        raise MergeRefused(
            f"{drop.name!r} or {keep.name!r} is a post or holds one: merges do not carry post "
            "tenures yet; record the tenures on the stakeholder you keep instead"
        )
    if keep.parent_id != drop.id and keep.id in stakeholders.descendants(session, drop.id):
        raise MergeRefused(
            f"{keep.name!r} is a branch of a branch of {drop.name!r}; merging would make it "
            "its own parent — move it up first (stakeholder edit --parent)"
        )


def _move_links(session: Session, k: int, d: int) -> list[dict[str, Any]]:
    """DROP's links become KEEP's; where KEEP already took part, DROP's link is removed."""
    shared = set(
        session.scalars(
            select(InteractionStakeholder.interaction_id).where(
                InteractionStakeholder.stakeholder_id == k
            )
        )
    )
    links = [
        {
            "interaction_id": link.interaction_id,
            "role": link.role,
            "position": link.position,
            "shared": link.interaction_id in shared,
            "delegate": bool(link.delegate),
        }
        for link in session.execute(
            select(InteractionStakeholder.__table__)
            .where(InteractionStakeholder.stakeholder_id == d)
            .order_by(InteractionStakeholder.interaction_id)
        )
    ]
    session.execute(
        delete(InteractionStakeholder).where(
            InteractionStakeholder.stakeholder_id == d,
            InteractionStakeholder.interaction_id.in_(shared),
        )
    )
    session.execute(
        update(InteractionStakeholder)
        .where(InteractionStakeholder.stakeholder_id == d)
        .values(stakeholder_id=k)
    )
    return links


def _restore_links(session: Session, k: int, new_id: int, links: list[dict[str, Any]]) -> None:
    existing = set(
        session.scalars(
            select(Interaction.id).where(
                Interaction.id.in_([link["interaction_id"] for link in links])
            )
        )
    )
    for link in links:
        interaction_id = link["interaction_id"]
        if interaction_id not in existing:
            continue
        here = InteractionStakeholder.interaction_id == interaction_id
        if not link["shared"]:
            moved = session.execute(
                update(InteractionStakeholder)
                .where(here, InteractionStakeholder.stakeholder_id == k)
                .values(
                    stakeholder_id=new_id,
                    role=link["role"],
                    position=link["position"],
                    delegate=link.get("delegate", False),
                )
            )
            if getattr(moved, "rowcount", 0):
                continue
        start_on = session.scalar(
            select(Interaction.start_on).where(Interaction.id == interaction_id)
        )
        session.execute(
            insert(InteractionStakeholder),
            {
                "interaction_id": interaction_id,
                "stakeholder_id": new_id,
                "role": link["role"],
                "position": link["position"],
                "start_on": start_on,
                "delegate": link.get("delegate", False),
            },
        )


def _move_commitment_links(session: Session, k: int, d: int) -> list[dict[str, Any]]:
    """DROP's commitments now concern KEEP (a commitment both concerned keeps KEEP's link)."""
    shared = set(
        session.scalars(
            select(CommitmentStakeholder.commitment_id).where(
                CommitmentStakeholder.stakeholder_id == k
            )
        )
    )
    links = [
        {
            "commitment_id": row.commitment_id,
            "position": row.position,
            "shared": row.commitment_id in shared,
        }
        for row in session.execute(
            select(CommitmentStakeholder.__table__)
            .where(CommitmentStakeholder.stakeholder_id == d)
            .order_by(CommitmentStakeholder.commitment_id)
        )
    ]
    session.execute(
        delete(CommitmentStakeholder).where(
            CommitmentStakeholder.stakeholder_id == d,
            CommitmentStakeholder.commitment_id.in_(shared),
        )
    )
    session.execute(
        update(CommitmentStakeholder)
        .where(CommitmentStakeholder.stakeholder_id == d)
        .values(stakeholder_id=k)
    )
    return links


def _restore_commitment_links(
    session: Session, k: int, new_id: int, links: list[dict[str, Any]]
) -> None:
    existing = set(
        session.scalars(
            select(Commitment.id).where(
                Commitment.id.in_([link["commitment_id"] for link in links])
            )
        )
    )
    for link in links:
        if link["commitment_id"] not in existing:
            continue
        here = CommitmentStakeholder.commitment_id == link["commitment_id"]
        if not link["shared"]:
            moved = session.execute(
                update(CommitmentStakeholder)
                .where(here, CommitmentStakeholder.stakeholder_id == k)
                .values(stakeholder_id=new_id)
            )
            if getattr(moved, "rowcount", 0):
                continue
        session.execute(
            insert(CommitmentStakeholder),
            {
                "commitment_id": link["commitment_id"],
                "stakeholder_id": new_id,
                "position": link["position"],
            },
        )


def _move_affiliations(
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
            deleted.append({f: _json(getattr(row, f)) for f in _AFFILIATION_FIELDS})
            session.execute(delete(Affiliation).where(Affiliation.id == row.id))
        else:
            moved.append({"id": row.id, "column": column})
            session.execute(update(Affiliation).where(Affiliation.id == row.id).values({column: k}))
    return moved, deleted


def _add_aliases(session: Session, keep: Stakeholder, names: list[str]) -> list[dict[str, Any]]:
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


def _reparent(session: Session, which: Any, parent_id: int | None) -> None:
    """A structural move, not an edit: ``updated_at`` is kept, so an undo restores it exactly."""
    session.execute(
        update(Stakeholder)
        .where(which)
        .values(parent_id=parent_id, updated_at=Stakeholder.updated_at)
    )


def _bump(session: Session, keep: Stakeholder, now: datetime) -> None:
    """KEEP changed (aliases, tags): move its version, refusing if someone saved meanwhile."""
    done = session.execute(
        update(Stakeholder)
        .where(Stakeholder.id == keep.id, Stakeholder.version == keep.version)
        .values(version=keep.version + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 1):
        raise ConcurrentEdit(f"stakeholder {keep.name!r}")
    session.expire(keep)


def _refresh(session: Session, ids: list[int], now: datetime) -> None:
    refresh_contacts(session, ids, today=now.date())
    connection = session.connection()
    search_index.index_stakeholders(connection, ids)
    search_index.index_interactions(connection, search_index.interactions_of(connection, ids))


def _insert_keeping_id(session: Session, model: Any, values: dict[str, Any]) -> int:
    """Insert with the row's original id when it is free, else with a new one."""
    row = dict(values)
    if row.get("id") is None or session.get(model, row["id"]) is not None:
        row.pop("id", None)
    inserted = session.execute(insert(model).values(row).returning(model.id)).scalar_one()
    return int(inserted)


def _find(session: Session, name: str, merge_id: int | None) -> StakeholderMerge:
    if merge_id is not None:
        record = session.get(StakeholderMerge, merge_id)
        what = f"merge {merge_id}"
    else:
        record = session.scalars(
            select(StakeholderMerge)
            .where(
                StakeholderMerge.dropped_key == fold_name(name),
                StakeholderMerge.undone_at.is_(None),
            )
            .order_by(StakeholderMerge.id.desc())
        ).first()
        what = f"merge of {name!r}"
    if record is None:
        raise MergeRefused(
            f"there is no {what} to undo; give the former name of the stakeholder that was "
            "merged away, or the merge number (--id)"
        )
    if record.undone_at is not None:
        raise MergeRefused(f"{what} was already undone on {record.undone_at:%Y-%m-%d %H:%M} UTC")
    return record


def _read(session: Session, record: StakeholderMerge, restored_id: int | None = None) -> MergeRead:
    details = json.loads(record.details)
    keep_name = session.scalar(select(Stakeholder.name).where(Stakeholder.id == record.keep_id))
    return MergeRead(
        id=record.id,
        keep_id=record.keep_id,
        keep_name=keep_name or "",
        dropped_id=record.dropped_id,
        dropped_name=record.dropped_name,
        merged_at=record.merged_at,
        undone_at=record.undone_at,
        interactions_moved=len(details["links"]),
        affiliations_moved=len(details["affiliations_moved"])
        + len(details["affiliations_deleted"]),
        aliases_added=[a["alias"] for a in details["keep_aliases_added"]],
        children_moved=len(details["children"]),
        restored_id=restored_id,
    )


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    return value.isoformat() if isinstance(value, date) else value


def _unjson(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field.endswith("_at"):
        return datetime.fromisoformat(value)
    if field.endswith("_on"):
        return date.fromisoformat(value)
    return value


__all__ = ["list_merges", "merge", "unmerge"]
