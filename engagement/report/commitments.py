"""The "Commitments" part of the activity report: what was promised, kept and is overdue.

* **opened** — made in the period (``made_on``, the day of the interaction it came from);
* **kept** — marked done with a closing day in the period;
* **overdue** — still open or in progress, due by the end of the period and before the day
  the report is written.

Only commitments at or below the report's confidentiality cap appear; unlike interactions,
none is summarised: a promise without its text says nothing useful.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from engagement.models import Commitment, Stakeholder
from engagement.report import phrasing
from engagement.report.model import CommitmentLine, CommitmentsPart
from engagement.schemas import CommitmentRead
from engagement.services import commitments
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy, StakeholderKind


def build(
    session: Session, *, start: date, end: date, cap: Confidentiality, today: date
) -> CommitmentsPart:
    levels = [level.value for level in cap.levels_up_to()]
    opened = and_(Commitment.made_on >= start, Commitment.made_on <= end)
    kept = and_(
        Commitment.status == CommitmentStatus.DONE.value,
        Commitment.closed_on >= start,
        Commitment.closed_on <= end,
    )
    late = and_(
        Commitment.status.in_(commitments.OPEN_STATUSES),
        Commitment.due_on <= end,
        Commitment.due_on < today,
    )
    ids = list(
        session.scalars(
            select(Commitment.id)
            .where(Commitment.confidentiality.in_(levels), or_(opened, kept, late))
            .order_by(Commitment.due_on, Commitment.id)
        )
    )
    part = CommitmentsPart()
    found = commitments.read_many(session, ids, today=today)
    wanted = {ident for item in found for ident in item.stakeholder_ids}
    kinds = {
        row.id: StakeholderKind(row.kind)
        for row in session.execute(
            select(Stakeholder.id, Stakeholder.kind).where(Stakeholder.id.in_(wanted))
        )
    }
    for item in found:
        names = [
            phrasing.with_article(name, kinds.get(ident, StakeholderKind.PERSON))
            for ident, name in zip(item.stakeholder_ids, item.stakeholders, strict=False)
        ]
        line = _line(item, names)
        if start <= item.made_on <= end:
            part.opened.append(line)
        if (
            item.status is CommitmentStatus.DONE
            and item.closed_on is not None
            and start <= item.closed_on <= end
        ):
            part.kept.append(line)
        if item.status.is_open and item.due is not None and item.due <= end and item.due < today:
            part.overdue.append(line)
    return part


def sentence(item: CommitmentRead, names: list[str] | None = None) -> str:
    """'We owe the Russian Red Cross: send the legal analysis… (due 31 August 2025).'"""
    who = phrasing.join_names(names or item.stakeholders)
    text = item.text.rstrip(".")
    head = (
        f"We owe {who}: " if item.owed_by is OwedBy.US else f"{phrasing.upper_first(who)} owes us: "
    )
    due = f" (due {phrasing.long_date(item.due)})" if item.due else ""
    if text[1:2].islower():  # "Send …" reads on after the colon; "ICRC …" stays as it is
        text = phrasing.lower_first(text)
    return f"{head}{text}{due}."


def _line(item: CommitmentRead, names: list[str]) -> CommitmentLine:
    return CommitmentLine(
        id=item.id,
        text=item.text,
        sentence=sentence(item, names),
        owed_by=item.owed_by.value,
        due=item.due,
        status=item.status.value,
    )
