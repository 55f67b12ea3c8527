"""The report as PDF, through WeasyPrint: the HTML report laid out on A4 pages by a real
typesetting engine (the same print styles a browser would use), charts included as vectors.

WeasyPrint is an optional extra (``pip install 'engagement[pdf]'``) because it needs Pango
from the system; without it the user gets one clear message instead of a traceback.
"""

from __future__ import annotations

from typing import Any

from engagement.errors import ReportRendererMissing
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
    weasyprint = _weasyprint()
    from engagement.report import render_html

    document = weasyprint.HTML(string=render_html.render(report), base_url=None)
    data: bytes = document.write_pdf()
    return data
