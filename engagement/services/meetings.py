"""Meeting metadata on interactions: format, languages, their delegation.

The scalar fields (format, sidelines event, interpreter, attribution) are columns of the
interaction; languages are a child table and "their delegation" is a flag on the
interaction's stakeholder links, so that a delegate is always one of the stakeholders met.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from engagement.errors import ValidationFailed
from engagement.models import Interaction, InteractionLanguage
from engagement.schemas import InteractionUpdate, ParticipantIn
from engagement.services.resolve import resolve
from engagement.vocab import MeetingFormat


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
