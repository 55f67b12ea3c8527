"""A live calendar feed: the iCalendar export served over HTTP for calendar subscriptions.

Calendar programs poll a subscription URL every so often; each request rebuilds the calendar
from the database, so subscribers see edits and cancellations. The URL carries a secret token
(compared in constant time) and the server binds to loopback unless told otherwise: the feed is
plain HTTP, meant for this machine or for a TLS reverse proxy in front of it.

Clients poll an unchanged calendar far more often than it changes. Each answer carries an
``ETag`` (the export's fingerprint); the last calendar is kept, and while the fingerprint holds
it is served again without rendering, or answered ``304 Not Modified`` to a client that sends
``If-None-Match``.
"""

from __future__ import annotations

import hmac
import ipaddress
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from engagement.errors import EngagementError, ValidationFailed
from engagement.schemas import IcsExport

MIN_TOKEN_LENGTH = 16
FEED_FILE = "calendar.ics"

Exporter = Callable[[str | None], IcsExport]
"""Produces the calendar; given the ETag already held, it may answer ``unchanged``."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class CalendarFeed:
    """The feed without the HTTP plumbing: a path and an ``If-None-Match`` in, an answer out."""

    def __init__(self, export: Exporter, token: str) -> None:
        check_token(token)
        self._export = export
        self._token = token.encode("utf-8")
        self._lock = threading.Lock()
        self._cached: IcsExport | None = None

    def path(self) -> str:
        return f"/{self._token.decode('utf-8')}/{FEED_FILE}"

    def answer(self, target: str, if_none_match: str | None) -> Answer:
        if not self._authorised(target):
            return _plain(403, "This calendar feed needs its secret URL (with the token).\n")
        try:
            current = self._current()
        except EngagementError as error:
            return _plain(503, f"The calendar cannot be produced right now: {error}\n")
        headers = {
            "ETag": f'"{current.etag}"',
            "Cache-Control": "private, no-cache",
            "X-Content-Type-Options": "nosniff",
        }
        if if_none_match is not None and _matches(if_none_match, current.etag):
            return Answer(304, headers)
        headers["Content-Type"] = "text/calendar; charset=utf-8"
        headers["Content-Disposition"] = f'inline; filename="{FEED_FILE}"'
        return Answer(200, headers, current.data)

    def _authorised(self, target: str) -> bool:
        segments = unquote(urlsplit(target).path).split("/")
        given = segments[1] if len(segments) == 3 and segments[2].endswith(".ics") else ""
        # compare_digest takes as long whatever the first differing byte, so response times
        # do not reveal the token a byte at a time.
        return hmac.compare_digest(given.encode("utf-8"), self._token)

    def _current(self) -> IcsExport:
        # One rebuild at a time: a burst of polls waits for the first one and reuses it.
        with self._lock:
            known = self._cached.etag if self._cached is not None else None
            fresh = self._export(known)
            if not fresh.unchanged or self._cached is None:
                self._cached = fresh
            return self._cached


def check_token(token: str) -> None:
    if len(token) < MIN_TOKEN_LENGTH or not token.isascii() or not token.isprintable():
        raise ValidationFailed(
            "token",
            "…",
            f"must be at least {MIN_TOKEN_LENGTH} printable ASCII characters; "
            "leave it out to get a random one",
        )
    if any(char in token for char in "/?#% "):
        raise ValidationFailed("token", "…", "must not contain '/', '?', '#', '%' or spaces")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # a client that stalls mid-request does not hold a thread forever
    server_version = "engagement-feed"

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._reply(head=False)

    def do_HEAD(self) -> None:
        self._reply(head=True)

    def _reply(self, *, head: bool) -> None:
        answer = self.server.feed.answer(self.path, self.headers.get("If-None-Match"))
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if not head and answer.body:
            self.wfile.write(answer.body)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the token: never let it reach a log.
        line = format % args
        secret = self.server.feed.path().split("/")[1]
        self.server.log(f"{self.address_string()} {line.replace(secret, '<token>')}")


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        feed: CalendarFeed,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.feed = feed
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if isinstance(host, str) and ":" in host else host
        return f"http://{shown!s}:{port}{self.feed.path()}"


def _plain(status: int, text: str) -> Answer:
    return Answer(status, {"Content-Type": "text/plain; charset=utf-8"}, text.encode("utf-8"))


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    tags = [item.strip().removeprefix("W/").strip('"') for item in header.split(",")]
    return etag in tags
