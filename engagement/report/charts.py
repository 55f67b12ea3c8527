"""The report's pictures, drawn with matplotlib straight to SVG text (no browser, no display).

matplotlib is imported only when a chart is drawn, so the CLI and the library load without it.
The SVGs are deterministic — a fixed ``svg.hashsalt`` for element ids, no creation date in the
metadata, text kept as text (``svg.fonttype: none``) — so the same data gives the same bytes
and an HTML report can be compared or checked into a repository. Each chart gets its own salt:
two SVGs inlined in one page must not share element ids.
"""

from __future__ import annotations

import io
import re
from typing import Any

from engagement.report.model import MonthlyCounts

# Colour-blind-safe (Okabe–Ito), then greys; sections beyond these cycle.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
    "#999999",
    "#666666",
)
_PROLOG = re.compile(r"^.*?(?=<svg)", re.DOTALL)


def _plain(label: str) -> str:
    """matplotlib reads "$…$" as mathematics; a section heading is text."""
    return label.replace("$", r"\$")


def _rc(salt: str) -> Any:
    return {
        "svg.hashsalt": salt,
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    }


def _svg(figure: Any, prefix: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "engagement"})
    text = _PROLOG.sub("", buffer.getvalue(), count=1)
    # Let the page size the picture: keep the aspect ratio (viewBox), drop fixed points.
    text = re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"', r"<svg\1", text, count=1)
    # Its "* {stroke-…}" stylesheet would apply to the whole HTML page; the two properties are
    # inherited in SVG, so they go on the root element instead.
    text = re.sub(r"\s*<style[^>]*>.*?</style>", "", text, flags=re.DOTALL)
    text = text.replace("<svg ", '<svg stroke-linejoin="round" stroke-linecap="butt" ', 1)
    # matplotlib numbers its groups the same way in every figure ("figure_1", "text_3"):
    # prefix every id, and every reference to one, so inlined charts never share an id.
    text = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)


def monthly_stacked(counts: MonthlyCounts, *, title: str = "") -> str:
    """Interactions per month, stacked by section, with each month's total on top."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with rc_context(_rc("engagement-monthly")):
        figure = Figure(figsize=(7.5, 3.6), dpi=100)
        axes = figure.add_subplot()
        months = list(range(len(counts.months)))
        bottom = [0] * len(months)
        for index, (label, values) in enumerate(counts.series.items()):
            axes.bar(
                months,
                values,
                bottom=bottom,
                label=_plain(label),
                color=PALETTE[index % len(PALETTE)],
                width=0.7,
            )
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        for month, total in zip(months, bottom, strict=True):
            if total:
                axes.annotate(
                    str(total),
                    (month, total),
                    ha="center",
                    va="bottom",
                    xytext=(0, 2),
                    textcoords="offset points",
                )
        axes.set_xticks(months, counts.labels, rotation=45 if len(months) > 12 else 0)
        axes.set_ylabel("Interactions")
        axes.set_ylim(0, max(bottom or [0]) * 1.15 + 1)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        if title:
            axes.set_title(_plain(title), loc="left")
        if counts.series:
            axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        figure.tight_layout()
        return _svg(figure, "monthly")


def heatmap(counts: MonthlyCounts, *, title: str = "") -> str:
    """Sections × months, each cell coloured and labelled with its number of interactions."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    rows = list(counts.series)
    values = [counts.series[row] for row in rows]
    height = 1.2 + 0.38 * max(len(rows), 1)
    with rc_context(_rc("engagement-heatmap")):
        figure = Figure(figsize=(7.5, height), dpi=100)
        axes = figure.add_subplot()
        if not rows:
            axes.set_axis_off()
            axes.text(0.5, 0.5, "No interactions in this period", ha="center", va="center")
            return _svg(figure, "heatmap")
        peak = max((v for row in values for v in row), default=0) or 1
        image = axes.imshow(values, cmap="Blues", vmin=0, vmax=peak, aspect="auto")
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                axes.text(
                    c,
                    r,
                    str(value),
                    ha="center",
                    va="center",
                    color="white" if value > peak / 2 else "black",
                )
        axes.set_xticks(range(len(counts.labels)), counts.labels)
        axes.set_yticks(range(len(rows)), [_plain(row) for row in rows])
        axes.tick_params(length=0)
        for spine in axes.spines.values():
            spine.set_visible(False)
        figure.colorbar(image, ax=axes, fraction=0.03, pad=0.02)
        if title:
            axes.set_title(_plain(title), loc="left")
        figure.tight_layout()
        return _svg(figure, "heatmap")
