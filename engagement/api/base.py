"""What every use-case mixin relies on: the open database and the clock."""

from __future__ import annotations

from datetime import date, datetime

from engagement.storage import Database


class UseCases:
    db: Database

    def now(self) -> datetime:
        raise NotImplementedError

    def today(self) -> date:
        return self.now().date()
