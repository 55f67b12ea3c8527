"""Spotting stakeholders that are probably one and the same, to offer a merge.

Comparing every pair is quadratic, so candidates come from the word index: two stakeholders are
compared only if they share a word of their names (folded and transliterated, so 'Москалькова'
and 'Moskalkova' share one) that is rare enough to mean something — a word shared by dozens of
names ('ministry', 'embassy') proves nothing. Each candidate pair is then scored with rapidfuzz
on the loose, transliterated forms of every name and alias, and the best score counts.

Pairs that cannot be duplicates are left out: a person and an organisation, two different
countries, and an organisation and its own branch.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engagement.models import Stakeholder, StakeholderAlias, StakeholderToken
from engagement.names import name_tokens
from engagement.schemas import DuplicatePair
from engagement.vocab import StakeholderKind

SCORE_CUTOFF = 85.0
RARE_WORD = 12
"""A word shared by more stakeholders than this does not make them candidates."""
MAX_PAIRS = 20_000


def likely_duplicates(session: Session, *, limit: int = 20) -> list[DuplicatePair]:
    first, second = aliased(StakeholderToken), aliased(StakeholderToken)
    pairs: set[tuple[int, int]] = {
        (int(a), int(b))
        for a, b in session.execute(
            select(first.stakeholder_id, second.stakeholder_id)
            .join(second, second.token == first.token)
            .where(first.stakeholder_id < second.stakeholder_id, first.token.in_(_rare()))
            .distinct()
            .limit(MAX_PAIRS)
        )
    }
    return _scored(session, pairs)[:limit]


def duplicates_of(session: Session, stakeholder_id: int, *, limit: int = 5) -> list[DuplicatePair]:
    """The likely duplicates of one stakeholder (for its detail screen, and for a form that
    has just created it), best first: the same test as :func:`likely_duplicates`, with the
    candidates read from this stakeholder's own words only."""
    mine = select(StakeholderToken.token).where(StakeholderToken.stakeholder_id == stakeholder_id)
    others = session.scalars(
        select(StakeholderToken.stakeholder_id)
        .where(
            StakeholderToken.token.in_(mine),
            StakeholderToken.token.in_(_rare()),
            StakeholderToken.stakeholder_id != stakeholder_id,
        )
        .distinct()
        .limit(MAX_PAIRS)
    )
    pairs = {(min(other, stakeholder_id), max(other, stakeholder_id)) for other in others}
    return _scored(session, pairs)[:limit]


def _rare() -> Any:
    """Words of three letters or more shared by at most :data:`RARE_WORD` stakeholders."""
    return (
        select(StakeholderToken.token)
        .where(func.length(StakeholderToken.token) >= 3)
        .group_by(StakeholderToken.token)
        .having(func.count() <= RARE_WORD)
    )


def _scored(session: Session, pairs: set[tuple[int, int]]) -> list[DuplicatePair]:
    """The candidate pairs that pass, scored, best first."""
    from rapidfuzz import fuzz

    if not pairs:
        return []
    ids = {i for pair in pairs for i in pair}
    rows = {
        row.id: row
        for row in session.execute(
            select(
                Stakeholder.id,
                Stakeholder.name,
                Stakeholder.kind,
                Stakeholder.country,
                Stakeholder.parent_id,
                Stakeholder.interaction_count,
            ).where(Stakeholder.id.in_(ids))
        )
    }
    forms: dict[int, list[list[str]]] = defaultdict(list)
    for row in rows.values():
        forms[row.id].append(name_tokens(row.name))
    for owner, alias in session.execute(
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias).where(
            StakeholderAlias.stakeholder_id.in_(ids)
        )
    ):
        forms[owner].append(name_tokens(alias))
    found = []
    for a, b in sorted(pairs):
        one, two = rows[a], rows[b]
        person = StakeholderKind.PERSON.value
        if (one.kind == person) != (two.kind == person):
            continue
        if one.country and two.country and one.country != two.country:
            continue
        if one.parent_id == two.id or two.parent_id == one.id:
            continue
        score = max(
            (_similarity(x, y, fuzz) for x in forms[a] for y in forms[b] if x and y),
            default=0.0,
        )
        if score < SCORE_CUTOFF:
            continue
        keep, drop = sorted((one, two), key=lambda row: (-row.interaction_count, row.id))
        found.append(
            DuplicatePair(
                keep_id=keep.id,
                keep_name=keep.name,
                drop_id=drop.id,
                drop_name=drop.name,
                score=round(float(score), 1),
            )
        )
    found.sort(key=lambda pair: (-pair.score, pair.keep_id, pair.drop_id))
    return found


def _similarity(left: list[str], right: list[str], fuzz: Any) -> float:
    """How alike two names are, 0–100. The words they do not share decide: 'Rostov Regional
    Branch' and 'Voronezh Regional Branch' share most of their letters but differ in the one
    word that matters, while 'Moskalkova' and 'Moskalkva' differ by a typo."""
    only_left = sorted(set(left) - set(right))
    only_right = sorted(set(right) - set(left))
    overall = float(fuzz.token_sort_ratio(" ".join(left), " ".join(right)))
    if not only_left and not only_right:
        return 100.0
    if only_left and only_right:
        differing = float(fuzz.ratio(" ".join(only_left), " ".join(only_right)))
        return overall * differing / 100
    return overall


__all__ = ["duplicates_of", "likely_duplicates"]
