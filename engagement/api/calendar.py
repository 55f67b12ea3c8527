"""Use cases for calendars: iCalendar export and import, and the live feed."""

from __future__ import annotations

from engagement.api.base import UseCases


class CalendarUseCases(UseCases):
    """Filled in by the calendar work (issue 4)."""
