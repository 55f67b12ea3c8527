"""``engagement stakeholder …`` and ``engagement affiliation …``."""

from __future__ import annotations

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option
from engagement.vocab import StakeholderKind


@click.group()
def stakeholder() -> None:
    """Organisations and people we engage with."""


@stakeholder.command("add")
@click.argument("name")
@click.option("--kind", required=True, type=enum_choice(StakeholderKind), help="What it is.")
@click.option("--country", metavar="CC", help="ISO 3166 country code, e.g. RU, BY, CH.")
@click.option("--parent", metavar="NAME", help="The organisation it belongs to.")
@click.option("--alias", "aliases", multiple=True, metavar="A", help="Another name (repeatable).")
@click.option("--tag", "tags", multiple=True, metavar="T", help="A tag (repeatable).")
@click.option("--notes", default="", help="Free-text notes.")
@click.option("--email", help="E-mail address (matches calendar invitations).")
@click.option("--influence", type=click.IntRange(1, 5), help="Influence, 1 (low) to 5 (high).")
@click.option("--interest", type=click.IntRange(1, 5), help="Interest, 1 (low) to 5 (high).")
@json_option
@pass_app
def add(
    app: AppContext,
    name: str,
    kind: str,
    country: str | None,
    parent: str | None,
    aliases: tuple[str, ...],
    tags: tuple[str, ...],
    notes: str,
    email: str | None,
    influence: int | None,
    interest: int | None,
    as_json: bool,
) -> None:
    """Add a stakeholder; prints its id (or the whole record with --json)."""
    from engagement.cli import render

    created = app.tracker().add_stakeholder(
        name,
        kind=kind,
        country=country,
        parent=parent,
        aliases=aliases,
        tags=tags,
        notes=notes,
        email=email,
        influence=influence,
        interest=interest,
    )
    if as_json:
        render.print_json(created)
    else:
        click.echo(created.id)


@stakeholder.command("show")
@click.argument("name")
@click.option("--from", "start", metavar="DATE", help="Say whether first engaged from then…")
@click.option("--to", "end", metavar="DATE", help="…until then.")
@json_option
@pass_app
def show(app: AppContext, name: str, start: str | None, end: str | None, as_json: bool) -> None:
    """Show a stakeholder's profile."""
    from engagement.cli import render
    from engagement.cli.options import parse_day

    profile = app.tracker().stakeholder_profile(
        name, start=parse_day(start, field="from"), end=parse_day(end, field="to", end=True)
    )
    if as_json:
        render.print_json(profile)
    else:
        render.profile(profile)
        owed = app.tracker().commitments(stakeholder=f"#{profile.id}")
        if owed:
            from engagement.cli.commitments import table

            table(owed, title="Open commitments")


@stakeholder.command("list")
@click.option("--kind", type=enum_choice(StakeholderKind))
@click.option("--country", metavar="CC")
@click.option("--tag", metavar="T")
@click.option("--parent", metavar="NAME", help="Only the branches of this organisation.")
@click.option("--archived", "include_archived", is_flag=True, help="Include archived ones.")
@json_option
@pass_app
def list_(
    app: AppContext,
    kind: str | None,
    country: str | None,
    tag: str | None,
    parent: str | None,
    include_archived: bool,
    as_json: bool,
) -> None:
    """List stakeholders, alphabetically."""
    from engagement.cli import render

    items = app.tracker().list_stakeholders(
        kind=kind, country=country, tag=tag, parent=parent, include_archived=include_archived
    )
    if as_json:
        render.print_json(items)
    else:
        render.stakeholders_table(items)


@stakeholder.command("alias")
@click.argument("name")
@click.argument("alias")
@pass_app
def alias(app: AppContext, name: str, alias: str) -> None:
    """Add ALIAS as another name of NAME."""
    updated = app.tracker().add_alias(name, alias)
    click.echo(f"{updated.name}: aliases {', '.join(updated.aliases)}")


@stakeholder.command("edit")
@click.argument("name")
@click.option("--name", "new_name", help="A new canonical name (the old one becomes an alias).")
@click.option("--kind", type=enum_choice(StakeholderKind))
@click.option("--country", metavar="CC", help="Country code; '' to clear.")
@click.option("--parent", metavar="NAME", help="Parent organisation; '' to clear.")
@click.option("--notes")
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--email", help="E-mail address; '' to clear.")
@click.option("--influence", type=click.IntRange(0, 5), help="1–5; 0 to clear.")
@click.option("--interest", type=click.IntRange(0, 5), help="1–5; 0 to clear.")
@click.option("--expected-version", type=int, help="Refuse the edit if it changed since.")
@json_option
@pass_app
def edit(
    app: AppContext,
    name: str,
    new_name: str | None,
    kind: str | None,
    country: str | None,
    parent: str | None,
    notes: str | None,
    tags: tuple[str, ...],
    email: str | None,
    influence: int | None,
    interest: int | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change a stakeholder's fields."""
    from engagement.cli import render

    changes: dict[str, object] = {}
    for key, value in (("name", new_name), ("kind", kind), ("notes", notes)):
        if value is not None:
            changes[key] = value
    if country is not None:
        changes["country"] = country or None
    if parent is not None:
        changes["parent"] = parent or None
    if tags:
        changes["tags"] = list(tags)
    if email is not None:
        changes["email"] = email or None
    for key, score in (("influence", influence), ("interest", interest)):
        if score is not None:
            changes[key] = score or None
    if expected_version is not None:
        changes["expected_version"] = expected_version
    if not changes.keys() - {"expected_version"}:
        raise click.UsageError("nothing to change; give at least one option")
    updated = app.tracker().update_stakeholder(name, **changes)
    if as_json:
        render.print_json(updated)
    else:
        click.echo(f"Updated {updated.name} (version {updated.version})")


@stakeholder.command("archive")
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring it back from the archive.")
@pass_app
def archive(app: AppContext, name: str, undo: bool) -> None:
    """Archive a stakeholder: hidden from lists, history kept."""
    updated = app.tracker().archive_stakeholder(name, archived=not undo)
    click.echo(f"{'Restored' if undo else 'Archived'} {updated.name}")


@click.group()
def affiliation() -> None:
    """People's positions at organisations."""


@affiliation.command("add")
@click.argument("person")
@click.argument("org")
@click.option("--title", required=True, help="The position, e.g. 'High Commissioner'.")
@click.option("--from", "start", metavar="DATE", help="When the position started.")
@click.option("--to", "end", metavar="DATE", help="When it ended.")
@json_option
@pass_app
def affiliation_add(
    app: AppContext,
    person: str,
    org: str,
    title: str,
    start: str | None,
    end: str | None,
    as_json: bool,
) -> None:
    """Record that PERSON holds a position at ORG."""
    from engagement.cli import render

    created = app.tracker().add_affiliation(person, org, title=title, start=start, end=end)
    if as_json:
        render.print_json(created)
    else:
        click.echo(created.id)


def register(group: click.Group) -> None:
    group.add_command(stakeholder)
    group.add_command(affiliation)
