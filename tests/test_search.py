"""Finding things: names in any spelling and script, full-text search with the usual syntax,
and hostile queries — on SQLite and PostgreSQL, and with the same results on both."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from engagement.errors import AmbiguousName, StakeholderNotFound, ValidationFailed
from engagement.tracker import Tracker
from tests.conftest import PgServer, _need_pg, fixed_clock

NAME_FORMS = [
    ("Tatiana Moskalkova", "Tatiana Moskalkova"),
    ("Tatyana Moskalkova", "Tatiana Moskalkova"),
    ("tatjana moskalkova", "Tatiana Moskalkova"),
    ("Moskalkova Tatiana", "Tatiana Moskalkova"),
    ("Москалькова", "Tatiana Moskalkova"),
    ("Татьяна Москалькова", "Tatiana Moskalkova"),
    ("Moskalkova", "Tatiana Moskalkova"),
    ("Council of Federation", "Federation Council"),
    ("Council of the Federation", "Federation Council"),
    ("Совет Федерации", "Federation Council"),
    ("federation council.", "Federation Council"),
    ("CSTO", "Collective Security Treaty Organisation"),
    ("Равиль Гайнутдин", "Ravil Gainutdin"),
    ("Savchuk", "Pavel Savchuk"),
    ("Embassy of Turkiye in Moscow", "Embassy of Türkiye in Moscow"),
]


@pytest.mark.parametrize(("typed", "expected"), NAME_FORMS)
def test_a_stakeholder_is_found_by_any_spelling(sample: Tracker, typed: str, expected: str) -> None:
    assert sample.resolve_stakeholder(typed).name == expected


def test_a_name_entered_in_cyrillic_is_found_in_latin(sample: Tracker) -> None:
    sample.add_stakeholder("Лукашенко Александр", kind="person", country="BY")
    assert sample.resolve_stakeholder("Lukashenko").name == "Лукашенко Александр"
    assert sample.resolve_stakeholder("Aleksandr Lukashenko").name == "Лукашенко Александр"


def test_belarusian_spelling_is_understood(sample: Tracker) -> None:
    sample.add_stakeholder("Беларускі Чырвоны Крыж", kind="national_society", country="BY")
    assert sample.resolve_stakeholder("Belaruski Chyrvony Kryzh").name == "Беларускі Чырвоны Крыж"


def test_an_acronym_finds_the_right_ministry_once_the_country_is_given(sample: Tracker) -> None:
    with pytest.raises(AmbiguousName) as caught:
        sample.resolve_stakeholder("MFA")
    assert len(caught.value.candidates) == 2
    assert sample.resolve_stakeholder("MFA", country="BY").country == "BY"
    assert sample.resolve_stakeholder("MFA (RU)").name == (
        "Ministry of Foreign Affairs of the Russian Federation"
    )


@pytest.mark.parametrize("typo", ["Moskalkva", "Tatiana Moskalkoba", "Moskalkvoa"])
def test_typos_get_ranked_suggestions(sample: Tracker, typo: str) -> None:
    with pytest.raises(StakeholderNotFound) as caught:
        sample.resolve_stakeholder(typo)
    assert caught.value.suggestions[0] == "Tatiana Moskalkova"
    assert "did you mean 'Tatiana Moskalkova'" in str(caught.value)


def test_the_filter_matches_prefixes_in_any_script_and_falls_back_to_similarity(
    sample: Tracker,
) -> None:
    assert [s.name for s in sample.find_stakeholders("tat mosk").items] == ["Tatiana Moskalkova"]
    assert [s.name for s in sample.find_stakeholders("москал").items] == ["Tatiana Moskalkova"]
    page = sample.find_stakeholders("red cross", kind="national_society", limit=3)
    assert page.total >= 8 and len(page.items) == 3 and not page.fuzzy
    second = sample.find_stakeholders("red cross", kind="national_society", limit=3, offset=3)
    assert {s.id for s in page.items}.isdisjoint({s.id for s in second.items})
    fuzzy = sample.find_stakeholders("moskalkva")
    assert fuzzy.fuzzy and fuzzy.items[0].name == "Tatiana Moskalkova"
    assert sample.find_stakeholders("").total == len(sample.list_stakeholders())


def test_renaming_and_aliases_are_searchable_at_once(sample: Tracker) -> None:
    sample.add_alias("Russian Red Cross", "Российский Красный Крест")
    assert sample.resolve_stakeholder("Rossiiskii Krasnyi Krest").name == "Russian Red Cross"
    sample.update_stakeholder("BI.ZONE", name="BI.ZONE LLC")
    assert [h.interaction.title for h in sample.search('"bi zone llc"')]


def titles(tracker: Tracker, query: str, **filters: object) -> list[str]:
    return [hit.interaction.title for hit in tracker.search(query, **filters)]  # type: ignore[arg-type]


def test_words_must_all_match(sample: Tracker) -> None:
    found = titles(sample, "martens readings conference")
    assert found and all("Martens" in title for title in found)


def test_exact_phrases(sample: Tracker) -> None:
    assert any("Martens Readings" in t for t in titles(sample, '"Martens Readings"'))
    assert titles(sample, '"readings martens"') == []


def test_excluded_words(sample: Tracker) -> None:
    with_kazan = titles(sample, "forum")
    without = titles(sample, "forum -kazanforum")
    assert len(without) < len(with_kazan)
    assert not any("KazanForum" in title for title in without)


def test_or_and_prefix(sample: Tracker) -> None:
    either = set(titles(sample, "seminar OR training"))
    assert set(titles(sample, "seminar")) | set(titles(sample, "training")) == either
    assert any("cybersecurity" in t.lower() for t in titles(sample, "cyber*"))


def test_cyrillic_queries_find_latin_text(sample: Tracker) -> None:
    assert titles(sample, "москалькова") == titles(sample, "Moskalkova")


def test_results_are_filtered_and_highlighted(sample: Tracker) -> None:
    hits = sample.search("Moskalkova", kind="visit")
    assert hits and all(hit.interaction.kind.value == "visit" for hit in hits)
    start, end = hits[0].highlights[0]
    assert hits[0].snippet[start:end].lower() == "moskalkova"
    assert sample.search("dialogue", confidentiality_max="internal")
    confidential = sample.search("dialogue", stakeholder="Russian MFA")
    assert (
        confidential
        and sample.search("dialogue", stakeholder="Russian MFA", confidentiality_max="internal")
        == []
    )
    in_june = sample.search("spief", start=None, tag=None)
    assert in_june and all(hit.interaction.start.startswith("2025-06") for hit in in_june)


HOSTILE = [
    '"unterminated phrase',
    "NEAR(",
    "(((",
    "a AND",
    "OR",
    "'; DROP TABLE interactions; --",
    "x" * 10_000,
    "word " * 3000,
    '"" * ^ ~ : {} [] \\',
    "\x00\x1b[2J",
    "col:value",
    "NOT",
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_give_results_or_a_clear_message(sample: Tracker, query: str) -> None:
    try:
        sample.search(query)
    except ValidationFailed as error:
        assert error.field == "query"
    assert sample.search("Moskalkova")  # the database is still fine


@pytest.mark.parametrize("query", ["*", "-pow", ""])
def test_queries_with_nothing_to_look_for_say_so(sample: Tracker, query: str) -> None:
    with pytest.raises(ValidationFailed, match="query"):
        sample.search(query)


def test_filters_alone_list_newest_first(sample: Tracker) -> None:
    hits = sample.search("", stakeholder="Russian Red Cross")
    starts = [hit.interaction.period.first_day() for hit in hits]
    assert hits and starts == sorted(starts, reverse=True)


@pytest.fixture
def both(
    templates: Callable[[str, str], str], tmp_path: Path, pg_server: PgServer | None
) -> Iterator[tuple[Tracker, Tracker]]:
    server = _need_pg(pg_server)
    target = tmp_path / "sample.db"
    shutil.copyfile(templates("sqlite", "sample"), target)
    name = server.create(templates("postgresql", "sample"))
    lite = Tracker(f"sqlite:///{target}", clock=fixed_clock)
    pg = Tracker(server.url_for(name), clock=fixed_clock)
    try:
        yield lite, pg
    finally:
        lite.close()
        pg.close()
        server.drop(name)


QUERIES = [
    "forum",
    "martens readings",
    '"Martens Readings"',
    "forum -kazanforum",
    "seminar OR training",
    "cyber*",
    "москалькова",
    "pow missing",
    "red cross",
    "rfl OR family",
    "emblem law*",
]


def test_both_engines_give_the_same_results(both: tuple[Tracker, Tracker]) -> None:
    lite, pg = both
    for query in QUERIES:
        on_sqlite = {hit.interaction.uid for hit in lite.search(query, limit=500)}
        on_postgres = {hit.interaction.uid for hit in pg.search(query, limit=500)}
        assert on_sqlite == on_postgres, query
        assert on_sqlite, query
    for text in ("tat mosk", "red cross", "moskalkva", "council"):
        assert [s.name for s in lite.find_stakeholders(text).items] == [
            s.name for s in pg.find_stakeholders(text).items
        ], text


def test_names_beginning_with_the_typed_word_come_first(sample: Tracker) -> None:
    """A surname typed in either script finds the person before the embassies "in Moscow"."""
    for typed in ("mosk", "моск"):
        names = [item.name for item in sample.find_stakeholders(typed, limit=3).items]
        assert names[0] == "Tatiana Moskalkova"
        assert all("Moscow" in name for name in names[1:])
    names = [item.name for item in sample.find_stakeholders("fed", limit=2).items]
    assert names == ["Federation Council", "Federation of Jewish Communities of Russia"]


def test_an_edit_is_searchable_at_once_and_postgres_reads_a_stored_vector(
    sample: Tracker,
) -> None:
    """Every write keeps the searched form in step: FTS5 through its triggers; on PostgreSQL
    the generated ``vector`` column (migration 0010), which the GIN index is built on."""
    [hit] = sample.search('"martens readings"', limit=1)
    sample.update_interaction(hit.interaction.id, summary="Quokkanomics briefing.")
    assert [h.interaction.id for h in sample.search("quokkanomics")] == [hit.interaction.id]
    if sample.db.engine.dialect.name != "postgresql":
        return
    with sample.db.engine.connect() as connection:
        stale = connection.exec_driver_sql(
            "SELECT count(*) FROM interaction_documents "
            "WHERE vector IS DISTINCT FROM to_tsvector('simple', document)"
        ).scalar()
        definition = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_interaction_documents_tsv'"
        ).scalar()
    assert stale == 0
    assert str(definition).endswith("USING gin (vector)")
