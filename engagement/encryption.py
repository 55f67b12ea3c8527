"""Encryption at rest for SQLite files, with SQLCipher 4 (``pip install 'engagement[encrypted]'``).

An encrypted database is named ``sqlcipher:///PATH`` (stored as SQLAlchemy's
``sqlite+pysqlcipher:///PATH``). Its key never travels in the URL we keep or show: it comes, in
this order, from the caller (``--key-file``, the CLI prompt), from a key remembered for that
file earlier in this process, from ``$ENGAGEMENT_KEY``, or from the file named by
``$ENGAGEMENT_KEY_FILE``. A key written in the URL (``sqlite+pysqlcipher://:KEY@/PATH``) is
accepted and taken out of it at once, but it shows in shell history and process lists.

The ``sqlcipher3`` wheel bundles SQLCipher 4 on its own, recent SQLite (one without the WAL-reset
bug). Everything the plain SQLite path does (WAL, ``BEGIN IMMEDIATE``, busy timeout,
``secure_delete``, ``quick_check``, 0600 files, the online backup API, migrations) works the
same on a keyed connection: SQLCipher encrypts every page, including those in the ``-wal`` file
and in backups made from a keyed connection into a keyed one.

SQLCipher logs decryption failures to stderr by default, which would scribble over the TUI; the
log is switched off before any key is tried. A wrong key, or a plain file opened as encrypted,
shows as SQLite's "file is not a database" on first read: that becomes :class:`WrongKey`.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import Any

from engagement.errors import StorageError, WrongKey

KEY_ENV = "ENGAGEMENT_KEY"
KEY_FILE_ENV = "ENGAGEMENT_KEY_FILE"
SCHEME = "sqlcipher"
DRIVER = "pysqlcipher"
INSTALL_HINT = "pip install 'engagement[encrypted]'"
NOT_A_DATABASE = "file is not a database"

_remembered: dict[str, str] = {}


def driver() -> ModuleType:
    """The SQLCipher DB-API module, or a clear error saying how to install it."""
    try:
        module = importlib.import_module("sqlcipher3.dbapi2")
    except ImportError:
        raise StorageError(
            f"encrypted databases need SQLCipher, which is not installed; install it with: "
            f"{INSTALL_HINT}"
        ) from None
    return module


def available() -> bool:
    try:
        driver()
    except StorageError:
        return False
    return True


def remember(path: Path, key: str) -> None:
    """Keep ``key`` for ``path`` for the rest of this process (the CLI asks once; the TUI and
    every later open of the same file use it)."""
    _remembered[str(path)] = key


def read_key_file(file: Path) -> str:
    """The key in ``file``: its first line, without the line ending."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise StorageError(f"cannot read the key file {file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise StorageError(f"the key file {file} is not UTF-8 text") from None
    lines = text.splitlines()
    key = lines[0] if lines else ""
    if not key:
        raise StorageError(f"the key file {file} is empty")
    return key


def find_key(path: Path, given: str | None = None) -> str | None:
    """The key for ``path`` from the sources in the module docstring, or None."""
    if given:
        return given
    if str(path) in _remembered:
        return _remembered[str(path)]
    if os.environ.get(KEY_ENV):
        return os.environ[KEY_ENV]
    if os.environ.get(KEY_FILE_ENV):
        return read_key_file(Path(os.environ[KEY_FILE_ENV]).expanduser())
    return None


def missing_key(path: Path) -> StorageError:
    return StorageError(
        f"{path} is an encrypted database and no key was given; give it with --key-file FILE, "
        f"${KEY_ENV} or ${KEY_FILE_ENV}"
    )


def _quoted(key: str) -> str:
    if "\x00" in key:
        raise StorageError("the key must not contain NUL characters")
    return "'" + key.replace("'", "''") + "'"


def apply_key(connection: Any, key: str, path: Path | str) -> None:
    """Key a fresh DB-API connection and prove the key opens the file.

    Raises :class:`WrongKey` if it does not, and :class:`StorageError` if the library is not
    SQLCipher 4 (a ``PRAGMA key`` that plain SQLite ignores would leave the file in clear).
    """
    cursor = connection.cursor()
    try:
        cursor.execute("PRAGMA cipher_log_level = NONE")
        cursor.execute(f"PRAGMA key = {_quoted(key)}")
        found = cursor.execute("PRAGMA cipher_version").fetchone()
        if not found or not str(found[0]).startswith("4."):
            raise StorageError(
                f"the SQLite library in use is not SQLCipher 4 (cipher_version {found!r}); "
                f"reinstall it with: {INSTALL_HINT}"
            )
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except database_errors() as error:
            if NOT_A_DATABASE in str(error):
                raise WrongKey(str(path)) from None
            raise
    finally:
        cursor.close()


def database_errors() -> tuple[type[Exception], ...]:
    """The DatabaseError classes of sqlite3 and (when installed) SQLCipher, which are unrelated
    classes."""
    import sqlite3

    found: list[type[Exception]] = [sqlite3.DatabaseError]
    with suppress(StorageError):
        found.append(driver().DatabaseError)
    return tuple(found)


def version() -> str:
    """SQLCipher's version, e.g. '4.19.0 community'."""
    connection = driver().connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return str(row[0]) if row else "unknown"


def sqlite_version() -> tuple[int, int, int]:
    """The version of the SQLite that SQLCipher is built on."""
    major, minor, patch = driver().sqlite_version_info
    return int(major), int(minor), int(patch)


@contextmanager
def raw_connection(path: Path | str, key: str | None, **options: Any) -> Iterator[Any]:
    """A DB-API connection to ``path``: keyed SQLCipher if ``key`` is given, else plain
    ``sqlite3``; closed afterwards. Options go to ``connect`` (``timeout``, ``uri``)."""
    if key is None:
        import sqlite3

        connection: Any = sqlite3.connect(path, **options)
    else:
        connection = driver().connect(path, **options)
    try:
        if key is not None:
            apply_key(connection, key, path)
        yield connection
    finally:
        connection.close()


def copy_plain_into(target: Any, source: Path | str) -> None:
    """Copy every table, index, trigger and the user version of the plain SQLite file
    ``source`` into ``target`` (a keyed SQLCipher connection opened with ``uri=True`` to an
    empty file) with ``sqlcipher_export``: the backup API cannot cross between plain and
    encrypted files. The source is only read."""
    target.execute("ATTACH DATABASE ? AS plain KEY ''", (f"file:{source}?mode=ro",))
    try:
        target.execute("SELECT sqlcipher_export('main', 'plain')").fetchall()
        user_version = target.execute("PRAGMA plain.user_version").fetchone()[0]
        target.execute(f"PRAGMA main.user_version = {int(user_version)}")
    finally:
        target.execute("DETACH DATABASE plain")


def is_plain_sqlite(path: Path) -> bool:
    """Whether the file starts with SQLite's plain header (an encrypted file looks random)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def encrypt_file(source: Path, target: Path, key: str) -> None:
    """Write an encrypted copy of the plain engagement database ``source`` to the new file
    ``target`` (0600, written under a temporary name and renamed, so it is whole or absent).
    The source is only read; delete it yourself once the copy is checked — its free pages and
    any backups still hold the plain text."""
    from engagement.storage import Database
    from engagement.transfer import files

    if not key:
        raise StorageError("the new key must not be empty")
    if target.exists():
        raise StorageError(f"{target} already exists; give a new file name for the encrypted copy")
    if not source.is_file():
        raise StorageError(f"there is no database at {source}")
    if not is_plain_sqlite(source):
        raise StorageError(f"{source} is not a plain SQLite database (already encrypted?)")
    plain = Database(f"sqlite:///{source}")
    try:
        plain.quick_check(force=True)
        with plain.serialised(), plain.engine.connect() as connection:
            # Everything into the main file, so a read-only reader sees it all.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        plain.dispose()
    with (
        files.atomic_path(target) as temporary,
        raw_connection(temporary, key, uri=True) as writer,
    ):
        copy_plain_into(writer, source)
        problems = [row[0] for row in writer.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StorageError(f"the encrypted copy failed its check: {problems[0]}")


def rekey(path: Path, old_key: str, new_key: str) -> None:
    """Re-encrypt ``path`` with ``new_key`` in place (SQLCipher rewrites every page in one
    transaction), then truncate the ``-wal`` so no page under the old key is left in it."""
    if not new_key:
        raise StorageError("the new key must not be empty")
    with raw_connection(path, old_key, timeout=30) as connection:
        connection.isolation_level = None
        connection.execute(f"PRAGMA rekey = {_quoted(new_key)}")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with raw_connection(path, new_key) as check:
        problems = [row[0] for row in check.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StorageError(f"{path} failed its check after the key change: {problems[0]}")
