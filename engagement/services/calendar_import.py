"""Applying an imported .ics file (:mod:`engagement.ical_import`) to the database.

Everything happens in the caller's one unit of work, with a fixed number of queries per batch
rather than per event: UIDs are looked up together, attendees' e-mail addresses in one query,
each distinct name is resolved once, and new interactions are written with multi-row INSERTs,
their maintained columns and search documents updated once for all of them. Updates go through
:func:`engagement.services.interactions.replace`, like data set imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from engagement import collector, link_copies
from engagement.errors import (
    InvalidInput,
)
from engagement.ical_events import ParsedEvent, ParsedFollowUp, display
from engagement.ical_import import ParsedCalendar
from engagement.models import (
    FollowUp,
    Interaction,
    InteractionStakeholder,
    InteractionTag,
)
from engagement.schemas import (
    FollowUpCreate,
    IcsImportItem,
    IcsImportReport,
    InteractionCreate,
    InteractionRead,
    validated,
)
from engagement.schemas.calendar import ImportAction
from engagement.services import contacts, followups, interactions, search_index
from engagement.services.attendees import AttendeeMatcher
from engagement.vocab import (
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    Role,
)

BATCH = 500


def apply_import(
    session: Session,
    parsed: ParsedCalendar,
    *,
    now: datetime,
    create_missing: bool,
    dry_run: bool,
) -> IcsImportReport:
    """Create or update interactions from a parsed file, in the caller's unit of work.

    An event is matched to an interaction by UID; it replaces it only when it is newer (a
    higher SEQUENCE, or the same with a later LAST-MODIFIED/DTSTAMP), and then keeps what only
    the tracker knows (outcome, staff, and kind, confidentiality and tags unless the file is
    ours). Attendees are matched by e-mail, then by name.
    """
    with collector.paused():
        return _apply(session, parsed, now=now, create_missing=create_missing, dry_run=dry_run)


def _apply(
    session: Session,
    parsed: ParsedCalendar,
    *,
    now: datetime,
    create_missing: bool,
    dry_run: bool,
) -> IcsImportReport:
    report = IcsImportReport(dry_run=dry_run, warnings=list(parsed.warnings))
    for skipped in parsed.skipped:
        _skip(report, skipped.component, skipped.line, skipped.uid, skipped.title, skipped.reason)
    events = _latest(parsed.events, report)
    people = AttendeeMatcher(session, events, create_missing)
    existing = _existing(session, [event.uid for event in events])
    current = {
        item.id: item
        for batch in _batches([row.id for row in existing.values()])
        for item in interactions.read_many(session, batch, today=now.date())
    }
    created: list[tuple[ParsedEvent, InteractionCreate]] = []
    for event in events:
        participants = people.participants(event)
        row = existing.get(event.uid)
        if row is None:
            if event.cancel_notice:
                reason = "cancels a meeting that is not in the tracker; nothing to do"
                _skip(report, event.component, event.line, event.uid, event.title, reason)
                continue
            if not participants:
                _skip(report, event.component, event.line, event.uid, event.title, _no_one(event))
                continue
            try:
                data = validated(InteractionCreate, _fields(event, participants, None, now))
            except InvalidInput as error:
                _skip(report, event.component, event.line, event.uid, event.title, str(error))
                continue
            created.append((event, data))
            continue
        action: ImportAction = "unchanged"
        if _is_newer(event, row):
            try:
                data = validated(
                    InteractionCreate, _fields(event, participants, current[row.id], now)
                )
            except InvalidInput as error:
                _skip(report, event.component, event.line, event.uid, event.title, str(error))
                continue
            if interactions.replace(session, row.id, data, now=now):
                action = "updated"
            session.execute(
                update(Interaction)
                .where(Interaction.id == row.id)
                .values(source_sequence=event.sequence)
                .execution_options(synchronize_session=False)
            )
        _record(report, event, action, row.id)
    _store_created(session, created, report, now)
    ids = {u: r.id for u, r in existing.items()} | {
        item.uid: item.interaction_id or 0 for item in report.items if item.action == "created"
    }
    _attach_follow_ups(session, parsed.follow_ups, ids, report)
    report.items.sort(key=lambda item: item.line)
    report.unmatched = sorted(people.unmatched.values(), key=str.casefold)
    report.created_stakeholders = people.created
    return report


def _latest(events: list[ParsedEvent], report: IcsImportReport) -> list[ParsedEvent]:
    """One event per UID: the newest copy (some exports repeat an event as it changed)."""
    chosen: dict[str, ParsedEvent] = {}
    for event in events:
        kept = chosen.get(event.uid)
        older: ParsedEvent | None
        if kept is not None and _order(kept) >= _order(event):
            older = event
        else:
            older, chosen[event.uid] = kept, event
        if older is not None:
            reason = "an older copy of an event that appears again in this file (same UID)"
            _skip(report, older.component, older.line, older.uid, older.title, reason)
    return list(chosen.values())


def _order(event: ParsedEvent) -> tuple[int, datetime]:
    return event.sequence, event.stamp or datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Stored:
    id: int
    version: int
    source_sequence: int | None
    updated_at: datetime


def _existing(session: Session, uids: list[str]) -> dict[str, _Stored]:
    found: dict[str, _Stored] = {}
    for index in range(0, len(uids), BATCH):
        query = select(
            Interaction.id,
            Interaction.uid,
            Interaction.version,
            Interaction.source_sequence,
            Interaction.updated_at,
        ).where(Interaction.uid.in_(uids[index : index + BATCH]))
        for row in session.execute(query):
            found[row.uid] = _Stored(row.id, row.version, row.source_sequence, row.updated_at)
    return found


def _is_newer(event: ParsedEvent, row: _Stored) -> bool:
    known = row.source_sequence if row.source_sequence is not None else row.version - 1
    if event.sequence != known:
        return bool(event.sequence > known)
    return event.stamp is not None and event.stamp > row.updated_at


def _fields(
    event: ParsedEvent,
    participants: list[tuple[int, Role]],
    current: InteractionRead | None,
    now: datetime,
) -> dict[str, Any]:
    """The interaction as the file says it is; for an update, merged with what only the
    tracker knows."""
    ours = bool(event.stakeholders)
    kept = [(p.id, p.role) for p in current.participants] if current else []
    people = participants or kept
    tags = [tag[:64] for tag in event.tags]
    status = event.status
    if current is not None:
        if not ours:
            tags = list(dict.fromkeys([*current.tags, *tags]))
        if status is None and current.status is not InteractionStatus.CANCELLED:
            status = current.status
    delegates = {p.id for p in current.participants if p.delegate} if current else set()
    summary = event.summary
    if current is not None and not current.notes_shareable and not summary:
        summary = current.summary  # off-record notes were withheld from the file, not erased
    return {
        **_meeting_fields(current),
        **({"attribution": event.attribution} if current is None and event.attribution else {}),
        "uid": event.uid,
        "title": event.title[:500],
        "kind": event.kind or (current.kind if current else InteractionKind.MEETING),
        "status": status or interactions.default_status(event.period, now),
        "period": event.period,
        "location": event.location[:500],
        "summary": summary,
        "outcome": current.outcome if current else "",
        "tags": tags,
        "confidentiality": event.confidentiality
        or (current.confidentiality if current else Confidentiality.INTERNAL),
        "stakeholders": [
            {"name": f"#{ident}", "role": role, "delegate": ident in delegates}
            for ident, role in people
        ],
        "staff": current.staff if current else [],
        "recurrence": event.recurrence,
        "logged_by": current.logged_by if current else "",
    }


def _meeting_fields(current: InteractionRead | None) -> dict[str, Any]:
    """Meeting metadata only the tracker knows: an update from a calendar keeps it."""
    if current is None:
        return {}
    return {
        "meeting_format": current.meeting_format,
        "sidelines_of": current.sidelines_of,
        "languages": current.languages,
        "interpreter": current.interpreter,
        "attribution": current.attribution,
    }


_PERIOD_COLUMNS = ("precision", "timezone", "start_on", "last_on", "end_on", "start_at", "end_at")


def _new_row(data: InteractionCreate, sequence: int, now: datetime) -> dict[str, Any]:
    """The columns of a new interaction. The maintained period columns are computed by the
    interactions service itself (on a transient object), so there is one rule for them."""
    shadow = Interaction()
    interactions._apply_period(shadow, data.period)
    return {
        "uid": data.uid,
        "title": data.title,
        "kind": data.kind.value,
        "status": (data.status or interactions.default_status(data.period, now)).value,
        "location": data.location,
        "summary": data.summary,
        "outcome": data.outcome,
        "confidentiality": data.confidentiality.value,
        "recurrence": data.recurrence,
        "logged_by": data.logged_by,
        "attribution": data.attribution.value,
        "source_sequence": sequence,
        **{name: getattr(shadow, name) for name in _PERIOD_COLUMNS},
    }


def _store_created(
    session: Session,
    created: list[tuple[ParsedEvent, InteractionCreate]],
    report: IcsImportReport,
    now: datetime,
) -> None:
    """All new interactions with multi-row Core INSERTs (batched, ids returned), then the
    maintained columns and search documents for all of them at once: no ORM unit of work and
    no round of queries per event, which is what keeps a 10,000-event file fast."""
    if not created:
        return
    ids: dict[str, int] = {}
    stored: dict[str, dict[str, Any]] = {}
    # Core statements on the tables: the ORM's bulk path costs more per row than the rows'
    # own storage (their column defaults are the tables' own, applied the same way).
    connection = session.connection()
    table: Table = Interaction.__table__  # type: ignore[assignment]
    for index in range(0, len(created), BATCH):
        rows = [
            _new_row(data, event.sequence, now) for event, data in created[index : index + BATCH]
        ]
        stored.update((values["uid"], values) for values in rows)
        for row in connection.execute(insert(table).returning(table.c.uid, table.c.id), rows):
            ids[row.uid] = row.id
    links: list[dict[str, Any]] = []
    tags: list[dict[str, Any]] = []
    for event, data in created:
        ident, new_row = ids[event.uid], stored[event.uid]
        # The link's copies of its interaction, written here so that the copying trigger
        # (engagement.link_copies) finds nothing to correct.
        copies = {column: new_row[column] for column in link_copies.COPIED}
        for position, item in enumerate(data.stakeholders):
            links.append(
                {
                    "interaction_id": ident,
                    "stakeholder_id": int(item.name.removeprefix("#")),
                    "role": item.role.value,
                    "position": position,
                    **copies,
                }
            )
        tags += [{"interaction_id": ident, "tag": tag} for tag in dict.fromkeys(data.tags)]
    link_table: Table = InteractionStakeholder.__table__  # type: ignore[assignment]
    tag_table: Table = InteractionTag.__table__  # type: ignore[assignment]
    for target, values in ((link_table, links), (tag_table, tags)):
        for index in range(0, len(values), BATCH):
            connection.execute(insert(target), values[index : index + BATCH])
    touched = {link["stakeholder_id"] for link in links}
    contacts.refresh_contacts(session, touched, today=now.date())
    search_index.index_interactions(session.connection(), list(ids.values()))
    for event, _ in created:
        _record(report, event, "created", ids[event.uid])


def _attach_follow_ups(
    session: Session,
    items: list[ParsedFollowUp],
    interaction_ids: dict[str, int],
    report: IcsImportReport,
) -> None:
    """Follow-ups join the interaction named by RELATED-TO (in the file or already stored);
    one whose text is already there is left as it is, so an older file never reopens it."""
    if not items:
        return
    missing = sorted({item.related_to for item in items} - set(interaction_ids))
    for index in range(0, len(missing), BATCH):
        for row in session.execute(
            select(Interaction.id, Interaction.uid).where(
                Interaction.uid.in_(missing[index : index + BATCH])
            )
        ):
            interaction_ids[row.uid] = row.id
    targets = sorted(
        {interaction_ids[i.related_to] for i in items if i.related_to in interaction_ids}
    )
    known: set[tuple[int, str]] = set()
    for batch in _batches(targets):
        known.update(
            (row.interaction_id, row.text)
            for row in session.execute(
                select(FollowUp.interaction_id, FollowUp.text).where(
                    FollowUp.interaction_id.in_(batch)
                )
            )
        )
    for item in items:
        target = interaction_ids.get(item.related_to)
        title = display(item.text, 80)
        if target is None:
            reason = "belongs to an interaction that is neither stored nor in this file"
            _skip(report, item.component, item.line, item.uid, title, reason)
            continue
        try:
            data = validated(
                FollowUpCreate,
                {"text": item.text, "due": item.due, "owner": item.owner, "done": item.done},
            )
        except InvalidInput as error:
            _skip(report, item.component, item.line, item.uid, title, str(error))
            continue
        action: ImportAction = "unchanged"
        if (target, data.text) not in known:
            follow_up = followups.new(data)
            follow_up.interaction_id = target
            session.add(follow_up)
            known.add((target, data.text))
            report.follow_ups_added += 1
            action = "created"
        report.items.append(
            IcsImportItem(
                component=item.component,
                line=item.line,
                uid=item.uid,
                title=title,
                action=action,
                interaction_id=target,
            )
        )
    session.flush()


def _no_one(event: ParsedEvent) -> str:
    listed = "; ".join(p.label() for p in event.people) or "none listed"
    return (
        f"no attendee is a known stakeholder (attendees: {listed}); add them with "
        "'engagement stakeholder add' or import with --create-missing"
    )


def _record(report: IcsImportReport, event: ParsedEvent, action: ImportAction, ident: int) -> None:
    setattr(report, action, getattr(report, action) + 1)
    report.items.append(
        IcsImportItem(
            component=event.component,
            line=event.line,
            uid=event.uid,
            title=display(event.title, 80),
            action=action,
            interaction_id=ident,
        )
    )


def _skip(
    report: IcsImportReport, component: str, line: int, uid: str, title: str, reason: str
) -> None:
    report.skipped += 1
    report.items.append(
        IcsImportItem(
            component=component, line=line, uid=uid, title=title, action="skipped", reason=reason
        )
    )


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[index : index + BATCH] for index in range(0, len(ids), BATCH)]
