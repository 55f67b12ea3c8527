"""The search syntax people already know, parsed once and compiled for each engine.

``water sanitation`` (all words), ``"exact phrase"``, ``-excluded``, ``pow OR missing``,
``prefix*``. Anything else a user types — stray quotes, parentheses, ``NEAR(``, a lone ``*``,
SQL, ten kilobytes of text — is read as plain words, so it can never reach the database as
syntax: every word is folded to letters and digits before it is compiled.

>>> query = parse_query('"Martens Readings" -youth ihl OR law*')
>>> [[(t.words, t.prefix) for t in group] for group in query.groups]
[[(('martens', 'readings'), False)], [(('ihl',), False), (('law',), True)]]
>>> [t.words for t in query.excluded]
[('youth',)]
>>> query.to_fts5()
'("martens readings") AND ("ihl" OR "law"*) NOT ("youth")'
>>> query.to_tsquery()
'(martens <-> readings) & (ihl | law:*) & !(youth)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from engagement.errors import ValidationFailed
from engagement.names import fold_name, transliterations

MAX_QUERY_CHARS = 2000
MAX_TERMS = 24
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Term:
    """One word, or a phrase of several, optionally a prefix; ``variants`` holds the same
    words transliterated (a Cyrillic query also looks for its Latin spelling)."""

    words: tuple[str, ...]
    prefix: bool = False
    variants: tuple[tuple[str, ...], ...] = ()

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1

    def forms(self) -> list[tuple[str, ...]]:
        return [self.words, *[v for v in self.variants if v != self.words]]


@dataclass
class Query:
    """Groups are ANDed; the terms of a group are ORed; excluded terms must not match."""

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.groups

    def positive_words(self) -> list[str]:
        return [
            word
            for group in self.groups
            for term in group
            for form in term.forms()
            for word in form
        ]

    def to_fts5(self) -> str:
        def term(item: Term) -> str:
            forms = []
            for words in item.forms():
                text = '"' + " ".join(words) + '"'
                forms.append(text + ("*" if item.prefix else ""))
            return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"

        positive = " AND ".join(
            "(" + " OR ".join(term(t) for t in group) + ")" for group in self.groups
        )
        if self.excluded:
            positive += " NOT (" + " OR ".join(term(t) for t in self.excluded) + ")"
        return positive

    def to_tsquery(self) -> str:
        def term(item: Term) -> str:
            forms = []
            for words in item.forms():
                parts = list(words)
                if item.prefix:
                    parts[-1] += ":*"
                forms.append(" <-> ".join(parts))
            return forms[0] if len(forms) == 1 else "(" + " | ".join(forms) + ")"

        text = " & ".join("(" + " | ".join(term(t) for t in group) + ")" for group in self.groups)
        for item in self.excluded:
            text += " & !(" + term(item) + ")"
        return text


def parse_query(text: str) -> Query:
    """Parse what the user typed; raise :class:`ValidationFailed` only when nothing searchable
    is left (for example a query made only of exclusions)."""
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
    query = Query()
    pending_or = False
    terms = 0
    for match in _TOKEN.finditer(text):
        negated = bool(match.group(1))
        quoted = match.group(2)
        raw = quoted if quoted is not None else match.group(3)
        if quoted is None and raw == "OR":
            pending_or = bool(query.groups)
            continue
        if quoted is None and raw.startswith("-") and len(raw) > 1:
            negated, raw = True, raw[1:]
        prefix = quoted is None and raw.endswith("*")
        words = tuple(word[:100] for word in fold_name(raw).split())
        if not words:
            continue
        if quoted is None and len(words) > 1:
            # "NEAR(a,b)" or "x.y": punctuation inside one word separates plain words.
            pieces = [Term((word,)) for word in words[:-1]]
            pieces.append(Term((words[-1],), prefix=prefix))
        else:
            pieces = [Term(words, prefix=prefix)]
        for piece in pieces:
            if terms >= MAX_TERMS:
                break
            terms += 1
            piece = Term(piece.words, piece.prefix, _variants(piece.words))
            if negated:
                query.excluded.append(piece)
            elif pending_or and query.groups:
                query.groups[-1].append(piece)
            else:
                query.groups.append([piece])
            pending_or = False
    if not query.groups and query.excluded:
        raise ValidationFailed(
            "query",
            text.strip()[:60],
            "only excludes words; add at least one word to look for",
        )
    return query


def _variants(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    joined = " ".join(words)
    found = []
    for rendering in transliterations(joined)[:2]:
        folded = tuple(fold_name(rendering).split())
        if folded and folded != words and folded not in found:
            found.append(folded)
    return tuple(found)
