"""The attribution rule of an interaction's notes, applied wherever data leaves the database.

``on_record`` notes go out as they are; ``chatham_house`` notes go out with a notice that they
may be used but not attributed; ``off_record`` notes (summary and outcome) never go out:
calendars, CSV, reports, the feed and briefs get the interaction without them. Only the full
JSON backup (``export json``), which is the database itself, keeps them.
"""

from __future__ import annotations

from engagement.schemas import InteractionRead
from engagement.vocab import Attribution

NOTICE_PREFIX = "Attribution: "
_NOTICES = {
    Attribution.ON_RECORD: "",
    Attribution.CHATHAM_HOUSE: "Chatham House rule: the notes may be used, not attributed",
    Attribution.OFF_RECORD: "off the record: the notes are not exported",
}


def for_export(item: InteractionRead) -> InteractionRead:
    """The interaction as it may leave the database: off-record notes removed."""
    if item.attribution is Attribution.OFF_RECORD and (item.summary or item.outcome):
        return item.model_copy(update={"summary": "", "outcome": ""})
    return item


def notice(attribution: Attribution) -> str:
    """One line for next to the notes; empty when they are on the record."""
    return _NOTICES[attribution]
