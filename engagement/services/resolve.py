"""Turning a name someone typed into exactly one stakeholder.

A canonical name wins; otherwise an alias must point to a single stakeholder (aliases such as
"MFA" may be shared, and then the country narrows them down). Failing that, the error lists the
closest names so the user can correct a typo.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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
BATCH = 500


def resolve(
    session: Session,
    name: str,
    *,
    country: str | None = None,
    field: str = "",
    suggestions: bool = True,
) -> Stakeholder:
    """The stakeholder ``name`` refers to, or :class:`StakeholderNotFound`/:class:`AmbiguousName`.

    ``#12`` refers to the stakeholder with id 12; ``MFA (BY)`` narrows an alias by country.
    ``suggestions=False`` leaves "did you mean" out of the error, for callers that drop it.
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
    closest = suggest(session, text) if suggestions else []
    raise StakeholderNotFound(name, closest, field=field)


def find_many(session: Session, names: Iterable[str]) -> dict[str, int | None]:
    """The id of the stakeholder each name refers to as :func:`resolve` would find it, or
    ``None`` where it would raise (no match, or more than one), keyed by the names as given.

    For importers, which look up thousands of names and report the unmatched ones
    themselves: canonical names, aliases and search keys are looked up for all names at once
    (a query per 500 names instead of several per name), and no "did you mean" suggestions
    are built (measured: a third of a 10,000-event import went into suggestions nobody
    read). References (``#12``) and country suffixes (``MFA (BY)``) take :func:`resolve`'s
    own path, one at a time."""
    result: dict[str, int | None] = {}
    plain: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        text = name.strip()
        suffix = _COUNTRY_SUFFIX.match(text)
        if _ID_REFERENCE.match(text) or (suffix and suffix.group(2).upper() in COUNTRIES):
            result[name] = _found_or_none(session, name)
            continue
        key = fold_name(text)
        if key:
            plain.setdefault(key, []).append(name)
        else:
            result[name] = None
    found = _exact_many(session, list(plain))
    rest = [key for key in plain if key not in found]
    aliases = _alias_many(session, rest)
    for key, owners in aliases.items():
        found[key] = owners.pop() if len(owners) == 1 else None
    rest = [key for key in rest if key not in aliases]
    found.update(_search_key_many(session, {key: plain[key][0] for key in rest}))
    found.update(_words_many(session, {key: plain[key][0] for key in plain if key not in found}))
    for key, spellings in plain.items():
        for name in spellings:
            result[name] = found[key]
    return result


def _found_or_none(session: Session, name: str) -> int | None:
    try:
        return resolve(session, name, suggestions=False).id
    except (StakeholderNotFound, AmbiguousName):
        return None


def _exact_many(session: Session, keys: list[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for index in range(0, len(keys), BATCH):
        for row in session.execute(
            select(Stakeholder.id, Stakeholder.name_key).where(
                Stakeholder.name_key.in_(keys[index : index + BATCH])
            )
        ):
            found[row.name_key] = row.id
    return found


def _alias_many(session: Session, keys: list[str]) -> dict[str, set[int]]:
    owners: dict[str, set[int]] = {}
    for index in range(0, len(keys), BATCH):
        for row in session.execute(
            select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias_key).where(
                StakeholderAlias.alias_key.in_(keys[index : index + BATCH])
            )
        ):
            owners.setdefault(row.alias_key, set()).add(row.stakeholder_id)
    return owners


def _search_key_many(session: Session, texts: dict[str, str]) -> dict[str, int | None]:
    """:func:`_by_search_key` for many names: an entry for each name that has matches."""
    wanted = {key: search_keys(text.strip()) for key, text in texts.items()}
    every = sorted({item for keys in wanted.values() for item in keys})
    rows: dict[str, list[tuple[int, str]]] = {}
    for index in range(0, len(every), BATCH):
        for row in session.execute(
            select(StakeholderKey.stakeholder_id, StakeholderKey.key, StakeholderKey.source).where(
                StakeholderKey.key.in_(every[index : index + BATCH])
            )
        ):
            rows.setdefault(row.key, []).append((row.stakeholder_id, row.source))
    found: dict[str, int | None] = {}
    for name_key, keys in wanted.items():
        matches = [match for item in keys for match in rows.get(item, [])]
        owners = {owner for owner, _ in matches}
        if len(owners) > 1:
            # As in _by_search_key: a real name or alias beats a coinciding acronym.
            owners = {owner for owner, source in matches if source != "acronym"} or owners
        if owners:
            found[name_key] = owners.pop() if len(owners) == 1 else None
    return found


def _words_many(session: Session, texts: dict[str, str]) -> dict[str, int | None]:
    """:func:`_by_words` for many names (an entry for every one): the stakeholders holding
    every word of a name, from one read of the words' index rows."""
    wanted = {key: name_tokens(text.strip()) for key, text in texts.items()}
    every = sorted({word for words in wanted.values() if len(words) <= 6 for word in words})
    holders: dict[str, set[int]] = {}
    for index in range(0, len(every), BATCH):
        for row in session.execute(
            select(StakeholderToken.stakeholder_id, StakeholderToken.token).where(
                StakeholderToken.token.in_(every[index : index + BATCH])
            )
        ):
            holders.setdefault(row.token, set()).add(row.stakeholder_id)
    found: dict[str, int | None] = {}
    for key, words in wanted.items():
        found[key] = None
        if not words or len(words) > 6:
            continue
        sets = sorted((holders.get(word, set()) for word in words), key=len)
        common = set(sets[0]).intersection(*sets[1:])
        if len(common) == 1:
            found[key] = common.pop()
    return found


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

    from engagement.services.stakeholder_search import SIMILARITY_CUTOFF, candidate_names

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
