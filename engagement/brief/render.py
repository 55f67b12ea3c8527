"""The brief as Markdown or HTML (Jinja2 templates) and PDF (WeasyPrint, when installed).

Every value from the database is escaped: HTML autoescaping, and the report's Markdown escaping
(:func:`engagement.report.render_md.escape`) as the ``md`` filter, so a title such as
``*urgent* <b>`` shows as typed.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from engagement.brief.model import Brief
from engagement.countries import country_name
from engagement.errors import ValidationFailed
from engagement.report import phrasing
from engagement.report.render_md import escape
from engagement.vocab import StakeholderKind

if TYPE_CHECKING:
    from jinja2 import Environment

BriefFormat = Literal["md", "html", "pdf"]
FORMATS: tuple[BriefFormat, ...] = ("md", "html", "pdf")
TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def _environment(html: bool) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["md"] = escape
    return environment


def _context(brief: Brief) -> dict[str, object]:
    counts = [(brief.withheld, "interaction")] + [
        (section.withheld, section.withheld_noun) for section in brief.sections
    ]
    parts = [f"{n} {noun}{'s' if n != 1 else ''}" for n, noun in counts if n]
    if parts:
        total = sum(n for n, _ in counts)
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        note = (
            f"{listed} above this level {'is' if total == 1 else 'are'} left out of every section."
        )
    else:
        note = "Nothing above this level was left out."
    posts_title = {
        StakeholderKind.PERSON.value: "Posts held",
        StakeholderKind.POST.value: "Holders of the post",
    }.get(brief.kind, "Current post holders")
    return {
        "b": brief,
        "cap_note": note,
        "prepared": phrasing.long_date(brief.prepared_on),
        "country": country_name(brief.country) if brief.country else "—",
        "posts_title": posts_title,
    }


def markdown(brief: Brief) -> str:
    return _environment(False).get_template("brief.md.j2").render(**_context(brief))


def html(brief: Brief) -> str:
    return _environment(True).get_template("brief.html.j2").render(**_context(brief))


def pdf(brief: Brief) -> bytes:
    """Needs WeasyPrint (``pip install 'engagement[pdf]'``); without it, the report's clear
    message (:class:`~engagement.errors.ReportRendererMissing`)."""
    from engagement.report.render_pdf import write_pdf

    return write_pdf(html(brief))


def render(brief: Brief, fmt: str) -> str | bytes:
    if fmt == "md":
        return markdown(brief)
    if fmt == "html":
        return html(brief)
    if fmt == "pdf":
        return pdf(brief)
    raise ValidationFailed("format", fmt, f"is not a brief format; use {', '.join(FORMATS)}")
