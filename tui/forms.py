"""The interaction form's data, apart from its widgets: what a draft stores, what an edit sends.

Kept pure (no Textual, no database) so the rules — only changed fields are sent, so that
"overwrite" after a conflict keeps a colleague's changes to the other fields; library errors are
routed back to the field they are about — are easy to test.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engagement.schemas import InteractionRead

# Where a library error about a field is shown: the first word of its message names the field.
ERROR_TARGETS = {
    "title": "title",
    "when": "period",
    "until": "period",
    "timezone": "period",
    "period": "period",
    "stakeholders": "stakeholders",
    "with": "stakeholders",
    "add-stakeholder": "stakeholders",
    "remove-stakeholder": "stakeholders",
    "stakeholder": "stakeholders",
    "tags": "tags",
    "location": "location",
    "kind": "kind",
    "status": "kind",
    "confidentiality": "confidentiality",
    "summary": "summary",
    "outcome": "summary",
    "follow_ups": "follow-ups",
    "due": "follow-ups",
    "text": "follow-ups",
    "meeting_format": "meeting",
    "format": "meeting",
    "sidelines-of": "meeting",
    "sidelines_of": "meeting",
    "languages": "meeting",
    "attribution": "meeting",
}
SIMPLE_FIELDS = ("title", "kind", "location", "confidentiality", "summary", "outcome")


@dataclass
class InteractionFields:
    """Everything the form holds, as typed (dates stay text, stakeholders are (ref, name))."""

    title: str = ""
    kind: str = "meeting"
    status: str = ""
    when: str = ""
    until: str = ""
    timezone: str = ""
    location: str = ""
    stakeholders: list[list[str]] = field(default_factory=list)
    tags: str = ""
    confidentiality: str = "internal"
    summary: str = ""
    outcome: str = ""
    follow_ups: list[dict[str, str]] = field(default_factory=list)
    # Meeting metadata: "" is "not recorded" for the format; languages are typed as words.
    meeting_format: str = ""
    sidelines_of: str = ""
    languages: str = ""
    interpreter: bool = False
    attribution: str = "on_record"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> InteractionFields:
        known = {item.name for item in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["stakeholders"] = [
            [str(pair[0]), str(pair[1])]
            for pair in values.get("stakeholders", [])
            if isinstance(pair, (list, tuple)) and len(pair) == 2
        ]
        values["follow_ups"] = [
            {"text": str(row.get("text", "")), "due": str(row.get("due", ""))}
            for row in values.get("follow_ups", [])
            if isinstance(row, dict)
        ]
        return cls(**values)

    @classmethod
    def from_interaction(cls, item: InteractionRead) -> InteractionFields:
        from engagement.quickadd import period_inputs

        when, until, zone = period_inputs(item.period)
        return cls(
            title=item.title,
            kind=item.kind.value,
            status=item.status.value,
            when=when,
            until=until or "",
            timezone=zone or "",
            location=item.location,
            stakeholders=[[f"#{p.id}", p.name] for p in item.participants],
            tags=" ".join(item.tags),
            confidentiality=item.confidentiality.value,
            summary=item.summary,
            outcome=item.outcome,
            meeting_format=item.meeting_format.value if item.meeting_format else "",
            sidelines_of=item.sidelines_of or "",
            languages=", ".join(item.languages),
            interpreter=item.interpreter,
            attribution=item.attribution.value,
        )

    def meeting(self) -> dict[str, Any]:
        """The meeting metadata as keyword arguments of ``Tracker.log_interaction``."""
        return {
            "meeting_format": self.meeting_format or None,
            "sidelines_of": self.sidelines_of.strip() or None,
            "languages": language_list(self.languages),
            "interpreter": self.interpreter,
            "attribution": self.attribution or "on_record",
        }


def language_list(text: str) -> list[str]:
    """ "Russian, English" or "Russian English" as a list, in order."""
    separator = "," if "," in text else None
    return [word.strip() for word in text.split(separator) if word.strip()]


def changes_for_update(
    current: InteractionFields,
    original: InteractionFields,
    period: tuple[str, str | None, str | None],
    tags: list[str],
) -> dict[str, Any]:
    """Keyword arguments for ``Tracker.update_interaction``: only what the user changed.

    ``period`` is the (when, until, timezone) text of the parsed period, sent whenever any of
    the three inputs changed so that the stored period is exactly what the form showed.
    """
    changes: dict[str, Any] = {}
    for name in SIMPLE_FIELDS:
        if getattr(current, name) != getattr(original, name):
            changes[name] = getattr(current, name)
    if current.status != original.status and current.status:
        changes["status"] = current.status
    if (current.when, current.until, current.timezone) != (
        original.when,
        original.until,
        original.timezone,
    ):
        when, until, zone = period
        changes["when"] = when
        changes["until"] = until
        if zone:
            changes["timezone"] = zone
    if tags != _words(original.tags):
        changes["tags"] = tags
    if current.meeting_format != original.meeting_format:
        changes["meeting_format"] = current.meeting_format
    if current.sidelines_of != original.sidelines_of:
        changes["sidelines_of"] = current.sidelines_of.strip()
    if language_list(current.languages) != language_list(original.languages):
        changes["languages"] = language_list(current.languages)
    if current.interpreter != original.interpreter:
        changes["interpreter"] = current.interpreter
    if current.attribution != original.attribution and current.attribution:
        changes["attribution"] = current.attribution
    before = [ref for ref, _ in original.stakeholders]
    after = [ref for ref, _ in current.stakeholders]
    added = [ref for ref in after if ref not in before]
    removed = [ref for ref in before if ref not in after]
    if added:
        changes["add_stakeholders"] = added
    if removed:
        changes["remove_stakeholders"] = removed
    return changes


def route_problems(problems: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """Split library messages ("title: …", "follow_ups.0.due: …") into the form's fields;
    what belongs to no field is returned apart, for a notification."""
    routed: dict[str, list[str]] = {}
    loose: list[str] = []
    for problem in problems:
        head = problem.split(":", 1)[0].strip()
        name = head.split(".", 1)[0].split(" ", 1)[0]
        target = ERROR_TARGETS.get(name)
        if target is None:
            loose.append(problem)
        else:
            routed.setdefault(target, []).append(problem)
    return routed, loose


def _words(text: str) -> list[str]:
    return [word.lstrip("#") for word in text.replace(",", " ").split() if word.lstrip("#")]


@dataclass(frozen=True)
class Payload:
    """What a save sends, read from the widgets on the UI thread before the worker runs
    (a worker thread must not touch widgets)."""

    fields: InteractionFields
    period: tuple[str, str | None, str | None]
    tags: list[str]
    follow_ups: list[dict[str, str | None]]
