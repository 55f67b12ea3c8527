"""The library never imports the UI, and the CLI's help imports nothing heavy."""

from __future__ import annotations

import subprocess
import sys


def _modules_after(code: str) -> set[str]:
    script = f"{code}\nimport sys\nprint('\\n'.join(sorted(sys.modules)))"
    output = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(output.split())


def test_the_library_does_not_import_textual() -> None:
    loaded = _modules_after(
        "import engagement, engagement.tracker, engagement.services.history, engagement.cli\n"
        "from engagement.tracker import Tracker\n"
        "Tracker('sqlite://').load_sample()"
    )
    assert "textual" not in loaded


def test_help_does_not_import_the_database_layer() -> None:
    loaded = _modules_after(
        "from engagement.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not {"sqlalchemy", "pydantic", "textual", "alembic", "icalendar"} & loaded
