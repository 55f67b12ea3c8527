"""Search documents for a bulk load, built from pieces folded once.

:func:`engagement.services.search_index.interaction_document` folds the whole text of an
interaction — its own fields, then its participants' names and aliases — in one go, and as soon
as one name is Cyrillic the whole text takes the slow Unicode path. Folding is piecewise: the
pieces are joined by a separator that folds to one space, no character combines or changes
case across it, and the transliterations follow the words in order. So the document is the
folded pieces joined by spaces, followed by each piece's transliterations; a participant's
pieces are folded once per load, not once per interaction they appear in. The tests compare
the result with ``interaction_document`` on hostile text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from engagement.names import fold_name
from engagement.services.search_index import document_words, tag_words

Piece = tuple[str, str]
"""A text's folded form and the Latin renderings ``document_words`` appends for it."""


def piece(text: str) -> Piece:
    folded = fold_name(text)
    if folded.isascii():
        return folded, ""
    whole = document_words(text)
    return folded, whole[len(folded) + 1 :]


class Documents:
    """Builds the documents of a load's interactions; stakeholders are registered first."""

    def __init__(self) -> None:
        self._names: dict[int, Piece] = {}
        self._aliases: dict[int, list[Piece]] = {}
        self._tags: dict[str, Piece] = {}

    def add_stakeholder(self, stakeholder_id: int, name: str, aliases: Iterable[str]) -> None:
        self._names[stakeholder_id] = piece(name)
        self._aliases[stakeholder_id] = [piece(alias) for alias in aliases if alias]

    def document(
        self, texts: Sequence[str], tags: Iterable[str], participants: Sequence[int]
    ) -> str:
        """What ``interaction_document`` gives for ``texts`` (title, location, summary,
        outcome), the tags' words, the participants' names and then their aliases."""
        pieces = [piece(text) for text in texts if text]
        for tag in tags:
            found = self._tags.get(tag)
            if found is None:
                found = self._tags[tag] = piece(tag_words(tag))
            pieces.append(found)
        names = self._names
        pieces.extend(names[person] for person in participants)
        aliases = self._aliases
        for person in participants:
            pieces.extend(aliases[person])
        folded = " ".join([p[0] for p in pieces if p[0]])
        extras = [p[1] for p in pieces if p[1]]
        return f"{folded} {' '.join(extras)}" if extras else folded
