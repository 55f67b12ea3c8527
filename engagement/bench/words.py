"""The generator's text, folded once per distinct piece instead of once per row.

Folding, transliteration and search keys (:mod:`engagement.names`) cost tens of microseconds a
call — more than storing a row. Every name the generator makes is a few words drawn from a small
syllable set, and every note is drawn from a fixed vocabulary, so each word is folded once and
the per-row documents, name keys and tokens are joined from the pieces. The composition follows
:func:`engagement.services.search_index.document_words` and ``index_stakeholders`` exactly
(tests/test_bench_generate.py compares the two); a name the shortcut cannot reproduce (one with
several transliterations) goes through the service functions themselves.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from engagement.names import STOPWORDS, acronym, fold_name, loosen, search_keys, transliterations
from engagement.names import word_tokens as service_word_tokens
from engagement.services import search_index

LATIN = "ka ri mo sa ve lo ta ni de ro ma li no pe su ra vi ko le za".split()
CYRILLIC = "ка ри мо са ве ло та ни де ро ма ли но пе су ра ви ко ле за".split()
TOPICS = (
    "humanitarian detention missing family tracing water health cash livelihood protection ihl "
    "dialogue law emblem forensic repatriation training first-aid volunteers migration cyber "
    "displacement children prisoners visits logistics convoy assistance exchange cooperation "
    "legal advice drafting review seminar conference panel agreement memorandum budget report"
).split()
_SAMPLE = 200_000


class Vocabulary:
    """Words for notes with Zipf frequencies (rank r drawn ∝ 1/r), with their folded forms."""

    def __init__(self, rng: random.Random) -> None:
        extra = ["".join(rng.choice(LATIN) for _ in range(rng.randint(2, 4))) for _ in range(4000)]
        entries = TOPICS + extra
        weights = [1 / (rank + 1) for rank in range(len(entries))]
        self.words = rng.choices(entries, weights=weights, k=_SAMPLE)
        folded = {entry: fold_name(entry) for entry in entries}
        self.folded = [folded[word] for word in self.words]
        # The sample as one string with word offsets: a note is then one slice, not a join.
        self._text, self._starts = _joined(self.words)
        self._folded_text, self._folded_starts = _joined(self.folded)
        self.topics = [(topic, fold_name(topic)) for topic in TOPICS]
        self._kinds: dict[str, tuple[str, str]] = {}

    def summary(self, rnd: Callable[[], float]) -> tuple[str, str]:
        """35 to 50 words (a slice of the i.i.d. sample is itself an i.i.d. sample)."""
        length = 35 + int(rnd() * 16)
        offset = int(rnd() * (_SAMPLE - length))
        end = offset + length
        return (
            self._text[self._starts[offset] : self._starts[end] - 1],
            self._folded_text[self._folded_starts[offset] : self._folded_starts[end] - 1],
        )

    def title(self, kind: str, rnd: Callable[[], float]) -> tuple[str, str]:
        if kind not in self._kinds:
            label = kind.capitalize()
            self._kinds[kind] = (label, fold_name(label))
        label, folded = self._kinds[kind]
        first = self.topics[int(rnd() * len(self.topics))]
        second = self.topics[int(rnd() * len(self.topics))]
        return (
            f"{label} on {first[0]} {second[0]}",
            f"{folded} on {first[1]} {second[1]}",
        )


def _joined(words: list[str]) -> tuple[str, list[int]]:
    starts = [0]
    for word in words:
        starts.append(starts[-1] + len(word) + 1)
    return " ".join(words) + " ", starts


@dataclass(frozen=True)
class _Word:
    folded: str
    latin: tuple[str, ...]  # folded transliterations (one per rendering)
    extras: tuple[str, ...]  # what document_words appends for this word


def _word(text: str) -> _Word:
    folded = fold_name(text)
    latin = tuple(fold_name(rendering) for rendering in transliterations(text))
    extras: list[str] = []
    if not folded.isascii():
        for piece in folded.split():
            if not piece.isascii():
                for rendering in transliterations(piece):
                    form = fold_name(rendering)
                    if form and form != piece:
                        extras.append(form)
    return _Word(folded, latin, tuple(extras))


class NameIndex:
    """Generated names by stakeholder id, with their folded forms and search rows."""

    def __init__(self) -> None:
        self.name: list[str] = [""]
        self.key: list[str] = [""]
        self._parts: list[list[_Word]] = [[]]
        self._extras: list[str] = [""]
        self._loose: dict[str, str] = {}
        self._aliases: dict[int, str] = {}
        self._seen: set[str] = set()
        self._words: dict[str, _Word] = {}

    def __len__(self) -> int:
        return len(self.name) - 1

    def random_words(self, rng: random.Random, cyrillic: bool, count: int) -> list[str]:
        syllables = CYRILLIC if cyrillic else LATIN
        return [
            "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
            for _ in range(count)
        ]

    def _lookup(self, word: str) -> _Word:
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = _word(word)
        return found

    def add(self, index: int, words: list[str]) -> bool:
        """Record the name of stakeholder ``index`` unless its key is taken."""
        parts = [self._lookup(word) for word in words]
        key = " ".join(part.folded for part in parts)
        if key in self._seen:
            return False
        assert index == len(self.name)
        self._seen.add(key)
        self.name.append(" ".join(words))
        self.key.append(key)
        self._parts.append(parts)
        self._extras.append(" ".join(extra for part in parts for extra in part.extras))
        return True

    def add_alias(self, index: int, suffix: str) -> str:
        short = "".join(word[0] for word in self.name[index].split()).upper() + suffix
        self._aliases[index] = short
        return short

    def alias_key(self, alias: str) -> str:
        return fold_name(alias)

    def document(self, title: str, summary: str, tags: list[str], people: list[int]) -> str:
        """``document_words`` of title, notes, tags and names, from the folded pieces."""
        key, extras = self.key, self._extras
        text = " ".join([title, summary, *tags, *[key[person] for person in people]])
        more = [extras[person] for person in people if extras[person]]
        return " ".join([text, *more]) if more else text

    def index_rows(
        self, size: int
    ) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
        """``stakeholder_keys`` and ``stakeholder_tokens`` rows, ``size`` stakeholders a batch,
        as :func:`engagement.services.search_index.index_stakeholders` would write them."""
        keys: list[tuple[Any, ...]] = []
        tokens: list[tuple[Any, ...]] = []
        for index in range(1, len(self.name)):
            seen_keys: set[str] = set()
            seen_tokens: set[str] = set()
            entries: list[tuple[str, list[str], list[str], str | None]] = [
                ("name", *self._name_forms(index))
            ]
            alias = self._aliases.get(index)
            if alias is not None:
                entries.append(("alias", search_keys(alias), service_word_tokens(alias), None))
            for source, found_keys, found_tokens, short in entries:
                candidates = [(key, source) for key in found_keys]
                if short:
                    candidates.append((short, "acronym"))
                for key, origin in candidates:
                    key = key[:300]
                    if key not in seen_keys:
                        seen_keys.add(key)
                        keys.append((index, key, origin))
                for token in found_tokens:
                    token = token[:100]
                    if token not in seen_tokens:
                        seen_tokens.add(token)
                        tokens.append((index, token))
            if index % size == 0:
                yield keys, tokens
                keys, tokens = [], []
        yield keys, tokens

    def _loosened(self, word: str) -> str:
        found = self._loose.get(word)
        if found is None:
            found = self._loose[word] = loosen(word)
        return found

    def _name_forms(self, index: int) -> tuple[list[str], list[str], str | None]:
        """search_keys, word_tokens and acronym of a name, joined from its words."""
        parts = self._parts[index]
        if any(len(part.latin) != 1 for part in parts):
            name = self.name[index]
            return search_keys(name), service_word_tokens(name), acronym(name)
        rendered = [word for part in parts for word in part.latin[0].split()]
        significant = [word for word in rendered if word not in STOPWORDS]
        loosened = self._loosened
        loose = sorted(form for form in (loosened(word) for word in significant) if form)
        found_keys = [" ".join(loose)] if loose else []
        tokens: list[str] = []
        for word in rendered:
            for form in (word, loosened(word)):
                if form and form not in tokens:
                    tokens.append(form)
        short = "".join(word[0] for word in significant) if len(significant) >= 2 else None
        return found_keys, tokens, short


def service_document(title: str, summary: str, tags: list[str], names: list[str]) -> str:
    """The slow reference the shortcut must equal (used by the tests)."""
    return search_index.document_words(" ".join([title, summary, *tags, *names]))
