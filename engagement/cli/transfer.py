"""``engagement backup``/``restore``, ``export json|csv``, ``import json|csv``, merges.

Exports are capped at ``internal`` unless asked otherwise: a file that leaves the database
should not carry confidential dialogue by accident. ``--all`` (or ``engagement backup``) is the
explicit way to write everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option
from engagement.vocab import Confidentiality

if TYPE_CHECKING:
    from engagement.schemas import CsvImportReport, ExportSummary

F = TypeVar("F", bound=Callable[..., Any])
KINDS = click.Choice(["stakeholders", "interactions"], case_sensitive=False)
FILE = click.Path(dir_okay=False, path_type=str)


def _cap_options(command: F) -> F:
    command = click.option(
        "--all",
        "everything",
        is_flag=True,
        help="Every interaction whatever its confidentiality (a full dump).",
    )(command)
    return click.option(
        "--confidentiality-max",
        "cap",
        type=enum_choice(Confidentiality),
        help="Leave out interactions above this level (default: internal).",
    )(command)


def _cap(cap: str | None, everything: bool) -> str | None:
    if cap and everything:
        raise click.UsageError("give either --confidentiality-max or --all, not both")
    return None if everything else (cap or Confidentiality.INTERNAL.value)


def _exported(summary: ExportSummary) -> None:
    if summary.kind == "stakeholders":
        click.echo(f"Exported {_n(summary.stakeholders, 'stakeholder')} to {summary.path}")
        return
    what = _n(summary.interactions, "interaction")
    if summary.kind != "interactions":
        what = f"{_n(summary.stakeholders, 'stakeholder')} and {what}"
    cap = summary.confidentiality_max
    limit = "everything" if cap is None else f"up to {cap.value}"
    click.echo(f"Exported {what} to {summary.path} ({limit})")
    if summary.withheld_interactions and cap is not None:
        withheld = _n(summary.withheld_interactions, "interaction")
        click.echo(f"Left out {withheld} above {cap.value} (see --confidentiality-max, --all)")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@click.command()
@click.argument("file", type=FILE)
@pass_app
def backup(app: AppContext, file: str) -> None:
    """Write a complete backup to FILE (private, valid or absent)."""
    summary = app.tracker().backup(file)
    click.echo(
        f"Backed up to {summary.path} ({summary.method}, schema {summary.schema_revision}, "
        f"{summary.bytes:,} bytes)"
    )


@click.command()
@click.argument("file", type=FILE)
@click.option("--force", is_flag=True, help="Replace the data the database already holds.")
@pass_app
def restore(app: AppContext, file: str, force: bool) -> None:
    """Put the backup FILE back into the database."""
    summary = app.tracker().restore(file, force=force)
    click.echo(
        f"Restored {summary.source}: {summary.stakeholders} stakeholders, "
        f"{summary.interactions} interactions (schema {summary.schema_revision})"
    )
    if summary.safety_copy:
        click.echo(f"The data it replaced was saved to {summary.safety_copy}")


@click.command("json")
@click.argument("file", type=FILE)
@_cap_options
@pass_app
def export_json(app: AppContext, file: str, cap: str | None, everything: bool) -> None:
    """Write a logical JSON dump of every stakeholder and interaction to FILE."""
    _exported(app.tracker().export_json(file, confidentiality_max=_cap(cap, everything)))


@click.command("csv")
@click.argument("file", type=FILE)
@click.option("--kind", required=True, type=KINDS, help="What to export.")
@_cap_options
@pass_app
def export_csv(app: AppContext, file: str, kind: str, cap: str | None, everything: bool) -> None:
    """Write stakeholders or interactions to FILE as CSV, safe to open in a spreadsheet."""
    summary = app.tracker().export_csv(
        file,
        kind="stakeholders" if kind.lower() == "stakeholders" else "interactions",
        confidentiality_max=_cap(cap, everything),
    )
    _exported(summary)


@click.command("json")
@click.argument("file", type=FILE)
@click.option("--merge", is_flag=True, help="Add what is missing to a database with data.")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; write nothing.")
@pass_app
def import_json(app: AppContext, file: str, merge: bool, dry_run: bool) -> None:
    """Load a JSON dump from FILE, all of it or nothing."""
    report = app.tracker().import_json(file, merge=merge, dry_run=dry_run)
    verb = "Would import" if dry_run else "Imported"
    click.echo(
        f"{verb}: {report.stakeholders_added} stakeholders, {report.affiliations_added} "
        f"affiliations, {report.interactions_added} interactions, {report.follow_ups_added} "
        f"follow-ups"
    )
    existing = report.stakeholders_existing + report.interactions_existing
    if existing or report.affiliations_existing:
        click.echo(
            f"Already there, left unchanged: {report.stakeholders_existing} stakeholders, "
            f"{report.affiliations_existing} affiliations, {report.interactions_existing} "
            "interactions"
        )
    if report.merges_skipped:
        click.echo(f"{report.merges_skipped} merge records were not imported (--merge)")
    if dry_run:
        click.echo("Dry run: nothing was written.")


@click.command("csv")
@click.argument("file", type=FILE)
@click.option("--kind", required=True, type=KINDS, help="What the rows are.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read COLUMN as FIELD (repeatable); COLUMN= ignores a column.",
)
@click.option(
    "--list-separator",
    default="\n",
    metavar="SEP",
    help="What separates items in list cells (default: a line break).",
)
@click.option("--dry-run", is_flag=True, help="Report row by row; write nothing.")
@json_option
@pass_app
def import_csv(
    app: AppContext,
    file: str,
    kind: str,
    mappings: tuple[str, ...],
    list_separator: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Import stakeholders or interactions from the CSV FILE, all rows or none."""
    from engagement.errors import ImportRowsRejected, InvalidInput

    mapping: dict[str, str] = {}
    for item in mappings:
        if "=" not in item:
            raise InvalidInput([f"--map: {item!r} must be COLUMN=FIELD"])
        column, field = item.split("=", 1)
        mapping[column] = field
    try:
        report = app.tracker().import_csv(
            file,
            kind="stakeholders" if kind.lower() == "stakeholders" else "interactions",
            mapping=mapping,
            dry_run=dry_run,
            list_separator=list_separator or "\n",
        )
    except ImportRowsRejected as error:
        if not as_json:
            _rows(error.report)  # type: ignore[arg-type]
        raise
    if as_json:
        from engagement.cli import render

        render.print_json(report)
        return
    _rows(report)
    counts = ", ".join(
        f"{report.count(action)} {label}"
        for action, label in (("add", "added"), ("update", "updated"), ("unchanged", "unchanged"))
    )
    click.echo(f"Dry run: {counts}; nothing was written." if dry_run else f"Imported: {counts}.")


def _rows(report: CsvImportReport) -> None:
    if report.ignored_columns:
        click.echo(f"Ignored columns: {', '.join(repr(c) for c in report.ignored_columns)}")
    for row in report.rows:
        line = f"row {row.row}: {row.action} {row.label!r}"
        if row.changes:
            line += f" ({', '.join(row.changes)})"
        if row.problem:
            line += f": {row.problem}"
        click.echo(line)


@click.command("merge")
@click.argument("keep")
@click.argument("drop")
@click.option("--keep-version", type=int, help="Refuse if KEEP changed since this version.")
@click.option("--drop-version", type=int, help="Refuse if DROP changed since this version.")
@json_option
@pass_app
def merge(
    app: AppContext,
    keep: str,
    drop: str,
    keep_version: int | None,
    drop_version: int | None,
    as_json: bool,
) -> None:
    """Merge the duplicate DROP into KEEP (undo with 'stakeholder unmerge')."""
    done = app.tracker().merge_stakeholders(
        keep, drop, keep_version=keep_version, drop_version=drop_version
    )
    if as_json:
        from engagement.cli import render

        render.print_json(done)
        return
    click.echo(
        f"Merged {done.dropped_name!r} into {done.keep_name!r} (merge {done.id}): "
        f"{done.interactions_moved} interactions, {done.affiliations_moved} affiliations, "
        f"{done.children_moved} branches moved; new aliases: "
        f"{', '.join(repr(a) for a in done.aliases_added) or 'none'}"
    )


@click.command("unmerge")
@click.argument("name", required=False, default="")
@click.option("--id", "merge_id", type=int, help="The merge to undo, by its number.")
@json_option
@pass_app
def unmerge(app: AppContext, name: str, merge_id: int | None, as_json: bool) -> None:
    """Undo the latest merge of the stakeholder once called NAME."""
    if not name and merge_id is None:
        raise click.UsageError("give the merged stakeholder's former NAME or --id")
    done = app.tracker().unmerge_stakeholder(name, merge_id=merge_id)
    if as_json:
        from engagement.cli import render

        render.print_json(done)
        return
    click.echo(
        f"Restored {done.dropped_name!r} (id {done.restored_id}) from {done.keep_name!r}, "
        f"undoing merge {done.id}"
    )


def register(main: click.Group, export: click.Group, import_: click.Group) -> None:
    main.add_command(backup)
    main.add_command(restore)
    export.add_command(export_json)
    export.add_command(export_csv)
    import_.add_command(import_json)
    import_.add_command(import_csv)
    stakeholder = main.commands["stakeholder"]
    assert isinstance(stakeholder, click.Group)
    stakeholder.add_command(merge)
    stakeholder.add_command(unmerge)
