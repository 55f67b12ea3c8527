"""Use cases on the audit log and on clearances (who may see which confidentiality level)."""

from __future__ import annotations

from datetime import date, datetime, time

from engagement.api.base import UseCases
from engagement.schemas.audit import AuditEntryRead, ClearanceRead
from engagement.vocab import Confidentiality


class AuditUseCases(UseCases):
    def audit_log(
        self,
        *,
        stakeholder: str | None = None,
        since: date | datetime | None = None,
        limit: int | None = None,
    ) -> list[AuditEntryRead]:
        """Recorded changes, newest first; a ``since`` day starts at midnight local time.
        On PostgreSQL entries above the connected role's clearance are not shown."""
        from engagement.services import audit

        start = since if isinstance(since, datetime) or since is None else None
        if start is None and since is not None:
            start = datetime.combine(since, time(), tzinfo=self.now().tzinfo)
        return self.db.read(
            lambda s: audit.entries(s, stakeholder=stakeholder, since=start, limit=limit)
        )

    def clearances(self) -> list[ClearanceRead]:
        from engagement.services import audit

        return self.db.read(audit.list_clearances)

    def set_clearance(self, role: str, level: Confidentiality | str) -> ClearanceRead:
        """Let PostgreSQL ``role`` see up to ``level``, and grant it what a team member needs."""
        from engagement.services import audit

        chosen = _level(level)
        name = role.strip()
        return self.db.write(lambda s: audit.set_clearance(s, name, chosen))

    def remove_clearance(self, role: str) -> None:
        from engagement.services import audit

        name = role.strip()
        self.db.write(lambda s: audit.remove_clearance(s, name))


def _level(level: Confidentiality | str) -> Confidentiality:
    if isinstance(level, Confidentiality):
        return level
    try:
        return Confidentiality(level.strip().lower())
    except ValueError:
        from engagement.errors import ValidationFailed
        from engagement.vocab import choices

        raise ValidationFailed(
            "level", level, f"is not a confidentiality level; use {choices(Confidentiality)}"
        ) from None
