"""The shortcuts of the bulk paths give exactly what the general code gives.

Text cleaning skips its passes on text that is already clean, the JSON load folds the
participants' names once and joins search documents from pieces, periods read from a dump skip
a second validation, and exact loads set the indexes aside while they fill the tables. Each
shortcut is compared here with the slow, general computation on hostile input.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from engagement.period import Period
from engagement.schemas.base import clean_line, clean_tag, clean_text
from engagement.schemas.transfer import period_from_iso
from engagement.services.search_index import interaction_document, tag_words
from engagement.tracker import Tracker
from engagement.transfer.documents import Documents
from engagement.vocab import Precision
from tests.conftest import PgServer, fixed_clock
from tests.test_transfer_support import Templates, fresh_tracker

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\r\n\t\x0b\x0c\u2028\u2029]+")
_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Letters, marks, spaces of every kind, controls, bidi marks, Cyrillic, Greek final sigma.
TRICKY = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            list(
                "aZ09 -#_.,'’\t\n\r\x0b\x0c\x00\x1f\x7f\x85\xa0\xad\u200b\u200d\u200e\u202e"
                "\u2028\u2029\u3000\u0301\u0308\u0483ёЁйЙßøæœıΣσςﬁ①Ⅻ"
                "ТатьянаМоскалькова"
            )
        ),
        st.characters(),
    ),
    max_size=40,
)


def _slow_line(value: str) -> str:
    cleaned = _LINE_BREAKS.sub(" ", unicodedata.normalize("NFC", value))
    return _CONTROL.sub("", cleaned).strip()


def _slow_text(value: str) -> str:
    cleaned = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    return _TEXT_CONTROL.sub("", cleaned).strip()


def _slow_tag(value: str) -> str:
    return re.sub(r"\s+", "-", _slow_line(value).lstrip("#").strip().casefold())


@given(TRICKY)
def test_cleaning_shortcuts_equal_the_full_passes(value: str) -> None:
    assert clean_line(value) == _slow_line(value)
    assert clean_text(value) == _slow_text(value)
    assert clean_tag(value) == _slow_tag(value)


@given(st.lists(TRICKY, max_size=5), st.lists(TRICKY, min_size=1, max_size=4))
def test_documents_joined_from_pieces_equal_the_service_document(
    texts: list[str], names: list[str]
) -> None:
    names = [name for name in names if name] or ["Москалькова"]
    documents = Documents()
    for number, name in enumerate(names, start=1):
        documents.add_stakeholder(number, name, [f"{name[:3]} {number}", "Ёлка"])
    people = list(range(1, len(names) + 1))
    own = [*texts, "", "", "", ""][:4]
    tags = ["pow", "first-aid"]
    expected = interaction_document(
        [
            *own,
            *(tag_words(tag) for tag in tags),
            *names,
            *(alias for n, name in enumerate(names, 1) for alias in (f"{name[:3]} {n}", "Ёлка")),
        ]
    )
    assert documents.document(own, tags, people) == expected


@pytest.mark.parametrize(
    ("precision", "zone", "start", "end"),
    [
        (Precision.DAY, None, "2025-05-16", None),
        (Precision.DAY, "Europe/Moscow", "2025-05-16", "2025-05-18"),
        (Precision.MONTH, None, "2025-05", "2025-07"),
        (Precision.DATETIME, "Europe/Moscow", "2025-05-16T10:00:00+03:00", None),
        (Precision.DATETIME, "europe/moscow", "2025-05-16T07:00:00+00:00", "2025-05-16T12:00Z"),
        (Precision.DATETIME, "UTC", "2024-03-31T01:30:00+01:00", "2024-03-31T03:30:00+02:00"),
    ],
)
def test_periods_from_a_dump_equal_validated_ones(
    precision: Precision, zone: str | None, start: str, end: str | None
) -> None:
    period = period_from_iso(precision, zone, start, end)
    moments: list[Any] = [period.start, period.end]
    again = Period(start=moments[0], end=moments[1], precision=precision, timezone=zone)
    assert period == again
    assert period.model_dump() == again.model_dump()
    assert (period.first_day(), period.last_day(), period.utc_start(), period.utc_end()) == (
        again.first_day(),
        again.last_day(),
        again.utc_start(),
        again.utc_end(),
    )


@pytest.mark.parametrize(
    ("precision", "zone", "start", "end", "problem"),
    [
        (Precision.DAY, None, "2025-05-16", "2025-05-01", "the end is before the start"),
        (Precision.MONTH, None, "2025-05", "2025-01", "the end is before the start"),
        (Precision.DATETIME, None, "2025-05-16T10:00:00+03:00", None, "needs a timezone"),
        (
            Precision.DATETIME,
            "UTC",
            "2025-05-16T10:00:00+03:00",
            "2025-05-16T09:00:00+03:00",
            "the end is before the start",
        ),
    ],
)
def test_inconsistent_periods_from_a_dump_are_still_refused(
    precision: Precision, zone: str | None, start: str, end: str | None, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        period_from_iso(precision, zone, start, end)


def _schema(tracker: Tracker) -> list[tuple[Any, ...]]:
    def read(session: Any) -> list[tuple[Any, ...]]:
        if tracker.db.is_sqlite:
            query = "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')"
        else:
            query = (
                "SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = "
                "current_schema() UNION ALL SELECT 'trigger', tgname || '.' || "
                "tgrelid::regclass::text, tgenabled::text FROM pg_trigger WHERE NOT tgisinternal"
            )
        return sorted(tuple(row) for row in session.execute(text(query)))

    return tracker.db.read(read)


def test_an_exact_load_leaves_every_index_and_trigger_as_it_found_them(
    sample: Tracker,
    engine: str,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path: Path,
) -> None:
    dump = tmp_path / "all.json"
    sample.export_json(dump, confidentiality_max=None)
    with fresh_tracker(engine, templates, pg_server, tmp_path) as target:
        before = _schema(target)
        target.import_json(dump)
        assert _schema(target) == before
        assert target.search("humanitarian", limit=5)
        found = target.find_stakeholders("Москалькова")
        assert found.total >= 1


def test_a_failed_exact_load_leaves_every_index_and_trigger(
    sample: Tracker,
    engine: str,
    templates: Templates,
    pg_server: PgServer | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engagement.transfer import load_rows

    dump = tmp_path / "all.json"
    sample.export_json(dump, confidentiality_max=None)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    with fresh_tracker(engine, templates, pg_server, tmp_path) as target:
        before = _schema(target)
        monkeypatch.setattr(load_rows.Loader, "commitments", broken)
        with pytest.raises(RuntimeError, match="disk full"):
            target.import_json(dump)
        assert _schema(target) == before
        assert not target.list_stakeholders(limit=1, include_archived=True)


def test_generated_data_leaves_the_schema_as_migrations_made_it(db_url: str) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        before = _schema(tracker)
        tracker.generate_bench_data(stakeholders=50, interactions=300, seed=4)
        assert _schema(tracker) == before
        if tracker.db.is_sqlite:

            def journal(session: Any) -> str:
                return str(session.execute(text("PRAGMA journal_mode")).scalar())

            assert tracker.db.read(journal) == "wal"

            def orphans(session: Any) -> list[Any]:
                return list(session.execute(text("PRAGMA foreign_key_check")))

            assert tracker.db.read(orphans) == []

            def enforced(session: Any) -> int:
                return int(session.execute(text("PRAGMA foreign_keys")).scalar())

            assert tracker.db.read(enforced) == 1
        assert datetime.now(UTC) > fixed_clock()
