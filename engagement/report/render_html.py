"""The report as one self-contained HTML file: inline CSS, inline SVG charts, no scripts, no
external fonts or images, so it can be mailed, archived or printed as it is.

Autoescaping is on for everything from the log; only the chart SVGs, which matplotlib wrote
from counts and section headings (escaping their text itself), go in as markup.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

from engagement.report import phrasing
from engagement.report.model import ActivityReport

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(report: ActivityReport, *, charts: bool = True) -> str:
    from markupsafe import Markup

    pictures: dict[str, Markup] = {}
    if charts and report.monthly.series:
        from engagement.report import charts as drawing

        pictures = {
            "monthly": Markup(drawing.monthly_stacked(report.monthly)),
            "heatmap": Markup(drawing.heatmap(report.monthly)),
        }
    grid = report.stakeholder_map
    return (
        environment()
        .get_template("report.html.j2")
        .render(
            report=report,
            facts=report.facts,
            charts=pictures,
            grid=grid,
            scored=any(quadrant.stakeholders for quadrant in grid.quadrants),
            prepared=phrasing.long_date(report.prepared_on),
        )
    )
