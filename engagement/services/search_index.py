"""Keeping the search structures in step with the data.

Called by the service layer in the same transaction as every change that affects them, and by
the migration that introduced them (to index existing rows). Works on a Core ``Connection`` so
that both can use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from engagement.models import (
    Interaction,
    InteractionDocument,
    InteractionStakeholder,
    InteractionTag,
    PendingDocument,
    Stakeholder,
    StakeholderAlias,
    StakeholderKey,
    StakeholderToken,
)
from engagement.names import acronym, fold_name, search_keys, transliterations, word_tokens

_BATCH = 500


def document_words(text: str) -> str:
    """Folded words of ``text``, followed by the Latin transliteration of those that are not
    Latin, so a Latin query finds Cyrillic text and the other way round."""
    folded = fold_name(text)
    if folded.isascii():
        return folded
    extra: list[str] = []
    for word in folded.split():
        if not word.isascii():
            extra.extend(_latin_forms(word))
    return " ".join([folded, *extra]) if extra else folded


@lru_cache(maxsize=65536)
def _latin_forms(word: str) -> tuple[str, ...]:
    """The folded Latin renderings of one folded word, other than itself. Cached: notes repeat
    their words (a bulk import folds millions of them, a few thousand distinct)."""
    forms: list[str] = []
    for rendering in transliterations(word):
        latin = fold_name(rendering)
        if latin and latin != word:
            forms.append(latin)
    return tuple(forms)


def index_stakeholders(connection: Connection, ids: Iterable[int]) -> None:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _BATCH):
        _index_stakeholder_batch(connection, wanted[start : start + _BATCH])


def _index_stakeholder_batch(connection: Connection, ids: Sequence[int]) -> None:
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for row in connection.execute(
        select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(ids))
    ):
        names[row.id].append(("name", row.name))
    for row in connection.execute(
        select(StakeholderAlias.stakeholder_id, StakeholderAlias.alias).where(
            StakeholderAlias.stakeholder_id.in_(ids)
        )
    ):
        names[row.stakeholder_id].append(("alias", row.alias))
    connection.execute(delete(StakeholderKey).where(StakeholderKey.stakeholder_id.in_(ids)))
    connection.execute(delete(StakeholderToken).where(StakeholderToken.stakeholder_id.in_(ids)))
    keys: list[dict[str, object]] = []
    tokens: list[dict[str, object]] = []
    for stakeholder_id, entries in names.items():
        stakeholder_rows(stakeholder_id, entries, keys, tokens)
    insert_stakeholder_rows(connection, keys, tokens)


def stakeholder_rows(
    stakeholder_id: int,
    entries: Sequence[tuple[str, str]],
    keys: list[dict[str, object]],
    tokens: list[dict[str, object]],
) -> None:
    """Append the search keys and tokens of one stakeholder, from its ``("name", name)`` and
    ``("alias", alias)`` entries (the bulk loader calls this with what it is inserting)."""
    seen_keys: set[str] = set()
    seen_tokens: set[str] = set()
    for source, text in entries:
        candidates = [(key, source) for key in search_keys(text)]
        short = acronym(text)
        if short and source == "name":
            candidates.append((short, "acronym"))
        for key, origin in candidates:
            key = key[:300]
            if key not in seen_keys:
                seen_keys.add(key)
                keys.append({"stakeholder_id": stakeholder_id, "key": key, "source": origin})
        for token in word_tokens(text):
            token = token[:100]
            if token not in seen_tokens:
                seen_tokens.add(token)
                tokens.append({"stakeholder_id": stakeholder_id, "token": token})


def insert_stakeholder_rows(
    connection: Connection, keys: list[dict[str, object]], tokens: list[dict[str, object]]
) -> None:
    if keys:
        connection.execute(insert(StakeholderKey), keys)
    if tokens:
        connection.execute(insert(StakeholderToken), tokens)


def interaction_document(texts: Iterable[str]) -> str:
    """The search document of an interaction from its title, location, summary, outcome, tags
    and the names and aliases of its participants (empty parts are skipped)."""
    return document_words(" \n ".join(p for p in texts if p))


def index_interactions(connection: Connection, ids: Iterable[int]) -> None:
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _BATCH):
        _index_interaction_batch(connection, wanted[start : start + _BATCH])


def _index_interaction_batch(connection: Connection, ids: Sequence[int]) -> None:
    parts: dict[int, list[str]] = defaultdict(list)
    for row in connection.execute(
        select(
            Interaction.id,
            Interaction.title,
            Interaction.summary,
            Interaction.outcome,
            Interaction.location,
        ).where(Interaction.id.in_(ids))
    ):
        parts[row.id].extend([row.title, row.location, row.summary, row.outcome])
    for owner, tag in connection.execute(
        select(InteractionTag.interaction_id, InteractionTag.tag).where(
            InteractionTag.interaction_id.in_(ids)
        )
    ):
        parts[owner].append(tag_words(tag))
    for owner, name in connection.execute(
        select(InteractionStakeholder.interaction_id, Stakeholder.name)
        .join(Stakeholder, Stakeholder.id == InteractionStakeholder.stakeholder_id)
        .where(InteractionStakeholder.interaction_id.in_(ids))
    ):
        parts[owner].append(name)
    for owner, alias in connection.execute(
        select(InteractionStakeholder.interaction_id, StakeholderAlias.alias)
        .join(
            StakeholderAlias,
            StakeholderAlias.stakeholder_id == InteractionStakeholder.stakeholder_id,
        )
        .where(InteractionStakeholder.interaction_id.in_(ids))
    ):
        parts[owner].append(alias)
    connection.execute(
        delete(InteractionDocument).where(InteractionDocument.interaction_id.in_(ids))
    )
    documents = [
        {
            "interaction_id": interaction_id,
            "document": interaction_document(texts),
        }
        for interaction_id, texts in parts.items()
    ]
    if documents:
        connection.execute(insert(InteractionDocument), documents)


def tag_words(tag: str) -> str:
    return tag.replace("-", " ")


def interactions_of(connection: Connection, stakeholder_ids: Iterable[int]) -> list[int]:
    """Interactions whose document names one of these stakeholders (to re-index on a rename)."""
    wanted = sorted(set(stakeholder_ids))
    if not wanted:
        return []
    return list(
        connection.scalars(
            select(InteractionStakeholder.interaction_id)
            .where(InteractionStakeholder.stakeholder_id.in_(wanted))
            .distinct()
        )
    )


def reindex_participants(connection: Connection, stakeholder_ids: Iterable[int]) -> None:
    """These stakeholders' names changed: rewrite the documents of their interactions.

    On PostgreSQL, row-level security limits that to the interactions the current role may
    see; the rest are queued in ``pending_documents`` for a role that can see them
    (:func:`drain_pending`).
    """
    wanted = sorted(set(stakeholder_ids))
    index_interactions(connection, interactions_of(connection, wanted))
    if wanted and connection.dialect.name == "postgresql":
        from engagement import audit_postgres

        audit_postgres.queue_hidden_documents(connection, wanted)


def pending(connection: Connection) -> bool:
    """Whether documents this role may see wait to be rewritten (see :func:`drain_pending`)."""
    found = connection.execute(select(PendingDocument.interaction_id).limit(1)).first()
    return found is not None


def drain_pending(connection: Connection) -> int:
    """Rewrite the queued documents this role may see (row-level security picks them) and take
    them off the queue; return how many."""
    ids = list(connection.scalars(select(PendingDocument.interaction_id)))
    if ids:
        index_interactions(connection, ids)
        for start in range(0, len(ids), _BATCH):
            batch = ids[start : start + _BATCH]
            connection.execute(
                delete(PendingDocument).where(PendingDocument.interaction_id.in_(batch))
            )
    return len(ids)


def rebuild_all(connection: Connection) -> None:
    """Index every stakeholder and interaction (the migration that added search runs this)."""
    index_stakeholders(connection, connection.scalars(select(Stakeholder.id)))
    index_interactions(connection, connection.scalars(select(Interaction.id)))
