"""Use cases that move data in and out whole: backups, JSON/CSV exports and imports, merges."""

from __future__ import annotations

from engagement.api.base import UseCases


class TransferUseCases(UseCases):
    """Filled in by the data-safety work (issue 7)."""
