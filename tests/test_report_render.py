"""Markdown, HTML and PDF renderings of the report, and its pictures."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from engagement.errors import ReportRendererMissing
from engagement.report import charts, render_md
from engagement.report.model import ActivityReport
from engagement.tracker import Tracker

MAY, AUGUST = date(2025, 5, 1), date(2025, 8, 31)
NASTY_TITLE = "*bold* _it_ [link](http://evil.example) <script>alert(1)</script> | `x` & y"
NASTY_NAME = "Evil & <Co> *Ltd* #1"


class Outline(HTMLParser):
    """What a reader (or a screen reader) gets from the page, without a browser."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.attributes: list[tuple[str, dict[str, str | None]]] = []
        self._open: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.append((tag, dict(attrs)))
        if tag in {"h1", "h2", "h3", "h4"}:
            self._open, self._text = tag, []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self.headings.append((tag, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)


@pytest.fixture
def report(sample: Tracker) -> ActivityReport:
    return sample.activity_report(MAY, AUGUST, title="Activities of the regional delegation")


def html_of(tracker: Tracker, report: ActivityReport) -> str:
    html = tracker.render_report(report, "html")
    assert isinstance(html, str)
    return html


def test_the_html_report_is_one_self_contained_page(
    sample: Tracker, report: ActivityReport
) -> None:
    html = html_of(sample, report)
    page = Outline()
    page.feed(html)
    h2 = [text for tag, text in page.headings if tag == "h2"]
    assert h2 == [
        "Facts and figures",
        "Engagement over time",
        "Cooperation with Red Cross partners",
        "Dialogue with authorities and political actors",
        "Religious circles",
        "Regional organisations and associations",
        "Academics and expert community",
        "Forensic expertise",
        "Private sector and cyber/digital",
        "Diplomatic corps",
        "Commitments",
        "Stakeholder map",
    ]
    assert ("h1", "Activities of the regional delegation") in page.headings
    assert ("h3", "In Belarus") in page.headings
    assert page.tags.count("svg") == 2 and page.tags.count("style") == 1
    # Nothing to fetch: no scripts, stylesheets, images or fonts from elsewhere.
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert "url(http" not in html and "@import" not in html
    for _tag, attrs in page.attributes:
        for name in ("src", "href"):
            value = attrs.get(name) or attrs.get(f"xlink:{name}")
            # In-page references, and the colour bar that matplotlib embeds as a data: PNG.
            assert value is None or value.startswith(("#", "data:image/png;base64,")), value
    # Every id is unique, although both charts come from matplotlib.
    ids = [attrs["id"] for _tag, attrs in page.attributes if attrs.get("id")]
    assert len(ids) == len(set(ids))
    assert "@media print" in html and "@page" in html
    assert 'data-cap="internal"' in html
    assert "Daily open channels with the Ministry of Defence continued." in html


def test_the_charts_show_the_numbers_of_the_log(sample: Tracker, report: ActivityReport) -> None:
    html = html_of(sample, report)
    monthly = html[html.index('id="chart-monthly"') : html.index('id="chart-heatmap"')]
    heat = html[
        html.index('id="chart-heatmap"') : html.index("</figure>", html.index('id="chart-heatmap"'))
    ]
    totals = [report.monthly.total(n) for n in range(len(report.monthly.months))]
    assert totals == [25, 29, 22, 22]
    labels = re.findall(r">\s*(\d+)\s*</text>", monthly)
    for total in totals:
        assert str(total) in labels
    cells = sorted(int(v) for v in re.findall(r">\s*(\d+)\s*</text>", heat))
    expected = sorted(v for values in report.monthly.series.values() for v in values)
    assert all(cells.count(v) >= expected.count(v) for v in set(expected))
    for heading in report.monthly.series:
        assert heading in monthly and heading in heat


def test_the_charts_are_deterministic(report: ActivityReport) -> None:
    first = charts.monthly_stacked(report.monthly)
    assert first == charts.monthly_stacked(report.monthly)
    assert charts.heatmap(report.monthly) == charts.heatmap(report.monthly)
    assert first.startswith("<svg") and "<dc:date>" not in first
    assert "2025-" not in re.sub(r"<text.*?</text>", "", first, flags=re.S)


def test_the_library_loads_without_matplotlib() -> None:
    code = (
        "import sys, engagement.tracker, engagement.report.build, engagement.cli\n"
        "print('matplotlib' in sys.modules, 'jinja2' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert output.split() == ["False", "False"]


def test_text_from_the_log_is_inserted_literally(sample: Tracker) -> None:
    sample.add_stakeholder(NASTY_NAME, kind="private_sector", country="RU")
    sample.log_interaction(NASTY_TITLE, with_=[NASTY_NAME], when="2025-07-02", kind="meeting")
    report = sample.activity_report(MAY, AUGUST, title="<i>Title</i>")
    html = html_of(sample, report)
    assert "<script>alert(1)</script>" not in html and "<i>Title</i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Evil &amp; &lt;Co&gt; *Ltd* #1" in html
    markdown = sample.render_report(report, "md")
    assert isinstance(markdown, str)
    assert "# \\<i\\>Title\\</i\\>" in markdown
    assert "#### " not in markdown.split("## Private sector")[1].split("## ")[0]
    assert "### Evil \\& \\<Co\\> \\*Ltd\\* \\#1" in markdown
    assert (
        "\\*bold\\* \\_it\\_ \\[link\\](http://evil.example) \\<script\\>alert(1)\\</script\\> "
        "\\| \\`x\\` \\& y"
    ) in markdown
    assert "<script>" not in markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("1. First", "1\\. First"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("a\nb\tc", "a b c"),
        ("$x$ ~y~", "\\$x\\$ \\~y\\~"),
        ("MFA's Diplomatic Academy: (2025).", "MFA's Diplomatic Academy: (2025)."),
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert render_md.escape(text) == escaped


def test_pdf_needs_weasyprint_and_says_how_to_install_it(
    report: ActivityReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    from engagement.api.reports import render_report

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(ReportRendererMissing) as caught:
        render_report(report, "pdf")
    assert "pip install 'engagement[pdf]'" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_pdf_is_rendered_when_weasyprint_is_installed(report: ActivityReport) -> None:
    pytest.importorskip("weasyprint")
    from engagement.api.reports import render_report

    data = render_report(report, "pdf")
    assert isinstance(data, bytes)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def test_the_html_report_opens_in_a_browser(
    sample: Tracker, report: ActivityReport, tmp_path: Path
) -> None:
    """Headless Chromium lays the page out and paints it (skipped where it is not installed;
    scripts/render-report-png.sh makes the same picture to look at)."""
    browser = _browser()
    if browser is None:
        pytest.skip("Chromium is not installed")
    page = tmp_path / "report.html"
    page.write_text(html_of(sample, report), encoding="utf-8")
    picture = tmp_path / "report.png"
    subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={picture}",
            "--window-size=1200,3000",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    from PIL import Image

    with Image.open(picture) as image:
        assert image.size == (1200, 3000)
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    # Text, the red headings and the chart colours: far from a blank page.
    assert len(colours) > 200
    assert any(r > 150 and g < 60 and b < 60 for _count, (r, g, b) in colours)


def test_a_renderer_failure_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's own bugs (seen: an AssertionError on a CSS grid) never reach the user as a
    traceback."""
    import types

    from engagement.errors import ReportRenderFailed
    from engagement.report import render_pdf

    class Broken:
        def __init__(self, **_: object) -> None:
            pass

        def write_pdf(self) -> bytes:
            raise AssertionError

    monkeypatch.setattr(render_pdf, "_weasyprint", lambda: types.SimpleNamespace(HTML=Broken))
    with pytest.raises(ReportRenderFailed, match="WeasyPrint failed to lay out the PDF"):
        render_pdf.write_pdf("<p>x</p>")
