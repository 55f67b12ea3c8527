"""Option parsing shared by commands: dates, enumerations, JSON output."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

import click


def enum_choice(enum: type[StrEnum]) -> click.Choice[str]:
    return click.Choice([member.value for member in enum], case_sensitive=False)


def parse_day(value: str | None, *, field: str, end: bool = False) -> date | None:
    if value is None:
        return None
    from engagement.dates import parse_date

    return parse_date(value, field=field, end_of_month=end)


json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
# The document commands (report, brief): the same formats and the same private output file.
document_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "pdf"], case_sensitive=False),
    default="md",
    show_default=True,
    help="Markdown, one self-contained HTML file, or PDF (needs engagement[pdf]).",
)
document_output_option = click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write to this file (created 0600); '-' or none prints md/html. PDF needs a file.",
)
