"""The report's chart: each section's interactions month by month over the period."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from engagement.report.model import MonthlyCounts
from engagement.services import reports as source
from engagement.vocab import MONTH_ABBREVIATIONS

if TYPE_CHECKING:
    from engagement.report.build import ReportContext


def _months(start: date, end: date) -> list[tuple[date, date]]:
    months = []
    first = start.replace(day=1)
    while first <= end:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        months.append((max(first, start), min(last, end)))
        first = last + timedelta(days=1)
    return months


def monthly_counts(ctx: ReportContext) -> MonthlyCounts:
    """Interactions per month and section for the chart; a recurring one counts in every month
    it occurs, a span in every month it covers."""
    months = _months(ctx.start, ctx.end)
    series = {section.key: [0] * len(months) for section in ctx.config.sections}
    base = ctx.start.year * 12 + ctx.start.month
    top = len(months) - 1
    for interaction_id, row in ctx.rows.items():
        filed = ctx.by_section.get(interaction_id)
        if not filed:
            continue
        covered: Iterable[int]
        if row.recurrence:
            covered = source.recurring_months(row, months)
        else:
            # The row overlaps the period, so the months it covers are a run of them.
            first = max(0, row.start_on.year * 12 + row.start_on.month - base)
            last = min(top, row.last_on.year * 12 + row.last_on.month - base)
            covered = range(first, last + 1)
        for key in filed:
            counts = series[key]
            for n in covered:
                counts[n] += 1
    headings = {section.key: section.heading for section in ctx.config.sections}
    return MonthlyCounts(
        months=[f"{first.year:04d}-{first.month:02d}" for first, _ in months],
        labels=[f"{MONTH_ABBREVIATIONS[first.month]} {first.year}" for first, _ in months],
        series={headings[key]: values for key, values in series.items() if any(values)},
    )
