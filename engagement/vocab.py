"""The fixed vocabularies of the domain.

They are ``StrEnum`` so that values are plain strings in the database, in JSON and on the command
line, while the code still gets exhaustiveness and typo checking.
"""

from __future__ import annotations

from enum import StrEnum


class StakeholderKind(StrEnum):
    MINISTRY = "ministry"
    GOVERNMENT_OFFICE = "government_office"
    PARLIAMENT = "parliament"
    RELIGIOUS_BODY = "religious_body"
    REGIONAL_ORGANISATION = "regional_organisation"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    EMBASSY = "embassy"
    THINK_TANK = "think_tank"
    ACADEMIA = "academia"
    NATIONAL_SOCIETY = "national_society"
    PRIVATE_SECTOR = "private_sector"
    MEDIA = "media"
    NGO = "ngo"
    PERSON = "person"
    POST = "post"
    """A position at an organisation (its parent) that outlives its holders: see docs/posts.md."""


class InteractionKind(StrEnum):
    MEETING = "meeting"
    CALL = "call"
    VISIT = "visit"
    EVENT = "event"
    CONFERENCE = "conference"
    SEMINAR = "seminar"
    TRAINING = "training"
    CORRESPONDENCE = "correspondence"
    SUBMISSION = "submission"
    AGREEMENT = "agreement"
    OPERATION = "operation"
    OTHER = "other"


class InteractionStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Precision(StrEnum):
    """How exactly a date is known: a moment, a whole day, or only the month."""

    DATETIME = "datetime"
    DAY = "day"
    MONTH = "month"


class Confidentiality(StrEnum):
    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    STRICTLY_CONFIDENTIAL = "strictly_confidential"

    @property
    def rank(self) -> int:
        return _CONFIDENTIALITY_RANK[self]

    def levels_up_to(self) -> list[Confidentiality]:
        """Every level at or below this one: what a cap of ``self`` lets through."""
        return [level for level in Confidentiality if level.rank <= self.rank]


_CONFIDENTIALITY_RANK = {level: index for index, level in enumerate(Confidentiality)}


class Role(StrEnum):
    HOST = "host"
    PARTICIPANT = "participant"
    COUNTERPART = "counterpart"
    OBSERVER = "observer"


class MeetingFormat(StrEnum):
    """How a meeting was held; an interaction logged without one has no format (unknown)."""

    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    SIDELINES = "sidelines"
    VISIT = "visit"
    PHONE = "phone"
    VIDEO = "video"


class Attribution(StrEnum):
    """How the notes of an interaction may be used. ``off_record`` notes never leave the
    database except in the full JSON backup; ``chatham_house`` notes may be used but not
    attributed, so exports say so next to them."""

    ON_RECORD = "on_record"
    CHATHAM_HOUSE = "chatham_house"
    OFF_RECORD = "off_record"


class OwedBy(StrEnum):
    """The direction of a commitment: ``us`` = we owe them, ``them`` = they owe us."""

    US = "us"
    THEM = "them"


class CommitmentStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        """Still to be kept: open or in progress."""
        return self in (CommitmentStatus.OPEN, CommitmentStatus.IN_PROGRESS)


# English whatever the locale: output does not follow LC_TIME. Index 1 is January.
MONTH_NAMES = (
    "",
    *"January February March April May June July August September October November".split(),
    "December",
)
MONTH_ABBREVIATIONS = ("", *(name[:3] for name in MONTH_NAMES[1:]))


def choices(enum: type[StrEnum]) -> str:
    """The allowed values, for error messages: 'a, b or c'."""
    values = [member.value for member in enum]
    return ", ".join(values[:-1]) + " or " + values[-1]
