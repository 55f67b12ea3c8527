"""The feed's ETag rule (engagement.feed_cache): an unchanged calendar is confirmed from the
change stamp without reading interactions; any change — through the tracker, by another
connection, even with the audit triggers suspended — is seen at the next request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, event, text

from engagement import auditing, feed_cache
from engagement.feed import CalendarFeed
from engagement.tracker import Tracker
from tests.conftest import FIXED_NOW

TOKEN = "s3cret-token-for-tests-0123456789"
SCO = "sample-2025-08-21-sco-seminar"
_INTERACTIONS = re.compile(r"\binteractions\b", re.IGNORECASE)


def make_feed(tracker: Tracker) -> CalendarFeed:
    return CalendarFeed(lambda known: tracker.export_ics(known_etag=known), TOKEN)


class Statements:
    """Every SQL statement the tracker's engine sends while recording."""

    def __init__(self, tracker: Tracker) -> None:
        self.seen: list[str] = []
        self.recording = False
        event.listen(tracker.db.engine, "before_cursor_execute", self._record)

    def _record(self, *args: Any) -> None:
        if self.recording:
            self.seen.append(str(args[2]))

    def reading_interactions(self) -> list[str]:
        return [statement for statement in self.seen if _INTERACTIONS.search(statement)]


@pytest.fixture
def other(sample: Tracker) -> Iterator[Any]:
    """Another connection to the same database, as another program would open one."""
    engine = create_engine(sample.url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_an_unchanged_calendar_is_answered_without_reading_interactions(sample: Tracker) -> None:
    feed = make_feed(sample)
    statements = Statements(sample)
    first = feed.answer(feed.path(), None)
    statements.recording = True
    for _ in range(3):
        assert feed.answer(feed.path(), first.headers["ETag"]).status == 304
    assert statements.seen, "the stamp is read on every request"
    assert statements.reading_interactions() == []
    assert len(statements.seen) <= 3 * 4


def test_a_change_by_another_connection_gives_a_new_etag(sample: Tracker, other: Any) -> None:
    feed = make_feed(sample)
    etag = feed.answer(feed.path(), None).headers["ETag"]
    with other.begin() as connection:
        connection.execute(
            text("UPDATE interactions SET title = 'Renamed elsewhere' WHERE uid = :uid"),
            {"uid": SCO},
        )
    changed = feed.answer(feed.path(), etag)
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert b"SUMMARY:Renamed elsewhere" in changed.body


def test_a_change_with_the_audit_triggers_suspended_is_seen(sample: Tracker, other: Any) -> None:
    feed = make_feed(sample)
    etag = feed.answer(feed.path(), None).headers["ETag"]
    with other.begin() as connection, auditing.suspended(connection):
        connection.execute(
            text("UPDATE interactions SET title = 'Loaded in bulk' WHERE uid = :uid"),
            {"uid": SCO},
        )
    changed = feed.answer(feed.path(), etag)
    assert changed.status == 200 and b"SUMMARY:Loaded in bulk" in changed.body


def test_a_change_outside_the_calendar_keeps_the_etag(sample: Tracker) -> None:
    """The stamp moved, so the selection is read again; its content did not change, so the
    client still gets 304 (the ETag is the content's, not the stamp's)."""
    feed = make_feed(sample)
    etag = feed.answer(feed.path(), None).headers["ETag"]
    statements = Statements(sample)
    sample.add_stakeholder(name="Someone New", kind="person")
    statements.recording = True
    assert feed.answer(feed.path(), etag).status == 304
    assert statements.reading_interactions(), "the stamp moved: the selection was read again"


def test_the_stamp_is_trusted_for_a_bounded_time(
    sample: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed = make_feed(sample)
    etag = feed.answer(feed.path(), None).headers["ETag"]
    monkeypatch.setattr(feed_cache, "REVALIDATE_AFTER", -1.0)
    statements = Statements(sample)
    statements.recording = True
    assert feed.answer(feed.path(), etag).status == 304
    assert statements.reading_interactions()


def test_a_new_day_reads_the_calendar_again(sample_url: str) -> None:
    now = [FIXED_NOW]
    with Tracker(sample_url, clock=lambda: now[0]) as tracker:
        feed = make_feed(tracker)
        etag = feed.answer(feed.path(), None).headers["ETag"]
        statements = Statements(tracker)
        statements.recording = True
        now[0] = FIXED_NOW + timedelta(hours=1)
        assert feed.answer(feed.path(), etag).status == 304
        assert statements.reading_interactions() == []
        now[0] = datetime.combine(FIXED_NOW.date() + timedelta(days=1), FIXED_NOW.timetz())
        feed.answer(feed.path(), etag)
        assert statements.reading_interactions()


def test_the_export_parameters_are_part_of_the_key(sample: Tracker) -> None:
    whole = sample.export_ics()
    statements = Statements(sample)
    statements.recording = True
    narrower = sample.export_ics(tags=["sco"], known_etag=whole.etag)
    assert not narrower.unchanged and narrower.etag != whole.etag
    assert statements.reading_interactions()
