"""Finding interactions by full text, filtered and ranked; stakeholders by name are in
:mod:`engagement.services.stakeholder_search`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import (
    Integer,
    Select,
    String,
    bindparam,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.orm import Session

from engagement import fulltext, snippets
from engagement.errors import ValidationFailed
from engagement.models import (
    Interaction,
    InteractionDocument,
    InteractionStakeholder,
    InteractionTag,
)
from engagement.schemas import InteractionRead, SearchHit
from engagement.schemas.base import clean_tag
from engagement.schemas.trusted import trusted
from engagement.search_query import Query, parse_query
from engagement.services import interactions, meetings
from engagement.services.prepared import Prepared
from engagement.services.resolve import resolve
from engagement.vocab import (
    Confidentiality,
    InteractionKind,
    MeetingFormat,
    choices,
)

E = TypeVar("E", bound=StrEnum)

# Full-text matches ranked per query at most (see _full_text).
RANKED_CANDIDATES = 2000


@dataclass(frozen=True)
class SearchOptions:
    kind: InteractionKind | None = None
    stakeholder: str | None = None
    tag: str | None = None
    start: date | None = None
    end: date | None = None
    confidentiality_max: Confidentiality | None = None
    limit: int = 50
    offset: int = 0
    meeting_format: MeetingFormat | None = None
    sidelines_of: str | None = None

    def has_filters(self) -> bool:
        return any(
            value is not None
            for value in (
                self.kind,
                self.stakeholder,
                self.tag,
                self.start,
                self.end,
                self.meeting_format,
                self.sidelines_of,
            )
        )

    @classmethod
    def build(
        cls,
        *,
        kind: InteractionKind | str | None,
        stakeholder: str | None,
        tag: str | None,
        start: date | None,
        end: date | None,
        confidentiality_max: Confidentiality | str | None,
        limit: int,
        offset: int,
        meeting_format: MeetingFormat | str | None = None,
        sidelines_of: str | None = None,
    ) -> SearchOptions:
        return cls(
            kind=_enum(InteractionKind, kind, "kind"),
            stakeholder=stakeholder or None,
            tag=clean_tag(tag) if tag else None,
            start=start,
            end=end,
            confidentiality_max=_enum(Confidentiality, confidentiality_max, "confidentiality-max"),
            limit=max(1, min(limit, 500)),
            offset=max(0, offset),
            meeting_format=meetings.parse_format(meeting_format),
            sidelines_of=(sidelines_of or "").strip() or None,
        )


def search_interactions(
    session: Session, query_text: str, options: SearchOptions, *, today: date
) -> list[SearchHit]:
    parsed = parse_query(query_text)
    if parsed.empty and not options.has_filters():
        raise ValidationFailed(
            "query", query_text.strip()[:60], "has no words to search for; type a word or a filter"
        )
    if parsed.empty:
        query = _filtered(session, select(Interaction.id), options)
        rows = session.execute(
            query.add_columns(literal(0.0).label("rank"))
            .order_by(Interaction.start_on.desc(), Interaction.id.desc())
            .limit(options.limit)
            .offset(options.offset)
        ).all()
    else:
        rows = _full_text(session, parsed, options)
    ids = [row[0] for row in rows]
    scores = {row[0]: float(row[1]) for row in rows}
    words = parsed.positive_words()
    return [
        _hit(item, words, scores[item.id])
        for item in interactions.read_many(session, ids, today=today)
    ]


def _full_text(session: Session, parsed: Query, options: SearchOptions) -> list[Any]:
    """The best matches among the newest :data:`RANKED_CANDIDATES` (plus the page asked for).

    Scoring costs about 1.5 µs per matching document, so ranking every match of a common
    word in a million interactions takes over a second. Both engines therefore take the
    matches in descending id order — the most recently recorded first, which both index
    structures yield without scoring — stop after the bound, and rank only those. A query
    with fewer matches than the bound (most queries) is ranked exactly as before; for a very
    common word the results are the best among the newest matches, which is what someone
    searching a log usually wants. Filters are applied before the bound, so they never empty
    a page that older matches would fill.
    """
    bound = max(RANKED_CANDIDATES, options.offset + options.limit)
    postgres = session.get_bind().dialect.name == "postgresql"
    params = {
        "match": parsed.to_tsquery() if postgres else parsed.to_fts5(),
        "bound": bound,
        "limit": options.limit,
        "offset": options.offset,
    }
    if not postgres and not options.has_filters() and options.confidentiality_max is None:
        # The common case, compiled once: building the statement cost more than ranking a
        # rare word does.
        return list(_UNFILTERED.run(session.connection(), params))
    inner, key = _matching(postgres)
    inner = _filtered(session, inner, options)
    statement = _ranked(inner, key, literal=postgres)
    connection = session.connection()
    if postgres:
        # A rare word's few matches, fetched in parallel, cost more in starting the workers
        # (~10 ms at a million documents) than in reading them (~0.5 ms); a common word's
        # walk of the newest documents is never parallel. For this transaction only.
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")
    return list(connection.execute(statement, params).all())


def _matching(postgres: bool) -> tuple[Select[Any], Any]:
    """The interactions matching the ``match`` parameter with their rank (lower is better) and
    start day, and the column holding their id. The interaction is joined here, per candidate,
    so that PostgreSQL reads the bounded candidates' rows by key instead of hash-joining
    every interaction."""
    if postgres:
        # The stored, generated tsvector (migration 0010): read, not computed, for both the
        # match and the rank. The models do not declare it (SQLite has no such column).
        vector: Any = literal_column(f"{InteractionDocument.__tablename__}.{fulltext.PG_VECTOR}")
        # The query text is rendered into the statement (escaped by its type), never bound:
        # a bound text lets PostgreSQL settle on one generic plan for every word, and the plan
        # right for a common word (walk the newest documents) reads every document for a rare
        # one.
        match = bindparam("match", type_=String(), literal_execute=True)
        tsquery = func.to_tsquery(literal_column("'simple'"), match)
        key: Any = InteractionDocument.interaction_id
        score = (-func.ts_rank_cd(vector, tsquery)).label("rank")
        found = select(key.label("id"), score, Interaction.start_on).where(vector.op("@@")(tsquery))
    else:
        fts = table("interaction_search", column("rowid"), column("document"))
        key = fts.c.rowid
        score = func.bm25(literal_column("interaction_search")).label("rank")
        found = (
            select(key.label("id"), score, Interaction.start_on)
            .select_from(fts)
            .where(literal_column("interaction_search").op("MATCH")(bindparam("match")))
        )
    return found.join(Interaction, Interaction.id == key), key


def _ranked(inner: Select[Any], key: Any, *, literal: bool = False) -> Select[Any]:
    """The page of the best ranked among the newest ``bound`` matches of ``inner``.

    ``literal`` renders the bound and the page into the statement, as the query text is on
    PostgreSQL: psycopg prepares a statement it has run five times, and the generic plan
    PostgreSQL then settles on assumes an unknown limit keeps a tenth of the matches, which
    makes walking the newest documents look cheap for a rare word (it reads all of them)."""

    def limit(name: str) -> Any:
        return bindparam(name, type_=Integer(), literal_execute=literal)

    candidates = inner.order_by(key.desc()).limit(limit("bound")).subquery()
    return (
        select(candidates.c.id, candidates.c.rank)
        .order_by(candidates.c.rank, candidates.c.start_on.desc(), candidates.c.id.desc())
        .limit(limit("limit"))
        .offset(limit("offset"))
    )


_UNFILTERED = Prepared(_ranked(*_matching(postgres=False)))


def _hit(item: InteractionRead, words: list[str], score: float) -> SearchHit:
    texts = [
        item.summary,
        item.outcome,
        item.title,
        item.location,
        ", ".join(item.stakeholders),
        "Tags: " + ", ".join(item.tags),
    ]
    found = snippets.first_passage(texts, words)
    if found is not None:
        return _trusted_hit(item, *found, score)
    fallback = item.summary or item.title
    snippet, _ = snippets.best_passage(fallback, [])
    return _trusted_hit(item, snippet, [], score)


def _trusted_hit(
    item: InteractionRead, snippet: str, highlights: list[tuple[int, int]], score: float
) -> SearchHit:
    """The hit, built without validating again what :func:`snippets.best_passage` made."""
    return trusted(
        SearchHit,
        {"interaction": item, "snippet": snippet, "highlights": highlights, "score": -score},
    )


def tags(session: Session, prefix: str, *, limit: int) -> list[str]:
    wanted = clean_tag(prefix) if prefix else ""
    query = select(InteractionTag.tag, func.count().label("uses")).group_by(InteractionTag.tag)
    if wanted:
        query = query.where(InteractionTag.tag.like(f"{wanted}%"))
    query = query.order_by(func.count().desc(), InteractionTag.tag).limit(limit)
    return [row.tag for row in session.execute(query)]


def _filtered(session: Session, query: Select[Any], options: SearchOptions) -> Select[Any]:
    if options.kind is not None:
        query = query.where(Interaction.kind == options.kind.value)
    if options.stakeholder:
        target = resolve(session, options.stakeholder, field="stakeholder")
        query = query.where(
            Interaction.id.in_(
                select(InteractionStakeholder.interaction_id).where(
                    InteractionStakeholder.stakeholder_id == target.id
                )
            )
        )
    if options.tag:
        query = query.where(
            Interaction.id.in_(
                select(InteractionTag.interaction_id).where(InteractionTag.tag == options.tag)
            )
        )
    if options.start is not None:
        query = query.where(Interaction.last_on >= options.start)
    if options.end is not None:
        query = query.where(Interaction.start_on <= options.end)
    if options.confidentiality_max is not None:
        allowed = [level.value for level in options.confidentiality_max.levels_up_to()]
        query = query.where(Interaction.confidentiality.in_(allowed))
    for condition in meetings.filters(options.meeting_format, options.sidelines_of):
        query = query.where(condition)
    return query


def _enum(enum: type[E], value: object, field: str) -> E | None:
    if value is None or value == "":
        return None
    if isinstance(value, enum):
        return value
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        raise ValidationFailed(field, value, f"is not one of {choices(enum)}") from None
