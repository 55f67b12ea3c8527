"""Encrypted databases: where the CLI gets the key, and ``engagement encrypt`` / ``rekey``.

The key comes from ``--key-file FILE`` (its first line), ``$ENGAGEMENT_KEY``,
``$ENGAGEMENT_KEY_FILE``, or — at a terminal — a prompt that does not echo. It is never printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from engagement.cli import AppContext, pass_app

NEW_KEY_ENV = "ENGAGEMENT_NEW_KEY"


def key_for(path: Path, key_file: Path | None) -> str:
    """The key to open the encrypted database at ``path``."""
    from engagement import encryption

    key = encryption.read_key_file(key_file) if key_file else encryption.find_key(path)
    if key is None and sys.stdin.isatty():
        key = click.prompt(f"Key for {path}", hide_input=True, err=True)
    if not key:
        raise encryption.missing_key(path)
    return key


def _new_key(new_key_file: Path | None, what: str) -> str:
    from engagement import encryption
    from engagement.errors import StorageError

    if new_key_file is not None:
        return encryption.read_key_file(new_key_file)
    if os.environ.get(NEW_KEY_ENV):
        return os.environ[NEW_KEY_ENV]
    if sys.stdin.isatty():
        key: str = click.prompt(
            f"New key for {what}", hide_input=True, confirmation_prompt=True, err=True
        )
        return key
    raise StorageError(f"no new key was given; give it with --new-key-file FILE or ${NEW_KEY_ENV}")


_NEW_KEY_FILE = click.option(
    "--new-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"File whose first line is the new key (else ${NEW_KEY_ENV}, else a prompt).",
)


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@_NEW_KEY_FILE
def encrypt(source: Path, target: Path, new_key_file: Path | None) -> None:
    """Write an encrypted copy of the plain database SOURCE to the new file TARGET."""
    from engagement import encryption

    source = source.expanduser().absolute()
    target = target.expanduser().absolute()
    encryption.driver()
    encryption.encrypt_file(source, target, _new_key(new_key_file, str(target)))
    click.echo(
        f"Encrypted copy written: {target}. Open it with --db sqlcipher:///{target}; once you "
        f"have checked it, delete {source} and its backups, which are not encrypted."
    )


@click.command()
@_NEW_KEY_FILE
@pass_app
def rekey(app: AppContext, new_key_file: Path | None) -> None:
    """Change the key of the encrypted database (close other sessions on it first)."""
    tracker = app.tracker()
    tracker.change_key(_new_key(new_key_file, "the database"))
    click.echo("The key was changed; the old key no longer opens the database.")


def register(main: click.Group) -> None:
    main.add_command(encrypt)
    main.add_command(rekey)
