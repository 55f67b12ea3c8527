"""The hot read paths' shortcuts give what the plain way gives (issue 8).

Compiled statements go to the driver's cursor unless something watches the statements; the
positional values are laid out by plan; stored periods come from a cache with their texts; a
search hit's texts are screened before they are split into words. Each is compared here with
the way it replaced, on both engines where a database is involved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import event, exc, select

from engagement import snippets
from engagement.dates import period_from_storage
from engagement.models import Interaction, InteractionStakeholder
from engagement.schemas import SearchHit
from engagement.search_query import parse_query
from engagement.services import history, interaction_reads, prepared
from engagement.services.search import _hit
from engagement.tracker import Tracker

_PAGE_STATEMENTS = (
    interaction_reads._ROWS,
    interaction_reads._PARTICIPANTS,
    interaction_reads._TAGS,
    interaction_reads._LANGUAGES,
    interaction_reads._STAFF,
    interaction_reads._FOLLOW_UPS,
)


def _all_ids(session: Any) -> list[int]:
    return list(session.scalars(select(Interaction.id).order_by(Interaction.id)))


def test_the_driver_path_reads_what_sqlalchemy_reads(sample: Tracker) -> None:
    seen: list[str] = []

    def record(*args: Any) -> None:
        seen.append(args[2])

    def rows(session: Any) -> list[list[tuple[Any, ...]]]:
        wanted = {"ids": _all_ids(session)[::-1]}
        connection = session.connection()
        return [
            [tuple(row) for row in statement.run(connection, wanted)]
            for statement in _PAGE_STATEMENTS
        ]

    direct = sample.db.read(rows)
    assert any(direct)
    event.listen(sample.db.engine, "before_cursor_execute", record)
    try:
        watched = sample.db.read(rows)
    finally:
        event.remove(sample.db.engine, "before_cursor_execute", record)
    assert watched == direct
    # With a listener, every statement went through SQLAlchemy, which showed it.
    assert len([sql for sql in seen if "interaction" in sql]) >= len(_PAGE_STATEMENTS)


def test_a_page_with_scalars_and_a_list_is_read_the_same_both_ways(sample: Tracker) -> None:
    def page(session: Any) -> list[int]:
        stakeholder = history._stakeholder_id(session, "Russian Red Cross")
        params = {"stakeholder": stakeholder, "limit": 3, "offset": 1}
        return [row[0] for row in history._PAGE.run(session.connection(), params)]

    ids = sample.db.read(page)
    expected = [item.id for item in sample.history("Russian Red Cross")][1:4]
    assert ids == expected


def test_driver_errors_come_wrapped_as_sqlalchemy_wraps_them(sample: Tracker) -> None:
    sql = "SELECT no_such_column FROM interactions"

    def failure(work: Any) -> tuple[type[BaseException], str]:
        with pytest.raises(Exception) as raised:
            sample.db.read(work)
        return raised.type, str(raised.value)

    direct = failure(lambda session: prepared._fetch(session.connection(), sql, ()))
    through = failure(lambda session: session.connection().exec_driver_sql(sql).fetchall())
    assert direct == through

    def wrapped(session: Any) -> None:
        with pytest.raises(exc.DBAPIError):
            prepared._fetch(session.connection(), sql, ())

    sample.db.read(wrapped)


def test_the_positional_plan_lays_out_values_in_the_statements_order() -> None:
    order = ("a", "ids_1", "ids_2", "ids_3", "param_1", "b")
    plan = prepared._plan(order, {"a": 1, "ids": [7, 8, 9], "b": 2}, {"param_1": 0})
    assert plan == (("a", False, None), ("ids", True, None), (None, False, 0), ("b", False, None))
    # Names out of order, or unknown, leave the layout to the names.
    assert prepared._plan(("ids_2", "ids_1"), {"ids": [1, 2]}, {}) is None
    assert prepared._plan(("c",), {"a": 1}, {}) is None


def test_cached_stored_periods_carry_the_periods_own_texts(sample: Tracker) -> None:
    def check(session: Any) -> int:
        count = 0
        for row in session.execute(
            select(
                Interaction.precision,
                Interaction.timezone,
                Interaction.start_on,
                Interaction.end_on,
                Interaction.start_at,
                Interaction.end_at,
            )
        ):
            values = tuple(
                value.isoformat() if isinstance(value, date) and sample.db.is_sqlite else value
                for value in row
            )
            expected = period_from_storage(*row)
            period, first, last, when = interaction_reads._stored(*values)
            assert period == expected
            assert (first, last, when) == (
                expected.iso_start(),
                expected.iso_end(),
                expected.describe(),
            )
            count += 1
        return count

    assert sample.db.read(check) > 20


def test_models_of_one_page_share_no_lists(sample: Tracker) -> None:
    items = sample.history("Russian Red Cross")
    lists = [
        id(value)
        for item in items
        for value in (
            item.participants,
            item.stakeholders,
            item.tags,
            item.staff,
            item.languages,
            item.follow_ups,
            item.their_delegation,
        )
    ]
    assert len(lists) == len(set(lists))


def _first_passage_the_long_way(
    texts: list[str], words: list[str]
) -> tuple[str, list[tuple[int, int]]] | None:
    for text in texts:
        snippet, highlights = snippets.best_passage(text, words)
        if highlights:
            return snippet, highlights
    return None


_TEXTS = [
    "Talks with Tatiana Moskalkova on prisoners of war.",
    "Переговоры с Татьяной Москальковой о военнопленных",
    "snake_case_words and MIXED Case, digits 2025 and x2025y",
    "Society Dedemani Lero, Academy Ровесасу Ниведе",
    "Tags: detention, prisoners-of-war, icrc",
    "   spaced\tout\n\ntext   with   gaps   ",
    "",
    "Ёлка и Щука; Łódź, Zürich; naïve café",
]
_WORDS = [
    ["moskalkova"],
    ["pris"],
    ["case"],
    ["words"],
    ["2025"],
    ["x2025"],
    ["dedemani"],
    ["rovesasu"],
    ["lodz", "zurich"],
    ["cafe"],
    ["yolka"],
    ["of war"],
    ["gaps"],
    ["nothing"],
    ["Moskalkova"],
    [""],
]


@pytest.mark.parametrize("words", _WORDS)
def test_the_screened_passage_is_the_passage_found_the_long_way(words: list[str]) -> None:
    for start in range(len(_TEXTS)):
        texts = _TEXTS[start:] + _TEXTS[:start]
        assert snippets.first_passage(texts, words) == _first_passage_the_long_way(texts, words)


def test_search_hits_equal_validated_hits_built_the_long_way(sample: Tracker) -> None:
    for query in ("ministry", "prisoners", "red cross", "Москалькова", "pris*", "zzzz*"):
        words = parse_query(query).positive_words()
        for hit in sample.search(query, limit=50):
            item = hit.interaction
            texts = [
                item.summary,
                item.outcome,
                item.title,
                item.location,
                ", ".join(item.stakeholders),
                "Tags: " + ", ".join(item.tags),
            ]
            found = _first_passage_the_long_way(texts, words)
            if found is None:
                found = (snippets.best_passage(item.summary or item.title, [])[0], [])
            expected = SearchHit(
                interaction=item, snippet=found[0], highlights=found[1], score=hit.score
            )
            assert hit == expected
            assert hit.model_dump_json() == expected.model_dump_json()
            assert _hit(item, words, -hit.score) == expected


def test_a_connection_without_a_transaction_gets_one_as_sqlalchemy_gives_it(
    sample: Tracker,
) -> None:
    with sample.db.engine.connect() as connection:
        assert not connection.in_transaction()
        rows = interaction_reads._ROWS.run(connection, {"ids": [1, 2]})
        assert len(rows) == 2
        assert connection.in_transaction()


@pytest.mark.parametrize("engine", ["postgresql"])  # a server connection to lose
def test_a_lost_postgresql_connection_is_invalidated_and_the_next_read_works(
    sample: Tracker,
) -> None:
    pids: list[int] = []

    def lose(session: Any) -> None:
        connection = session.connection()
        pids.append(int(connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()))
        with sample.db.engine.connect() as other:
            other.exec_driver_sql(f"SELECT pg_terminate_backend({pids[0]})")
        try:
            interaction_reads._ROWS.run(connection, {"ids": [1]})
        except exc.DBAPIError as error:
            invalidated.append(error.connection_invalidated)
            raise

    invalidated: list[bool] = []
    with pytest.raises(Exception):  # noqa: B017 - storage translates it; the kind is theirs
        sample.db.read(lose)
    assert invalidated == [True]
    assert sample.history("Russian Red Cross")


def test_participants_read_by_array_are_those_read_by_list(sample: Tracker) -> None:
    """PostgreSQL takes the page's ids as one array; the rows are those of the plain IN."""

    def check(session: Any) -> None:
        ids = _all_ids(session)[::-1]
        by_list = [
            tuple(row)
            for row in session.execute(
                interaction_reads._participants(InteractionStakeholder.interaction_id.in_(ids))
            )
        ]
        prepared_rows = interaction_reads._PARTICIPANTS.run(session.connection(), {"ids": ids})
        assert by_list
        assert [tuple(row) for row in prepared_rows] == by_list

    sample.db.read(check)
