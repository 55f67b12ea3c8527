"""The report as PDF, through WeasyPrint: the HTML report laid out on A4 pages by a real
typesetting engine (the same print styles a browser would use), charts included as vectors.

WeasyPrint is an optional extra (``pip install 'engagement[pdf]'``) because it needs Pango
from the system; without it the user gets one clear message instead of a traceback.
"""

from __future__ import annotations

from typing import Any

from engagement.errors import ReportRendererMissing, ReportRenderFailed
from engagement.report.model import ActivityReport

INSTALL = "pip install 'engagement[pdf]'"


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise ReportRendererMissing("pdf", "WeasyPrint", INSTALL) from None
    except OSError as error:  # the package is there but Pango/HarfBuzz libraries are not
        raise ReportRendererMissing(
            "pdf",
            "WeasyPrint",
            INSTALL,
            detail=f"its system libraries failed to load: {str(error).splitlines()[0]}",
        ) from None
    return weasyprint


def render(report: ActivityReport) -> bytes:
    from engagement.report import render_html

    return write_pdf(render_html.render(report))


def write_pdf(html: str) -> bytes:
    """``html`` laid out as PDF; a failure inside the renderer becomes one clear error."""
    weasyprint = _weasyprint()
    try:
        data: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
    except Exception as error:  # the renderer's own bugs surface as any exception
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ReportRenderFailed("WeasyPrint", reason) from error
    return data
