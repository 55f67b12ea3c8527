"""``engagement log``, ``engagement interaction …`` and ``engagement follow-up …``."""

from __future__ import annotations

import os

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option
from engagement.vocab import (
    Attribution,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    MeetingFormat,
)

# Meeting metadata options, shared by ``log`` and ``interaction edit``.
_format_option = click.option(
    "--format",
    "meeting_format",
    type=enum_choice(MeetingFormat),
    help="How it was held: bilateral, multilateral, sidelines, visit, phone, video.",
)
_sidelines_option = click.option(
    "--sidelines-of", metavar="EVENT", help="The event it was on the sidelines of."
)
_language_option = click.option(
    "--language", "languages", multiple=True, metavar="LANG", help="A language used (repeatable)."
)
_interpreter_option = click.option(
    "--interpreter/--no-interpreter", default=None, help="Whether an interpreter was present."
)
_attribution_option = click.option(
    "--attribution",
    type=enum_choice(Attribution),
    help="How the notes may be used: on_record, chatham_house, off_record (never exported).",
)


def _default_author() -> str:
    return os.environ.get("ENGAGEMENT_USER") or os.environ.get("USER") or ""


@click.command()
@click.argument("title")
@click.option(
    "--with",
    "with_",
    multiple=True,
    required=True,
    metavar="NAME",
    help="A stakeholder met (name or alias; repeatable).",
)
@click.option(
    "--host", "hosts", multiple=True, metavar="NAME", help="A host/organiser (repeatable)."
)
@click.option(
    "--observer", "observers", multiple=True, metavar="NAME", help="An observer (repeatable)."
)
@click.option(
    "--when",
    required=True,
    metavar="WHEN",
    help="'2025-05-16', '2025-05' (a month), '16 May 2025', 'June 30 to July 8 2025', "
    "'tomorrow 15:00 Europe/Moscow'.",
)
@click.option("--until", metavar="WHEN", help="The last day or end time (inclusive).")
@click.option("--timezone", metavar="ZONE", help="IANA zone for times, e.g. Europe/Moscow.")
@click.option("--kind", type=enum_choice(InteractionKind), default="meeting", show_default=True)
@click.option(
    "--status",
    type=enum_choice(InteractionStatus),
    help="Default: planned if in the future, else held.",
)
@click.option("--location", default="", metavar="TEXT")
@click.option("--tag", "tags", multiple=True, metavar="T", help="A topic tag (repeatable).")
@click.option(
    "--confidentiality", type=enum_choice(Confidentiality), default="internal", show_default=True
)
@click.option("--notes", default="", metavar="TEXT", help="What was discussed.")
@click.option("--outcome", default="", metavar="TEXT", help="What came out of it.")
@click.option(
    "--staff", multiple=True, metavar="NAME", help="One of our people present (repeatable)."
)
@click.option(
    "--our-delegation",
    "our_delegation",
    multiple=True,
    metavar="NAME",
    help="One of our delegation (repeatable; same as --staff).",
)
@click.option(
    "--their-delegation",
    "their_delegation",
    multiple=True,
    metavar="NAME",
    help="A person of their delegation (a stakeholder; repeatable).",
)
@_format_option
@_sidelines_option
@_language_option
@_interpreter_option
@_attribution_option
@click.option(
    "--repeat", metavar="RRULE", help="Recurrence, e.g. FREQ=DAILY or FREQ=WEEKLY;BYDAY=MO."
)
@click.option(
    "--by", default=_default_author, metavar="STAFF", help="Who logs it (default: $USER)."
)
@click.option(
    "--follow-up", "follow_ups", multiple=True, metavar="TEXT", help="A next step (repeatable)."
)
@click.option(
    "--due",
    "dues",
    multiple=True,
    metavar="DATE",
    help="Due date of the follow-up given in the same position (repeatable).",
)
@json_option
@pass_app
def log(
    app: AppContext,
    title: str,
    with_: tuple[str, ...],
    hosts: tuple[str, ...],
    observers: tuple[str, ...],
    when: str,
    until: str | None,
    timezone: str | None,
    kind: str,
    status: str | None,
    location: str,
    tags: tuple[str, ...],
    confidentiality: str,
    notes: str,
    outcome: str,
    staff: tuple[str, ...],
    our_delegation: tuple[str, ...],
    their_delegation: tuple[str, ...],
    meeting_format: str | None,
    sidelines_of: str | None,
    languages: tuple[str, ...],
    interpreter: bool | None,
    attribution: str | None,
    repeat: str | None,
    by: str,
    follow_ups: tuple[str, ...],
    dues: tuple[str, ...],
    as_json: bool,
) -> None:
    """Log an interaction; prints its id (or the whole record with --json)."""
    from engagement.cli import render

    if len(dues) > len(follow_ups):
        raise click.UsageError("--due: there are more due dates than --follow-up items")
    delegates = {name.casefold() for name in their_delegation}
    stakeholders: list[dict[str, object]] = [{"name": name, "role": "host"} for name in hosts]
    stakeholders += [
        {"name": name, "role": "counterpart", "delegate": name.casefold() in delegates}
        for name in with_
    ]
    given = {name.casefold() for name in with_}
    stakeholders += [
        {"name": name, "role": "counterpart", "delegate": True}
        for name in their_delegation
        if name.casefold() not in given
    ]
    stakeholders += [{"name": name, "role": "observer"} for name in observers]
    metadata: dict[str, object] = {"languages": list(languages)}
    for key, value in (
        ("meeting_format", meeting_format),
        ("sidelines_of", sidelines_of),
        ("interpreter", interpreter),
        ("attribution", attribution),
    ):
        if value is not None:
            metadata[key] = value
    created = app.tracker().log_interaction(
        title,
        with_=stakeholders,
        when=when,
        until=until,
        timezone=timezone,
        kind=kind,
        status=status,
        location=location,
        tags=list(tags),
        confidentiality=confidentiality,
        summary=notes,
        outcome=outcome,
        staff=list(dict.fromkeys([*staff, *our_delegation])),
        recurrence=repeat,
        logged_by=by,
        **metadata,
        follow_ups=[
            {"text": text, "due": dues[index] if index < len(dues) else None}
            for index, text in enumerate(follow_ups)
        ],
    )
    if as_json:
        render.print_json(created)
    else:
        click.echo(created.id)
        click.echo(f"Logged: {created.title} — {created.when} ({created.status.value})", err=True)


@click.group()
def interaction() -> None:
    """Show, edit or cancel a logged interaction."""


@interaction.command("show")
@click.argument("interaction_id", metavar="ID", type=int)
@json_option
@pass_app
def show(app: AppContext, interaction_id: int, as_json: bool) -> None:
    """Show one interaction with its follow-ups."""
    from engagement.cli import render

    item = app.tracker().get_interaction(interaction_id)
    if as_json:
        render.print_json(item)
    else:
        render.interaction(item)


@interaction.command("edit")
@click.argument("interaction_id", metavar="ID", type=int)
@click.option("--title")
@click.option("--when", metavar="WHEN")
@click.option("--until", metavar="WHEN", help="New end; '' removes it.")
@click.option("--timezone", metavar="ZONE")
@click.option("--kind", type=enum_choice(InteractionKind))
@click.option("--status", type=enum_choice(InteractionStatus))
@click.option("--location")
@click.option("--confidentiality", type=enum_choice(Confidentiality))
@click.option("--notes")
@click.option("--outcome")
@click.option("--tag", "tags", multiple=True, help="Replace the tags (repeatable).")
@click.option("--clear-tags", is_flag=True, help="Remove every tag.")
@click.option("--staff", multiple=True, metavar="NAME", help="Replace our staff (repeatable).")
@click.option("--repeat", metavar="RRULE", help="New recurrence; '' stops it.")
@click.option("--add-stakeholder", "added", multiple=True, metavar="NAME")
@click.option("--remove-stakeholder", "removed", multiple=True, metavar="NAME")
@click.option(
    "--their-delegation",
    "their_delegation",
    multiple=True,
    metavar="NAME",
    help="Replace their delegation (stakeholders of the interaction; repeatable).",
)
@click.option(
    "--format",
    "meeting_format",
    type=click.Choice(["", *[f.value for f in MeetingFormat]], case_sensitive=False),
    help="How it was held; '' clears it.",
)
@click.option("--sidelines-of", metavar="EVENT", help="The event; '' clears it.")
@click.option(
    "--language", "languages", multiple=True, metavar="LANG", help="Replace the languages."
)
@click.option("--clear-languages", is_flag=True, help="Remove every language.")
@_interpreter_option
@_attribution_option
@click.option(
    "--expected-version", type=int, help="Refuse the edit if the record has changed since."
)
@json_option
@pass_app
def edit(
    app: AppContext,
    interaction_id: int,
    title: str | None,
    when: str | None,
    until: str | None,
    timezone: str | None,
    kind: str | None,
    status: str | None,
    location: str | None,
    confidentiality: str | None,
    notes: str | None,
    outcome: str | None,
    tags: tuple[str, ...],
    clear_tags: bool,
    staff: tuple[str, ...],
    repeat: str | None,
    added: tuple[str, ...],
    removed: tuple[str, ...],
    their_delegation: tuple[str, ...],
    meeting_format: str | None,
    sidelines_of: str | None,
    languages: tuple[str, ...],
    clear_languages: bool,
    interpreter: bool | None,
    attribution: str | None,
    expected_version: int | None,
    as_json: bool,
) -> None:
    """Change an interaction's fields."""
    from engagement.cli import render

    changes: dict[str, object] = {}
    for key, value in (
        ("title", title),
        ("when", when),
        ("until", until),
        ("timezone", timezone),
        ("kind", kind),
        ("status", status),
        ("location", location),
        ("confidentiality", confidentiality),
        ("summary", notes),
        ("outcome", outcome),
        ("recurrence", repeat),
        ("meeting_format", meeting_format),
        ("sidelines_of", sidelines_of),
        ("interpreter", interpreter),
        ("attribution", attribution),
        ("expected_version", expected_version),
    ):
        if value is not None:
            changes[key] = value
    if tags or clear_tags:
        changes["tags"] = [] if clear_tags else list(tags)
    if staff:
        changes["staff"] = list(staff)
    if added:
        changes["add_stakeholders"] = list(added)
    if removed:
        changes["remove_stakeholders"] = list(removed)
    if languages or clear_languages:
        changes["languages"] = [] if clear_languages else list(languages)
    if their_delegation:
        changes["their_delegation"] = list(their_delegation)
    if not changes.keys() - {"expected_version"}:
        raise click.UsageError("nothing to change; give at least one option")
    updated = app.tracker().update_interaction(interaction_id, **changes)
    if as_json:
        render.print_json(updated)
    else:
        click.echo(
            f"Updated interaction {updated.id}: {updated.title} — {updated.when} "
            f"(version {updated.version})"
        )


@interaction.command("cancel")
@click.argument("interaction_id", metavar="ID", type=int)
@pass_app
def cancel(app: AppContext, interaction_id: int) -> None:
    """Mark an interaction as cancelled (it stays in the history)."""
    updated = app.tracker().cancel_interaction(interaction_id)
    click.echo(f"Cancelled interaction {updated.id}: {updated.title} — {updated.when}")


@click.group("follow-up")
def follow_up() -> None:
    """Next steps agreed at an interaction."""


@follow_up.command("add")
@click.argument("interaction_id", metavar="ID", type=int)
@click.argument("text")
@click.option("--due", metavar="DATE")
@click.option("--owner", default="", metavar="STAFF")
@pass_app
def follow_up_add(
    app: AppContext, interaction_id: int, text: str, due: str | None, owner: str
) -> None:
    """Add a follow-up to interaction ID; prints its id."""
    created = app.tracker().add_follow_up(interaction_id, text, due=due, owner=owner)
    click.echo(created.id)


@follow_up.command("done")
@click.argument("follow_up_id", metavar="ID", type=int)
@click.option("--undo", is_flag=True, help="Mark it open again.")
@pass_app
def follow_up_done(app: AppContext, follow_up_id: int, undo: bool) -> None:
    """Mark follow-up ID as done."""
    item = app.tracker().complete_follow_up(follow_up_id, done=not undo)
    click.echo(f"Follow-up {item.id} {'done' if item.done else 'open'}: {item.text}")


def register(group: click.Group) -> None:
    group.add_command(log)
    group.add_command(interaction)
    group.add_command(follow_up)
