"""Backups and restores.

SQLite: a backup is made with SQLite's online backup API, which copies a consistent snapshot
while others keep working, into a private temporary file beside the target; the copy is switched
to a self-contained journal mode, checked with ``PRAGMA integrity_check``, synced, and only then
renamed into place — so a backup file is valid or absent.

A restore copies the backup into a staged file first and validates that (integrity, a known
schema revision, engagement's tables), then writes it into the live database *through the
backup API as well*, which SQLite applies as one transaction under its own locking. Renaming a
file over a live WAL database would be unsafe: a leftover ``-wal`` file would be replayed onto
the new file, and open connections would keep writing to the old one. When data is replaced
(``--force``), the old database is first copied aside to ``<file>.before-restore-<time>.bak``.

PostgreSQL (and in-memory SQLite): the backup is the full logical JSON dump
(:mod:`engagement.transfer.dump`), no ``pg_dump`` needed, and a restore loads it in one
transaction. A SQLite backup file can be restored into PostgreSQL too: it is read from a private
temporary copy (upgraded there if it is older) and loaded as a dump.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from engagement.errors import EngagementError, TransferFileRejected
from engagement.migrate import _KNOWN_REVISIONS, SCHEMA_HEAD, ensure_schema
from engagement.schemas import BackupSummary, DumpDocument, RestoreSummary
from engagement.storage import BUSY_TIMEOUT_MS, Database
from engagement.transfer import dump, files, load

SQLITE_HEADER = b"SQLite format 3\x00"
_REQUIRED_TABLES = {"stakeholders", "interactions", "alembic_version"}


def backup(db: Database, target: Path, *, now: datetime) -> BackupSummary:
    source = db.sqlite_path()
    if source is None:
        document = db.read(lambda s: dump.build(s, confidentiality_max=None, exported_at=now))
        path = files.write_bytes(target, dump.encode(document))
        return BackupSummary(
            path=str(path), method="json-dump", schema_revision=SCHEMA_HEAD, bytes=_size(path)
        )
    with files.atomic_path(target) as temporary:
        reader = sqlite3.connect(source, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            writer = sqlite3.connect(temporary)
            try:
                reader.backup(writer)
                writer.execute("PRAGMA journal_mode = DELETE")
                revision = _check_sqlite(writer, str(target))
            finally:
                writer.close()
        finally:
            reader.close()
    path = files.check_target(target)
    return BackupSummary(
        path=str(path), method="sqlite-backup", schema_revision=revision, bytes=_size(path)
    )


def sniff(source: Path) -> str:
    """'sqlite' or 'json', from the first bytes of the file."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise EngagementError(f"{source}: no such file") from None
    except OSError as error:
        raise EngagementError(f"{source}: cannot read it ({error.strerror})") from None
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "json"
    raise TransferFileRejected(
        str(source),
        ["is neither a SQLite backup nor a JSON dump"],
        "give a file written by 'engagement backup' or 'engagement export json --all'",
    )


def restore(db: Database, source: Path, *, force: bool, now: datetime) -> RestoreSummary:
    kind = sniff(source)
    if kind == "sqlite" and db.sqlite_path() is not None:
        return _restore_sqlite_file(db, source, force=force, now=now)
    if kind == "sqlite":
        document = _dump_of_sqlite_file(source, now=now)
    else:
        document = dump.parse(source.read_bytes(), str(source))
    if document.confidentiality_max is not None:
        raise TransferFileRejected(
            str(source),
            [
                f"is an export capped at {document.confidentiality_max.value}, not a full "
                "backup: restoring it would lose the interactions it left out"
            ],
            "use 'engagement import json' to add its content, or restore a full backup",
        )
    had_data = db.read(lambda s: any(load.counts(s).values()))
    if had_data and not force:
        db.read(lambda s: load.require_empty(s, _FORCE_HINT))
    mode: load.Mode = "replace" if had_data else "empty"
    report = db.write(lambda s: load.load(s, document, mode=mode, source=str(source), now=now))
    return RestoreSummary(
        source=str(source),
        method="sqlite-backup" if kind == "sqlite" else "json-dump",
        schema_revision=document.schema_revision,
        replaced_data=had_data,
        stakeholders=report.stakeholders_added,
        interactions=report.interactions_added,
    )


_FORCE_HINT = "add --force to replace everything in it with the backup"


def _restore_sqlite_file(
    db: Database, source: Path, *, force: bool, now: datetime
) -> RestoreSummary:
    target = db.sqlite_path()
    assert target is not None
    had = db.read(load.counts)
    if any(had.values()) and not force:
        db.read(lambda s: load.require_empty(s, _FORCE_HINT))
    with _staged_copy(source, target.parent) as staged:
        checker = sqlite3.connect(staged)
        try:
            revision = _check_sqlite(checker, str(source))
            found = {
                table: checker.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("stakeholders", "interactions")
            }
        finally:
            checker.close()
        safety = None
        if any(had.values()):
            stamp = now.strftime("%Y%m%dT%H%M%S")
            safety = target.with_name(f"{target.name}.before-restore-{stamp}.bak")
            backup(db, safety, now=now)
        db.dispose()
        reader = sqlite3.connect(staged)
        try:
            writer = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                reader.backup(writer)
            except sqlite3.Error as error:
                raise EngagementError(
                    f"cannot restore into {target}: {error}; the database was not changed"
                ) from None
            finally:
                writer.close()
        finally:
            reader.close()
    db.dispose()
    ensure_schema(db)
    return RestoreSummary(
        source=str(source),
        method="sqlite-backup",
        schema_revision=revision,
        replaced_data=any(had.values()),
        safety_copy=None if safety is None else str(safety),
        stakeholders=found["stakeholders"],
        interactions=found["interactions"],
    )


def _dump_of_sqlite_file(source: Path, *, now: datetime) -> DumpDocument:
    """Read a SQLite backup as a dump, from a throwaway copy (brought to the current schema
    there if it is older), so the backup file itself is never touched."""
    with (
        tempfile.TemporaryDirectory(prefix="engagement-restore-") as folder,
        _staged_copy(source, Path(folder)) as staged,
    ):
        checker = sqlite3.connect(staged)
        try:
            _check_sqlite(checker, str(source))
        finally:
            checker.close()
        reader = Database(f"sqlite:///{staged}")
        try:
            ensure_schema(reader)
            data = reader.read(lambda s: dump.build(s, confidentiality_max=None, exported_at=now))
        finally:
            reader.dispose()
    return dump.parse(dump.encode(data), str(source))


@contextmanager
def _staged_copy(source: Path, folder: Path) -> Iterator[Path]:
    """A private temporary copy of a SQLite file in ``folder``, removed afterwards; the source
    is opened read-only, so a backup file is never changed by restoring it."""
    descriptor, name = tempfile.mkstemp(prefix=".engagement-restore-", suffix=".db", dir=folder)
    os.close(descriptor)
    path = Path(name)
    try:
        try:
            reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                writer = sqlite3.connect(path)
                try:
                    reader.backup(writer)
                    writer.execute("PRAGMA journal_mode = DELETE")
                finally:
                    writer.close()
            finally:
                reader.close()
        except sqlite3.Error as error:
            raise TransferFileRejected(
                str(source), [f"cannot be read as a SQLite database ({error})"]
            ) from None
        yield path
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _check_sqlite(connection: sqlite3.Connection, source: str) -> str:
    """The schema revision of a SQLite copy that passed every check, or a clear refusal."""
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError as error:
        raise TransferFileRejected(source, [f"is damaged ({error})"]) from None
    if result != ["ok"]:
        raise TransferFileRejected(source, [f"fails SQLite's integrity check: {result[0]}"])
    if not tables.issuperset(_REQUIRED_TABLES):
        raise TransferFileRejected(source, ["is a SQLite file but not an engagement database"])
    revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or revision[0] not in _KNOWN_REVISIONS:
        shown = None if revision is None else revision[0]
        raise TransferFileRejected(
            source,
            [f"is at schema revision {shown!r}, which this engagement does not know"],
            "upgrade engagement to restore it",
        )
    return str(revision[0])


def _size(path: Path) -> int:
    return path.stat().st_size


__all__ = ["backup", "restore", "sniff"]
