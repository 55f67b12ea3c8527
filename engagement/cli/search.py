"""``engagement search``, ``engagement dormant`` and ``engagement stats``."""

from __future__ import annotations

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import enum_choice, json_option, parse_day
from engagement.vocab import Confidentiality, InteractionKind, MeetingFormat, StakeholderKind

format_option = click.option(
    "--format",
    "meeting_format",
    type=enum_choice(MeetingFormat),
    help="Only meetings held in this format.",
)
sidelines_option = click.option(
    "--sidelines-of",
    metavar="EVENT",
    help="Only meetings on the sidelines of this event (part of its name, any case).",
)


@click.command()
@click.argument("query", default="")
@click.option("--kind", type=enum_choice(InteractionKind), help="Only this kind of interaction.")
@click.option("--stakeholder", metavar="NAME", help="Only interactions with this stakeholder.")
@click.option("--tag", metavar="T", help="Only interactions with this tag.")
@click.option("--from", "start", metavar="DATE", help="Only from this day (or month) on.")
@click.option("--to", "end", metavar="DATE", help="Only up to this day (or month).")
@click.option(
    "--confidentiality-max",
    type=enum_choice(Confidentiality),
    help="Leave out anything more confidential than this level.",
)
@format_option
@sidelines_option
@click.option("--limit", type=click.IntRange(1, 500), default=50, show_default=True)
@json_option
@pass_app
def search(
    app: AppContext,
    query: str,
    kind: str | None,
    stakeholder: str | None,
    tag: str | None,
    start: str | None,
    end: str | None,
    confidentiality_max: str | None,
    meeting_format: str | None,
    sidelines_of: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Full-text search over interactions: words, "exact phrase", -excluded, OR, prefix*."""
    from engagement.cli import render

    hits = app.tracker().search(
        query,
        kind=kind,
        stakeholder=stakeholder,
        tag=tag,
        start=parse_day(start, field="from"),
        end=parse_day(end, field="to", end=True),
        confidentiality_max=confidentiality_max,
        limit=limit,
        meeting_format=meeting_format,
        sidelines_of=sidelines_of,
    )
    if as_json:
        render.print_hits_json(hits)
    else:
        render.hits(query, hits)


@click.command()
@click.option(
    "--days",
    type=click.IntRange(min=0),
    default=180,
    show_default=True,
    help="Silent for at least this many days.",
)
@click.option("--kind", type=enum_choice(StakeholderKind))
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, most silent first.")
@json_option
@pass_app
def dormant(app: AppContext, days: int, kind: str | None, limit: int | None, as_json: bool) -> None:
    """Stakeholders with no held interaction for a while, the longest silent first."""
    from engagement.cli import render

    entries = app.tracker().dormant(days, kind=kind, limit=limit)
    if as_json:
        render.print_json(entries)
    else:
        render.dormant(entries, days)


@click.command()
@click.option("--from", "start", metavar="DATE")
@click.option("--to", "end", metavar="DATE")
@click.option(
    "--by",
    type=click.Choice(["kind", "country", "month", "format"]),
    default="kind",
    show_default=True,
)
@format_option
@sidelines_option
@json_option
@pass_app
def stats(
    app: AppContext,
    start: str | None,
    end: str | None,
    by: str,
    meeting_format: str | None,
    sidelines_of: str | None,
    as_json: bool,
) -> None:
    """Interactions and distinct stakeholders per kind, country, month or meeting format."""
    from engagement.cli import render

    rows = app.tracker().stats(
        start=parse_day(start, field="from"),
        end=parse_day(end, field="to", end=True),
        by=by,
        meeting_format=meeting_format,
        sidelines_of=sidelines_of,
    )
    if as_json:
        render.print_json(rows)
    else:
        render.stats(rows, by)


def register(main: click.Group) -> None:
    main.add_command(search)
    main.add_command(dormant)
    main.add_command(stats)
