"""Unsaved form drafts, kept on disk so that an accidental quit loses nothing.

A draft is the JSON of a form's fields, one file per form (``new.json`` for a new interaction,
``edit-<id>.json`` for an edit), under the user's state directory
(``~/.local/state/engagement/drafts`` on Linux). ``$ENGAGEMENT_STATE_DIR`` or the app's
``state_dir`` argument moves it, which is how tests keep their drafts in a temporary folder.
Files are written atomically (temporary file, then rename) and readable by the owner only:
drafts hold confidential notes.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STATE_DIR_VARIABLE = "ENGAGEMENT_STATE_DIR"


def default_state_dir() -> Path:
    configured = os.environ.get(STATE_DIR_VARIABLE)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("engagement", appauthor=False))


@dataclass(frozen=True)
class Draft:
    """A saved form: ``key`` names the form, ``fields`` is what the form gives back to restore."""

    key: str
    fields: dict[str, Any]
    saved_at: datetime

    @property
    def label(self) -> str:
        title = str(self.fields.get("title") or "").strip() or "untitled"
        what = "new interaction" if self.key == "new" else f"edit of interaction {self.key[5:]}"
        return f"“{title}” ({what}, kept {self.saved_at.astimezone():%d %b %H:%M})"


class DraftStore:
    """The drafts folder. Every method swallows disk errors into a ``False``/empty answer:
    a full disk must never stop anyone from typing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path:
        safe = "".join(ch for ch in key if ch.isalnum() or ch in "-_") or "draft"
        return self.folder / f"{safe}.json"

    def save(self, key: str, fields: dict[str, Any]) -> bool:
        document = {"key": key, "saved_at": datetime.now(UTC).isoformat(), "fields": fields}
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".draft-", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(document, stream, ensure_ascii=False, indent=1)
            os.chmod(temporary, 0o600)
            os.replace(temporary, self._path(key))
        except OSError:
            return False
        return True

    def load(self, key: str) -> Draft | None:
        return self._read(self._path(key))

    def discard(self, key: str) -> None:
        with contextlib.suppress(OSError):
            self._path(key).unlink(missing_ok=True)

    def all(self) -> list[Draft]:
        """Every readable draft, newest first (unreadable files are skipped, not fatal)."""
        try:
            paths = sorted(self.folder.glob("*.json"))
        except OSError:
            return []
        drafts = [draft for path in paths if (draft := self._read(path)) is not None]
        return sorted(drafts, key=lambda draft: draft.saved_at, reverse=True)

    @staticmethod
    def _read(path: Path) -> Draft | None:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            saved_at = datetime.fromisoformat(document["saved_at"])
            fields = document["fields"]
            key = str(document["key"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not isinstance(fields, dict):
            return None
        return Draft(key=key, fields=fields, saved_at=saved_at)
