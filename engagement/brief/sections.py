"""Extra sections of the brief, one function each.

A section is a function taking the session and the :class:`BriefContext` and returning a
:class:`~engagement.brief.model.BriefSection` (or ``None`` to leave it out); decorating it with
:func:`section` is all it takes for every brief, in every format, to carry it. It must apply the
cap: only interactions in ``context.interaction_ids`` (already capped) may be drawn on.

The **open commitments** (both ways) are such a section, :func:`open_commitments`, below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engagement.brief.model import BriefEntry, BriefGroup, BriefSection
from engagement.models import Commitment, CommitmentStakeholder, Interaction
from engagement.schemas import CommitmentRead
from engagement.services import commitments
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy


@dataclass(frozen=True)
class BriefContext:
    stakeholder_id: int
    stakeholder_ids: frozenset[int]
    """The stakeholder, its branches and posts, and the people whose tenure or affiliation
    ties them to it."""
    interaction_ids: frozenset[int]
    """Every interaction the brief may draw on: with those stakeholders, within the cap."""
    cap: Confidentiality
    today: date


SectionBuilder = Callable[[Session, BriefContext], BriefSection | None]
_SECTIONS: list[SectionBuilder] = []


def section(builder: SectionBuilder) -> SectionBuilder:
    """Register ``builder``: its section appears in every brief, after the open follow-ups."""
    if builder not in _SECTIONS:
        _SECTIONS.append(builder)
    return builder


def unregister(builder: SectionBuilder) -> None:
    if builder in _SECTIONS:
        _SECTIONS.remove(builder)


def extra_sections(session: Session, context: BriefContext) -> list[BriefSection]:
    built = (builder(session, context) for builder in list(_SECTIONS))
    return [item for item in built if item is not None]


@section
def open_commitments(session: Session, context: BriefContext) -> BriefSection:
    """What we owe them and what they owe us, still to be kept, overdue first then by due day.

    A commitment has its own confidentiality level: those above the cap are left out (and
    counted in the note), and the interaction it came from is named only when that one is
    within the cap too, as in a capped JSON export.
    """
    found = commitments.list_(
        session,
        today=context.today,
        stakeholder_ids=context.stakeholder_ids,
        confidentiality_max=context.cap,
    )
    allowed = [level.value for level in context.cap.levels_up_to()]
    sources = {item.interaction_id for item in found if item.interaction_id is not None}
    shareable = set(
        session.scalars(
            select(Interaction.id).where(
                Interaction.id.in_(sources), Interaction.confidentiality.in_(allowed)
            )
        )
    )
    withheld = session.scalar(
        select(func.count(func.distinct(Commitment.id)))
        .join(CommitmentStakeholder, CommitmentStakeholder.commitment_id == Commitment.id)
        .where(
            CommitmentStakeholder.stakeholder_id.in_(list(context.stakeholder_ids)),
            Commitment.status.in_(commitments.OPEN_STATUSES),
            Commitment.confidentiality.not_in(allowed),
        )
    )
    note = ""
    if withheld:
        note = (
            f"{withheld} open commitment{'s' if withheld != 1 else ''} above this level "
            f"{'is' if withheld == 1 else 'are'} left out."
        )

    def entries(direction: OwedBy) -> list[BriefEntry]:
        return [
            _entry(item, context.stakeholder_id, shareable)
            for item in found
            if item.owed_by is direction
        ]

    return BriefSection(
        key="commitments",
        title="Open commitments",
        groups=[
            BriefGroup(title="We owe them", entries=entries(OwedBy.US)),
            BriefGroup(title="They owe us", entries=entries(OwedBy.THEM)),
        ],
        note=note,
        withheld=withheld or 0,
        withheld_noun="open commitment",
    )


def _entry(item: CommitmentRead, own: int, shareable: set[int]) -> BriefEntry:
    return BriefEntry(
        text=item.text,
        due=item.due,
        overdue=item.overdue,
        owner=item.owner,
        state="in progress" if item.status is CommitmentStatus.IN_PROGRESS else "",
        concerns=[
            name
            for ident, name in zip(item.stakeholder_ids, item.stakeholders, strict=True)
            if ident != own
        ],
        source=(item.interaction_title or "") if item.interaction_id in shareable else "",
    )
