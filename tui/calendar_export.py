"""Writing a calendar file through the library's ``Tracker.export_ics`` (issue 4).

The dialog's choices are passed as the keyword arguments ``export_ics`` accepts (checked against
its signature, so the dialog keeps working while that API grows). One interaction is exported by
narrowing the export to its days and first counterpart, then keeping only the calendar
components that belong to it (its ``UID``, or the opaque one a redacted copy carries, and the
follow-ups ``RELATED-TO`` it): the facade has no "these interactions only" option yet.
"""

from __future__ import annotations

import inspect
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_COMPONENT = re.compile(rb"BEGIN:(VEVENT|VTODO)\r?\n.*?END:\1\r?\n", re.DOTALL)


@dataclass(frozen=True)
class Written:
    path: Path
    events: int
    todos: int
    notes: list[str]

    def message(self) -> str:
        what = f"{self.events} event{'s' if self.events != 1 else ''}"
        if self.todos:
            what += f" and {self.todos} follow-up{'s' if self.todos != 1 else ''}"
        return "; ".join([f"Exported {what} to {self.path}", *self.notes])


def export_calendar(tracker: Any, choices: dict[str, Any], path: Path) -> Written:
    """Export what ``choices`` select and write it to ``path`` (0600, like the CLI does)."""
    from engagement.errors import EngagementError

    export = getattr(tracker, "export_ics", None)
    if export is None:
        raise EngagementError(
            "calendar export is not available in this version of engagement yet; "
            "nothing was written"
        )
    wanted = dict(choices)
    only = wanted.pop("interaction_ids", None)
    uids: set[str] = set()
    if only:
        item = tracker.get_interaction(only[0])
        uids = _uids_of(item.uid)
        wanted["start"] = item.period.first_day()
        wanted["end"] = item.period.last_day()
        if item.participants:
            wanted["stakeholders"] = [f"#{item.participants[0].id}"]
    parameters = inspect.signature(export).parameters
    open_ended = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    result = export(**{k: v for k, v in wanted.items() if open_ended or k in parameters})
    data = _content(result)
    if data is None:
        raise EngagementError("the calendar export returned nothing to write")
    if uids:
        data = _only(data, uids)
        if b"BEGIN:VEVENT" not in data:
            raise EngagementError(
                _why_not(item, wanted),
            )
    _write_private(path, data)
    return Written(
        path=path,
        events=data.count(b"BEGIN:VEVENT"),
        todos=data.count(b"BEGIN:VTODO"),
        notes=_notes(result, single=bool(only)),
    )


def _why_not(item: Any, wanted: dict[str, Any]) -> str:
    if item.precision == "month":
        return (
            "nothing written: this interaction is known only to the month, "
            "which a calendar cannot hold"
        )
    strict = item.confidentiality.value == "strictly_confidential"
    if strict and not wanted.get("include_confidential"):
        return (
            "nothing written: this interaction is strictly confidential; "
            "tick “confidential interactions” to include it"
        )
    return "nothing written: the calendar export left this interaction out"


def _uids_of(uid: str) -> set[str]:
    from engagement import ical

    return {uid, ical.redacted_uid(uid)}


def _only(data: bytes, uids: set[str]) -> bytes:
    """The calendar with only the components whose UID or RELATED-TO names one of ``uids``."""
    unfolded = re.sub(rb"\r?\n[ \t]", b"", data)

    def belongs(component: bytes) -> bool:
        for line in component.splitlines():
            name, _, value = line.partition(b":")
            if name.split(b";")[0] in (b"UID", b"RELATED-TO"):
                text = value.decode("utf-8", "replace").replace("\\", "")
                if any(text == uid or text.startswith(uid + "-") for uid in uids):
                    return True
        return False

    return _COMPONENT.sub(lambda m: m.group(0) if belongs(m.group(0)) else b"", unfolded)


def _content(result: Any) -> bytes | None:
    if isinstance(result, bytes):
        return result
    if isinstance(result, str):
        return result.encode("utf-8")
    for attribute in ("data", "ics", "text"):
        value = getattr(result, attribute, None)
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
    return None


def _notes(result: Any, *, single: bool) -> list[str]:
    """What the library says it left out or hid, so the user is not surprised."""
    notes: list[str] = []
    redacted = getattr(result, "redacted", 0)
    if isinstance(redacted, int) and redacted:
        notes.append(f"{redacted} confidential shown as busy time only")
    month_only = getattr(result, "left_out_month_only", 0)
    if isinstance(month_only, int) and month_only and not single:
        notes.append(f"{month_only} known only to the month left out")
    hidden = getattr(result, "left_out_confidential", 0)
    if isinstance(hidden, int) and hidden and not single:
        notes.append(f"{hidden} strictly confidential left out")
    warnings = getattr(result, "warnings", [])
    if isinstance(warnings, list):
        notes.extend(str(warning) for warning in warnings[:3])
    return notes


def _write_private(path: Path, data: bytes) -> None:
    from engagement.errors import EngagementError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError as error:
        raise EngagementError(f"cannot write {path}: {error.strerror}") from None
