"""Loading a validated logical dump into a database, in the caller's one transaction.

Three modes, chosen by the caller:

* ``empty`` — the database holds no data: every row is recreated exactly, with the ids, uids,
  versions and timestamps it had (ids kept means ``#12`` references, follow-up numbers and merge
  records all stay valid; on PostgreSQL the id sequences are moved past them).
* ``replace`` — every row is deleted first, then as ``empty`` (a forced restore). It is one
  transaction, so a failure leaves the old data in place.
* ``merge`` — add what is missing, never change what is there: stakeholders are matched by
  folded name, interactions by uid, affiliations by person, organisation, title and start;
  matched rows are left as they are, new ones get new ids. Merge records are skipped (their
  snapshots refer to the other database's ids).

Maintained columns (name keys, contact statistics, copied dates) and the search structures are
rebuilt by the same code the services use, so the result is indistinguishable from data typed in.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Table, bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from engagement import auditing
from engagement.dates import Period
from engagement.errors import TargetNotEmpty
from engagement.models import (
    Affiliation,
    Base,
    Commitment,
    CommitmentStakeholder,
    FollowUp,
    Interaction,
    InteractionDocument,
    InteractionLanguage,
    InteractionStaff,
    InteractionStakeholder,
    InteractionTag,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderKey,
    StakeholderMerge,
    StakeholderTag,
    StakeholderToken,
)
from engagement.names import fold_name
from engagement.schemas import DumpDocument, DumpImportReport
from engagement.schemas.transfer import DumpCommitment, DumpInteraction, DumpStakeholder
from engagement.services import search_index
from engagement.services.interactions import refresh_contacts

Mode = Literal["empty", "merge", "replace"]
_FLUSH_ROWS = 5000
_TABLE_ORDER = {table: index for index, table in enumerate(Base.metadata.sorted_tables)}
_ID_TABLES = (
    Stakeholder,
    StakeholderAlias,
    Affiliation,
    PostTenure,
    Interaction,
    FollowUp,
    Commitment,
    StakeholderMerge,
)


def counts(session: Session) -> dict[str, int]:
    """How much data the database holds, per kind of record."""
    result = {}
    for label, model in (
        ("stakeholders", Stakeholder),
        ("interactions", Interaction),
        ("affiliations", Affiliation),
        ("commitments", Commitment),
        ("post tenures", PostTenure),
        ("merge records", StakeholderMerge),
    ):
        result[label] = session.scalar(select(func.count()).select_from(model)) or 0
    return result


def require_empty(session: Session, how: str) -> None:
    for label, count in counts(session).items():
        if count:
            raise TargetNotEmpty(label, count, how)


KEPT_BY_RESTORE = frozenset({"audit_log", "clearances"})


def wipe(session: Session) -> None:
    """Delete every row of every data table, children first. The audit log and the clearances
    are not data: they outlive a restore (which the audit log records, row by row)."""
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in KEPT_BY_RESTORE:
            session.execute(delete(table))


def load(
    session: Session, document: DumpDocument, *, mode: Mode, source: str, now: datetime
) -> DumpImportReport:
    report = DumpImportReport(source=source, mode=mode)
    if mode == "replace":
        wipe(session)
    elif mode == "empty":
        require_empty(session, "import into a new database, or add --merge to add what is missing")
    exact = mode != "merge"
    connection = session.connection()
    if exact and connection.dialect.name == "sqlite":
        # A restore into an empty file recreates data, it does not change any: one summary
        # entry says who loaded what from where (docs/data-safety.md, "Audit trail").
        with auditing.suspended(connection):
            _load_all(session, document, exact=exact, report=report, now=now)
        auditing.record_import(connection, source=source, mode=mode, counts=_counted(report))
    else:
        _load_all(session, document, exact=exact, report=report, now=now)
    return report


def _counted(report: DumpImportReport) -> dict[str, int]:
    return {
        name: value
        for name, value in report.model_dump().items()
        if name.endswith("_added") and isinstance(value, int)
    }


def _load_all(
    session: Session,
    document: DumpDocument,
    *,
    exact: bool,
    report: DumpImportReport,
    now: datetime,
) -> None:
    loader = _Loader(session, exact=exact, report=report)
    loader.stakeholders(document.stakeholders)
    loader.affiliations(document)
    loader.tenures(document)
    loader.interactions(document.interactions)
    loader.commitments(document.commitments)
    if exact:
        loader.merges(document)
    else:
        report.merges_skipped = len(document.merges)
    connection = session.connection()
    if exact and connection.dialect.name == "postgresql":
        for model in _ID_TABLES:
            name = model.__tablename__
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                )
            )
    refresh_contacts(session, loader.touched_stakeholders, today=now.date())
    if not exact:
        # Matched stakeholders keep their own names and aliases: read them back.
        search_index.index_stakeholders(connection, loader.new_stakeholders)
        search_index.index_interactions(connection, loader.new_interactions)


class _Loader:
    """Inserts rows table by table, keeping the map from the dump's ids to the database's."""

    def __init__(self, session: Session, *, exact: bool, report: DumpImportReport) -> None:
        self.session = session
        self.connection = session.connection()
        self.exact = exact
        self.report = report
        self.stakeholder_ids: dict[int, int] = {}
        self.new_stakeholders: list[int] = []
        self.new_interactions: list[int] = []
        self.interaction_ids: dict[int, int] = {}
        self.touched_stakeholders: set[int] = set()
        # Exact mode: each stakeholder's search texts, as stored (the documents of the
        # interactions are built from them without reading anything back).
        self.search_names: dict[int, list[str]] = {}
        self._pending: dict[Table, list[dict[str, Any]]] = {}
        self._queued = 0

    def _insert(self, model: type[Base], values: dict[str, Any], original: int) -> int:
        table: Table = model.__table__  # type: ignore[assignment]
        if self.exact:
            self._queue(model, [{**values, "id": original}])
            return original
        self.flush()
        inserted = self.connection.execute(insert(table).returning(table.c.id), values).scalar()
        assert inserted is not None
        return int(inserted)

    def _queue(self, model: type[Base], rows: list[dict[str, Any]]) -> None:
        """Rows wait to be inserted together (one ``executemany`` per table): per-row
        statements cost more in SQLAlchemy than the database spends storing the row. Tables
        are flushed in dependency order, parents before children."""
        table: Table = model.__table__  # type: ignore[assignment]
        self._pending.setdefault(table, []).extend(rows)
        self._queued += len(rows)
        if self._queued >= _FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        sqlite = self.connection.dialect.name == "sqlite"
        for table in sorted(self._pending, key=_TABLE_ORDER.__getitem__):
            rows = self._pending[table]
            for start in range(0, len(rows), _FLUSH_ROWS):
                batch = rows[start : start + _FLUSH_ROWS]
                if sqlite:
                    _insert_sqlite(self.connection, table, batch)
                else:
                    self.connection.execute(insert(table), batch)
        self._pending = {}
        self._queued = 0

    def stakeholders(self, items: list[DumpStakeholder]) -> None:
        parents: list[dict[str, int]] = []
        for item in items:
            key = fold_name(item.name)
            if not self.exact:
                existing = self.session.scalar(
                    select(Stakeholder.id).where(Stakeholder.name_key == key)
                )
                if existing is not None:
                    self.stakeholder_ids[item.id] = existing
                    self.report.stakeholders_existing += 1
                    continue
            new_id = self._insert(Stakeholder, _stakeholder_row(item, key), item.id)
            self.stakeholder_ids[item.id] = new_id
            self.new_stakeholders.append(new_id)
            self.touched_stakeholders.add(new_id)
            self.report.stakeholders_added += 1
            if item.parent_id is not None:
                parents.append({"child": new_id, "parent": item.parent_id})
            aliases: dict[str, str] = {}
            for alias in item.aliases:
                alias_key = fold_name(alias)
                if alias_key:
                    aliases.setdefault(alias_key, alias)
            if aliases:
                self._queue(
                    StakeholderAlias,
                    [
                        {"stakeholder_id": new_id, "alias": alias, "alias_key": alias_key}
                        for alias_key, alias in aliases.items()
                    ],
                )
            if self.exact:
                self._index_stakeholder(new_id, item.name, list(aliases.values()))
            if item.tags:
                self._queue(
                    StakeholderTag,
                    [{"stakeholder_id": new_id, "tag": tag} for tag in dict.fromkeys(item.tags)],
                )
        self.flush()
        if parents:
            self.connection.execute(
                update(Stakeholder)
                .where(Stakeholder.id == bindparam("child"))
                .values(parent_id=bindparam("parent_id"), updated_at=Stakeholder.updated_at),
                [
                    {"child": p["child"], "parent_id": self.stakeholder_ids[p["parent"]]}
                    for p in parents
                ],
            )

    def _index_stakeholder(self, stakeholder_id: int, name: str, aliases: list[str]) -> None:
        keys: list[dict[str, object]] = []
        tokens: list[dict[str, object]] = []
        entries = [("name", name), *(("alias", alias) for alias in aliases)]
        search_index.stakeholder_rows(stakeholder_id, entries, keys, tokens)
        self._queue(StakeholderKey, keys)
        self._queue(StakeholderToken, tokens)
        self.search_names[stakeholder_id] = [name, *aliases]

    def _index_interaction(self, interaction_id: int, item: DumpInteraction) -> None:
        texts = [item.title, item.location, item.summary, item.outcome]
        texts.extend(search_index.tag_words(tag) for tag in dict.fromkeys(item.tags))
        names = [
            self.search_names[self.stakeholder_ids[p.stakeholder_id]] for p in item.participants
        ]
        texts.extend(own[0] for own in names)
        texts.extend(alias for own in names for alias in own[1:])
        document = search_index.interaction_document(texts)
        self._queue(InteractionDocument, [{"interaction_id": interaction_id, "document": document}])

    def affiliations(self, document: DumpDocument) -> None:
        for item in document.affiliations:
            person = self.stakeholder_ids[item.person_id]
            organisation = self.stakeholder_ids[item.organisation_id]
            if not self.exact and self.session.scalar(
                select(Affiliation.id).where(
                    Affiliation.person_id == person,
                    Affiliation.organisation_id == organisation,
                    func.lower(Affiliation.title) == item.title.lower(),
                    Affiliation.start_on.is_(None)
                    if item.start is None
                    else Affiliation.start_on == item.start,
                )
            ):
                self.report.affiliations_existing += 1
                continue
            values = {
                "person_id": person,
                "organisation_id": organisation,
                "title": item.title,
                "start_on": item.start,
                "end_on": item.end,
                "created_at": item.created_at,
            }
            self._insert(Affiliation, values, item.id)
            self.report.affiliations_added += 1
        self.flush()

    def tenures(self, document: DumpDocument) -> None:
        """Tenures as they were (merge mode: a post's tenure of the same person and start is
        the same tenure). Overlaps are not re-checked: the dump is the record."""
        for item in document.tenures:
            post = self.stakeholder_ids[item.post_id]
            person = self.stakeholder_ids[item.person_id]
            if not self.exact and self.session.scalar(
                select(PostTenure.id).where(
                    PostTenure.post_id == post,
                    PostTenure.person_id == person,
                    PostTenure.start_on.is_(None)
                    if item.start is None
                    else PostTenure.start_on == item.start,
                )
            ):
                self.report.tenures_existing += 1
                continue
            values = {
                "post_id": post,
                "person_id": person,
                "start_on": item.start,
                "start_precision": item.start_precision.value,
                "end_on": item.end,
                "end_precision": item.end_precision.value,
                "created_at": item.created_at,
            }
            self._insert(PostTenure, values, item.id)
            self.report.tenures_added += 1

    def interactions(self, items: list[DumpInteraction]) -> None:
        for item in items:
            found = None
            if not self.exact:
                found = self.session.scalar(
                    select(Interaction.id).where(Interaction.uid == item.uid)
                )
            if found is not None:
                self.interaction_ids[item.id] = found
                self.report.interactions_existing += 1
                continue
            period = item.period()
            new_id = self._insert(Interaction, _interaction_row(item, period), item.id)
            self.interaction_ids[item.id] = new_id
            self.new_interactions.append(new_id)
            self.report.interactions_added += 1
            start_on = period.first_day()
            links = []
            for position, participant in enumerate(item.participants):
                stakeholder_id = self.stakeholder_ids[participant.stakeholder_id]
                self.touched_stakeholders.add(stakeholder_id)
                links.append(
                    {
                        "interaction_id": new_id,
                        "stakeholder_id": stakeholder_id,
                        "role": participant.role.value,
                        "position": position,
                        "start_on": start_on,
                        "delegate": participant.delegate,
                        "via_post_id": None
                        if participant.via_post_id is None
                        else self.stakeholder_ids[participant.via_post_id],
                    }
                )
            if links:
                self._queue(InteractionStakeholder, links)
            if self.exact:
                self._index_interaction(new_id, item)
            if item.tags:
                self._queue(
                    InteractionTag,
                    [{"interaction_id": new_id, "tag": tag} for tag in dict.fromkeys(item.tags)],
                )
            if item.staff:
                self._queue(
                    InteractionStaff,
                    [
                        {"interaction_id": new_id, "name": name, "position": position}
                        for position, name in enumerate(dict.fromkeys(item.staff))
                    ],
                )
            languages: dict[str, str] = {}
            for name in item.languages:
                languages.setdefault(name.casefold(), name)
            if languages:
                self._queue(
                    InteractionLanguage,
                    [
                        {"interaction_id": new_id, "language": name, "position": position}
                        for position, name in enumerate(languages.values())
                    ],
                )
            for follow_up in item.follow_ups:
                values = {
                    "interaction_id": new_id,
                    "text": follow_up.text,
                    "due_on": follow_up.due,
                    "owner": follow_up.owner,
                    "done": follow_up.done,
                    "done_at": follow_up.done_at,
                    "created_at": follow_up.created_at,
                }
                self._insert(FollowUp, values, follow_up.id)
                self.report.follow_ups_added += 1
        self.flush()

    def commitments(self, items: list[DumpCommitment]) -> None:
        """Commitments; in merge mode one with the same text, direction and day as a stored
        one is taken to be it."""
        for item in items:
            if not self.exact and self.session.scalar(
                select(Commitment.id).where(
                    Commitment.text == item.text,
                    Commitment.owed_by == item.owed_by.value,
                    Commitment.made_on == item.made_on,
                )
            ):
                self.report.commitments_existing += 1
                continue
            values = {
                "text": item.text,
                "owed_by": item.owed_by.value,
                "owner": item.owner,
                "due_on": item.due,
                "status": item.status.value,
                "interaction_id": None
                if item.interaction_id is None
                else self.interaction_ids.get(item.interaction_id),
                "confidentiality": item.confidentiality.value,
                "made_on": item.made_on,
                "closed_on": item.closed_on,
                "created_at": item.created_at,
                "updated_at": item.updated_at,
                "version": item.version,
            }
            new_id = self._insert(Commitment, values, item.id)
            links = [
                {
                    "commitment_id": new_id,
                    "stakeholder_id": self.stakeholder_ids[stakeholder_id],
                    "position": position,
                }
                for position, stakeholder_id in enumerate(dict.fromkeys(item.stakeholder_ids))
            ]
            if links:
                self._queue(CommitmentStakeholder, links)
            self.report.commitments_added += 1
        self.flush()

    def merges(self, document: DumpDocument) -> None:
        for item in document.merges:
            values = {
                "keep_id": self.stakeholder_ids[item.keep_id],
                "dropped_id": item.dropped_id,
                "dropped_name": item.dropped_name,
                "dropped_key": fold_name(item.dropped_name),
                "details": json.dumps(item.details, ensure_ascii=False, sort_keys=True),
                "merged_at": item.merged_at,
                "undone_at": item.undone_at,
            }
            self._insert(StakeholderMerge, values, item.id)
            self.report.merges_added += 1
        self.flush()


def _insert_sqlite(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``executemany`` on the driver with the columns' own bind processors, applied once per
    value: SQLAlchemy's executemany spends more per row (matching each dictionary against the
    compiled statement) than SQLite spends storing it. The rows of one table have the same keys
    (the loader builds them; otherwise SQLAlchemy inserts them), and a missing key fails
    loudly."""
    keys = list(rows[0])
    if any(len(row) != len(keys) for row in rows):
        connection.execute(insert(table), rows)
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    processors = [table.c[key].type._cached_bind_processor(dialect) for key in keys]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(key) for key in keys)}) "
        f"VALUES ({', '.join('?' * len(keys))})"
    )
    pairs = list(zip(keys, processors, strict=True))
    connection.exec_driver_sql(
        statement,
        [
            tuple(
                row[key] if process is None or row[key] is None else process(row[key])
                for key, process in pairs
            )
            for row in rows
        ],
    )


def _stakeholder_row(item: DumpStakeholder, key: str) -> dict[str, Any]:
    return {
        "name": item.name,
        "name_key": key,
        "kind": item.kind.value,
        "country": item.country,
        "email": item.email,
        "parent_id": None,
        "notes": item.notes,
        "archived": item.archived,
        "influence": item.influence,
        "interest": item.interest,
        "first_contact_on": None,
        "last_contact_on": None,
        "interaction_count": 0,
        "ongoing": False,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "version": item.version,
    }


def _interaction_row(item: DumpInteraction, period: Period) -> dict[str, Any]:
    return {
        "uid": item.uid,
        "title": item.title,
        "kind": item.kind.value,
        "status": item.status.value,
        "precision": period.precision.value,
        "timezone": period.timezone,
        "start_on": period.first_day(),
        "end_on": None if period.end is None else period.last_day(),
        "last_on": period.last_day(),
        "start_at": period.utc_start(),
        "end_at": period.utc_end(),
        "location": item.location,
        "summary": item.summary,
        "outcome": item.outcome,
        "confidentiality": item.confidentiality.value,
        "recurrence": item.recurrence,
        "source_sequence": item.source_sequence,
        "logged_by": item.logged_by,
        "meeting_format": None if item.meeting_format is None else item.meeting_format.value,
        "sidelines_of": item.sidelines_of,
        "interpreter": item.interpreter,
        "attribution": item.attribution.value,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
        "version": item.version,
    }
