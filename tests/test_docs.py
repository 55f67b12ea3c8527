"""The user guide keeps up with the command line (in the spirit of datasette's test_docs.py).

The click command tree is walked from :data:`engagement.cli.main`. Every command and subcommand
must be named by its full path ("engagement stakeholder add", "engagement follow-up done") in a
heading or at the start of a code-block line of ``docs/user-guide.md``, and every option of
``engagement log`` must be mentioned in it. The other way round, every command line in the
guide's code blocks must name a real command and only options that command has, so a renamed
command or option cannot leave the guide behind.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from engagement.cli import main

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "user-guide.md"
PROGRAM = "engagement"


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command path below ``group``, groups included, e.g. ('stakeholder', 'add')."""
    for name in sorted(group.commands):
        command = group.commands[name]
        path = (*prefix, name)
        yield path
        if isinstance(command, click.Group):
            yield from walk(command, path)


def command_at(path: tuple[str, ...]) -> click.Command:
    command: click.Command = main
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def option_names(command: click.Command) -> set[str]:
    """The spellings of a command's options, --help included."""
    names = {"--help", "-h"}
    for param in command.params:
        if isinstance(param, click.Option):
            names.update(param.opts)
            names.update(param.secondary_opts)
    return names


COMMANDS = list(walk(main))


def read_guide() -> tuple[str, list[str], list[str]]:
    """The guide's text, its headings (backticks removed), and its code-block lines (a leading
    ``$`` prompt removed)."""
    text = GUIDE.read_text(encoding="utf-8")
    headings: list[str] = []
    code: list[str] = []
    in_block = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
        elif in_block:
            code.append(re.sub(r"^\s*\$\s+", "", line).strip())
        elif line.startswith("#"):
            headings.append(line.lstrip("#").replace("`", "").strip())
    return text, headings, code


TEXT, HEADINGS, CODE_LINES = read_guide()


def _global_options_pattern() -> str:
    """Options of the root group that may stand between the program and the command."""
    alternatives = []
    for param in main.params:
        if isinstance(param, click.Option):
            for opt in param.opts:
                value = "" if param.is_flag else r"(?:[ =](?:\"[^\"]*\"|'[^']*'|\S+))"
                alternatives.append(re.escape(opt) + value)
    return r"(?:\s+(?:" + "|".join(alternatives) + "))*" if alternatives else ""


def invocation(path: tuple[str, ...]) -> re.Pattern[str]:
    """``engagement [--db URL] stakeholder add`` as a whole-word pattern."""
    words = r"\s+".join(re.escape(word) for word in path)
    return re.compile(rf"(?<![\w-]){PROGRAM}{_global_options_pattern()}\s+{words}(?![\w-])")


def test_the_command_tree_is_walked() -> None:
    assert ("log",) in COMMANDS
    assert ("stakeholder", "add") in COMMANDS
    assert ("follow-up", "done") in COMMANDS
    assert len(COMMANDS) >= 20


def test_the_guide_has_headings_and_examples() -> None:
    assert len(HEADINGS) > 10
    assert sum(line.startswith(f"{PROGRAM} ") for line in CODE_LINES) > 20


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_documented(path: tuple[str, ...]) -> None:
    pattern = invocation(path)
    in_heading = any(pattern.search(heading) for heading in HEADINGS)
    in_code = any(pattern.match(line) for line in CODE_LINES)
    full = " ".join((PROGRAM, *path))
    assert in_heading or in_code, (
        f"'{full}' is in no heading or code block of {GUIDE.name}; "
        f"add a section '### `{full}`' with an example"
    )


@pytest.mark.parametrize("option", sorted(option_names(command_at(("log",))) - {"--help", "-h"}))
def test_every_option_of_log_is_documented(option: str) -> None:
    # Whole option names: '--with' must not be satisfied by '--with-examples'.
    assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", TEXT), (
        f"'engagement log {option}' is not mentioned in {GUIDE.name}"
    )


def _example_commands() -> list[str]:
    return [line for line in CODE_LINES if line.startswith(f"{PROGRAM} ")]


@pytest.mark.parametrize("line", _example_commands())
def test_every_example_uses_real_commands_and_options(line: str) -> None:
    words = shlex.split(line)[1:]
    command: click.Command = main
    path: list[str] = []
    while words:
        word = words.pop(0)
        if word == "--":
            break  # only arguments follow
        if word.startswith("-") and word != "-":  # '-' alone is stdin/stdout, an argument
            option = word.split("=", 1)[0]
            assert option in option_names(command), (
                f"{' '.join([PROGRAM, *path])} has no option {option}"
            )
            param = next(
                (p for p in command.params if isinstance(p, click.Option) and option in p.opts),
                None,
            )
            if param is not None and not param.is_flag and "=" not in word and words:
                words.pop(0)  # the option's value
        elif isinstance(command, click.Group):
            assert word in command.commands, (
                f"'{' '.join([PROGRAM, *path])}' has no command {word!r}"
            )
            command = command.commands[word]
            path.append(word)
        # else: an argument of the command (a title, a name, an id)
    assert path, f"no command in {line!r}"
