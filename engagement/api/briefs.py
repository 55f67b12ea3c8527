"""Use cases for the briefing pack (docs/briefing.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engagement.api.base import UseCases
from engagement.vocab import Confidentiality

if TYPE_CHECKING:
    from engagement.brief.model import Brief
    from engagement.schemas import InteractionRead


class BriefUseCases(UseCases):
    def brief(
        self,
        stakeholder: str,
        *,
        for_meeting: int | None = None,
        confidentiality_max: Confidentiality | str = Confidentiality.INTERNAL,
    ) -> Brief:
        """The brief on ``stakeholder`` (optionally for the interaction ``for_meeting``), with
        nothing above ``confidentiality_max`` (default internal) in any section."""
        from engagement.api.reports import _cap
        from engagement.brief.build import build

        cap = _cap(confidentiality_max)
        today = self.today()
        return self.db.read(
            lambda s: build(s, stakeholder, today=today, cap=cap, for_meeting=for_meeting)
        )

    def brief_for_meeting(
        self,
        interaction_id: int,
        *,
        confidentiality_max: Confidentiality | str = Confidentiality.INTERNAL,
    ) -> Brief:
        """The brief for a meeting: on its first counterpart organisation (else its first
        participant)."""
        from engagement.vocab import Role, StakeholderKind

        meeting = self.get_interaction_for_brief(interaction_id)
        people = (StakeholderKind.PERSON, StakeholderKind.POST)
        chosen = next(
            (
                p
                for p in meeting.participants
                if p.role is Role.COUNTERPART and p.kind not in people
            ),
            meeting.participants[0],
        )
        return self.brief(
            f"#{chosen.id}", for_meeting=interaction_id, confidentiality_max=confidentiality_max
        )

    def render_brief(self, brief: Brief, fmt: str = "md") -> str | bytes:
        """Markdown or HTML text, or PDF bytes (PDF needs ``engagement[pdf]``)."""
        from engagement.brief.render import render

        return render(brief, fmt)

    def save_brief(self, brief: Brief, folder: Path, fmt: str = "md") -> Path:
        """Write the brief into ``folder`` (created if needed) as
        ``brief-<stakeholder>-<date>.<fmt>``, readable by the owner only; returns the path."""
        from engagement.brief.render import render
        from engagement.transfer.files import safe_join, write_bytes

        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = f"brief-{brief.stakeholder}-{brief.prepared_on.isoformat()}.{fmt}"
        if brief.for_meeting is not None:
            name = f"brief-{brief.stakeholder}-meeting-{brief.for_meeting.id}.{fmt}"
        content = render(brief, fmt)
        data = content.encode("utf-8") if isinstance(content, str) else content
        return write_bytes(safe_join(folder, name), data)

    def get_interaction_for_brief(self, interaction_id: int) -> InteractionRead:
        from engagement.services import interactions

        today = self.today()
        return self.db.read(lambda s: interactions.get(s, interaction_id, today=today))
