"""The contact statistics kept on each stakeholder: first and last contact, how many
interactions, whether a recurring one is ongoing.

They are maintained columns, recomputed here whenever an interaction, a merge, an import or a
post tenure changes who took part in what, so lists can sort and filter on them without an
aggregate over the whole log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.orm import Session

from engagement.models import Interaction, InteractionStakeholder, Stakeholder
from engagement.vocab import InteractionStatus


def refresh_contacts(session: Session, stakeholder_ids: Iterable[int], *, today: date) -> None:
    """Recompute the maintained contact columns of these stakeholders from their log.

    Written with Core updates so that the stakeholders' version counters do not move: a new
    meeting must not make someone's open edit of the stakeholder's notes look stale.
    """
    ids = sorted(set(stakeholder_ids))
    if not ids:
        return
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Row-level security would hide interactions above the writer's clearance from the
        # aggregate below; the database recomputes over all of them (engagement.audit_postgres).
        from engagement import audit_postgres

        audit_postgres.refresh_contacts_postgresql(session.connection(), ids)
        _expire_contacts(session, ids)
        return
    held = Interaction.status == InteractionStatus.HELD.value
    live = Interaction.status != InteractionStatus.CANCELLED.value
    one_off = Interaction.recurrence.is_(None)
    stats = {
        row.stakeholder_id: row
        for row in session.execute(
            select(
                InteractionStakeholder.stakeholder_id,
                func.min(case((held, Interaction.start_on))).label("first"),
                func.max(case((held & one_off, Interaction.last_on))).label("last"),
                func.max(case((held & ~one_off, Interaction.start_on))).label("recurring"),
                func.count(case((live, 1))).label("count"),
            )
            .join(Interaction, Interaction.id == InteractionStakeholder.interaction_id)
            .where(InteractionStakeholder.stakeholder_id.in_(ids))
            .group_by(InteractionStakeholder.stakeholder_id)
        )
    }
    values = []
    for stakeholder_id in ids:
        row = stats.get(stakeholder_id)
        last = None if row is None else row.last
        if row is not None and row.recurring is not None and (last is None or row.recurring > last):
            last = row.recurring
        values.append(
            {
                "b_id": stakeholder_id,
                "b_first": None if row is None else row.first,
                "b_last": last,
                "b_count": 0 if row is None else row.count,
                "b_ongoing": row is not None and row.recurring is not None,
            }
        )
    # One executemany on the table (not the ORM entity, whose bulk path would move versions):
    # an import touches thousands of stakeholders.
    table: Table = Stakeholder.__table__  # type: ignore[assignment]
    session.connection().execute(
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            first_contact_on=bindparam("b_first"),
            last_contact_on=bindparam("b_last"),
            interaction_count=bindparam("b_count"),
            ongoing=bindparam("b_ongoing"),
            updated_at=table.c.updated_at,
        ),
        values,
    )
    _expire_contacts(session, ids)


def _expire_contacts(session: Session, ids: list[int]) -> None:
    for cached in list(session.identity_map.values()):
        if isinstance(cached, Stakeholder) and cached.id in ids:
            session.expire(
                cached, ["first_contact_on", "last_contact_on", "interaction_count", "ongoing"]
            )


__all__ = ["refresh_contacts"]
