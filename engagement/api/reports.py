"""Use cases for reports: the periodic activity report and its pictures."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from engagement.api.base import UseCases
from engagement.vocab import Confidentiality

if TYPE_CHECKING:
    from engagement.report.model import ActivityReport, StakeholderMap

ReportFormat = Literal["md", "html", "pdf"]
FORMATS: tuple[ReportFormat, ...] = ("md", "html", "pdf")


class ReportUseCases(UseCases):
    def activity_report(
        self,
        start: date,
        end: date,
        *,
        confidentiality_max: Confidentiality | str = Confidentiality.INTERNAL,
        title: str | None = None,
        sections: Path | str | None = None,
        summaries: bool = False,
    ) -> ActivityReport:
        """The activity report for ``start``–``end`` (both days included), written from the log.

        ``confidentiality_max`` is the highest level shown in full. With the default
        (internal), confidential interactions are summarised without detail and strictly
        confidential ones left out; see docs/reports.md. ``sections`` is a YAML file replacing
        the default sections and wording; ``summaries`` adds each interaction's notes.
        """
        from engagement.report.build import activity_report
        from engagement.report.categories import load_config
        from engagement.schemas import clean_line

        cap = _cap(confidentiality_max)
        config = load_config(sections)
        heading = clean_line(title) if title else None
        today = self.today()
        return self.db.read(
            lambda s: activity_report(
                s,
                start=start,
                end=end,
                cap=cap,
                title=heading or None,
                config=config,
                today=today,
                summaries=summaries,
            )
        )

    def render_report(self, report: ActivityReport, fmt: ReportFormat | str = "md") -> str | bytes:
        """The report as Markdown or HTML text, or PDF bytes (PDF needs WeasyPrint:
        ``pip install 'engagement[pdf]'``)."""
        return render_report(report, fmt)

    def stakeholder_map(self) -> StakeholderMap:
        """The power–interest grid of the active stakeholders scored for influence and
        interest, in its four named quadrants (for the report, and for the TUI)."""
        from engagement.report.power_grid import stakeholder_map

        return self.db.read(lambda s: stakeholder_map(s))


def render_report(report: ActivityReport, fmt: ReportFormat | str) -> str | bytes:
    if fmt == "md":
        from engagement.report import render_md

        return render_md.render(report)
    if fmt == "html":
        from engagement.report import render_html

        return render_html.render(report)
    if fmt == "pdf":
        from engagement.report import render_pdf

        return render_pdf.render(report)
    from engagement.errors import ValidationFailed

    raise ValidationFailed("format", fmt, f"is not a report format; use {', '.join(FORMATS)}")


def _cap(value: Confidentiality | str) -> Confidentiality:
    if isinstance(value, Confidentiality):
        return value
    try:
        return Confidentiality(value.strip().lower().replace(" ", "_").replace("-", "_"))
    except ValueError:
        from engagement.errors import ValidationFailed
        from engagement.vocab import choices

        raise ValidationFailed(
            "confidentiality-max", value, f"is not a level; use {choices(Confidentiality)}"
        ) from None
