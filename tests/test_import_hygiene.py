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


HEAVY = {
    "sqlalchemy",
    "pydantic",
    "textual",
    "alembic",
    "icalendar",
    "dateutil",
    "rapidfuzz",
    "yaml",
    "jinja2",
    "psycopg",
    "unidecode",
    "platformdirs",
    "weasyprint",
}


def test_help_of_every_command_group_imports_nothing_heavy() -> None:
    """Each group's --help, like the top-level one, needs click alone: the library is imported
    when a command runs (start-up cost must not grow with the features)."""
    script = (
        "from engagement.cli import main\n"
        "for args in (['stakeholder', '--help'], ['report', '--help'], ['export', '--help'],\n"
        "             ['import', '--help'], ['bench', '--help'], ['search', '--help']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass"
    )
    loaded = {name.split(".")[0] for name in _modules_after(script)}
    assert not HEAVY & loaded
