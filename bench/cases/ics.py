"""iCalendar: exporting 10,000 events, the feed's answer to an unchanged calendar, and
importing the same file — ours against icalendar used naively, a hand-built string writer,
``khal import --batch`` and ``calcurse -i``.

Export measures render the same selection (read once from the database), so they compare
writers, not reads; the end-to-end export is reported on its own. Imports are whole processes
on every side, each into a fresh, empty calendar.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bench.harness import Measure, Sample, compare, failure, timing

if TYPE_CHECKING:
    from bench.context import Context
    from engagement.schemas import CalendarSelection, InteractionRead

AREA = "ics"


def _window(context: Context, events: int) -> tuple[date, date]:
    """Days holding about ``events`` exportable interactions, the newest ones."""
    raw = context.raw
    row = raw.execute(
        "SELECT start_on FROM interactions WHERE precision != 'month' "
        "ORDER BY start_on DESC LIMIT 1 OFFSET ?",
        (events - 1,),
    ).fetchone()
    last = raw.execute("SELECT max(last_on) FROM interactions").fetchone()[0]
    if row is None:
        row = raw.execute("SELECT min(start_on) FROM interactions").fetchone()
    return date.fromisoformat(row[0]), date.fromisoformat(last)


# --- the baselines --------------------------------------------------------------------------


def naive_icalendar(selection: CalendarSelection) -> bytes:
    """What a first version would write: an icalendar object per event and property, zones
    added by ``add_missing_timezones()``, serialised by ``to_ical()``."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//bench//naive//EN")
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    for item in selection.interactions:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("created", item.created_at)
        event.add("last-modified", item.updated_at)
        event.add("sequence", max(0, item.version - 1))
        _naive_when(event, item)
        event.add("summary", item.title)
        event.add("status", "CONFIRMED")
        event.add("categories", [item.kind.value, *item.tags])
        if item.location:
            event.add("location", item.location)
        if item.summary:
            event.add("description", item.summary)
        if item.recurrence:
            event.add("rrule", item.recurrence)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _naive_when(event: object, item: InteractionRead) -> None:
    period = item.period
    add: Callable[..., None] = event.add  # type: ignore[attr-defined]
    if isinstance(period.start, datetime):
        zone = ZoneInfo(item.timezone or "UTC")
        add("dtstart", period.start.astimezone(zone))
        if isinstance(period.end, datetime):
            add("dtend", period.end.astimezone(zone))
    else:
        add("dtstart", period.first_day())
        add("dtend", period.last_day() + timedelta(days=1))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    parts, chunk = [], ""
    for char in line:
        if len((chunk + char).encode("utf-8")) > (75 if not parts else 74):
            parts.append(chunk)
            chunk = char
        else:
            chunk += char
    parts.append(chunk)
    return "\r\n ".join(parts) + "\r\n"


def hand_built(selection: CalendarSelection) -> bytes:
    """The floor: f-strings, minimal escaping and folding, times in UTC, no VTIMEZONE."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = ["BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//hand//EN\r\n"]
    for item in selection.interactions:
        period = item.period
        if isinstance(period.start, datetime):
            start = ":" + period.start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
            end = period.end if isinstance(period.end, datetime) else period.start
            until = ":" + end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        else:
            start = f";VALUE=DATE:{period.first_day():%Y%m%d}"
            until = f";VALUE=DATE:{period.last_day() + timedelta(days=1):%Y%m%d}"
        out.append(
            f"BEGIN:VEVENT\r\nUID:{item.uid}\r\nDTSTAMP:{stamp}\r\nDTSTART{start}\r\n"
            f"DTEND{until}\r\n"
        )
        out.append(_fold("SUMMARY:" + _escape(item.title)))
        if item.location:
            out.append(_fold("LOCATION:" + _escape(item.location)))
        if item.summary:
            out.append(_fold("DESCRIPTION:" + _escape(item.summary)))
        if item.recurrence:
            out.append(f"RRULE:{item.recurrence}\r\n")
        out.append("END:VEVENT\r\n")
    out.append("END:VCALENDAR\r\n")
    return "".join(out).encode("utf-8")


class PeerMissing(Exception):
    """A peer program is not installed: ours is measured alone and the gap said."""


# --- imports into peers -------------------------------------------------------------------


def _khal(folder: Path) -> Callable[[Path], Sample]:
    khal = shutil.which("khal") or str(Path(sys.executable).with_name("khal"))
    if not Path(khal).exists():
        raise PeerMissing("khal is not installed (it comes with the dev extra)")

    def prepare() -> Path:
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "calendar").mkdir(parents=True)
        config = folder / "config"
        config.write_text(
            "[calendars]\n[[bench]]\n"
            f"path = {folder / 'calendar'}\ntype = calendar\n"
            "[locale]\nlocal_timezone = UTC\ndefault_timezone = UTC\n"
            f"[sqlite]\npath = {folder / 'khal.db'}\n",
            encoding="utf-8",
        )
        return config

    def sample_for(file: Path) -> Sample:
        def sample() -> float:
            config = prepare()
            command = [khal, "-c", str(config), "import", "--batch", "-a", "bench", str(file)]
            return timing(lambda: subprocess.run(command, check=True, capture_output=True))()

        return sample

    return sample_for


def _calcurse(folder: Path) -> Callable[[Path], Sample]:
    calcurse = shutil.which("calcurse")
    if calcurse is None:
        raise PeerMissing("calcurse is not installed (scripts/install-test-tools.sh)")
    env = {**os.environ, "TZ": "UTC", "HOME": str(folder)}

    def sample_for(file: Path) -> Sample:
        def sample() -> float:
            shutil.rmtree(folder, ignore_errors=True)
            (folder / "data").mkdir(parents=True)
            command = [calcurse, "-D", str(folder / "data"), "-i", str(file)]
            return timing(
                lambda: subprocess.run(command, check=True, capture_output=True, env=env)
            )()

        return sample

    return sample_for


def _ours_import(folder: Path) -> Callable[[Path], Sample]:
    engagement = str(Path(sys.executable).with_name("engagement"))

    def sample_for(file: Path) -> Sample:
        def sample() -> float:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            url = f"sqlite:///{folder / 'import.db'}"
            subprocess.run([engagement, "--db", url, "init"], check=True, capture_output=True)
            # --create-missing: the file's people become stakeholders, so every event is
            # stored (without it, an empty database matches no one and nothing is saved).
            command = [engagement, "--db", url, "import", "ics", "--create-missing", str(file)]
            return timing(lambda: subprocess.run(command, check=True, capture_output=True))()

        return sample

    return sample_for


# --- the case ---------------------------------------------------------------------------


def run(context: Context) -> list[Measure]:
    from engagement import ical
    from engagement.feed import CalendarFeed
    from engagement.services import calendar

    tracker = context.tracker
    first, last = _window(context, context.scale.ics_events)
    today = tracker.today()
    selection = tracker.db.read(
        lambda s: calendar.select_for_export(
            s,
            start=first,
            end=last,
            stakeholders=(),
            tags=(),
            include_confidential=False,
            include_follow_ups=False,
            overdue_follow_ups=False,
            today=today,
        )
    )
    events = len(selection.interactions)
    print(f"ics ({events:,} events, {first} to {last})", flush=True)
    options = ical.CalendarOptions()
    stamp = tracker.now()
    rendered = ical.render(selection, options, stamp=stamp, today=today)
    scratch = context.scratch("ics")
    file = scratch / "events.ics"
    file.write_bytes(rendered.data)
    repeats = max(3, context.scale.repeats // 5)
    zones = f"{len(rendered.time_zones)} VTIMEZONEs"

    def ours() -> object:
        return ical.render(selection, options, stamp=stamp, today=today)

    measures: list[Measure] = []

    def attempt(name: str, target: str, build: Callable[[], Measure]) -> None:
        try:
            measures.append(build())
        except Exception as error:
            measures.append(failure(AREA, name, target, error, "sqlite"))

    attempt(
        f"export {events:,} events: render",
        "p95 ≤ 0.5× naive icalendar",
        lambda: compare(
            AREA,
            f"export {events:,} events: render",
            timing(ours),
            timing(lambda: naive_icalendar(selection)),
            repeats=repeats,
            target="p95 ≤ 0.5× naive icalendar",
            limit=0.5,
            baseline="icalendar, object per event + add_missing_timezones()",
            note=f"ours writes {zones}, {len(rendered.data) / 1e6:.1f} MB",
        ),
    )
    attempt(
        f"export {events:,} events: render vs floor",
        "— (the floor)",
        lambda: compare(
            AREA,
            f"export {events:,} events: render vs floor",
            timing(ours),
            timing(lambda: hand_built(selection)),
            repeats=repeats,
            target="— (the floor)",
            baseline="hand-built string writer",
        ),
    )

    def export() -> object:
        return tracker.export_ics(start=first, end=last)

    attempt(
        f"export {events:,} events: read + render (export_ics)",
        "—",
        lambda: compare(
            AREA,
            f"export {events:,} events: read + render (export_ics)",
            timing(export),
            None,
            repeats=repeats,
            target="—",
        ),
    )
    feed = CalendarFeed(
        lambda known: tracker.export_ics(start=first, end=last, known_etag=known),
        "bench-token-0123456789",
    )
    etag = feed.answer(feed.path(), None).headers["ETag"]

    def unchanged() -> object:
        answer = feed.answer(feed.path(), etag)
        assert answer.status == 304, answer.status
        return answer

    def cold() -> object:
        fresh = CalendarFeed(
            lambda known: tracker.export_ics(start=first, end=last, known_etag=known),
            "bench-token-0123456789",
        )
        return fresh.answer(fresh.path(), None)

    attempt(
        "feed: unchanged calendar, If-None-Match → 304",
        "≤ 20 ms",
        lambda: compare(
            AREA,
            "feed: unchanged calendar, If-None-Match → 304",
            timing(unchanged),
            timing(cold),
            repeats=repeats,
            target="≤ 20 ms",
            absolute=20.0,
            baseline="first request (renders)",
        ),
    )
    imports = context.scale.import_repeats
    ours_import = _ours_import(scratch / "ours")(file)
    for peer, maker in (("khal import --batch", _khal), ("calcurse -i", _calcurse)):
        name = f"import {events:,} events vs {peer}"
        target = "faster than the peer (ratio < 1)"
        try:
            theirs: Sample | None = maker(scratch / peer.split()[0])(file)
            missing = ""
        except PeerMissing as error:
            theirs, missing = None, f"; {error}"
        attempt(
            name,
            target,
            lambda name=name, theirs=theirs, missing=missing, peer=peer, target=target: compare(
                AREA,
                name,
                ours_import,
                theirs,
                repeats=imports,
                warm_up=False,
                target=target,
                limit=0.999,
                baseline=f"{peer}, whole process, empty calendar",
                note="ours: engagement import ics --create-missing, whole process, into an empty "
                "database" + missing,
            ),
        )
    return measures
