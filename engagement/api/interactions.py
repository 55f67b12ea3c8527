"""Use cases on interactions, follow-ups, history and what is coming up."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from engagement.api.base import UseCases
from engagement.schemas import (
    FollowUpCreate,
    FollowUpRead,
    InteractionCreate,
    InteractionRead,
    InteractionUpdate,
    Upcoming,
    validated,
)
from engagement.vocab import MeetingFormat


class InteractionUseCases(UseCases):
    # --- interactions -----------------------------------------------------------------

    def log_interaction(
        self,
        title: str,
        *,
        with_: Sequence[str | dict[str, Any]],
        when: str,
        until: str | None = None,
        timezone: str | None = None,
        **fields: Any,
    ) -> InteractionRead:
        """Log an interaction. ``when``/``until`` take the forms people write ("16 May 2025",
        "2025-05", "June 30 to July 8", "tomorrow 15:00 Europe/Moscow"); other keyword
        arguments are the fields of :class:`engagement.schemas.InteractionCreate`."""
        data = validated(
            InteractionCreate,
            {
                "title": title,
                "stakeholders": list(with_),
                "when": when,
                "until": until,
                "timezone": timezone,
                **fields,
            },
        )
        return self.log(data)

    def log(self, data: InteractionCreate) -> InteractionRead:
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.log(s, data, now=now))

    def update_interaction(self, interaction_id: int, /, **changes: Any) -> InteractionRead:
        data = validated(InteractionUpdate, changes)
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.update_(s, interaction_id, data, now=now))

    def cancel_interaction(self, interaction_id: int) -> InteractionRead:
        from engagement.services import interactions

        now = self.now()
        return self.db.write(lambda s: interactions.cancel(s, interaction_id, now=now))

    def get_interaction(self, interaction_id: int) -> InteractionRead:
        from engagement.services import interactions

        today = self.today()
        return self.db.read(lambda s: interactions.get(s, interaction_id, today=today))

    # --- follow-ups -------------------------------------------------------------------

    def add_follow_up(
        self, interaction_id: int, text: str, *, due: date | str | None = None, owner: str = ""
    ) -> FollowUpRead:
        data = validated(FollowUpCreate, {"text": text, "due": due, "owner": owner})
        from engagement.services import followups

        today = self.today()
        return self.db.write(lambda s: followups.add(s, interaction_id, data, today=today))

    def complete_follow_up(self, follow_up_id: int, *, done: bool = True) -> FollowUpRead:
        from engagement.services import followups

        today = self.today()
        return self.db.write(lambda s: followups.complete(s, follow_up_id, done=done, today=today))

    # --- looking back and ahead -------------------------------------------------------

    def history(
        self,
        name: str,
        *,
        start: date | None = None,
        end: date | None = None,
        include_related: bool = False,
        limit: int | None = None,
        offset: int = 0,
        meeting_format: MeetingFormat | str | None = None,
        sidelines_of: str | None = None,
    ) -> list[InteractionRead]:
        from engagement.services import history, meetings

        wanted = meetings.parse_format(meeting_format)
        today = self.today()
        return self.db.read(
            lambda s: history.history(
                s,
                name,
                today=today,
                start=start,
                end=end,
                include_related=include_related,
                limit=limit,
                offset=offset,
                meeting_format=wanted,
                sidelines_of=sidelines_of,
            )
        )

    def upcoming(self, days: int = 14) -> Upcoming:
        """Interactions and due follow-ups in the next ``days`` days
        (:class:`engagement.schemas.Upcoming`)."""
        from engagement.services import history

        now = self.now()
        return self.db.read(lambda s: history.upcoming(s, now=now, days=days))

    def recent(self, limit: int = 10) -> list[InteractionRead]:
        """The latest interactions that have started, newest first."""
        from engagement.services import history

        today = self.today()
        return self.db.read(lambda s: history.recent(s, today=today, limit=limit))
