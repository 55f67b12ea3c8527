"""Meeting metadata on interactions: format, languages, their delegation.

The scalar fields (format, sidelines event, interpreter, attribution) are columns of the
interaction; languages are a child table and "their delegation" is a flag on the
interaction's stakeholder links, so that a delegate is always one of the stakeholders met.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import Interaction, InteractionLanguage
from engagement.schemas import InteractionUpdate, ParticipantIn
from engagement.services.resolve import resolve
from engagement.vocab import MeetingFormat, choices


def apply_update(
    session: Session, interaction: Interaction, data: InteractionUpdate, changes: set[str]
) -> None:
    """Meeting metadata from a partial update; ``""`` clears the format or the event."""
    if "meeting_format" in changes and data.meeting_format is not None:
        interaction.meeting_format = data.meeting_format or None
    if "sidelines_of" in changes and data.sidelines_of is not None:
        interaction.sidelines_of = data.sidelines_of or None
        if interaction.sidelines_of and interaction.meeting_format is None:
            interaction.meeting_format = MeetingFormat.SIDELINES.value
    if interaction.sidelines_of and interaction.meeting_format != MeetingFormat.SIDELINES.value:
        if "sidelines_of" in changes:
            raise ValidationFailed(
                "sidelines-of",
                interaction.sidelines_of,
                f"is only for the 'sidelines' format (the format is {interaction.meeting_format})",
            )
        interaction.sidelines_of = None  # a new format that is not "sidelines" drops the event
    if "interpreter" in changes and data.interpreter is not None:
        interaction.interpreter = data.interpreter
    if "attribution" in changes and data.attribution is not None:
        interaction.attribution = data.attribution.value
    if "languages" in changes and data.languages is not None:
        interaction.languages = []
        session.flush()
        interaction.languages = languages(data.languages)
    if "their_delegation" in changes and data.their_delegation is not None:
        present = {link.stakeholder_id for link in interaction.links}
        chosen = set()
        for name in data.their_delegation:
            ident = resolve(session, name, field="their-delegation").id
            if ident not in present:
                raise ValidationFailed(
                    "their-delegation",
                    name,
                    f"is not a stakeholder of interaction {interaction.id}; add them first",
                )
            chosen.add(ident)
        for link in interaction.links:
            link.delegate = link.stakeholder_id in chosen


def languages(names: Sequence[str]) -> list[InteractionLanguage]:
    """Languages in the order given, each once (compared without case)."""
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(name.casefold(), name)
    return [
        InteractionLanguage(language=name, position=index)
        for index, name in enumerate(unique.values())
    ]


def delegates(session: Session, wanted: Sequence[ParticipantIn]) -> set[int]:
    """The ids of the participants given as members of their delegation."""
    return {resolve(session, item.name, field="with").id for item in wanted if item.delegate}


def filters(
    meeting_format: MeetingFormat | None, sidelines_of: str | None
) -> list[ColumnElement[bool]]:
    """Conditions on interactions for ``--format`` and ``--sidelines-of``: the event matches
    when its name contains the text given, ignoring case ("spief" finds "SPIEF 2025")."""
    conditions: list[ColumnElement[bool]] = []
    if meeting_format is not None:
        conditions.append(Interaction.meeting_format == meeting_format.value)
    if sidelines_of:
        pattern = "%" + _escape_like(sidelines_of.strip().lower()) + "%"
        conditions.append(func.lower(Interaction.sidelines_of).like(pattern, escape="\\"))
    return conditions


def parse_format(value: MeetingFormat | str | None) -> MeetingFormat | None:
    """A format from the command line or a caller, with a clear error for a typo."""
    if value is None or value == "":
        return None
    if isinstance(value, MeetingFormat):
        return value
    try:
        return MeetingFormat(str(value).strip().lower())
    except ValueError:
        raise ValidationFailed("format", value, f"is not one of {choices(MeetingFormat)}") from None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
