"""Use cases on the commitments ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from engagement.api.base import UseCases
from engagement.schemas import CommitmentCreate, CommitmentRead, CommitmentUpdate, validated
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy


class CommitmentUseCases(UseCases):
    def add_commitment(
        self,
        text: str,
        *,
        owed_by: OwedBy | str,
        stakeholders: Sequence[str] = (),
        owner: str = "",
        due: date | str | None = None,
        interaction_id: int | None = None,
        confidentiality: Confidentiality | str | None = None,
        status: CommitmentStatus | str = CommitmentStatus.OPEN,
    ) -> CommitmentRead:
        """Record a promise: ``owed_by="us"`` (we owe them) or ``"them"`` (they owe us)."""
        data = validated(
            CommitmentCreate,
            {
                "text": text,
                "owed_by": owed_by,
                "stakeholders": list(stakeholders),
                "owner": owner,
                "due": due,
                "interaction_id": interaction_id,
                "confidentiality": confidentiality,
                "status": status,
            },
        )
        from engagement.services import commitments

        today = self.today()
        return self.db.write(lambda s: commitments.add(s, data, today=today))

    def update_commitment(self, commitment_id: int, /, **changes: Any) -> CommitmentRead:
        data = validated(CommitmentUpdate, changes)
        from engagement.services import commitments

        today = self.today()
        return self.db.write(lambda s: commitments.update_(s, commitment_id, data, today=today))

    def set_commitment_status(
        self, commitment_id: int, status: CommitmentStatus | str
    ) -> CommitmentRead:
        """Move a commitment to ``open``, ``in_progress``, ``done`` (kept) or ``dropped``."""
        return self.update_commitment(commitment_id, status=status)

    def get_commitment(self, commitment_id: int) -> CommitmentRead:
        from engagement.services import commitments

        today = self.today()
        return self.db.read(lambda s: commitments.get(s, commitment_id, today=today))

    def commitments(
        self,
        *,
        owed_by: OwedBy | str | None = None,
        overdue: bool = False,
        stakeholder: str | None = None,
        statuses: Sequence[CommitmentStatus | str] | None = None,
        confidentiality_max: Confidentiality | str | None = None,
        limit: int | None = None,
        interaction_id: int | None = None,
    ) -> list[CommitmentRead]:
        """Commitments still to be kept (or those in ``statuses``), overdue ones first;
        ``interaction_id`` keeps those made at that interaction."""
        from engagement.services import commitments
        from engagement.services.resolve import resolve

        direction = None if owed_by is None else OwedBy(owed_by)
        wanted = None if statuses is None else [CommitmentStatus(s) for s in statuses]
        cap = None if confidentiality_max is None else Confidentiality(confidentiality_max)
        today = self.today()

        def run(session: Any) -> list[CommitmentRead]:
            ids = None
            if stakeholder is not None:
                ids = [resolve(session, stakeholder, field="stakeholder").id]
            return commitments.list_(
                session,
                today=today,
                owed_by=direction,
                overdue=overdue,
                stakeholder_ids=ids,
                statuses=wanted,
                confidentiality_max=cap,
                limit=limit,
                interaction_id=interaction_id,
            )

        return self.db.read(run)
