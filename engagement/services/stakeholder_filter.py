"""Finding stakeholders as the user types, counting matches only up to a limit.

The filter of the TUI's stakeholder list runs at every keystroke; at 100,000 stakeholders a
one-letter prefix matches a fifth of them, and counting and sorting those all took longer than
a keystroke may.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal, select
from sqlalchemy.orm import Session, aliased

from engagement.models import Stakeholder, StakeholderToken
from engagement.schemas import StakeholderPage
from engagement.services import stakeholders
from engagement.services.stakeholder_search import (
    Narrowing,
    fuzzy_page,
    name_rank,
    token_starts,
    worth_a_fuzzy_look,
)


def find_counted(
    session: Session,
    text: str,
    typed: list[str],
    narrowing: Narrowing,
    *,
    limit: int,
    offset: int,
    count_limit: int,
) -> StakeholderPage:
    """:func:`~engagement.services.stakeholder_search.find_stakeholders` with a count limit.

    The matches are read up to the limit through the token index, driven by the longest typed
    word (likely the rarest) with the others checked per stakeholder, and ranked as without a
    limit. When there are more, the list holds the first ``count_limit`` in the index's order
    (their matching words alphabetically): a one-letter prefix no longer reads and sorts a
    fifth of the stakeholders, and typing on narrows it."""
    driver = max(typed, key=len)
    others = [word for word in typed if word is not driver]
    matching = (
        select(StakeholderToken.stakeholder_id, name_rank(typed[0]), Stakeholder.name_key)
        .join(Stakeholder, Stakeholder.id == StakeholderToken.stakeholder_id)
        .where(token_starts(StakeholderToken.token, driver))
        .distinct()
    )
    for word in others:
        matching = matching.where(_has_token(word))
    matching = narrowing.apply(matching)
    found = list(session.execute(matching.limit(count_limit + 1)).all())
    if not found and worth_a_fuzzy_look(typed):
        return fuzzy_page(session, text, narrowing, limit=limit, offset=offset)
    at_least = len(found) > count_limit
    found = found[:count_limit]
    found.sort(key=lambda row: (row[1], row[2], row[0]))
    ids = [row[0] for row in found[offset : offset + limit]]
    total = len(found)
    return StakeholderPage(
        items=stakeholders.read_many(session, ids), total=total, offset=offset, at_least=at_least
    )


def _has_token(word: str) -> Any:
    """The stakeholder has a token beginning with ``word``: checked per stakeholder through the
    (stakeholder, token) key, never by listing every match of ``word``."""
    token = aliased(StakeholderToken)
    return (
        select(literal(1))
        .where(token.stakeholder_id == Stakeholder.id, token_starts(token.token, word))
        .exists()
    )
