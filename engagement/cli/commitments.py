"""``engagement commitment …`` and ``engagement commitments``: the commitments ledger."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option
from engagement.vocab import CommitmentStatus, Confidentiality, OwedBy

if TYPE_CHECKING:
    from engagement.schemas import CommitmentRead


@click.group()
def commitment() -> None:
    """Record a commitment and move it along (start, done, drop)."""


@commitment.command("add")
@click.argument("text")
@click.option(
    "--stakeholder",
    "stakeholders",
    multiple=True,
    metavar="NAME",
    help="Who it concerns (repeatable; default: the stakeholders of --from-interaction).",
)
@click.option(
    "--owed-by",
    type=enum_choice(OwedBy),
    required=True,
    help="us = we owe them; them = they owe us.",
)
@click.option("--owner", default="", metavar="STAFF", help="Who on our side sees to it.")
@click.option("--due", metavar="DATE", help="'2025-07-15', '15 July 2025', 'next friday'.")
@click.option(
    "--from-interaction", "interaction_id", type=int, metavar="ID", help="Where it was made."
)
@click.option(
    "--confidentiality",
    type=enum_choice(Confidentiality),
    help="Default: the interaction's, else internal.",
)
@json_option
@pass_app
def add(
    app: AppContext,
    text: str,
    stakeholders: tuple[str, ...],
    owed_by: str,
    owner: str,
    due: str | None,
    interaction_id: int | None,
    confidentiality: str | None,
    as_json: bool,
) -> None:
    """Record a commitment; prints its id."""
    from engagement.cli import render

    created = app.tracker().add_commitment(
        text,
        owed_by=owed_by,
        stakeholders=list(stakeholders),
        owner=owner,
        due=due,
        interaction_id=interaction_id,
        confidentiality=confidentiality,
    )
    if as_json:
        render.print_json(created)
    else:
        click.echo(created.id)
        click.echo(f"Recorded: {_line(created)}", err=True)


def _status_command(name: str, status: CommitmentStatus, help_text: str) -> click.Command:
    @click.argument("commitment_id", metavar="ID", type=int)
    @pass_app
    def command(app: AppContext, commitment_id: int) -> None:
        item = app.tracker().set_commitment_status(commitment_id, status)
        click.echo(f"Commitment {item.id} {item.status.value.replace('_', ' ')}: {item.text}")

    command.__doc__ = help_text
    return commitment.command(name)(command)


_status_command("done", CommitmentStatus.DONE, "Mark commitment ID as kept (done).")
_status_command("start", CommitmentStatus.IN_PROGRESS, "Mark commitment ID as in progress.")
_status_command("drop", CommitmentStatus.DROPPED, "Mark commitment ID as dropped (not kept).")
_status_command("reopen", CommitmentStatus.OPEN, "Mark commitment ID as open again.")


@commitment.command("show")
@click.argument("commitment_id", metavar="ID", type=int)
@json_option
@pass_app
def show(app: AppContext, commitment_id: int, as_json: bool) -> None:
    """Show one commitment."""
    from engagement.cli import render

    item = app.tracker().get_commitment(commitment_id)
    if as_json:
        render.print_json(item)
    else:
        table([item], title=None)


@commitment.command("edit")
@click.argument("commitment_id", metavar="ID", type=int)
@click.option("--text")
@click.option("--owed-by", type=enum_choice(OwedBy))
@click.option("--owner", metavar="STAFF")
@click.option("--due", metavar="DATE", help="New due date; '' removes it.")
@click.option("--status", type=enum_choice(CommitmentStatus))
@click.option("--confidentiality", type=enum_choice(Confidentiality))
@pass_app
def edit(
    app: AppContext,
    commitment_id: int,
    text: str | None,
    owed_by: str | None,
    owner: str | None,
    due: str | None,
    status: str | None,
    confidentiality: str | None,
) -> None:
    """Change a commitment's fields."""
    changes = {
        key: value
        for key, value in (
            ("text", text),
            ("owed_by", owed_by),
            ("owner", owner),
            ("due", due),
            ("status", status),
            ("confidentiality", confidentiality),
        )
        if value is not None
    }
    if not changes:
        raise click.UsageError("nothing to change; give at least one option")
    item = app.tracker().update_commitment(commitment_id, **changes)
    click.echo(f"Updated commitment {item.id}: {_line(item)}")


@click.command("commitments")
@click.option("--owed-by", type=enum_choice(OwedBy), help="us = we owe them; them = they owe us.")
@click.option("--overdue", is_flag=True, help="Only those past their due date.")
@click.option("--stakeholder", metavar="NAME", help="Only those concerning this stakeholder.")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=enum_choice(CommitmentStatus),
    help="Only these statuses (repeatable; default: open and in_progress).",
)
@click.option("--all", "everything", is_flag=True, help="Include kept and dropped ones.")
@click.option(
    "--confidentiality-max",
    type=enum_choice(Confidentiality),
    help="Leave out anything more confidential than this level.",
)
@json_option
@pass_app
def commitments(
    app: AppContext,
    owed_by: str | None,
    overdue: bool,
    stakeholder: str | None,
    statuses: tuple[str, ...],
    everything: bool,
    confidentiality_max: str | None,
    as_json: bool,
) -> None:
    """The commitments ledger: what we owe and what is owed to us, overdue first."""
    from engagement.cli import render

    wanted: list[str] | None = list(statuses) or None
    if everything:
        wanted = [status.value for status in CommitmentStatus]
    items = app.tracker().commitments(
        owed_by=owed_by,
        overdue=overdue,
        stakeholder=stakeholder,
        statuses=wanted,
        confidentiality_max=confidentiality_max,
    )
    if as_json:
        render.print_json(items)
    else:
        table(items, title="Commitments")


def _line(item: CommitmentRead) -> str:
    due = f", due {item.due.isoformat()}" if item.due else ""
    return f"{item.direction} {', '.join(item.stakeholders)}: {item.text}{due}"


def table(items: Sequence[CommitmentRead], *, title: str | None) -> None:
    """Commitments as a table; overdue due dates in red."""
    from engagement.cli import render

    out = render.console()
    if not items:
        out.print(render.text("No commitments match.", "dim"))
        return
    grid = render.table(title, ["Id", "Due", "Owed by", "With", "Commitment", "Owner", "Status"])
    for item in items:
        style = "bold red" if item.overdue else ""
        grid.add_row(
            render.text(item.id),
            render.text(item.due or "—", style),
            render.text(item.owed_by.value),
            render.text(", ".join(item.stakeholders)),
            render.text(item.text),
            render.text(item.owner),
            render.text("OVERDUE" if item.overdue else item.status.value.replace("_", " "), style),
        )
    out.print(grid)
    out.print(render.text(f"{len(items)} commitment(s)", "dim"))


def register(group: click.Group) -> None:
    group.add_command(commitment)
    group.add_command(commitments)
