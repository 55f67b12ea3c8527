"""``engagement audit`` and ``engagement clearance``: who changed what, and who may see what."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option, parse_day
from engagement.vocab import Confidentiality

if TYPE_CHECKING:
    from engagement.schemas.audit import AuditEntryRead

DEFAULT_LIMIT = 100
# Columns that change with every edit and say nothing by themselves.
_QUIET_COLUMNS = frozenset({"updated_at", "version"})
_LABEL_COLUMNS = ("name", "title", "alias", "tag", "text", "role_name")
_SHOWN_LENGTH = 60


@click.command()
@click.option("--stakeholder", metavar="NAME", help="Only changes concerning this stakeholder.")
@click.option("--since", metavar="DATE", help="Only changes from this day on.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="At most this many, newest first.",
)
@json_option
@pass_app
def audit(
    app: AppContext, stakeholder: str | None, since: str | None, limit: int, as_json: bool
) -> None:
    """The audit log: every change, who made it and when, with the values before and after."""
    from engagement.cli import render

    entries = app.tracker().audit_log(
        stakeholder=stakeholder, since=parse_day(since, field="since"), limit=limit
    )
    if as_json:
        render.print_json(entries)
        return
    _print_entries(entries)


def _print_entries(entries: Sequence[AuditEntryRead]) -> None:
    """One line per change (greppable), newest first; times in UTC."""
    if not entries:
        click.echo("No recorded changes.")
        return
    for entry in entries:
        record = f"{entry.table} {entry.row_id or ''}".strip()
        click.echo(
            f"{entry.at.strftime('%Y-%m-%d %H:%M:%S')}  {entry.actor}  {entry.action:<6}  "
            f"{record}  {describe(entry)}"
        )


def describe(entry: AuditEntryRead) -> str:
    """One line: the changed values of an update, what was added or removed otherwise."""
    if entry.action == "update" and entry.before is not None and entry.after is not None:
        parts = [
            f"{column}: {_shown(entry.before.get(column))} → {_shown(entry.after.get(column))}"
            for column in entry.changed
            if column not in _QUIET_COLUMNS
        ]
        return "; ".join(parts)
    row = entry.after if entry.after is not None else entry.before
    return _label(row or {})


def _label(row: dict[str, Any]) -> str:
    if "stakeholder_id" in row and "role" in row:
        return f"stakeholder #{row['stakeholder_id']} as {row['role']}"
    for column in _LABEL_COLUMNS:
        if row.get(column) not in (None, ""):
            return _shown(row[column])
    return ", ".join(f"{key}={_shown(value)}" for key, value in row.items())


def _shown(value: object) -> str:
    if value is None:
        return "—"
    shown = repr(value) if isinstance(value, str) else str(value)
    return shown if len(shown) <= _SHOWN_LENGTH else shown[: _SHOWN_LENGTH - 1] + "…"


@click.group()
def clearance() -> None:
    """Who may see which confidentiality level (PostgreSQL roles; enforced by the database)."""


@clearance.command("set")
@click.argument("role")
@click.argument("level", type=enum_choice(Confidentiality), metavar="LEVEL")
@pass_app
def clearance_set(app: AppContext, role: str, level: str) -> None:
    """Let database ROLE see interactions up to LEVEL (and use engagement's tables)."""
    result = app.tracker().set_clearance(role, level)
    click.echo(f"{result.role} may now see up to {result.level.value}.")


@clearance.command("list")
@json_option
@pass_app
def clearance_list(app: AppContext, as_json: bool) -> None:
    """The roles with a clearance; any other role sees public interactions only."""
    from engagement.cli import render

    items = app.tracker().clearances()
    if as_json:
        render.print_json(items)
        return
    if not items:
        click.echo("No role has a clearance: other roles see public interactions only.")
        return
    grid = render.table(None, ["Role", "Clearance"])
    for item in items:
        grid.add_row(render.text(item.role), render.text(item.level.value))
    render.console().print(grid)


@clearance.command("remove")
@click.argument("role")
@pass_app
def clearance_remove(app: AppContext, role: str) -> None:
    """Take ROLE's clearance and the privileges 'clearance set' gave it."""
    app.tracker().remove_clearance(role)
    click.echo(f"{role} no longer has a clearance or access to engagement's tables.")


def register(group: click.Group) -> None:
    group.add_command(audit)
    group.add_command(clearance)
