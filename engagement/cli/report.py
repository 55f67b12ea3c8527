"""``engagement report``: the periodic activity report, written from the log."""

from __future__ import annotations

from pathlib import Path

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import (
    document_format_option,
    document_output_option,
    enum_choice,
    parse_day,
)
from engagement.vocab import Confidentiality


@click.command()
@click.option("--from", "start", metavar="DATE", required=True, help="First day (or month).")
@click.option("--to", "end", metavar="DATE", required=True, help="Last day (or month).")
@document_format_option
@document_output_option
@click.option(
    "--confidentiality-max",
    type=enum_choice(Confidentiality),
    default=Confidentiality.INTERNAL.value,
    show_default=True,
    help="Highest level shown in full; with internal, confidential ones are summarised.",
)
@click.option("--title", metavar="TEXT", help="The report's title.")
@click.option(
    "--sections",
    "sections_file",
    metavar="FILE",
    type=click.Path(dir_okay=False),
    help="A YAML file of sections and wording replacing the default one.",
)
@click.option("--summaries", is_flag=True, help="Add each interaction's notes under its line.")
@pass_app
def report(
    app: AppContext,
    start: str,
    end: str,
    fmt: str,
    output: str | None,
    confidentiality_max: str,
    title: str | None,
    sections_file: str | None,
    summaries: bool,
) -> None:
    """The activity report for a period: sections by stakeholder category, facts and figures,
    charts (HTML/PDF) and the stakeholder map."""
    fmt = fmt.lower()
    to_stdout = output is None or output == "-"
    if fmt == "pdf" and to_stdout:
        raise click.UsageError("PDF is written to a file; add --output FILE.pdf")
    first = parse_day(start, field="from")
    last = parse_day(end, field="to", end=True)
    assert first is not None and last is not None
    tracker = app.tracker()
    content = tracker.render_report(
        tracker.activity_report(
            first,
            last,
            confidentiality_max=confidentiality_max,
            title=title,
            sections=sections_file,
            summaries=summaries,
        ),
        fmt,
    )
    if to_stdout:
        assert isinstance(content, str)
        click.echo(content, nl=False)
        return
    assert output is not None
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = write_private(Path(output), data)
    click.echo(f"Wrote {path}", err=True)


def write_private(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable by the owner only (0600) and atomically (see
    :func:`engagement.transfer.files.write_bytes`): a reader never sees half a report, and a
    failure leaves any earlier file as it was."""
    from engagement.errors import EngagementError
    from engagement.transfer.files import write_bytes

    target = path.expanduser()
    try:
        write_bytes(target, data)
    except OSError as error:
        raise EngagementError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def register(main: click.Group) -> None:
    main.add_command(report)
