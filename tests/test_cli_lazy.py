"""The command modules load lazily: ``engagement tui`` imports none of them, and the table that
says which module holds which command agrees with what the modules register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

from engagement import cli

ROOT = Path(__file__).resolve().parents[1]


def _module_of(command: click.Command) -> str:
    assert command.callback is not None
    return command.callback.__module__.removeprefix("engagement.cli.")


def test_the_table_names_every_command_and_its_module() -> None:
    groups = {"": cli.main, "export": cli.export_group, "import": cli.import_group}
    for key, group in groups.items():
        assert isinstance(group, cli._LazyGroup)
        registered = {
            name
            for name, command in group.commands.items()
            if command.callback is None or _module_of(command) != "__init__"
        }
        local = {name for name in group.commands if name not in cli.LAZY_COMMANDS[key]}
        assert set(cli.LAZY_COMMANDS[key]) == registered - local
        for name, modules in cli.LAZY_COMMANDS[key].items():
            command = group.commands[name]
            assert _module_of(command) == modules[0], name
            if isinstance(command, click.Group):
                for sub in command.commands.values():
                    assert _module_of(sub) in modules, (name, sub.name)


def test_help_lists_every_command() -> None:
    output = CliRunner().invoke(cli.main, ["--help"], prog_name="engagement").output
    listed = {line.split()[0] for line in output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(cli.main.commands)


def test_a_command_loads_only_its_own_module() -> None:
    script = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from engagement import cli\n"
        "import tui.app\n"
        "tui.app.run = lambda db: None\n"
        "assert CliRunner().invoke(cli.main, ['--db', 'none.db', 'tui']).exit_code == 0\n"
        "assert not [m for m in sys.modules if m.startswith('engagement.cli.')], sys.modules\n"
        "result = CliRunner().invoke(cli.main, ['history', '--help'])\n"
        "assert 'Usage' in result.output, result.output\n"
        "print(' '.join(m for m in sys.modules if m.startswith('engagement.cli.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "engagement.cli.views" in loaded
    assert not loaded & {"engagement.cli.transfer", "engagement.cli.calendars"}
