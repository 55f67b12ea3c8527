"""Use cases that move data in and out whole: backups, JSON/CSV exports and imports, merges.

Exports apply a confidentiality cap (``confidentiality_max``, ``internal`` by default): data that
leaves the database as a file leaves only up to the level asked for. ``None`` means everything —
the full logical dump that a backup is — and has to be asked for explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from engagement.api.base import UseCases
from engagement.schemas import (
    BackupSummary,
    CsvImportReport,
    DumpImportReport,
    DuplicatePair,
    ExportSummary,
    MergeRead,
    RestoreSummary,
)
from engagement.vocab import Confidentiality

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

R = TypeVar("R")
DEFAULT_CAP = Confidentiality.INTERNAL


class _DryRun(Exception):
    """Internal: rolls a dry run's unit of work back, carrying what it would have done."""

    def __init__(self, result: Any) -> None:
        self.result = result


def _cap(value: Confidentiality | str | None) -> Confidentiality | None:
    """The cap as a level; only ``None`` means no cap (an empty string is not "everything")."""
    if value is None or isinstance(value, Confidentiality):
        return value
    try:
        return Confidentiality(str(value).strip().lower())
    except ValueError:
        from engagement.errors import ValidationFailed
        from engagement.vocab import choices

        raise ValidationFailed(
            "confidentiality-max", value, f"is not one of {choices(Confidentiality)}"
        ) from None


class TransferUseCases(UseCases):
    # --- backups --------------------------------------------------------------------------

    def backup(self, path: str | Path) -> BackupSummary:
        """A private (0600) backup file, valid or absent: SQLite's backup API on SQLite, the
        full logical JSON dump on PostgreSQL."""
        from engagement.transfer import backup

        return backup.backup(self.db, Path(path), now=self.now())

    def restore(self, path: str | Path, *, force: bool = False) -> RestoreSummary:
        """Put a backup back; refused if the database holds data, unless ``force``."""
        from engagement.transfer import backup

        return backup.restore(self.db, Path(path), force=force, now=self.now())

    # --- JSON ----------------------------------------------------------------------------

    def dump_json(
        self, *, confidentiality_max: Confidentiality | str | None = DEFAULT_CAP
    ) -> bytes:
        """The logical dump as bytes (``confidentiality_max=None``: everything)."""
        from engagement.transfer import dump

        cap, now = _cap(confidentiality_max), self.now()
        data = self.db.read(lambda s: dump.build(s, confidentiality_max=cap, exported_at=now))
        return dump.encode(data)

    def export_json(
        self, path: str | Path, *, confidentiality_max: Confidentiality | str | None = DEFAULT_CAP
    ) -> ExportSummary:
        from engagement.transfer import dump, files

        cap, now = _cap(confidentiality_max), self.now()
        data = self.db.read(lambda s: dump.build(s, confidentiality_max=cap, exported_at=now))
        written = files.write_bytes(Path(path), dump.encode(data))
        return ExportSummary(
            path=str(written),
            format="json",
            kind="all",
            confidentiality_max=cap,
            stakeholders=len(data["stakeholders"]),
            interactions=len(data["interactions"]),
            withheld_interactions=data["withheld_interactions"],
        )

    def import_json(
        self, path: str | Path, *, merge: bool = False, dry_run: bool = False
    ) -> DumpImportReport:
        """Load a dump in one transaction. Into an empty database everything is recreated with
        its ids; with ``merge``, what is missing is added and nothing existing is changed."""
        from engagement.transfer import dump, load

        source = Path(path)
        document = dump.parse(_read(source), str(source))
        now = self.now()

        def work(session: Session) -> DumpImportReport:
            mode: load.Mode = "merge" if merge else "empty"
            report = load.load(session, document, mode=mode, source=str(source), now=now)
            if dry_run:
                report.dry_run = True
                raise _DryRun(report)
            return report

        return _run(self, work)

    # --- CSV -----------------------------------------------------------------------------

    def export_csv(
        self,
        path: str | Path,
        *,
        kind: Literal["stakeholders", "interactions"],
        confidentiality_max: Confidentiality | str | None = DEFAULT_CAP,
    ) -> ExportSummary:
        from engagement.transfer import csv_io, files

        cap, today = _cap(confidentiality_max), self.today()

        from engagement.services.exports import csv_rows

        rows, count, withheld = self.db.read(
            lambda session: csv_rows(session, kind, cap=cap, today=today)
        )
        with files.atomic_writer(Path(path), encoding="utf-8-sig") as out:
            out.write(csv_io.encode(rows))
        return ExportSummary(
            path=str(files.check_target(Path(path))),
            format="csv",
            kind=kind,
            confidentiality_max=cap,
            stakeholders=count if kind == "stakeholders" else 0,
            interactions=count if kind == "interactions" else 0,
            withheld_interactions=withheld,
        )

    def import_csv(
        self,
        path: str | Path,
        *,
        kind: Literal["stakeholders", "interactions"],
        mapping: Mapping[str, str] | None = None,
        dry_run: bool = False,
        list_separator: str = "\n",
    ) -> CsvImportReport:
        """Import rows in one transaction, reporting row by row; if any row fails, nothing is
        imported (:class:`engagement.errors.ImportRowsRejected` carries the report)."""
        from engagement.errors import TransferFileRejected
        from engagement.transfer import csv_io

        source = Path(path)
        try:
            text = _read(source).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise TransferFileRejected(str(source), ["is not UTF-8 text"]) from None
        rows, ignored = csv_io.read(
            text, kind=kind, source=str(source), mapping=dict(mapping or {})
        )
        now = self.now()

        def work(session: Session) -> CsvImportReport:
            report = CsvImportReport(
                source=str(source), kind=kind, dry_run=dry_run, ignored_columns=ignored
            )
            csv_io.apply(session, rows, report, list_separator=list_separator, now=now)
            if dry_run:
                raise _DryRun(report)
            return report

        return _run(self, work)

    # --- merges --------------------------------------------------------------------------

    def merge_stakeholders(
        self,
        keep: str,
        drop: str,
        *,
        keep_version: int | None = None,
        drop_version: int | None = None,
    ) -> MergeRead:
        """Merge DROP into KEEP: everything of DROP moves to KEEP, DROP's name becomes an
        alias, and the merge is recorded so that :meth:`unmerge_stakeholder` can undo it."""
        from engagement.services import merge

        now = self.now()
        return self.db.write(
            lambda s: merge.merge(
                s, keep, drop, now=now, keep_version=keep_version, drop_version=drop_version
            )
        )

    def unmerge_stakeholder(self, name: str = "", *, merge_id: int | None = None) -> MergeRead:
        """Undo the latest merge that dropped ``name`` (or the merge ``merge_id``)."""
        from engagement.services import merge

        now = self.now()
        return self.db.write(lambda s: merge.unmerge(s, name, merge_id=merge_id, now=now))

    def stakeholder_merges(self, *, include_undone: bool = True) -> list[MergeRead]:
        from engagement.services import merge

        return self.db.read(lambda s: merge.list_merges(s, include_undone=include_undone))

    def likely_duplicates(self, limit: int = 20) -> list[DuplicatePair]:
        """Pairs of stakeholders that look like one, best first (for offering a merge)."""
        from engagement.transfer import duplicates

        return self.db.read(lambda s: duplicates.likely_duplicates(s, limit=limit))

    def duplicates_of(self, name: str, *, limit: int = 5) -> list[DuplicatePair]:
        """Stakeholders that look like ``name``, best first (for offering a merge from its
        detail screen or after creating it)."""
        from engagement.services.resolve import resolve
        from engagement.transfer import duplicates

        def read(session: Session) -> list[DuplicatePair]:
            stakeholder_id = resolve(session, name).id
            return duplicates.duplicates_of(session, stakeholder_id, limit=limit)

        return self.db.read(read)


def _read(source: Path) -> bytes:
    from engagement.errors import EngagementError

    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise EngagementError(f"{source}: no such file") from None
    except IsADirectoryError:
        raise EngagementError(f"{source} is a folder; give a file") from None
    except OSError as error:
        raise EngagementError(f"{source}: cannot read it ({error.strerror})") from None


def _run(use_cases: UseCases, work: Callable[[Session], R]) -> R:
    try:
        return use_cases.db.write(work)
    except _DryRun as dry:
        result: R = dry.result
        return result
