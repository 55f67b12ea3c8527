"""The library's front door: one object, one method per use case.

Scripts, notebooks, the CLI and the TUI all go through :class:`Tracker`. Each method is one short
unit of work (a transaction of its own) and returns pydantic read models, never ORM objects.

>>> from engagement import Tracker
>>> tracker = Tracker("sqlite://")
>>> tracker.add_stakeholder("Russian Red Cross", kind="national_society", country="RU",
...                         aliases=["RRC"]).name
'Russian Red Cross'
>>> meeting = tracker.log_interaction(
...     "Emergency stocks for four branches", with_=["RRC"], when="June 2025", kind="operation")
>>> meeting.when, meeting.precision, meeting.stakeholders
('June 2025', 'month', ['Russian Red Cross'])
>>> [item.title for item in tracker.history("russian red cross")]
['Emergency stocks for four branches']
>>> tracker.close()
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, date, datetime

from engagement.api.audit import AuditUseCases
from engagement.api.briefs import BriefUseCases
from engagement.api.calendar import CalendarUseCases
from engagement.api.commitments import CommitmentUseCases
from engagement.api.datasets import DatasetUseCases
from engagement.api.interactions import InteractionUseCases
from engagement.api.posts import PostUseCases
from engagement.api.reports import ReportUseCases
from engagement.api.search import SearchUseCases
from engagement.api.stakeholders import StakeholderUseCases
from engagement.api.transfer import TransferUseCases
from engagement.errors import EngagementError
from engagement.storage import THROUGHPUT, Database, SqliteMemory, display_url, resolve_url

Clock = Callable[[], datetime]


def _system_clock() -> datetime:
    return datetime.now(UTC).astimezone()


class Tracker(
    StakeholderUseCases,
    PostUseCases,
    InteractionUseCases,
    CommitmentUseCases,
    SearchUseCases,
    CalendarUseCases,
    ReportUseCases,
    TransferUseCases,
    DatasetUseCases,
    AuditUseCases,
    BriefUseCases,
):
    """An open engagement database.

    ``db_url`` is any SQLAlchemy URL or a file path; ``None`` uses ``$ENGAGEMENT_DB`` or the
    default file in the user's data directory. The schema is created or upgraded on open
    unless ``migrate`` is false. ``clock`` returns "now" (tests pass a fixed one). ``key``
    opens an encrypted ``sqlcipher:///PATH`` database (see :mod:`engagement.encryption`).
    ``memory`` bounds SQLite's memory map and page cache (:data:`engagement.storage.INTERACTIVE`
    for a long-running interactive process).
    """

    def __init__(
        self,
        db_url: str | None = None,
        *,
        migrate: bool = True,
        clock: Clock | None = None,
        key: str | None = None,
        memory: SqliteMemory = THROUGHPUT,
    ) -> None:
        self._memory = memory
        self.db = Database(resolve_url(db_url), key=key, memory=memory)
        self.url = self.db.url
        self._clock = clock or _system_clock
        self.schema_status = "unchecked"
        if migrate:
            from engagement.migrate import ensure_schema

            try:
                self.db.quick_check()
                self.schema_status = ensure_schema(self.db)
            except BaseException:
                self.db.dispose()
                raise
            self.catch_up_on_search_documents()

    def catch_up_on_search_documents(self) -> None:
        """On PostgreSQL, rewrite the search documents a colleague's rename queued for a role
        that can see them (see :meth:`rewrite_pending_documents`): when a tracker opens, and
        whenever a long-running front end refreshes. It never stops what the caller was doing:
        whatever the role lacks, its next use case reports."""
        if self.db.is_sqlite:
            return
        with suppress(EngagementError):
            self.rewrite_pending_documents()

    def __enter__(self) -> Tracker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.dispose()

    def change_key(self, new_key: str) -> None:
        """Re-encrypt an encrypted SQLite database with ``new_key`` (``engagement rekey``)."""
        from engagement import encryption
        from engagement.errors import StorageError

        path = self.db.sqlite_path()
        if not self.db.encrypted or path is None:
            raise StorageError(
                f"{display_url(self.url)} is not an encrypted database; make an encrypted copy "
                "with 'engagement encrypt SRC DEST'"
            )
        old_key = self.db.key_for_rekey()
        with self.db.serialised():
            self.db.engine.dispose()
            encryption.rekey(path, old_key, new_key)
        encryption.remember(path, new_key)
        self.db = Database(self.url, key=new_key, memory=self._memory)

    def check_storage(self) -> list[tuple[str, str]]:
        """Diagnose the storage: a full ``quick_check`` on SQLite, the library version and
        whether it has the WAL-reset bug, the schema revision. Raises StorageError if damaged."""
        from engagement import sqlite_safety
        from engagement.migrate import current_revision

        facts = [("database", display_url(self.url)), ("engine", self.db.dialect)]
        if self.db.is_sqlite:
            self.db.quick_check(force=True)
            found = self.db.sqlite_version()
            version = ".".join(str(part) for part in found)
            facts.append(("quick_check", "ok"))
            if self.db.encrypted:
                from engagement import encryption

                facts.append(("encryption", f"SQLCipher {encryption.version()}"))
            if sqlite_safety.affected_by_wal_reset_bug(found):
                facts.append(
                    (
                        "sqlite library",
                        f"{version}: affected by the WAL-reset bug; engagement serialises "
                        "writes across its processes; for a database shared by several people, "
                        "prefer PostgreSQL",
                    )
                )
            else:
                facts.append(("sqlite library", version))
        facts.append(("schema revision", current_revision(self.db) or "none"))
        return facts

    def now(self) -> datetime:
        return self._clock()

    def today(self) -> date:
        return self._clock().date()
