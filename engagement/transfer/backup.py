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

import codecs
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from engagement import encryption
from engagement.encryption import database_errors
from engagement.errors import EngagementError, TransferFileRejected, WrongKey
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
    # An encrypted database is backed up between two connections keyed alike, so the backup
    # is encrypted with the same key, page for page.
    with (
        files.atomic_path(target) as temporary,
        db.raw_sqlite(source, timeout=BUSY_TIMEOUT_MS / 1000) as reader,
        db.raw_sqlite(temporary) as writer,
    ):
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode = DELETE")
        revision = _check_sqlite(writer, str(target))
    path = files.check_target(target)
    return BackupSummary(
        path=str(path), method="sqlite-backup", schema_revision=revision, bytes=_size(path)
    )


def sniff(source: Path, *, encrypted: bool = False) -> str:
    """'sqlite' or 'json', from the first bytes of the file. Into an encrypted database, a file
    that is neither is taken for an encrypted backup (which looks random); its key decides."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise EngagementError(f"{source}: no such file") from None
    except OSError as error:
        raise EngagementError(f"{source}: cannot read it ({error.strerror})") from None
    if head == SQLITE_HEADER:
        return "sqlite"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") and _looks_like_text(head):
        return "json"
    if encrypted and len(head) == len(SQLITE_HEADER):
        return "sqlite"
    raise TransferFileRejected(
        str(source),
        ["is neither a SQLite backup nor a JSON dump"],
        "give a file written by 'engagement backup' or 'engagement export json --all' (an "
        "encrypted backup restores only into an encrypted database, with its key)",
    )


def _looks_like_text(head: bytes) -> bool:
    """An encrypted SQLite file starts with 16 random bytes (its salt), which begin with '{'
    one time in 256; a JSON dump's first bytes are UTF-8 text without control characters."""
    try:
        # Incremental: the 16 bytes may end inside a multi-byte character.
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return all(char.isprintable() or char in "\ufeff\t\r\n" for char in text)


def restore(db: Database, source: Path, *, force: bool, now: datetime) -> RestoreSummary:
    kind = sniff(source, encrypted=db.encrypted)
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
    with _staged_copy(source, target.parent, db) as staged:
        with db.raw_sqlite(staged) as checker:
            revision = _check_sqlite(checker, str(source))
            found = {
                table: checker.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("stakeholders", "interactions")
            }
        safety = None
        if any(had.values()):
            stamp = now.strftime("%Y%m%dT%H%M%S")
            safety = target.with_name(f"{target.name}.before-restore-{stamp}.bak")
            backup(db, safety, now=now)
        db.dispose()
        with (
            db.raw_sqlite(staged) as reader,
            db.raw_sqlite(target, timeout=BUSY_TIMEOUT_MS / 1000) as writer,
        ):
            try:
                reader.backup(writer)
            except database_errors() as error:
                raise EngagementError(
                    f"cannot restore into {target}: {error}; the database was not changed"
                ) from None
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
def _staged_copy(source: Path, folder: Path, db: Database | None = None) -> Iterator[Path]:
    """A private temporary copy of a SQLite file in ``folder``, removed afterwards; the source
    is opened read-only, so a backup file is never changed by restoring it. For an encrypted
    ``db`` the copy is encrypted with its key: an encrypted backup must open with that key
    (else :class:`WrongKey`), and a plain backup is encrypted on the way in."""
    descriptor, name = tempfile.mkstemp(prefix=".engagement-restore-", suffix=".db", dir=folder)
    os.close(descriptor)
    path = Path(name)
    try:
        try:
            if db is not None and db.encrypted and encryption.is_plain_sqlite(source):
                _encrypt_copy(db, source, path)
            else:
                with (
                    _raw(db, f"file:{source}?mode=ro", uri=True) as reader,
                    _raw(db, path) as writer,
                ):
                    reader.backup(writer)
                    writer.execute("PRAGMA journal_mode = DELETE")
        except WrongKey:
            raise WrongKey(str(source)) from None
        except database_errors() as error:
            raise TransferFileRejected(
                str(source), [f"cannot be read as a SQLite database ({error})"]
            ) from None
        yield path
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def _raw(db: Database | None, path: str | Path, **options: Any) -> AbstractContextManager[Any]:
    if db is None:
        return encryption.raw_connection(path, None, **options)
    return db.raw_sqlite(path, **options)


def _encrypt_copy(db: Database, source: Path, target: Path) -> None:
    """A plain SQLite backup copied into ``target``, encrypted with ``db``'s key."""
    with db.raw_sqlite(target, uri=True) as writer:
        encryption.copy_plain_into(writer, source)


def _check_sqlite(connection: Any, source: str) -> str:
    """The schema revision of a SQLite copy that passed every check, or a clear refusal."""
    try:
        result = [row[0] for row in connection.execute("PRAGMA integrity_check").fetchall()]
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except database_errors() as error:
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
