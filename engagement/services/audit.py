"""Reading the audit log, and managing clearances (PostgreSQL roles' confidentiality levels).

The log is written by database triggers (:mod:`engagement.auditing`), never here. On PostgreSQL
row-level security already hides entries above the reader's clearance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from engagement import auditing
from engagement.errors import StorageError, ValidationFailed
from engagement.models import AuditEntry, Clearance, InteractionStakeholder
from engagement.schemas.audit import AuditEntryRead, ClearanceRead
from engagement.services.resolve import resolve
from engagement.vocab import Confidentiality


def entries(
    session: Session,
    *,
    stakeholder: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntryRead]:
    """Newest first. With ``stakeholder``: changes to it, its aliases, tags, affiliations
    (as the person) and merges, and to every interaction it takes part in or once took part in."""
    log = AuditEntry.__table__
    query = select(log).order_by(log.c.id.desc())
    if stakeholder is not None:
        stakeholder_id = resolve(session, stakeholder).id
        once_linked = select(AuditEntry.interaction_id).where(
            AuditEntry.table_name == InteractionStakeholder.__tablename__,
            AuditEntry.stakeholder_id == stakeholder_id,
        )
        linked = select(InteractionStakeholder.interaction_id).where(
            InteractionStakeholder.stakeholder_id == stakeholder_id
        )
        query = query.where(
            or_(
                log.c.stakeholder_id == stakeholder_id,
                log.c.interaction_id.in_(once_linked),
                log.c.interaction_id.in_(linked),
            )
        )
    if since is not None:
        query = query.where(log.c.at >= since)
    if limit is not None:
        query = query.limit(limit)
    return [_entry(row) for row in session.execute(query)]


def _entry(row: Any) -> AuditEntryRead:
    before = _as_dict(row.before)
    after = _as_dict(row.after)
    changed = []
    if before is not None and after is not None:
        changed = [key for key in after if before.get(key) != after.get(key)]
    return AuditEntryRead(
        id=row.id,
        at=row.at,
        actor=row.actor or auditing.UNKNOWN_ACTOR,
        action=row.action,
        table=row.table_name,
        row_id=row.row_id,
        stakeholder_id=row.stakeholder_id,
        interaction_id=row.interaction_id,
        confidentiality=Confidentiality(row.confidentiality) if row.confidentiality else None,
        changed=changed,
        before=before,
        after=after,
    )


def _as_dict(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, str):  # a driver that hands JSON back as text
        import json

        value = json.loads(value)
    assert isinstance(value, dict)
    return value


# --- clearances (PostgreSQL) ----------------------------------------------------------------


def list_clearances(session: Session) -> list[ClearanceRead]:
    _require_postgresql(session)
    return [
        ClearanceRead(role=row.role_name, level=Confidentiality(row.level))
        for row in session.execute(select(Clearance).order_by(Clearance.role_name)).scalars()
    ]


def set_clearance(session: Session, role: str, level: Confidentiality) -> ClearanceRead:
    """Give ``role`` this clearance and the privileges a team member needs (read and write the
    data, read the audit log; never the clearances themselves)."""
    _require_postgresql(session)
    _require_role(session, role)
    existing = session.get(Clearance, role)
    if existing is None:
        session.add(Clearance(role_name=role, level=level.value))
    else:
        existing.level = level.value
    session.flush()
    quoted = _quote(session, role)
    session.execute(text(f"GRANT USAGE ON SCHEMA {_schema(session)} TO {quoted}"))
    session.execute(
        text(
            "GRANT SELECT, INSERT, UPDATE, DELETE ON "
            + ", ".join(auditing.TEAM_WRITABLE)
            + f" TO {quoted}"
        )
    )
    session.execute(text(f"GRANT SELECT ON {', '.join(auditing.TEAM_READABLE)} TO {quoted}"))
    session.execute(
        text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {_schema(session)} TO {quoted}")
    )
    return ClearanceRead(role=role, level=level)


def remove_clearance(session: Session, role: str) -> None:
    """Take the clearance and the privileges :func:`set_clearance` gave."""
    _require_postgresql(session)
    existing = session.get(Clearance, role)
    if existing is None:
        raise ValidationFailed("role", role, "has no clearance; see 'engagement clearance list'")
    session.delete(existing)
    session.flush()
    if _role_exists(session, role):
        quoted = _quote(session, role)
        tables = ", ".join((*auditing.TEAM_WRITABLE, *auditing.TEAM_READABLE))
        session.execute(text(f"REVOKE ALL ON {tables} FROM {quoted}"))
        session.execute(
            text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {_schema(session)} FROM {quoted}")
        )


def _require_postgresql(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise StorageError(
            "clearances apply to PostgreSQL databases (row-level security per role); a SQLite "
            "file has a single user — use --db postgresql+psycopg://USER@HOST/DBNAME"
        )


def _role_exists(session: Session, role: str) -> bool:
    found = session.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
    return found.first() is not None


def _require_role(session: Session, role: str) -> None:
    if not _role_exists(session, role):
        raise ValidationFailed(
            "role", role, "is not a PostgreSQL role; create it first (CREATE ROLE … LOGIN)"
        )


def _quote(session: Session, identifier: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote_identifier(identifier)


def _schema(session: Session) -> str:
    name = session.execute(text("SELECT current_schema()")).scalar_one()
    return _quote(session, str(name))
