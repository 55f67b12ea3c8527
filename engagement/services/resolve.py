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
from engagement.models import Stakeholder, StakeholderAlias
from engagement.names import fold_name

_ID_REFERENCE = re.compile(r"^#(\d+)$")
_COUNTRY_SUFFIX = re.compile(r"^(.*\S)\s*\(([A-Za-z]{2})\)$")
SUGGESTION_LIMIT = 3


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
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousName(name, [label(match) for match in matches], field=field)
    raise StakeholderNotFound(name, suggest(session, text), field=field)


def label(stakeholder: Stakeholder) -> str:
    """A name that tells homonyms apart: 'MFA → Ministry of Foreign Affairs … (Belarus)'."""
    details = [stakeholder.kind.replace("_", " ")]
    if stakeholder.country:
        details.append(country_name(stakeholder.country))
    return f"{stakeholder.name} ({', '.join(details)})"


def suggest(session: Session, text: str, limit: int = SUGGESTION_LIMIT) -> list[str]:
    """Canonical names closest to ``text``, best first (for 'did you mean …?')."""
    from rapidfuzz import fuzz, process

    key = fold_name(text)
    if not key:
        return []
    names: dict[str, str] = {}
    for stakeholder_name, stakeholder_key in session.execute(
        select(Stakeholder.name, Stakeholder.name_key)
    ):
        names[stakeholder_key] = stakeholder_name
    for stakeholder_name, alias_key in session.execute(
        select(Stakeholder.name, StakeholderAlias.alias_key).join(
            StakeholderAlias, StakeholderAlias.stakeholder_id == Stakeholder.id
        )
    ):
        names.setdefault(alias_key, stakeholder_name)
    scored = process.extract(key, list(names), scorer=fuzz.WRatio, limit=limit * 3, score_cutoff=70)
    result: list[str] = []
    for candidate, _score, _index in scored:
        canonical = names[candidate]
        if canonical not in result:
            result.append(canonical)
        if len(result) == limit:
            break
    return result
