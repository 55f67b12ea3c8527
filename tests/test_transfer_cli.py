"""The data-safety commands: what they print, and one clear error line with a non-zero exit."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from click.testing import CliRunner, Result

from engagement.cli import main


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)


def _private(path: Path) -> bool:
    return stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_backup_restore_and_exports_from_the_command_line(sample_url: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    result = run(sample_url, "backup", str(out / "backup.bin"))
    assert result.exit_code == 0 and "Backed up to" in result.stdout
    result = run(sample_url, "export", "json", str(out / "capped.json"))
    assert result.exit_code == 0 and "(up to internal)" in result.stdout
    assert json.loads((out / "capped.json").read_text("utf-8"))["confidentiality_max"] == "internal"
    result = run(sample_url, "export", "json", str(out / "all.json"), "--all")
    assert "(everything)" in result.stdout
    result = run(sample_url, "export", "json", str(out / "x.json"), "--all",
                 "--confidentiality-max", "public")  # fmt: skip
    assert result.exit_code == 2 and "either --confidentiality-max or --all" in result.stderr
    for kind in ("stakeholders", "interactions"):
        result = run(sample_url, "export", "csv", str(out / f"{kind}.csv"), "--kind", kind)
        assert result.exit_code == 0, result.stderr
    assert all(_private(path) for path in out.iterdir())

    target = f"sqlite:///{tmp_path / 'target.db'}"
    result = run(target, "restore", str(out / "backup.bin"))
    assert result.exit_code == 0 and "Restored" in result.stdout
    result = run(target, "restore", str(out / "backup.bin"))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "--force" in result.stderr


def test_imports_report_and_refuse_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    (tmp_path / "s.csv").write_text(
        "Name,Type\nBelarus Red Cross,national_society\nOdd one,alien\n", encoding="utf-8"
    )
    result = run(url, "import", "csv", str(tmp_path / "s.csv"), "--kind", "stakeholders",
                 "--map", "Type=kind", "--dry-run")  # fmt: skip
    assert result.exit_code == 1
    assert "row 2: add 'Belarus Red Cross'" in result.stdout
    assert "row 3: error 'Odd one': kind" in result.stdout
    assert result.stderr.startswith("error: ") and "nothing was imported" in result.stderr
    result = run(url, "import", "csv", str(tmp_path / "s.csv"), "--kind", "stakeholders",
                 "--map", "Type=kind", "--map", "Bogus")  # fmt: skip
    assert result.exit_code == 1 and "COLUMN=FIELD" in result.stderr
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    result = run(url, "import", "json", str(tmp_path / "bad.json"))
    assert result.exit_code == 1 and "not an engagement-dump" in result.stderr
    result = run(url, "import", "json", str(tmp_path / "missing.json"))
    assert result.exit_code == 1 and "no such file" in result.stderr
    assert run(url, "stakeholder", "list", "--json").stdout.strip() == "[]"


def test_merge_and_unmerge_from_the_command_line(sample_url: str) -> None:
    result = run(sample_url, "stakeholder", "merge", "Russian Red Cross",
                 "Russian Red Cross Kursk Regional Branch")  # fmt: skip
    assert result.exit_code == 0 and "Merged 'Russian Red Cross Kursk" in result.stdout
    result = run(sample_url, "stakeholder", "unmerge", "Russian Red Cross Kursk Regional Branch",
                 "--json")  # fmt: skip
    assert json.loads(result.stdout)["restored_id"] is not None
    result = run(sample_url, "stakeholder", "unmerge", "Russian Red Cross Kursk Regional Branch")
    assert result.exit_code == 1 and result.stderr.startswith("error: there is no merge")
    result = run(sample_url, "stakeholder", "merge", "Russian Red Cross", "Pavel Savchuk")
    assert result.exit_code == 1 and "cannot be merged" in result.stderr
    result = run(sample_url, "stakeholder", "unmerge")
    assert result.exit_code == 2
