"""Building the rows of a dump's load: table by table, with the map from the dump's ids to the
database's.

In exact mode (``empty``/``replace`` loads) every row keeps its id and is queued, so each table
is inserted with one ``executemany`` (:mod:`engagement.transfer.fast_insert`); the search rows
are built from the dump itself rather than read back. In merge mode each entity is first looked
up by its natural key and only what is missing is inserted, with new ids. The orchestration —
modes, wiping, auditing, sequences — is :mod:`engagement.transfer.load`.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from engagement.dates import Period
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
from engagement.transfer.documents import Documents
from engagement.transfer.fast_insert import insert_in_order

_FLUSH_ROWS = 5000


class Loader:
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
        # Exact mode: the interactions' search documents, built from the stakeholders' names
        # as they are inserted (nothing is read back).
        self.documents = Documents()
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
        insert_in_order(self.connection, self._pending, batch_rows=_FLUSH_ROWS)
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
        self.documents.add_stakeholder(stakeholder_id, name, aliases)

    def _index_interaction(self, interaction_id: int, item: DumpInteraction) -> None:
        document = self.documents.document(
            (item.title, item.location, item.summary, item.outcome),
            dict.fromkeys(item.tags),
            [self.stakeholder_ids[p.stakeholder_id] for p in item.participants],
        )
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
            start_on, last_on = period.first_day(), period.last_day()
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
                        "last_on": last_on,
                        "status": item.status.value,
                        "kind": item.kind.value,
                        "confidentiality": item.confidentiality.value,
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
