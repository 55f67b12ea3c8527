"""Use cases for reports: the periodic activity report and its pictures."""

from __future__ import annotations

from engagement.api.base import UseCases


class ReportUseCases(UseCases):
    """Filled in by the reports work (issue 6)."""
