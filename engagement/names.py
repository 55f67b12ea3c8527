"""Folding names into search keys.

A key is what two spellings of one name have in common: case, accents, punctuation and spacing
are dropped. Keys are stored in indexed columns so that lookups never scan in Python.

>>> fold_name("  Türkiye — Embassy ")
'turkiye embassy'
>>> fold_name("Council of the Federation") == fold_name("council of the federation.")
True
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)

# Letters that NFKD does not decompose into a base letter plus an accent.
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "æ": "ae", "œ": "oe"})


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # This also folds Cyrillic ё to е and й to и, as Russian search engines do.
    return unicodedata.normalize("NFC", kept)


def fold_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key for a name."""
    lowered = text.casefold().translate(_SPECIAL)
    plain = strip_accents(lowered)
    return _NON_WORD.sub(" ", plain).strip()
