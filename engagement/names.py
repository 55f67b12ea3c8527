"""Folding names into search keys.

A key is what two spellings of one name have in common: case, accents, punctuation and spacing
are dropped. Keys are stored in indexed columns so that lookups never scan in Python.

>>> fold_name("  Türkiye — Embassy ")
'turkiye embassy'
>>> fold_name("Council of the Federation") == fold_name("council of the federation.")
True
"""

from __future__ import annotations

import functools
import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# Letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe"})


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    # This also folds Cyrillic ё to е and й to и, as Russian search engines do.
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed))


def fold_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for a name."""
    if text.isascii():
        # The common case, and the cheap one: no accents, no special letters, and casefold()
        # is lower() (translate() with a table costs a dictionary lookup per character).
        return _NON_WORD.sub(" ", text.lower()).strip()
    lowered = text.casefold().translate(_SPECIAL)
    plain = strip_accents(lowered)
    return _NON_WORD.sub(" ", plain).strip()


# --- spellings across scripts and transliterations -----------------------------------------

STOPWORDS = frozenset(
    "of the and for in on at to de la le les des du da del a an und der die das".split()
)
_BELARUSIAN_LETTERS = frozenset("іІўЎ")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LOOSE_STEPS: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("kh", "h"),
    ("zh", "z"),
    ("tz", "c"),
    ("ts", "c"),
    ("cz", "c"),
    ("ph", "f"),
    ("ck", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("yu", "u"),
    ("iu", "u"),
    ("ju", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("ja", "a"),
    ("yo", "o"),
    ("jo", "o"),
    ("ye", "e"),
    ("je", "e"),
    ("y", "i"),
    ("j", "i"),
)
_DOUBLED = re.compile(r"(.)\1+")
_APOSTROPHES = re.compile(r"['’ʹʼ`]")


def transliterations(text: str) -> list[str]:
    """Latin renderings of ``text``: itself when already Latin; for Cyrillic the common
    (BGN-like) romanisation, plus the Belarusian one when Belarusian letters occur."""
    return list(_renderings(text))


@functools.lru_cache(maxsize=65536)
def _renderings(text: str) -> tuple[str, ...]:
    """Cached: keys, tokens, acronyms and lookups each ask for the renderings of the same
    name, and a bulk import asks for tens of thousands of names."""
    if not _CYRILLIC.search(text) and text.isascii():
        return (_APOSTROPHES.sub("", text),)
    from unidecode import unidecode

    results = [unidecode(text)]
    if _BELARUSIAN_LETTERS & set(text):
        import cyrtranslit

        results.append(strip_accents(cyrtranslit.to_latin(text, "by")))
    return tuple(_APOSTROPHES.sub("", result) for result in results)


@functools.lru_cache(maxsize=65536)
def loosen(token: str) -> str:
    """Collapse spelling variants of transliterated names: Tatyana/Tatiana/Tatjana all become
    'tatana', Moskalkova/Moskal'kova 'moskalkova'. Only for matching, never shown. Cached:
    twenty replacements cost more than a lookup, and bulk imports loosen the same words of
    thousands of names."""
    word = token.replace("'", "").replace("`", "")
    for old, new in _LOOSE_STEPS:
        word = word.replace(old, new)
    return _DOUBLED.sub(r"\1", word)


def name_tokens(text: str) -> list[str]:
    """The loose tokens of a name in every transliteration, stop words removed."""
    tokens: list[str] = []
    for rendering in transliterations(text):
        for word in fold_name(rendering).split():
            if word in STOPWORDS:
                continue
            loose = loosen(word)
            if loose and loose not in tokens:
                tokens.append(loose)
    return tokens


def search_keys(text: str) -> list[str]:
    """Whole-name keys, word order ignored: 'Council of Federation' and 'Federation Council'
    share one. One key per transliteration."""
    keys: list[str] = []
    for rendering in transliterations(text):
        words = [loosen(w) for w in fold_name(rendering).split() if w not in STOPWORDS]
        key = " ".join(sorted(w for w in words if w))
        if key and key not in keys:
            keys.append(key)
    return keys


def acronym(text: str) -> str | None:
    """'Collective Security Treaty Organisation' → 'csto' (None for one-word names)."""
    rendering = transliterations(text)[0]
    words = [w for w in fold_name(rendering).split() if w not in STOPWORDS]
    if len(words) < 2:
        return None
    return "".join(word[0] for word in words)


def word_tokens(text: str) -> list[str]:
    """Every word of ``text`` folded, in each transliteration and in its loose form: what a
    prefix typed so far is compared with (a prefix such as 'tatya' cannot be loosened safely,
    so the exact folded words are kept too)."""
    tokens: list[str] = []
    for rendering in transliterations(text):
        for word in fold_name(rendering).split():
            for form in (word, loosen(word)):
                if form and form not in tokens:
                    tokens.append(form)
    return tokens
