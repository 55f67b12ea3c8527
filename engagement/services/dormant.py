"""Who has gone quiet: stakeholders without a held interaction for a while, read from the
maintained ``last_contact_on`` column.

The full list can hold most of a large database (every stakeholder last seen before the
cutoff), so its cost is building read models, not the query: the list is read in one statement
with every column the read model needs, its aliases and tags in one statement each selected by
the same condition (never an ``IN`` list of tens of thousands of ids), and the models are built
without validating again what was validated when it was stored.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam, select
from sqlalchemy.orm import Session

from engagement import collector
from engagement.errors import ValidationFailed
from engagement.models import Stakeholder, StakeholderAlias, StakeholderTag
from engagement.schemas import DormantEntry, StakeholderRead
from engagement.schemas.trusted import every_field
from engagement.services.prepared import Prepared, day_param, utc
from engagement.services.stakeholders import PARENT, READ_COLUMNS
from engagement.vocab import StakeholderKind

_KINDS = {item.value: item for item in StakeholderKind}
_READ_FIELDS = every_field(StakeholderRead)
_ENTRY_FIELDS = every_field(DormantEntry)
_set = object.__setattr__
_NEVER_FIRST = (Stakeholder.last_contact_on.is_not(None), Stakeholder.last_contact_on)


def _silent(kind: bool) -> list[ColumnElement[bool]]:
    """Not archived, no recurring interaction going on, and no contact before the cutoff."""
    conditions: list[ColumnElement[bool]] = [
        Stakeholder.archived.is_(False),
        Stakeholder.ongoing.is_(False),
        Stakeholder.last_contact_on.is_(None) | (Stakeholder.last_contact_on < bindparam("cutoff")),
    ]
    if kind:
        conditions.append(Stakeholder.kind == bindparam("kind"))
    return conditions


def _statements(kind: bool) -> tuple[Prepared, Prepared, Prepared]:
    """The full list: its rows in order, then its aliases and tags by the same condition."""
    silent = select(Stakeholder.id).where(*_silent(kind))
    rows = (
        select(*READ_COLUMNS)
        .outerjoin(PARENT, PARENT.id == Stakeholder.parent_id)
        .where(*_silent(kind))
        .order_by(*_NEVER_FIRST, Stakeholder.name_key)
    )
    aliases = (
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias)
        .where(StakeholderAlias.stakeholder_id.in_(silent))
        .order_by(StakeholderAlias.id)
    )
    tags = (
        select(StakeholderTag.stakeholder_id, StakeholderTag.tag)
        .where(StakeholderTag.stakeholder_id.in_(silent))
        .order_by(StakeholderTag.tag)
    )
    return Prepared(rows), Prepared(aliases), Prepared(tags)


_FULL = {False: _statements(False), True: _statements(True)}
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_BY_IDS = (
    Prepared(
        select(*READ_COLUMNS)
        .outerjoin(PARENT, PARENT.id == Stakeholder.parent_id)
        .where(Stakeholder.id.in_(_IDS))
    ),
    Prepared(
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias)
        .where(StakeholderAlias.stakeholder_id.in_(_IDS))
        .order_by(StakeholderAlias.id)
    ),
    Prepared(
        select(StakeholderTag.stakeholder_id, StakeholderTag.tag)
        .where(StakeholderTag.stakeholder_id.in_(_IDS))
        .order_by(StakeholderTag.tag)
    ),
)


def dormant(
    session: Session,
    *,
    days: int,
    today: date,
    kind: StakeholderKind | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[DormantEntry]:
    """Never contacted first (by name), then the oldest last contact."""
    if days < 0:
        raise ValidationFailed("days", days, "must be zero or more")
    cutoff = today - timedelta(days=days)
    with collector.paused():
        return _read(session, cutoff, today, kind, limit, offset)


def _read(
    session: Session,
    cutoff: date,
    today: date,
    kind: StakeholderKind | None,
    limit: int | None,
    offset: int,
) -> list[DormantEntry]:
    connection = session.connection()
    params: dict[str, Any] = {"cutoff": day_param(connection, cutoff)}
    if kind is not None:
        params["kind"] = kind.value
    if limit is None:
        rows_statement, aliases_statement, tags_statement = _FULL[kind is not None]
        rows: Sequence[Any] = rows_statement.run(connection, params)[max(0, offset) :]
        if not rows:
            return []
        aliases = _grouped(aliases_statement.run(connection, params))
        tags = _grouped(tags_statement.run(connection, params))
    else:
        ids = _page(session, cutoff, kind, limit, offset)
        if not ids:
            return []
        wanted = {"ids": ids}
        found = {row[0]: row for row in _BY_IDS[0].run(connection, wanted)}
        rows = [found[stakeholder_id] for stakeholder_id in ids]
        aliases = _grouped(_BY_IDS[1].run(connection, wanted))
        tags = _grouped(_BY_IDS[2].run(connection, wanted))
    return _entries(rows, aliases, tags, today)


def _page(
    session: Session, cutoff: date, kind: StakeholderKind | None, limit: int, offset: int
) -> list[int]:
    """A page read in two ordered index walks over ``(last_contact_on, name_key)`` — the
    never-contacted, then those last seen before the cutoff — each stopping as soon as the page
    is full, so the first page costs the same whatever the number of dormant stakeholders."""
    base = select(Stakeholder.id).where(
        Stakeholder.archived.is_(False), Stakeholder.ongoing.is_(False)
    )
    if kind is not None:
        base = base.where(Stakeholder.kind == kind.value)
    by_date = (Stakeholder.last_contact_on, Stakeholder.name_key)
    connection: Connection = session.connection()
    wanted = max(0, offset) + limit
    never = base.where(Stakeholder.last_contact_on.is_(None)).order_by(*by_date).limit(wanted)
    ids = [row[0] for row in connection.execute(never)]
    if len(ids) < wanted:
        before = (
            base.where(Stakeholder.last_contact_on < cutoff)
            .order_by(*by_date)
            .limit(wanted - len(ids))
        )
        ids += [row[0] for row in connection.execute(before)]
    return ids[max(0, offset) :]


def _grouped(pairs: Sequence[Any]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for owner, value in pairs:
        grouped[owner].append(value)
    return grouped


def _entries(
    rows: Sequence[Any],
    aliases: dict[int, list[str]],
    tags: dict[int, list[str]],
    today: date,
) -> list[DormantEntry]:
    """The entries, built inline: the full list may hold most of a large database, and each
    function call per row shows (this loop is most of the list's cost once the rows are read).
    Every row is neither archived nor ongoing (the condition says so): those two are constants.
    """
    entries: list[DormantEntry] = []
    append = entries.append
    kinds = _KINDS
    parse_day = date.fromisoformat
    parse_moment = datetime.fromisoformat
    new = BaseModel.__new__
    read_fields = _READ_FIELDS
    entry_fields = _ENTRY_FIELDS
    read_model = StakeholderRead
    entry_model = DormantEntry
    no_aliases = not aliases
    no_tags = not tags
    text = str
    for (
        stakeholder_id,
        name,
        kind,
        country,
        parent_id,
        parent,
        notes,
        _archived,
        first_contact,
        last_contact,
        count,
        _ongoing,
        email,
        influence,
        interest,
        created_at,
        updated_at,
        version,
    ) in rows:
        if last_contact.__class__ is text:
            last_contact = parse_day(last_contact)
        if first_contact.__class__ is text:
            first_contact = parse_day(first_contact)
        if created_at.__class__ is text:
            created_at = parse_moment(created_at + "+00:00")
            updated_at = parse_moment(updated_at + "+00:00")
        else:
            created_at = utc(created_at)
            updated_at = utc(updated_at)
        read = new(read_model)
        _set(
            read,
            "__dict__",
            {
                "id": stakeholder_id,
                "name": name,
                "kind": kinds[kind],
                "country": country,
                "parent": parent,
                "parent_id": parent_id,
                "aliases": [] if no_aliases else aliases.get(stakeholder_id) or [],
                "tags": [] if no_tags else tags.get(stakeholder_id) or [],
                "notes": notes,
                "archived": False,
                "first_contact": first_contact,
                "last_contact": last_contact,
                "interaction_count": count,
                "ongoing": False,
                "email": email,
                "influence": influence,
                "interest": interest,
                "created_at": created_at,
                "updated_at": updated_at,
                "version": version,
            },
        )
        _set(read, "__pydantic_fields_set__", read_fields)
        _set(read, "__pydantic_extra__", None)
        _set(read, "__pydantic_private__", None)
        entry = new(entry_model)
        _set(
            entry,
            "__dict__",
            {
                "stakeholder": read,
                "last_contact": last_contact,
                "days_since": None if last_contact is None else (today - last_contact).days,
            },
        )
        _set(entry, "__pydantic_fields_set__", entry_fields)
        _set(entry, "__pydantic_extra__", None)
        _set(entry, "__pydantic_private__", None)
        append(entry)
    return entries


__all__ = ["dormant"]
