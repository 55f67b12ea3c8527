"""Selecting what a CSV export carries, under a confidentiality cap."""

from __future__ import annotations

from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.models import Interaction, Stakeholder
from engagement.services import interactions, stakeholders
from engagement.transfer import csv_io
from engagement.vocab import Confidentiality

_BATCH = 500


def csv_rows(
    session: Session,
    kind: Literal["stakeholders", "interactions"],
    *,
    cap: Confidentiality | None,
    today: date,
) -> tuple[list[list[str]], int, int]:
    """The rows to write, how many records they hold, and how many the cap withheld."""
    if kind == "stakeholders":
        ids = list(session.scalars(select(Stakeholder.id).order_by(Stakeholder.id)))
        return csv_io.stakeholder_rows(stakeholders.read_many(session, ids)), len(ids), 0
    ids = list(session.scalars(csv_io.interactions_query(cap)))
    total = session.scalar(select(func.count()).select_from(Interaction)) or 0
    items = [
        item
        for start in range(0, len(ids), _BATCH)
        for item in interactions.read_many(session, ids[start : start + _BATCH], today=today)
    ]
    return csv_io.interaction_rows(items), len(ids), total - len(ids)
