"""The live calendar feed: a secret token in the URL, loopback by default, the calendar rebuilt
for every request (so subscribers see changes and cancellations), and an ETag so an unchanged
calendar is answered from the cache or with 304."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from engagement import ical
from engagement.cli import main
from engagement.cli.calendars import serve
from engagement.errors import ValidationFailed
from engagement.feed import CalendarFeed, FeedServer, check_token, is_loopback
from engagement.tracker import Tracker

TOKEN = "s3cret-token-for-tests-0123456789"
SCO = "sample-2025-08-21-sco-seminar"


def make_feed(tracker: Tracker) -> CalendarFeed:
    return CalendarFeed(lambda known: tracker.export_ics(known_etag=known), TOKEN)


def test_refuses_without_the_token(sample: Tracker) -> None:
    feed = make_feed(sample)
    for path in ("/", "/calendar.ics", "/wrong/calendar.ics", f"/{TOKEN}", f"/{TOKEN}x/a.ics"):
        answer = feed.answer(path, None)
        assert answer.status == 403 and b"BEGIN:VCALENDAR" not in answer.body
    assert feed.answer(f"/{TOKEN}/calendar.ics?x=1", None).status == 200


def test_serves_the_calendar_and_follows_changes(sample: Tracker) -> None:
    feed = make_feed(sample)
    first = feed.answer(feed.path(), None)
    assert first.status == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert first.body.startswith(b"BEGIN:VCALENDAR") and SCO.encode() in first.body
    etag = first.headers["ETag"]
    assert feed.answer(feed.path(), etag).status == 304
    assert feed.answer(feed.path(), f'W/{etag}, "other"').status == 304
    interaction = next(i for i in sample.history("SCO") if i.uid == SCO)
    sample.cancel_interaction(interaction.id)
    changed = feed.answer(feed.path(), etag)
    assert changed.status == 200 and changed.headers["ETag"] != etag
    block = changed.body.split(f"UID:{SCO}".encode())[1].split(b"END:VEVENT")[0]
    assert b"STATUS:CANCELLED" in block and b"SEQUENCE:1" in block


def test_an_unchanged_calendar_is_not_rendered_again(
    sample: Tracker, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = ical.render

    def counting(*args: Any, **kwargs: Any) -> ical.Rendered:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(ical, "render", counting)
    feed = make_feed(sample)
    bodies = {feed.answer(feed.path(), None).body for _ in range(3)}
    assert len(calls) == 1 and len(bodies) == 1


def test_tokens_must_be_long_and_plain() -> None:
    for bad in ("short", "x" * 15, "with space in the token", "a/b/cdefghijklmnopq", "é" * 20):
        with pytest.raises(ValidationFailed):
            check_token(bad)
    check_token(TOKEN)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")


@pytest.fixture
def server(sample: Tracker) -> Iterator[tuple[FeedServer, list[str]]]:
    lines: list[str] = []
    running = FeedServer(("127.0.0.1", 0), make_feed(sample), log=lines.append)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    try:
        yield running, lines
    finally:
        running.shutdown()
        running.server_close()
        thread.join(5)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_over_http_on_loopback(server: tuple[FeedServer, list[str]]) -> None:
    running, lines = server
    assert running.server_address[0] == "127.0.0.1"
    url = running.url()
    base = url.rsplit("/", 2)[0]
    assert fetch(base + "/calendar.ics")[0] == 403
    status, headers, body = fetch(url)
    assert status == 200 and body.startswith(b"BEGIN:VCALENDAR")
    assert int(headers["Content-Length"]) == len(body)
    status, _, body = fetch(url, **{"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as response:
        assert response.status == 200 and response.read() == b""
    results: list[int] = []
    workers = [threading.Thread(target=lambda: results.append(fetch(url)[0])) for _ in range(8)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert results == [200] * 8
    assert lines and all(TOKEN not in line for line in lines)
    assert any("<token>" in line for line in lines)


def test_cli_serves_on_loopback_by_default(sample_url: str) -> None:
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
    result = CliRunner().invoke(main, ["--db", sample_url, "feed", "serve", "--token", "short"])
    assert result.exit_code == 1 and result.stderr.startswith("error: token:")
