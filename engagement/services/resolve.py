"""Turning a name someone typed into exactly one stakeholder.

A canonical name wins; otherwise an alias must point to a single stakeholder (aliases such as
"MFA" may be shared, and then the country narrows them down). Failing that, the error lists the
closest names so the user can correct a typo.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.countries import COUNTRIES, country_name
from engagement.errors import AmbiguousName, StakeholderNotFound
from engagement.models import Stakeholder, StakeholderAlias, StakeholderKey, StakeholderToken
from engagement.names import fold_name, name_tokens, search_keys

_ID_REFERENCE = re.compile(r"^#(\d+)$")
_COUNTRY_SUFFIX = re.compile(r"^(.*\S)\s*\(([A-Za-z]{2})\)$")
SUGGESTION_LIMIT = 3
MAX_CANDIDATES = 8


def resolve(
    session: Session, name: str, *, country: str | None = None, field: str = ""
) -> Stakeholder:
    """The stakeholder ``name`` refers to, or :class:`StakeholderNotFound`/:class:`AmbiguousName`.

    ``#12`` refers to the stakeholder with id 12; ``MFA (BY)`` narrows an alias by country.
    """
    text = name.strip()
    by_id = _ID_REFERENCE.match(text)
    if by_id:
        found = session.get(Stakeholder, int(by_id.group(1)))
        if found is None:
            raise StakeholderNotFound(text, field=field)
        return found
    suffix = _COUNTRY_SUFFIX.match(text)
    if suffix and suffix.group(2).upper() in COUNTRIES and country is None:
        text, country = suffix.group(1), suffix.group(2).upper()
    key = fold_name(text)
    if not key:
        raise StakeholderNotFound(name, field=field)
    exact = session.scalars(select(Stakeholder).where(Stakeholder.name_key == key)).first()
    if exact is not None and (country is None or exact.country == country):
        return exact
    query = (
        select(Stakeholder)
        .join(StakeholderAlias, StakeholderAlias.stakeholder_id == Stakeholder.id)
        .where(StakeholderAlias.alias_key == key)
        .distinct()
        .order_by(Stakeholder.name)
    )
    if country is not None:
        query = query.where(Stakeholder.country == country)
    matches = list(session.scalars(query))
    if exact is not None and not matches:
        return exact
    if not matches:
        matches = _by_search_key(session, text, country)
    if not matches:
        matches = _by_words(session, text, country)
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = [label(match) for match in matches[:MAX_CANDIDATES]]
        if len(matches) > MAX_CANDIDATES:
            shown.append(f"{len(matches) - MAX_CANDIDATES} more")
        raise AmbiguousName(name, shown, field=field)
    raise StakeholderNotFound(name, suggest(session, text), field=field)


def _by_search_key(session: Session, text: str, country: str | None) -> list[Stakeholder]:
    """Spellings that differ in transliteration, word order or stop words, and acronyms."""
    keys = search_keys(text)
    if not keys:
        return []
    query = (
        select(Stakeholder)
        .join(StakeholderKey, StakeholderKey.stakeholder_id == Stakeholder.id)
        .where(StakeholderKey.key.in_(keys))
        .distinct()
        .order_by(Stakeholder.name)
    )
    if country is not None:
        query = query.where(Stakeholder.country == country)
    found = list(session.scalars(query))
    if len(found) > 1:
        # A real name or alias beats an acronym that merely coincides with the text.
        named = list(session.scalars(query.where(StakeholderKey.source != "acronym")))
        if named:
            return named
    return found


def _by_words(session: Session, text: str, country: str | None) -> list[Stakeholder]:
    """Part of a name, such as a surname: every typed word is a whole word of the name or
    of an alias ('Moskalkova', 'Savchuk', 'Москалькова')."""
    words = name_tokens(text)
    if not words or len(words) > 6:
        return []
    query = select(Stakeholder).order_by(Stakeholder.name)
    for word in words:
        query = query.where(
            Stakeholder.id.in_(
                select(StakeholderToken.stakeholder_id).where(StakeholderToken.token == word)
            )
        )
    if country is not None:
        query = query.where(Stakeholder.country == country)
    return list(session.scalars(query.limit(MAX_CANDIDATES + 20)))


def label(stakeholder: Stakeholder) -> str:
    """A name that tells homonyms apart: 'MFA → Ministry of Foreign Affairs … (Belarus)'."""
    details = [stakeholder.kind.replace("_", " ")]
    if stakeholder.country:
        details.append(country_name(stakeholder.country))
    return f"{stakeholder.name} ({', '.join(details)})"


def suggest(session: Session, text: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
    """Canonical names closest to ``text``, best first (for 'did you mean …?'). Candidates
    come from the word index, so this stays fast with a hundred thousand stakeholders."""
    from rapidfuzz import fuzz, process

    from engagement.services.search import SIMILARITY_CUTOFF, candidate_names

    names = candidate_names(session, text)
    if not names:
        return []
    target = " ".join(name_tokens(text))
    scored = process.extract(
        target, list(names), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=SIMILARITY_CUTOFF
    )
    result: list[str] = []
    for candidate, _score, _index in scored:
        canonical = names[candidate][0]
        if canonical not in result:
            result.append(canonical)
        if len(result) == limit:
            break
    return result
