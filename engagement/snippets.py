"""The passage of a text that matched a search, with the matched words located.

Matching is on folded, transliterated words, as in the index; the offsets point into the
original text, so front ends can highlight without any markup travelling with the data.

>>> best_passage("Talks with Tatiana Moskalkova on prisoners of war.", ["moskalkova"])
('Talks with Tatiana Moskalkova on prisoners of war.', [(19, 29)])
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from engagement.names import fold_name, transliterations

WINDOW = 160
_WORD = re.compile(r"\w+", re.UNICODE)


def best_passage(text: str, words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of about :data:`WINDOW` characters around the first match in ``text``.

    Only the words up to the end of that window are examined: a long note costs no more than a
    short one once its first match is found.
    """
    wanted = tuple(sorted({word for word in words if word}))
    if wanted and not _may_match(text, wanted):
        wanted = ()
    return _passage(text, wanted)


def _passage(text: str, wanted: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]]:
    """:func:`best_passage` for ``wanted`` words already sorted and deduplicated."""
    flat = " ".join(text.split())
    if wanted and not _any_match(flat, wanted):
        wanted = ()  # no word of the text matches: skip walking it match by match
    tokens = _WORD.finditer(flat) if wanted else iter(())
    first = next((m for m in tokens if _matches(m.group(), wanted)), None)
    if first is None:
        cut = flat[:WINDOW]
        return (cut + "…" if len(flat) > WINDOW else cut), []
    start = max(0, first.start() - WINDOW // 3)
    if start:
        space = flat.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + WINDOW)
    if end < len(flat):
        space = flat.find(" ", end)
        end = space if space >= 0 else len(flat)
    spans = [(first.start(), first.end())]
    for match in tokens:
        if match.end() > end:
            break
        if _matches(match.group(), wanted):
            spans.append((match.start(), match.end()))
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    highlights = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + flat[start:end] + suffix, highlights


def first_passage(
    texts: Sequence[str], words: Sequence[str]
) -> tuple[str, list[tuple[int, int]]] | None:
    """:func:`best_passage` of the first of ``texts`` where a word matches, or None.

    A search hit tries several of its texts in turn and most do not hold the word: those are
    passed over after one cheap check each, with the query's words prepared once.
    """
    wanted = tuple(sorted({word for word in words if word}))
    if not wanted:
        return None
    for text in texts:
        if not _may_match(text, wanted):
            continue
        snippet, highlights = _passage(text, wanted)
        if highlights:
            return snippet, highlights
    return None


def _may_match(text: str, wanted: tuple[str, ...]) -> bool:
    """False when no word of ``text`` can match, judged without splitting it into words.

    A word of ASCII text has one form, its lower case with ``_`` turned into a space; a wanted
    word without white space that begins such a form is therefore a substring of the text in
    lower case. Most texts of a hit (and most hits' summaries) do not hold the word searched
    for, and this tells so for the cost of one ``lower()``.
    """
    if not text.isascii():
        return True
    lowered = text.lower()
    return any(word in lowered or _spaced(word) for word in wanted)


@functools.lru_cache(maxsize=256)
def _spaced(word: str) -> bool:
    return any(character.isspace() for character in word)


def _any_match(flat: str, wanted: tuple[str, ...]) -> bool:
    """Whether any word of ``flat`` matches, judged by set operations on the words already
    judged for this query: a page of hits repeats most of its words (and most texts of a hit
    do not match at all), so few words are ever checked one by one."""
    tokens = set(_WORD.findall(flat))
    hits, misses = _judged(wanted)
    if not tokens.isdisjoint(hits):
        return True
    found = False
    for token in tokens - misses:
        if _matches(token, wanted):
            hits.add(token)
            found = True
        else:
            misses.add(token)
    return found


def _judged(wanted: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """The words known to match and not to match ``wanted`` (kept for a few recent queries)."""
    judged = _JUDGED.get(wanted)
    if judged is None:
        if len(_JUDGED) >= _JUDGED_QUERIES:
            _JUDGED.clear()
        judged = _JUDGED[wanted] = (set(), set())
    elif len(judged[1]) > _JUDGED_WORDS:
        judged[1].clear()
    return judged


_JUDGED: dict[tuple[str, ...], tuple[set[str], set[str]]] = {}
_JUDGED_QUERIES = 16
_JUDGED_WORDS = 200_000


@functools.lru_cache(maxsize=65536)
def _matches(token: str, wanted: tuple[str, ...]) -> bool:
    """Whether a form of ``token`` begins with one of the ``wanted`` words; cached, as a page of
    hits scans the same common words again and again for the same query."""
    return any(form.startswith(wanted) for form in _forms(token))


@functools.lru_cache(maxsize=65536)
def _forms(token: str) -> tuple[str, ...]:
    """The folded and transliterated forms of a word; notes repeat their words, so cached."""
    forms = {fold_name(token)} | {fold_name(t) for t in transliterations(token)}
    return tuple(form for form in forms if form)
