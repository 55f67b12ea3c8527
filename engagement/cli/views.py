"""``engagement history`` and ``engagement upcoming``."""

from __future__ import annotations

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import json_option, parse_day
from engagement.cli.search import format_option, sidelines_option


@click.command()
@click.argument("name")
@click.option("--from", "start", metavar="DATE", help="Only from this day (or month) on.")
@click.option("--to", "end", metavar="DATE", help="Only up to this day (or month).")
@click.option(
    "--include-related", is_flag=True, help="Add its branches and the people affiliated with it."
)
@click.option("--limit", type=click.IntRange(min=1), help="At most this many, newest first.")
@format_option
@sidelines_option
@json_option
@pass_app
def history(
    app: AppContext,
    name: str,
    start: str | None,
    end: str | None,
    include_related: bool,
    limit: int | None,
    meeting_format: str | None,
    sidelines_of: str | None,
    as_json: bool,
) -> None:
    """Our history with a stakeholder, newest first, grouped by month."""
    from engagement.cli import render

    items = app.tracker().history(
        name,
        start=parse_day(start, field="from"),
        end=parse_day(end, field="to", end=True),
        include_related=include_related,
        limit=limit,
        meeting_format=meeting_format,
        sidelines_of=sidelines_of,
    )
    if as_json:
        render.print_json(items)
    else:
        render.history(name, items)


@click.command()
@click.option("--days", type=click.IntRange(min=0, max=3660), default=14, show_default=True)
@json_option
@pass_app
def upcoming(app: AppContext, days: int, as_json: bool) -> None:
    """Interactions and follow-ups due in the next days (overdue follow-ups included)."""
    from engagement.cli import render

    data = app.tracker().upcoming(days)
    if as_json:
        import json

        entries = []
        for entry in data.interactions:
            record = entry.interaction.model_dump(mode="json")
            record["occurrence"] = entry.occurrence
            entries.append(record)
        for item in data.follow_ups:
            record = item.model_dump(mode="json")
            record["type"] = "follow_up"
            entries.append(record)
        click.echo(json.dumps(entries, ensure_ascii=False, indent=2))
    else:
        render.upcoming(data, days)


def register(group: click.Group) -> None:
    group.add_command(history)
    group.add_command(upcoming)
