"""Use cases for calendars: iCalendar export and import, and the live feed.

An export reads its selection in one read unit and renders it outside the transaction (the
writer is pure); an import parses the whole file first, then applies it in one write unit, so
a file that fails half-way changes nothing, and a dry run is the same unit rolled back.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from engagement import feed_cache
from engagement.api.base import UseCases
from engagement.errors import EngagementError, UnsafeExportPath, ValidationFailed
from engagement.feed_cache import FeedCache
from engagement.schemas import CalendarSelection, IcsExport, IcsImportReport

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


class _DryRun(Exception):
    """Carries a dry run's report out of its write unit, which then rolls back."""

    def __init__(self, report: IcsImportReport) -> None:
        super().__init__("dry run")
        self.report = report


class CalendarUseCases(UseCases):
    def export_ics(
        self,
        *,
        start: date | None = None,
        end: date | None = None,
        stakeholders: Sequence[str] = (),
        tags: Sequence[str] = (),
        include_follow_ups: bool = False,
        follow_ups_as_events: bool = False,
        include_confidential: bool = False,
        calendar_name: str | None = None,
        known_etag: str | None = None,
    ) -> IcsExport:
        """The calendar from ``start`` (default: today) to ``end`` (default: open), as .ics
        bytes with counts and warnings. ``follow_ups_as_events`` implies
        ``include_follow_ups``. When ``known_etag`` is still current the bytes are not
        rendered again and the result says ``unchanged``."""
        from engagement import ical
        from engagement.schemas import clean_line
        from engagement.services import calendar

        now = self.now()
        today = now.date()
        first = start or today
        if end is not None and end < first:
            raise ValidationFailed("to", end.isoformat(), f"is before the start ({first})")
        name = clean_line(calendar_name or "") or ical.DEFAULT_NAME
        with_follow_ups = include_follow_ups or follow_ups_as_events
        options = ical.CalendarOptions(
            name=name,
            include_confidential=include_confidential,
            follow_ups="events" if follow_ups_as_events else "todos" if with_follow_ups else "none",
        )
        key = feed_cache.parameters_key(
            ical.FORMAT_VERSION,
            options,
            first,
            end,
            tuple(stakeholders),
            tuple(tags),
            start is None,
            today,
        )
        memory = self._feed_cache()
        if known_etag is not None:
            held = memory.stamp_to_confirm(key, known_etag)
            if held is not None and self.db.read(calendar.change_stamp) == held:
                return IcsExport(etag=known_etag, unchanged=True, calendar_name=name)

        def read(session: Session) -> tuple[str, CalendarSelection]:
            stamp = calendar.change_stamp(session)
            return stamp, calendar.select_for_export(
                session,
                start=first,
                end=end,
                stakeholders=stakeholders,
                tags=tags,
                include_confidential=include_confidential,
                include_follow_ups=with_follow_ups,
                overdue_follow_ups=start is None,
                today=today,
            )

        stamp, selection = self.db.read(read)
        etag = ical.fingerprint(selection, options)
        memory.remember(key, etag, stamp)
        if known_etag is not None and known_etag == etag:
            return IcsExport(etag=etag, unchanged=True, calendar_name=name)
        rendered = ical.render(selection, options, stamp=now, today=today)
        return IcsExport(
            data=rendered.data,
            etag=etag,
            calendar_name=name,
            events=rendered.events,
            todos=rendered.todos,
            redacted=rendered.redacted,
            left_out_month_only=selection.month_only,
            left_out_confidential=selection.strictly_confidential,
            time_zones=rendered.time_zones,
            warnings=rendered.warnings,
        )

    def _feed_cache(self) -> FeedCache:
        """ETags this tracker computed, with their change stamps (one memory per open
        database, shared by its feeds)."""
        memory: FeedCache | None = getattr(self, "_feed_memory", None)
        if memory is None:
            memory = self._feed_memory = FeedCache()
        return memory

    def save_ics(self, export: IcsExport, target: str | os.PathLike[str]) -> Path:
        """Write an export into a file readable by its owner only; returns where.

        ``target`` is a file, or an existing folder, in which case the file is named after
        the calendar: a name that comes from data, so it is reduced to safe characters and
        must stay inside that folder.
        """
        path = Path(target)
        if path.is_dir():
            path = safe_child(path, export.calendar_name, ".ics")
        try:
            from engagement.transfer.files import write_bytes

            write_bytes(path, export.data)
        except OSError as error:
            raise EngagementError(f"cannot write {path}: {error.strerror}") from None
        return path

    def import_ics(
        self,
        data: bytes,
        *,
        dry_run: bool = False,
        create_missing: bool = False,
        source: str = "input",
    ) -> IcsImportReport:
        """Turn invitations and calendar exports into interactions (see
        :mod:`engagement.ical_import` for the mapping). The file is read and checked first;
        a file that cannot be read at all raises
        :class:`engagement.errors.CalendarFileRejected` and changes nothing."""
        from engagement import ical_import
        from engagement.dates import default_timezone
        from engagement.services import calendar_import

        now = self.now()
        parsed = ical_import.parse(data, source=source, now=now, default_zone=default_timezone())

        def work(session: Session) -> IcsImportReport:
            report = calendar_import.apply_import(
                session,
                parsed,
                now=now,
                create_missing=create_missing,
                dry_run=dry_run,
            )
            if dry_run:
                raise _DryRun(report)
            return report

        try:
            return self.db.write(work)
        except _DryRun as done:
            return done.report


def safe_child(folder: Path, name: str, suffix: str) -> Path:
    """``folder/<name><suffix>`` with ``name`` reduced to letters, digits, '-', '_' and '.',
    refusing anything that would resolve outside ``folder``."""
    stem = _UNSAFE.sub("-", name).strip(".-_")[:100] or "engagement"
    base = folder.resolve()
    candidate = (base / (stem + suffix)).resolve()
    if candidate.parent != base:
        raise UnsafeExportPath(name, str(folder))
    return candidate
