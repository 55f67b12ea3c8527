"""The logical JSON dump: every entity and field, schema-versioned, byte-stable.

The dump is written straight from the tables (not through the read models), so it carries what
is stored — uids, versions, timestamps, positions — and nothing is lost or reformatted on the way.
Rows are ordered by id and keys by a fixed layout, so the same data always gives the same bytes:
export → import into an empty database → export is identical (``exported_at`` comes from the
tracker's clock). Columns that only make reads fast (folded name keys, contact statistics, the
search tables, the copies of interaction dates) are left out and rebuilt on import, so a dump can
never carry an inconsistent cache.

A dump capped with ``confidentiality_max`` leaves out interactions above the cap, with their
follow-ups, and the merge records (whose snapshots are an internal audit trail); the header says
so, and :mod:`engagement.transfer.backup` refuses to restore such a partial dump.

This module holds the document — its header, encoding, parsing and cross-checks; the reading of
each table is :mod:`engagement.transfer.dump_tables`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from engagement import collector
from engagement.errors import InvalidInput, TransferFileRejected
from engagement.migrate import _KNOWN_REVISIONS, SCHEMA_HEAD
from engagement.names import fold_name
from engagement.schemas import DumpDocument, validated
from engagement.schemas.transfer import DUMP_FORMAT, DUMP_VERSION
from engagement.transfer import dump_tables as tables
from engagement.vocab import Confidentiality

MAX_DUMP_BYTES = 2 * 1024**3


def build(
    session: Session, *, confidentiality_max: Confidentiality | None, exported_at: datetime
) -> dict[str, Any]:
    """The dump as plain JSON-ready data, in its fixed layout."""
    interactions, withheld = tables.interactions(session, confidentiality_max)
    kept = {item["id"] for item in interactions}
    return {
        "format": DUMP_FORMAT,
        "version": DUMP_VERSION,
        "schema": SCHEMA_HEAD,
        "exported_at": tables.timestamp(exported_at),
        "confidentiality_max": None if confidentiality_max is None else confidentiality_max.value,
        "withheld_interactions": withheld,
        "stakeholders": tables.stakeholders(session),
        "affiliations": tables.affiliations(session),
        "tenures": tables.tenures(session),
        "interactions": interactions,
        "commitments": tables.commitments(session, confidentiality_max, kept),
        "merges": [] if confidentiality_max is not None else tables.merges(session),
    }


def encode(document: dict[str, Any]) -> bytes:
    """UTF-8 JSON, indented, non-ASCII kept readable, ending with a newline."""
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def parse(data: bytes, source: str) -> DumpDocument:
    """Validate a dump completely — JSON, header, every item, every cross-reference — so that
    a bad file is refused before anything is written, with the place of each problem."""
    if len(data) > MAX_DUMP_BYTES:
        raise TransferFileRejected(source, ["the file is larger than 2 GiB"])
    with collector.paused():
        document = _validated_json(data)
        if document is None:
            document = _validated_object(data, source)
        problems = check_references(document)
    if problems:
        raise TransferFileRejected(source, problems)
    return document


def _validated_json(data: bytes) -> DumpDocument | None:
    """The fast path: pydantic-core validates the bytes directly, without building the
    dictionaries of ``json.loads`` first (a third of the import's validation time), with the
    same models and validators. Any file it does not accept as a known dump goes through
    :func:`_validated_object`, which finds and words the problem (a byte-order mark, say)."""
    try:
        document = DumpDocument.model_validate_json(data)
    except ValueError:  # ValidationError, whatever the bytes
        return None
    if document.schema_revision not in _KNOWN_REVISIONS:
        return None
    return document


def _validated_object(data: bytes, source: str) -> DumpDocument:
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TransferFileRejected(source, ["is not UTF-8 text"], _HINT) from None
    except json.JSONDecodeError as error:
        problem = f"is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        raise TransferFileRejected(source, [problem], _HINT) from None
    if not isinstance(raw, dict) or raw.get("format") != DUMP_FORMAT:
        raise TransferFileRejected(source, [f"is not an {DUMP_FORMAT} file"], _HINT)
    if raw.get("version") != DUMP_VERSION:
        raise TransferFileRejected(
            source,
            [f"is a version {raw.get('version')!r} dump; this engagement reads version 1"],
            "upgrade engagement to read it",
        )
    revision = raw.get("schema")
    if revision not in _KNOWN_REVISIONS:
        raise TransferFileRejected(
            source,
            [f"was written at schema revision {revision!r}, which this engagement does not know"],
            "upgrade engagement to read it",
        )
    try:
        return validated(DumpDocument, raw)
    except InvalidInput as error:
        raise TransferFileRejected(source, error.problems) from None


_HINT = "give a file written by 'engagement export json' or 'engagement backup'"


def check_references(document: DumpDocument) -> list[str]:
    """Duplicate ids, names and uids, and references to rows the dump does not hold."""
    problems: list[str] = []
    ids: set[int] = set()
    keys: dict[str, int] = {}
    for index, stakeholder in enumerate(document.stakeholders):
        where = f"stakeholders[{index}]"
        if stakeholder.id in ids:
            problems.append(f"{where}.id: {stakeholder.id} is used twice")
        ids.add(stakeholder.id)
        key = fold_name(stakeholder.name)
        if not key:
            problems.append(f"{where}.name: {stakeholder.name!r} has no letters or digits")
        elif key in keys:
            problems.append(
                f"{where}.name: {stakeholder.name!r} is the same name as stakeholders[{keys[key]}]"
            )
        keys.setdefault(key, index)
    for index, stakeholder in enumerate(document.stakeholders):
        if stakeholder.parent_id is not None and stakeholder.parent_id not in ids:
            problems.append(
                f"stakeholders[{index}].parent_id: no stakeholder has id {stakeholder.parent_id}"
            )
    seen: set[int] = set()
    for index, affiliation in enumerate(document.affiliations):
        where = f"affiliations[{index}]"
        if affiliation.id in seen:
            problems.append(f"{where}.id: {affiliation.id} is used twice")
        seen.add(affiliation.id)
        for field in ("person_id", "organisation_id"):
            if getattr(affiliation, field) not in ids:
                problems.append(
                    f"{where}.{field}: no stakeholder has id {getattr(affiliation, field)}"
                )
    seen = set()
    for index, tenure in enumerate(document.tenures):
        where = f"tenures[{index}]"
        if tenure.id in seen:
            problems.append(f"{where}.id: {tenure.id} is used twice")
        seen.add(tenure.id)
        for field in ("post_id", "person_id"):
            if getattr(tenure, field) not in ids:
                problems.append(f"{where}.{field}: no stakeholder has id {getattr(tenure, field)}")
    seen, uids, follow_ups = set(), set(), set()
    for index, interaction in enumerate(document.interactions):
        where = f"interactions[{index}]"
        if interaction.id in seen:
            problems.append(f"{where}.id: {interaction.id} is used twice")
        if interaction.uid in uids:
            problems.append(f"{where}.uid: {interaction.uid!r} is used twice")
        seen.add(interaction.id)
        uids.add(interaction.uid)
        present: set[int] = set()
        for position, participant in enumerate(interaction.participants):
            if participant.stakeholder_id not in ids:
                problems.append(
                    f"{where}.participants[{position}].stakeholder_id: "
                    f"no stakeholder has id {participant.stakeholder_id}"
                )
            if participant.via_post_id is not None and participant.via_post_id not in ids:
                problems.append(
                    f"{where}.participants[{position}].via_post_id: "
                    f"no stakeholder has id {participant.via_post_id}"
                )
            if participant.stakeholder_id in present:
                problems.append(f"{where}.participants[{position}]: listed twice")
            present.add(participant.stakeholder_id)
        for position, follow_up in enumerate(interaction.follow_ups):
            if follow_up.id in follow_ups:
                problems.append(f"{where}.follow_ups[{position}].id: {follow_up.id} is used twice")
            follow_ups.add(follow_up.id)
    interaction_ids = {item.id for item in document.interactions}
    commitment_ids: set[int] = set()
    for index, commitment in enumerate(document.commitments):
        where = f"commitments[{index}]"
        if commitment.id in commitment_ids:
            problems.append(f"{where}.id: {commitment.id} is used twice")
        commitment_ids.add(commitment.id)
        if (
            commitment.interaction_id is not None
            and commitment.interaction_id not in interaction_ids
        ):
            problems.append(
                f"{where}.interaction_id: no interaction has id {commitment.interaction_id}"
            )
        for position, stakeholder_id in enumerate(commitment.stakeholder_ids):
            if stakeholder_id not in ids:
                problems.append(
                    f"{where}.stakeholder_ids[{position}]: no stakeholder has id {stakeholder_id}"
                )
    for index, merge in enumerate(document.merges):
        if merge.keep_id not in ids:
            problems.append(f"merges[{index}].keep_id: no stakeholder has id {merge.keep_id}")
    return problems
