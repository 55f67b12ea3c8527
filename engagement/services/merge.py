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

The row moves and their inverses are in :mod:`engagement.services.merge_moves`. KEEP's version
is bumped with an optimistic check, so an edit of KEEP opened before the merge is refused
instead of silently undoing part of it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from engagement.errors import ConcurrentEdit, MergeRefused
from engagement.models import (
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderMerge,
    StakeholderTag,
)
from engagement.names import fold_name
from engagement.schemas import MergeRead
from engagement.services import merge_moves, search_index, stakeholders
from engagement.services.contacts import refresh_contacts
from engagement.services.resolve import resolve
from engagement.vocab import StakeholderKind

_ROW_FIELDS = (
    "id", "name", "name_key", "kind", "country", "email", "parent_id", "notes", "archived",
    "influence", "interest", "created_at", "updated_at", "version",
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
        "dropped": {field: merge_moves.to_json(getattr(drop, field)) for field in _ROW_FIELDS},
        "aliases": [
            {"id": a.id, "alias": a.alias, "alias_key": a.alias_key}
            for a in sorted(drop.aliases, key=lambda alias: alias.id)
        ],
        "tags": sorted(tag.tag for tag in drop.tags),
    }
    details["links"] = merge_moves.move_links(session, k, d)
    details["commitments"] = merge_moves.move_commitment_links(session, k, d)
    details["affiliations_moved"], details["affiliations_deleted"] = merge_moves.move_affiliations(
        session, k, d
    )
    details["children"] = list(
        session.scalars(
            select(Stakeholder.id).where(Stakeholder.parent_id == d, Stakeholder.id != k)
        )
    )
    merge_moves.reparent(session, Stakeholder.id.in_(details["children"]), k)
    details["keep_parent"] = None
    if keep.parent_id == d:
        details["keep_parent"] = {"was": d, "now": drop.parent_id}
        merge_moves.reparent(session, Stakeholder.id == k, drop.parent_id)
    details["merges_repointed"] = list(
        session.scalars(select(StakeholderMerge.id).where(StakeholderMerge.keep_id == d))
    )
    session.execute(update(StakeholderMerge).where(StakeholderMerge.keep_id == d).values(keep_id=k))
    details["keep_aliases_added"] = merge_moves.add_aliases(
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
    row = {field: merge_moves.from_json(field, dropped[field]) for field in _ROW_FIELDS}
    if row["parent_id"] is not None and session.get(Stakeholder, row["parent_id"]) is None:
        row["parent_id"] = None
    new_id = merge_moves.insert_keeping_id(session, Stakeholder, row)
    for alias in details["aliases"]:
        merge_moves.insert_keeping_id(
            session, StakeholderAlias, {**alias, "stakeholder_id": new_id}
        )
    session.execute(
        delete(StakeholderTag).where(
            StakeholderTag.stakeholder_id == k, StakeholderTag.tag.in_(details["keep_tags_added"])
        )
    )
    if details["tags"]:
        session.execute(
            insert(StakeholderTag), [{"stakeholder_id": new_id, "tag": t} for t in details["tags"]]
        )
    merge_moves.restore_links(session, k, new_id, details["links"])
    merge_moves.restore_commitment_links(session, k, new_id, details.get("commitments", []))
    merge_moves.restore_affiliations(session, k, new_id, record.dropped_id, details)
    merge_moves.reparent(
        session, Stakeholder.id.in_(details["children"]) & (Stakeholder.parent_id == k), new_id
    )
    if details["keep_parent"] and keep.parent_id == details["keep_parent"]["now"]:
        merge_moves.reparent(session, Stakeholder.id == k, new_id)
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
    search_index.reindex_participants(connection, ids)


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


__all__ = ["list_merges", "merge", "unmerge"]
