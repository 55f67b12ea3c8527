"""``engagement brief``: the briefing pack before a meeting (docs/briefing.md)."""

from __future__ import annotations

from pathlib import Path

import click

from engagement.cli import AppContext, pass_app
from engagement.cli.options import (
    document_format_option,
    document_output_option,
    enum_choice,
    json_option,
)
from engagement.vocab import Confidentiality


@click.command()
@click.argument("stakeholder")
@click.option(
    "--for-meeting", type=int, metavar="ID", help="The interaction the brief is prepared for."
)
@document_format_option
@document_output_option
@click.option(
    "--confidentiality-max",
    type=enum_choice(Confidentiality),
    default=Confidentiality.INTERNAL.value,
    show_default=True,
    help="Nothing above this level appears in any section; the cap is stated at the top.",
)
@json_option
@pass_app
def brief(
    app: AppContext,
    stakeholder: str,
    for_meeting: int | None,
    fmt: str,
    output: str | None,
    confidentiality_max: str,
    as_json: bool,
) -> None:
    """A one-to-two-page brief on STAKEHOLDER: who they are, our counterparts, our history in
    the last 24 months, topics, open follow-ups, upcoming events, related stakeholders."""
    from engagement.cli import render
    from engagement.cli.report import write_private

    fmt = fmt.lower()
    to_stdout = output is None or output == "-"
    if fmt == "pdf" and to_stdout and not as_json:
        raise click.UsageError("PDF is written to a file; add --output FILE.pdf")
    tracker = app.tracker()
    data = tracker.brief(
        stakeholder, for_meeting=for_meeting, confidentiality_max=confidentiality_max
    )
    if as_json:
        render.print_json(data)
        return
    content = tracker.render_brief(data, fmt)
    if to_stdout:
        assert isinstance(content, str)
        click.echo(content, nl=False)
        return
    assert output is not None
    raw = content.encode("utf-8") if isinstance(content, str) else content
    path = write_private(Path(output), raw)
    click.echo(f"Wrote {path}", err=True)


def register(main: click.Group) -> None:
    main.add_command(brief)
