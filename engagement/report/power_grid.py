"""The power–interest grid: active stakeholders with both scores, in four quadrants (the
report's "Stakeholder map" section and the TUI's map screen)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from engagement.report.model import (
    Level,
    MapQuadrant,
    MapStakeholder,
    QuadrantKey,
    StakeholderMap,
)
from engagement.services import report_stakeholders as people

#: A score at or above this is "high".
MAP_THRESHOLD = 3

QUADRANTS: tuple[tuple[QuadrantKey, str, Level, Level], ...] = (
    ("manage-closely", "Manage closely", "high", "high"),
    ("keep-satisfied", "Keep satisfied", "high", "low"),
    ("keep-informed", "Keep informed", "low", "high"),
    ("monitor", "Monitor", "low", "low"),
)


def stakeholder_map(session: Session, *, engaged: set[int] | None = None) -> StakeholderMap:
    """The power–interest grid of the active stakeholders that have both scores; with
    ``engaged``, each says whether the period shows an interaction with it."""
    rows, unscored = people.scored_stakeholders(session)
    quadrants = {
        key: MapQuadrant(key=key, name=name, influence=influence, interest=interest)
        for key, name, influence, interest in QUADRANTS
    }
    for row in sorted(rows, key=lambda r: (-r.influence, -r.interest, r.name.casefold())):
        high_influence = row.influence >= MAP_THRESHOLD
        high_interest = row.interest >= MAP_THRESHOLD
        key = next(
            k
            for k, _, influence, interest in QUADRANTS
            if (influence == "high") == high_influence and (interest == "high") == high_interest
        )
        quadrants[key].stakeholders.append(
            MapStakeholder(
                id=row.id,
                name=row.name,
                influence=row.influence,
                interest=row.interest,
                engaged=None if engaged is None else row.id in engaged,
            )
        )
    return StakeholderMap(
        threshold=MAP_THRESHOLD, quadrants=list(quadrants.values()), unscored=unscored
    )
