"""``engagement post …``: posts that outlive their holders (docs/posts.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import json_option

if TYPE_CHECKING:
    from engagement.schemas import PostShow


@click.group()
def post() -> None:
    """Posts: positions at an organisation that outlive the people holding them."""


@post.command("add")
@click.argument("title")
@click.option("--org", required=True, metavar="ORG", help="The organisation the post is at.")
@click.option("--alias", "aliases", multiple=True, metavar="A", help="Another name (repeatable).")
@click.option("--notes", default="", help="Free-text notes.")
@json_option
@pass_app
def add(
    app: AppContext, title: str, org: str, aliases: tuple[str, ...], notes: str, as_json: bool
) -> None:
    """Add a post TITLE at ORG; prints its id (or the post with --json)."""
    from engagement.cli import render

    created = app.tracker().add_post(title, org=org, aliases=aliases, notes=notes)
    if as_json:
        render.print_json(created)
    else:
        click.echo(created.id)


@post.command("assign")
@click.argument("post_name", metavar="POST")
@click.argument("person")
@click.option("--from", "start", required=True, metavar="DATE", help="Took office (day or month).")
@click.option("--to", "end", metavar="DATE", help="Left office (day or month); omit if still.")
@json_option
@pass_app
def assign(
    app: AppContext, post_name: str, person: str, start: str, end: str | None, as_json: bool
) -> None:
    """PERSON held POST from --from (to --to). The same person and --from again sets the end.
    A post has one holder at a time: an overlapping tenure is refused."""
    from engagement.cli import render

    tenure = app.tracker().assign_post(post_name, person, start=start, end=end)
    if as_json:
        render.print_json(tenure)
    else:
        click.echo(f"{tenure.person} holds {tenure.post}: {tenure.period}")


@post.command("show")
@click.argument("post_name", metavar="POST")
@json_option
@pass_app
def show(app: AppContext, post_name: str, as_json: bool) -> None:
    """Show a post: its holders over time and the interactions with the post under each."""
    from engagement.cli import render

    data = app.tracker().show_post(post_name)
    if as_json:
        render.print_json(data)
    else:
        _print(data)


def _print(data: PostShow) -> None:
    from rich.text import Text

    from engagement.cli.render import console, table, text

    out = console()
    out.print(text(data.name, "bold underline"))
    for label, value in (
        ("Organisation", data.organisation or "—"),
        ("Aliases", ", ".join(data.aliases) or "—"),
        ("Held by", data.current_holder or "vacant (no current holder recorded)"),
    ):
        line = Text()
        line.append(f"{label:>13}  ", style="dim")
        line.append(value)
        out.print(line)
    if not data.terms:
        out.print(text("No holders and no interactions recorded.", "dim"))
    for term in data.terms:
        title = (
            "No holder recorded on these dates"
            if term.tenure is None
            else f"{term.tenure.person} ({term.tenure.period})"
        )
        if not term.interactions:
            out.print(text(f"\n{title}: no interactions", "dim"))
            continue
        grid = table(title, ["When", "Kind", "Title", "Confidentiality", "Id"])
        for item in term.interactions:
            grid.add_row(
                text(item.when),
                text(item.kind.value),
                text(item.title),
                text(item.confidentiality.value.replace("_", " ")),
                text(item.id, "dim"),
            )
        out.print(grid)


def register(main: click.Group) -> None:
    main.add_command(post)
