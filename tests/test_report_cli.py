"""``engagement report`` on the command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from engagement.cli import main

PERIOD = ["--from", "2025-05-01", "--to", "2025-08-31"]


def run(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--db", url, "report", *args])
    return result.exit_code, result.stdout, result.stderr


def test_markdown_goes_to_standard_output(sample_url: str) -> None:
    code, out, err = run(sample_url, *PERIOD)
    assert code == 0, err
    assert out.startswith("# Activity report\n")
    assert "## Dialogue with authorities and political actors" in out
    assert "- On May 16, the delegation took part in the conference" in out
    same_code, same, _ = run(sample_url, "--from", "2025-05", "--to", "2025-08", "--output", "-")
    assert same_code == 0 and same == out  # months mean their first and last days


def test_html_is_written_to_a_private_file_atomically(sample_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "report.html"
    target.write_text("old")
    target.chmod(0o644)
    code, out, err = run(
        sample_url,
        *PERIOD,
        "--format",
        "html",
        "--output",
        str(target),
        "--title",
        "Quarterly report",
    )
    assert code == 0, err
    assert out == "" and f"Wrote {target}" in err
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<h1>Quarterly report</h1>" in html
    assert [p.name for p in folder.iterdir()] == ["report.html"]  # no temporary file left


def test_the_cap_is_explicit(sample_url: str) -> None:
    code, out, err = run(sample_url, *PERIOD, "--confidentiality-max", "public")
    assert code == 0, err
    assert "> **Confidentiality:** up to *public*. Only public interactions are shown" in out
    assert "confidential dialogue" not in out and "Daily open channels" not in out


def test_pdf_needs_a_file(sample_url: str) -> None:
    code, _, err = run(sample_url, *PERIOD, "--format", "pdf")
    assert code == 2
    assert err.startswith("error: PDF is written to a file; add --output FILE.pdf")
    assert len(err.strip().splitlines()) == 1


def test_pdf_to_a_file(sample_url: str, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    code, _, err = run(sample_url, *PERIOD, "--format", "pdf", "--output", str(target))
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        assert code == 1
        assert "pip install 'engagement[pdf]'" in err and len(err.strip().splitlines()) == 1
        assert not target.exists()
        return
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-08-31", "--to", "2025-05-01"], "is before from"),
        (["--from", "someday", "--to", "2025-05-01"], "from:"),
        ([*PERIOD, "--output", "/nonexistent-folder/report.md"], "cannot write"),
    ],
)
def test_mistakes_give_one_line(sample_url: str, args: list[str], message: str) -> None:
    code, _, err = run(sample_url, *args)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_sections_file_replaces_the_default(sample_url: str, tmp_path: Path) -> None:
    from engagement.report.categories import DEFAULT_CONFIG

    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    custom = tmp_path / "sections.yaml"
    custom.write_text(
        text.replace("heading: Religious circles", "heading: Faith communities").replace(
            "subject: the delegation", "subject: the ICRC"
        ),
        encoding="utf-8",
    )
    code, out, err = run(sample_url, *PERIOD, "--sections", str(custom))
    assert code == 0, err
    assert "## Faith communities" in out and "## Religious circles" not in out
    assert "- On May 13, the ICRC took part in the meeting" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("at the meeting {title}", "at the meeting {titel}"), encoding="utf-8"
    )
    code, _, err = run(sample_url, *PERIOD, "--sections", str(broken))
    assert code == 1 and f"report sections file {broken}" in err and "{titel}" in err
