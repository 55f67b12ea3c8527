"""``engagement export ics``, ``engagement import ics`` and ``engagement feed serve``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import json_option, parse_day

if TYPE_CHECKING:
    from engagement.schemas import IcsExport, IcsImportReport

F = TypeVar("F", bound=Callable[..., Any])


def register(main: click.Group, export: click.Group, import_: click.Group) -> None:
    """Attach the calendar commands to the shared ``export``/``import`` groups."""
    export.add_command(export_ics)
    import_.add_command(import_ics)
    main.add_command(feed)


def _calendar_options(command: F) -> F:
    """What goes into a calendar: shared by the file export and the feed."""
    options = [
        click.option("--from", "start", metavar="DATE", help="From this day on (default: today)."),
        click.option("--to", "end", metavar="DATE", help="Up to this day (default: no end)."),
        click.option(
            "--stakeholder",
            "stakeholders",
            multiple=True,
            metavar="NAME",
            help="Only interactions with this stakeholder (repeatable: any of them).",
        ),
        click.option(
            "--tag", "tags", multiple=True, metavar="T", help="Only with this tag (repeatable)."
        ),
        click.option(
            "--include-follow-ups",
            is_flag=True,
            help="Add follow-ups and commitments as tasks (VTODO) due.",
        ),
        click.option(
            "--follow-ups-as-events",
            is_flag=True,
            help="Add follow-ups and commitments as all-day events instead (for clients that "
            "ignore tasks).",
        ),
        click.option(
            "--include-confidential",
            is_flag=True,
            help="Export confidential and strictly confidential items in full.",
        ),
        click.option("--calendar-name", metavar="NAME", help="The name clients show."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _export_arguments(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": parse_day(values["start"], field="from"),
        "end": parse_day(values["end"], field="to", end=True),
        "stakeholders": list(values["stakeholders"]),
        "tags": list(values["tags"]),
        "include_follow_ups": values["include_follow_ups"],
        "follow_ups_as_events": values["follow_ups_as_events"],
        "include_confidential": values["include_confidential"],
        "calendar_name": values["calendar_name"],
    }


@click.command("ics")
@click.argument("file", metavar="FILE")
@_calendar_options
@pass_app
def export_ics(app: AppContext, /, file: str, **values: Any) -> None:
    """Write interactions (from today on, unless --from) as an iCalendar file that Outlook,
    Google, Apple Calendar, Thunderbird, khal and calcurse import. FILE '-' is stdout; a
    folder gets a file named after the calendar. Confidential items are busy time only and
    strictly confidential ones left out, unless --include-confidential."""
    tracker = app.tracker()
    result = tracker.export_ics(**_export_arguments(values))
    if file == "-":
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
        click.echo(_export_summary(result, "standard output"), err=True)
    else:
        path = tracker.save_ics(result, file)
        click.echo(_export_summary(result, str(path)))
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)


def _export_summary(result: IcsExport, where: str) -> str:
    parts = [f"{result.events} event{'' if result.events == 1 else 's'}"]
    if result.todos:
        parts.append(f"{result.todos} task{'' if result.todos == 1 else 's'}")
    return f"Wrote {' and '.join(parts)} to {where}."


@click.command("ics")
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help="Show what would change; save nothing.")
@click.option(
    "--create-missing",
    is_flag=True,
    help="Add attendees that match no stakeholder as new stakeholders (people).",
)
@json_option
@pass_app
def import_ics(
    app: AppContext, file: str, dry_run: bool, create_missing: bool, as_json: bool
) -> None:
    """Turn meeting invitations and calendar exports (.ics from Outlook, Google, Apple or
    engagement) into interactions. Importing the same or an updated file again updates
    instead of duplicating. FILE '-' reads standard input."""
    from engagement import ical_import

    data = ical_import.read_limited(file)
    report = app.tracker().import_ics(
        data, dry_run=dry_run, create_missing=create_missing, source=file
    )
    if as_json:
        click.echo(report.model_dump_json(indent=2))
        return
    _print_report(report, file)


def _print_report(report: IcsImportReport, file: str) -> None:
    counts = (
        f"{report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.skipped} skipped"
    )
    if report.follow_ups_added:
        counts += f", {report.follow_ups_added} follow-ups added"
    if report.dry_run:
        click.echo(f"Dry run of {file}, nothing saved: {counts}.")
    else:
        click.echo(f"Imported {file}: {counts}.")
    for item in report.items:
        if item.action == "skipped":
            label = f"{item.component} at line {item.line}"
            if item.title:
                label += f" ({item.title})"
            click.echo(f"  skipped {label}: {item.reason}")
    if report.created_stakeholders:
        click.echo("New stakeholders: " + "; ".join(report.created_stakeholders))
    if report.unmatched:
        click.echo(
            "Not matched to any stakeholder: "
            + "; ".join(report.unmatched)
            + " (add them with 'engagement stakeholder add', or use --create-missing)"
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.group()
def feed() -> None:
    """A live calendar feed over HTTP, for calendar subscriptions."""


@feed.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="0: any free."
)
@click.option(
    "--token",
    envvar="ENGAGEMENT_FEED_TOKEN",
    metavar="T",
    help="The secret in the feed's URL (or $ENGAGEMENT_FEED_TOKEN). Default: a new random one.",
)
@_calendar_options
@pass_app
def serve(app: AppContext, /, host: str, port: int, token: str | None, **values: Any) -> None:
    """Serve the calendar (as 'export ics' writes it, rebuilt on every request) for
    subscriptions in calendar programs. Stop with Ctrl-C."""
    import secrets

    from engagement.feed import CalendarFeed, FeedServer, is_loopback

    arguments = _export_arguments(values)
    tracker = app.tracker()
    secret = token or secrets.token_urlsafe(24)
    calendar = CalendarFeed(lambda known: tracker.export_ics(**arguments, known_etag=known), secret)
    try:
        server = FeedServer((host, port), calendar)
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None
    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not only this machine; the feed is plain HTTP, "
            "put a TLS reverse proxy in front of it",
            err=True,
        )
    click.echo(f"Serving the calendar at {server.url()}")
    click.echo("Subscribe to that URL in your calendar program. Stop with Ctrl-C.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()
