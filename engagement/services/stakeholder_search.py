"""Finding stakeholders by any spelling of their names: prefixes of words in any script, then
similar names when nothing matches (typo tolerance).

The pieces (word forms, the ranking of a match, the kind/country/archive filters and the typo
fallback) are shared with :mod:`engagement.services.stakeholder_filter`, the variant for a list
filtered at every keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from engagement.models import Stakeholder, StakeholderAlias, StakeholderToken
from engagement.names import fold_name, loosen, name_tokens, transliterations
from engagement.schemas import StakeholderPage
from engagement.services import stakeholders
from engagement.vocab import StakeholderKind

SIMILARITY_CUTOFF = 75
MAX_FUZZY_CANDIDATES = 5000
# Above this many matches the list stays alphabetical so the index can serve the first page.
RANKED_MATCH_LIMIT = 5000
# Sorts after every character: ``form <= token < form + TOP`` is "token starts with form".
TOP = "\U0010ffff"


@dataclass(frozen=True)
class Narrowing:
    """What the list is narrowed to besides the typed words."""

    kind: StakeholderKind | None
    country: str | None
    include_archived: bool

    def apply(self, query: Select[Any]) -> Select[Any]:
        if self.kind is not None:
            query = query.where(Stakeholder.kind == self.kind.value)
        if self.country is not None:
            query = query.where(Stakeholder.country == self.country)
        if not self.include_archived:
            query = query.where(Stakeholder.archived.is_(False))
        return query


def find_stakeholders(
    session: Session,
    text: str,
    *,
    kind: StakeholderKind | None,
    country: str | None,
    include_archived: bool,
    limit: int,
    offset: int,
    count_limit: int | None = None,
) -> StakeholderPage:
    """Every typed word must begin a word of the name or an alias, in any script; when nothing
    matches, the closest names by similarity are offered instead (``fuzzy``).

    With ``count_limit``, matches are counted up to that many (``at_least`` when there are
    more), so a short, common prefix costs what a rare one does: what a list filtered as the
    user types needs, at every keystroke."""
    limit = max(1, min(limit, 1000))
    offset = max(0, offset)
    typed = [word for word in fold_name(text[:300]).split()][:8]
    narrowing = Narrowing(kind, country, include_archived)
    if count_limit is not None and typed:
        from engagement.services.stakeholder_filter import find_counted

        return find_counted(
            session,
            text,
            typed,
            narrowing,
            limit=limit,
            offset=offset,
            count_limit=max(1, count_limit),
        )
    query = select(Stakeholder.id)
    for word in typed:
        query = query.where(Stakeholder.id.in_(prefix_matches(word)))
    query = narrowing.apply(query)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if total == 0 and worth_a_fuzzy_look(typed):
        return fuzzy_page(session, text, narrowing, limit=limit, offset=offset)
    order: list[Any] = [Stakeholder.name_key, Stakeholder.id]
    if typed and total <= RANKED_MATCH_LIMIT:
        order.insert(0, name_rank(typed[0]))
    ids = list(session.scalars(query.order_by(*order).limit(limit).offset(offset)))
    return StakeholderPage(items=stakeholders.read_many(session, ids), total=total, offset=offset)


def worth_a_fuzzy_look(typed: list[str]) -> bool:
    """Two letters are too few to be a misspelling of anything in particular."""
    return bool(typed) and len("".join(typed)) >= 3


def fuzzy_page(
    session: Session, text: str, narrowing: Narrowing, *, limit: int, offset: int
) -> StakeholderPage:
    """The page of names most similar to ``text``, for when no name matches it as typed."""
    ranked = similar(session, text, narrowing)
    page = ranked[offset : offset + limit]
    return StakeholderPage(
        items=stakeholders.read_many(session, page), total=len(ranked), offset=offset, fuzzy=True
    )


def name_rank(word: str) -> Any:
    """0 when the name itself begins with the typed word, 1 when one of its words does, 2 for
    matches through aliases, other scripts or loosened spellings: "mosk" puts Moskalkova before
    the embassies "in Moscow"."""
    forms = {fold_name(rendering) for rendering in transliterations(word)} - {""}
    starts = or_(*(Stakeholder.name_key.startswith(form, autoescape=True) for form in forms))
    inside = or_(*(Stakeholder.name_key.contains(" " + form, autoescape=True) for form in forms))
    return case((starts, 0), (inside, 1), else_=2)


def token_starts(token: Any, word: str) -> Any:
    """``token`` (a column of search tokens) begins with some rendering of ``word``."""
    forms = {form for rendering in transliterations(word) for form in _forms(rendering)}
    return or_(*((token >= form) & (token < form + TOP) for form in forms))


def prefix_matches(word: str) -> Select[Any]:
    return select(StakeholderToken.stakeholder_id).where(token_starts(StakeholderToken.token, word))


def _forms(rendering: str) -> list[str]:
    folded = fold_name(rendering).replace(" ", "")
    return [form for form in {folded, loosen(folded)} if form]


def similar(session: Session, text: str, narrowing: Narrowing) -> list[int]:
    """Stakeholder ids ordered by similarity to ``text``, best first (typo tolerance)."""
    from rapidfuzz import fuzz, process

    names = candidate_names(session, text)
    if not names:
        return []
    allowed = set(
        session.scalars(
            narrowing.apply(
                select(Stakeholder.id).where(Stakeholder.id.in_({i for _, i in names.values()}))
            )
        )
    )
    target = " ".join(name_tokens(text))
    scored = process.extract(
        target, list(names), scorer=fuzz.WRatio, limit=200, score_cutoff=SIMILARITY_CUTOFF
    )
    ranked: list[int] = []
    for candidate, _score, _index in scored:
        stakeholder_id = names[candidate][1]
        if stakeholder_id in allowed and stakeholder_id not in ranked:
            ranked.append(stakeholder_id)
    return ranked


def candidate_names(session: Session, text: str) -> dict[str, tuple[str, int]]:
    """Names and aliases that might be what ``text`` misspells, found through an index: those
    with a word starting like one of the typed words. Keys are loose forms for scoring; values
    are (canonical name, id)."""
    heads = {token[:2] for token in name_tokens(text) if len(token) >= 2}
    if not heads:
        return {}
    conditions = [
        (StakeholderToken.token >= head) & (StakeholderToken.token < head + TOP) for head in heads
    ]
    ids = (
        select(StakeholderToken.stakeholder_id)
        .where(or_(*conditions))
        .distinct()
        .limit(MAX_FUZZY_CANDIDATES)
    )
    names: dict[str, tuple[str, int]] = {}
    for stakeholder_id, name in session.execute(
        select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(ids))
    ):
        names.setdefault(" ".join(name_tokens(name)), (name, stakeholder_id))
    for stakeholder_id, name, alias in session.execute(
        select(Stakeholder.id, Stakeholder.name, StakeholderAlias.alias)
        .join(StakeholderAlias, StakeholderAlias.stakeholder_id == Stakeholder.id)
        .where(Stakeholder.id.in_(ids))
    ):
        names.setdefault(" ".join(name_tokens(alias)), (name, stakeholder_id))
    return names
