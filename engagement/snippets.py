"""The passage of a text that matched a search, with the matched words located.

Matching is on folded, transliterated words, as in the index; the offsets point into the
original text, so front ends can highlight without any markup travelling with the data.

>>> best_passage("Talks with Tatiana Moskalkova on prisoners of war.", ["moskalkova"])
('Talks with Tatiana Moskalkova on prisoners of war.', [(19, 29)])
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engagement.names import fold_name, transliterations

WINDOW = 160
_WORD = re.compile(r"\w+", re.UNICODE)


def best_passage(text: str, words: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of about :data:`WINDOW` characters around the first match in ``text``."""
    flat = " ".join(text.split())
    wanted = {word for word in words if word}
    spans = [
        (match.start(), match.end())
        for match in _WORD.finditer(flat)
        if wanted and _matches(match.group(), wanted)
    ]
    if not spans:
        cut = flat[:WINDOW]
        return (cut + "…" if len(flat) > WINDOW else cut), []
    first = spans[0][0]
    start = max(0, first - WINDOW // 3)
    if start:
        space = flat.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    end = min(len(flat), start + WINDOW)
    if end < len(flat):
        space = flat.find(" ", end)
        end = space if space >= 0 else len(flat)
    prefix = "…" if start else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    highlights = [(s + shift, e + shift) for s, e in spans if s >= start and e <= end]
    return prefix + flat[start:end] + suffix, highlights


def _matches(token: str, wanted: set[str]) -> bool:
    forms = {fold_name(token)} | {fold_name(t) for t in transliterations(token)}
    return any(form.startswith(word) for form in forms for word in wanted if form)
