"""Encryption at rest (``engagement[encrypted]``, SQLCipher 4): nothing readable in the file, its
``-wal`` or its backups; a wrong key is a clean error that changes nothing; migrations,
backups, restores, ``encrypt`` and ``rekey`` work on encrypted files.

Without the extra these tests skip — unless ``ENGAGEMENT_REQUIRE_TOOLS=1`` (CI), where a
missing SQLCipher fails them, so the guarantee cannot quietly go untested.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from engagement import encryption
from engagement.cli import main
from engagement.errors import StorageError, WrongKey
from engagement.storage import Database, resolve_url
from engagement.tracker import Tracker
from tests.conftest import fixed_clock
from tests.test_migrations import _check_upgraded, _seed_at_first_revision

KEY = "correct horse battery staple"
OTHER_KEY = "Tr0ub4dor&3 'quoted'"
# Words that must never appear in clear in an encrypted file (names, notes, summaries).
SECRETS = [b"Zubkova", b"Oleksandra", b"corridor-of-cedars", b"NIGHTJAR", b"Kursk"]


@pytest.fixture(autouse=True)
def _need_sqlcipher(monkeypatch: pytest.MonkeyPatch) -> None:
    if not encryption.available():
        message = f"SQLCipher not installed ({encryption.INSTALL_HINT}), skipping"
        if os.environ.get("ENGAGEMENT_REQUIRE_TOOLS") == "1":
            pytest.fail(message.replace("skipping", "and ENGAGEMENT_REQUIRE_TOOLS=1"))
        pytest.skip(message)
    for name in (encryption.KEY_ENV, encryption.KEY_FILE_ENV):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(encryption, "_remembered", {})


def _url(path: Path) -> str:
    return resolve_url(f"sqlcipher:///{path}")


def _fill(tracker: Tracker) -> None:
    tracker.add_stakeholder("Oleksandra Zubkova", kind="person", country="UA", aliases=["NIGHTJAR"])
    tracker.log_interaction(
        "Talks in Kursk",
        with_=["Oleksandra Zubkova"],
        when="June 2025",
        kind="meeting",
        summary="Agreed the corridor-of-cedars route; do not share",
        confidentiality="confidential",
    )


def _bytes(*paths: Path) -> bytes:
    return b"".join(p.read_bytes() for p in paths if p.exists())


def _digest(path: Path) -> str:
    return hashlib.sha256(_bytes(path, Path(f"{path}-wal"))).hexdigest()


@pytest.fixture
def encrypted(tmp_path: Path) -> Iterator[tuple[Path, Tracker]]:
    path = tmp_path / "secret.db"
    with Tracker(_url(path), key=KEY, clock=fixed_clock) as tracker:
        _fill(tracker)
        yield path, tracker


def test_the_bundled_library_is_sqlcipher_4_on_a_sqlite_without_the_wal_reset_bug() -> None:
    from engagement.sqlite_safety import affected_by_wal_reset_bug

    assert encryption.version().startswith("4.")
    assert not affected_by_wal_reset_bug(encryption.sqlite_version())


def test_no_plaintext_in_the_file_its_wal_or_a_backup(
    encrypted: tuple[Path, Tracker], tmp_path: Path
) -> None:
    path, tracker = encrypted
    wal = Path(f"{path}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the secrets were written through the WAL
    backup = tmp_path / "backup.bin"
    tracker.backup(backup)
    for file in (path, wal, backup):
        data = file.read_bytes()
        assert not data.startswith(b"SQLite format 3"), file
        assert [s for s in SECRETS if s in data] == [], file
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    # ...and the data is all there for the right key.
    assert [i.title for i in tracker.history("NIGHTJAR")] == ["Talks in Kursk"]
    assert [h.interaction.title for h in tracker.search("cedars")] == ["Talks in Kursk"]


def test_the_safety_pragmas_hold_on_an_encrypted_connection(
    encrypted: tuple[Path, Tracker],
) -> None:
    _path, tracker = encrypted
    with tracker.db.engine.connect() as connection:
        pragma = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "secure_delete", "foreign_keys", "busy_timeout")
        }
        assert connection.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"
    assert pragma == {
        "journal_mode": "wal",
        "secure_delete": 1,
        "foreign_keys": 1,
        "busy_timeout": 30_000,
    }
    assert dict(tracker.check_storage())["encryption"].startswith("SQLCipher 4.")


def test_a_wrong_or_missing_key_is_a_clean_error_and_changes_nothing(
    encrypted: tuple[Path, Tracker], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path, tracker = encrypted
    tracker.close()
    before = _digest(path)
    with pytest.raises(WrongKey, match="wrong key or not an encrypted database") as wrong:
        Tracker(_url(path), key=OTHER_KEY)
    assert OTHER_KEY not in str(wrong.value)
    with pytest.raises(StorageError, match="no key was given"):
        Tracker(_url(path))
    with pytest.raises(StorageError, match="if it is encrypted, open it as sqlcipher:///"):
        Tracker(str(path))  # opened as a plain file
    plain = tmp_path / "plain.db"
    Tracker(str(plain)).close()
    with pytest.raises(WrongKey):
        Tracker(_url(plain), key=KEY)
    assert _digest(path) == before
    # SQLCipher's own logging (which would scribble over the TUI) stays silent.
    assert "ERROR" not in capfd.readouterr().err
    with Tracker(_url(path), key=KEY) as again:
        assert again.get_stakeholder("NIGHTJAR").name == "Oleksandra Zubkova"


def test_the_cli_reports_a_wrong_key_in_one_line_without_the_key(
    encrypted: tuple[Path, Tracker], tmp_path: Path
) -> None:
    path, tracker = encrypted
    tracker.close()
    wrong = tmp_path / "wrong.key"
    wrong.write_text(OTHER_KEY + "\n")
    runner = CliRunner()
    result = runner.invoke(
        main, ["--db", f"sqlcipher:///{path}", "--key-file", str(wrong), "stakeholder", "list"]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: cannot open {path}: wrong key or not an encrypted database; nothing was changed"
    ]
    no_key = runner.invoke(main, ["--db", f"sqlcipher:///{path}", "stakeholder", "list"])
    assert no_key.exit_code == 1 and "no key was given" in no_key.output
    right = runner.invoke(
        main,
        ["--db", f"sqlcipher:///{path}", "stakeholder", "list", "--json"],
        env={encryption.KEY_ENV: KEY},
    )
    assert right.exit_code == 0 and "Oleksandra Zubkova" in right.output


def test_a_key_in_the_url_is_used_but_never_shown(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    database = Database(f"sqlite+pysqlcipher://:{KEY.replace(' ', '%20')}@/{path}")
    try:
        assert KEY not in database.url and "%20" not in database.url
        assert database.sqlite_path() == path
    finally:
        database.dispose()


def test_a_migration_runs_on_an_encrypted_file_and_its_safety_copy_is_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(encryption.KEY_ENV, KEY)
    path = tmp_path / "old.db"
    url = _url(path)
    _seed_at_first_revision(url)
    _check_upgraded(url)
    safety = path.with_name("old.db.before-0001.bak")
    data = safety.read_bytes()
    assert b"Russian Red Cross" not in data and not data.startswith(b"SQLite format 3")
    assert b"Russian Red Cross" not in _bytes(path, Path(f"{path}-wal"))


def test_backup_and_restore_round_trip_between_encrypted_files(
    encrypted: tuple[Path, Tracker], tmp_path: Path
) -> None:
    _path, tracker = encrypted
    backup = tmp_path / "backup.bin"
    tracker.backup(backup)
    expected = tracker.dump_json(confidentiality_max=None)
    target = tmp_path / "restored.db"
    with Tracker(_url(target), key=KEY, clock=fixed_clock) as restored:
        summary = restored.restore(backup)
        assert summary.method == "sqlite-backup" and summary.interactions == 1
        assert restored.dump_json(confidentiality_max=None) == expected
        assert [h.interaction.title for h in restored.search("cedars")] == ["Talks in Kursk"]
    assert [s for s in SECRETS if s in _bytes(target, Path(f"{target}-wal"))] == []
    # Under another key the backup does not open, and the target is left as it was.
    other = tmp_path / "other.db"
    with Tracker(_url(other), key=OTHER_KEY, clock=fixed_clock) as wrong:
        wrong.add_stakeholder("Kept", kind="ngo")
        with pytest.raises(WrongKey):
            wrong.restore(backup, force=True)
        assert [s.name for s in wrong.list_stakeholders()] == ["Kept"]


def test_a_plain_backup_restores_into_an_encrypted_database_encrypted(
    tmp_path: Path,
) -> None:
    plain_backup = tmp_path / "plain-backup.db"
    with Tracker(str(tmp_path / "plain.db"), clock=fixed_clock) as plain:
        _fill(plain)
        plain.backup(plain_backup)
        expected = plain.dump_json(confidentiality_max=None)
    assert b"Zubkova" in plain_backup.read_bytes()
    target = tmp_path / "enc.db"
    with Tracker(_url(target), key=KEY, clock=fixed_clock) as restored:
        restored.restore(plain_backup)
        assert restored.dump_json(confidentiality_max=None) == expected
        assert [h.interaction.title for h in restored.search("cedars")] == ["Talks in Kursk"]
    assert [s for s in SECRETS if s in _bytes(target, Path(f"{target}-wal"))] == []


def test_encrypt_a_plain_database_then_change_its_key(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    with Tracker(str(plain), clock=fixed_clock) as tracker:
        _fill(tracker)
        expected = tracker.dump_json(confidentiality_max=None)
    first, second = tmp_path / "first.key", tmp_path / "second.key"
    first.write_text(KEY + "\n")
    second.write_text(OTHER_KEY + "\n")
    target = tmp_path / "enc.db"
    runner = CliRunner()
    made = runner.invoke(main, ["encrypt", str(plain), str(target), "--new-key-file", str(first)])
    assert made.exit_code == 0, made.output
    assert KEY not in made.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [s for s in SECRETS if s in target.read_bytes()] == []
    again = runner.invoke(main, ["encrypt", str(plain), str(target), "--new-key-file", str(first)])
    assert again.exit_code == 1 and "already exists" in again.output
    with Tracker(_url(target), key=KEY, clock=fixed_clock) as tracker:
        assert tracker.dump_json(confidentiality_max=None) == expected
    db = ["--db", f"sqlite+pysqlcipher:///{target}"]
    changed = runner.invoke(
        main, [*db, "--key-file", str(first), "rekey", "--new-key-file", str(second)]
    )
    assert changed.exit_code == 0, changed.output
    with pytest.raises(WrongKey):
        Tracker(_url(target), key=KEY)
    with Tracker(_url(target), key=OTHER_KEY, clock=fixed_clock) as tracker:
        assert tracker.dump_json(confidentiality_max=None) == expected
    assert [s for s in SECRETS if s in _bytes(target, Path(f"{target}-wal"))] == []
    not_encrypted = runner.invoke(
        main, ["--db", str(plain), "rekey", "--new-key-file", str(second)]
    )
    assert not_encrypted.exit_code == 1 and "not an encrypted database" in not_encrypted.output


def test_two_trackers_write_the_same_encrypted_file(encrypted: tuple[Path, Tracker]) -> None:
    path, tracker = encrypted
    with Tracker(_url(path), key=KEY, clock=fixed_clock) as second:
        for number in range(5):
            tracker.add_stakeholder(f"First {number}", kind="ngo")
            second.add_stakeholder(f"Second {number}", kind="ngo")
        assert len(second.list_stakeholders()) == 11


async def test_the_tui_shows_a_wrong_key_as_a_notification_and_nothing_on_stderr(
    encrypted: tuple[Path, Tracker],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    from tests.test_tui_support import notifications, screen_text, settle, tui

    path, tracker = encrypted
    tracker.close()
    monkeypatch.setenv(encryption.KEY_ENV, OTHER_KEY)
    app = tui(f"sqlcipher:///{path}", tmp_path)
    async with app.run_test() as pilot:
        await settle(pilot)
        messages = notifications(app)
        assert any("wrong key or not an encrypted database" in m for m in messages), messages
        assert not any(OTHER_KEY in m for m in messages)
        assert "Traceback" not in screen_text(app)
    assert capfd.readouterr().err == ""
