"""Writing files so that they are private and either complete or absent.

A backup that is half written when the disk fills up or the laptop sleeps is worse than none:
it looks like a backup. So every file is written to a temporary name in the destination folder
(same file system, so the final rename is atomic), flushed to disk, and only then renamed over
the target; the folder is synced so the rename itself survives a crash. Temporary files are made
by :func:`tempfile.mkstemp`, which creates them ``0600`` whatever the umask: exports hold
confidential dialogue and must never be readable by other accounts, not even for a moment.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from engagement.errors import EngagementError, UnsafeExportPath

PRIVATE = 0o600
_PLAIN_NAME = re.compile(r"[^\w.-]+", re.UNICODE)


def check_target(path: Path) -> Path:
    """The absolute target path, or a clear error before any work is done."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise EngagementError(f"{target} is a folder; give a file name, e.g. {target}/export.json")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise EngagementError(f"cannot write {target}: the folder {folder} does not exist")
    return target.absolute()


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A private temporary path beside ``path``; renamed onto ``path`` only if the block ends
    normally (for writers that need a file name, such as SQLite's backup API)."""
    target = check_target(path)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, PRIVATE)
        _fsync_file(temporary)
        os.replace(temporary, target)
        _fsync_folder(target.parent)
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


@contextmanager
def atomic_writer(path: Path, *, encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Write ``path`` atomically and privately as text (see :func:`atomic_path`); newlines are
    written as given, which the csv module needs."""
    with atomic_path(path) as temporary, open(temporary, "w", encoding=encoding, newline="") as out:
        yield out


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, ``0600``."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return check_target(path)


def safe_join(folder: Path, name: str) -> Path:
    """``folder/name`` for a file name made from data (a stakeholder's name, say), which must
    not escape ``folder``: separators, '..' and leading dots are neutralised, and the result is
    checked once more after resolving symlinks."""
    plain = _PLAIN_NAME.sub("_", name).strip("._")[:120]
    if not plain:
        raise UnsafeExportPath(name, str(folder))
    base = Path(folder).resolve()
    candidate = (base / plain).resolve()
    if candidate.parent != base:
        raise UnsafeExportPath(name, str(folder))
    return candidate


def _fsync_file(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover - some file systems refuse to sync a folder
        pass
    finally:
        os.close(descriptor)
