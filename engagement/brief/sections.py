"""Extra sections of the brief, one function each.

A section is a function taking the session and the :class:`BriefContext` and returning a
:class:`~engagement.brief.model.BriefSection` (or ``None`` to leave it out); decorating it with
:func:`section` is all it takes for every brief, in every format, to carry it. It must apply the
cap: only interactions in ``context.interaction_ids`` (already capped) may be drawn on.

The place for **open commitments** (both ways) is here: when the commitments ledger exists, its
section is one ``@section`` function listing the open commitments of ``context.stakeholder_ids``
whose source interaction is in ``context.interaction_ids``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from engagement.brief.model import BriefSection
from engagement.vocab import Confidentiality


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
