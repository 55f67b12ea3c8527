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
This module holds the modes and the unit of work around a load; the rows themselves are built in
:mod:`engagement.transfer.load_rows`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from engagement import auditing, collector, link_copies
from engagement.errors import TargetNotEmpty
from engagement.models import (
    Affiliation,
    Base,
    Commitment,
    FollowUp,
    Interaction,
    PostTenure,
    Stakeholder,
    StakeholderAlias,
    StakeholderMerge,
)
from engagement.schemas import DumpDocument, DumpImportReport
from engagement.services import search_index
from engagement.services.interactions import refresh_contacts
from engagement.transfer import bulk_indexes
from engagement.transfer.load_rows import Loader

Mode = Literal["empty", "merge", "replace"]
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
    with collector.paused():
        _load(session, document, mode=mode, exact=exact, source=source, report=report, now=now)
    return report


def _load(
    session: Session,
    document: DumpDocument,
    *,
    mode: Mode,
    exact: bool,
    source: str,
    report: DumpImportReport,
    now: datetime,
) -> None:
    connection = session.connection()
    if exact and connection.dialect.name == "sqlite":
        # A restore into an empty file recreates data, it does not change any: one summary
        # entry says who loaded what from where (docs/data-safety.md, "Audit trail").
        with auditing.suspended(connection):
            _load_all(session, document, exact=exact, report=report, now=now)
        auditing.record_import(connection, source=source, mode=mode, counts=_counted(report))
    else:
        _load_all(session, document, exact=exact, report=report, now=now)


def _counted(report: DumpImportReport) -> dict[str, int]:
    return {
        name: value
        for name, value in report.model_dump().items()
        if name.endswith("_added") and isinstance(value, int)
    }


_LOADED_TABLES = tuple(
    table.name for table in Base.metadata.sorted_tables if table.name not in KEPT_BY_RESTORE
)


def _load_rows(loader: Loader, document: DumpDocument, *, exact: bool) -> None:
    loader.stakeholders(document.stakeholders)
    loader.affiliations(document)
    loader.tenures(document)
    loader.interactions(document.interactions)
    loader.commitments(document.commitments)
    if exact:
        loader.merges(document)


def _load_all(
    session: Session,
    document: DumpDocument,
    *,
    exact: bool,
    report: DumpImportReport,
    now: datetime,
) -> None:
    loader = Loader(session, exact=exact, report=report)
    connection = session.connection()
    if exact and connection.dialect.name == "sqlite":
        # The tables are empty: their indexes and the full-text index are built once at the
        # end rather than maintained row by row (inside this transaction, like the rows).
        # Not on PostgreSQL, where dropping an index takes the table's owner, which the
        # role restoring a dump need not be.
        # The links are written with their interaction's copied columns, so the copying
        # triggers are suspended too.
        with (
            bulk_indexes.set_aside(connection, _LOADED_TABLES),
            link_copies.suspended(connection),
        ):
            _load_rows(loader, document, exact=True)
    else:
        _load_rows(loader, document, exact=exact)
    if not exact:
        report.merges_skipped = len(document.merges)
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
