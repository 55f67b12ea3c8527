"""Backups, dumps, CSV files and merges at the boundary.

The dump models describe the logical JSON dump (``engagement export json``): one item per row
of each table, cross-referenced by the ids they had in the database that wrote them. They are
what a dump is validated against before a single row is written, with the same text cleaning as
every other input, so a hand-edited dump cannot smuggle control characters in.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from engagement.countries import normalise_country
from engagement.dates import Period, load_zone
from engagement.errors import ValidationFailed
from engagement.schemas.base import Line, Name, Tag, Text, _Input, clean_line
from engagement.schemas.interactions import _check_rrule
from engagement.schemas.stakeholders import Email, Score
from engagement.vocab import (
    Attribution,
    CommitmentStatus,
    Confidentiality,
    InteractionKind,
    InteractionStatus,
    MeetingFormat,
    OwedBy,
    Precision,
    Role,
    StakeholderKind,
)

DUMP_FORMAT = "engagement-dump"
DUMP_VERSION = 1

Id = Annotated[int, Field(ge=1)]
Title = Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=500)]
Place = Annotated[str, BeforeValidator(clean_line), Field(max_length=500)]


class DumpStakeholder(_Input):
    id: Id
    name: Name
    kind: StakeholderKind
    country: str | None = None
    email: Email | None = None
    parent_id: Id | None = None
    notes: Text = ""
    archived: bool = False
    influence: Score | None = None
    interest: Score | None = None
    aliases: list[Name] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    created_at: AwareDatetime
    updated_at: AwareDatetime
    version: Id = 1

    @field_validator("country", mode="before")
    @classmethod
    def _country(cls, value: Any) -> Any:
        return normalise_country(value) if isinstance(value, str) else value


class DumpAffiliation(_Input):
    id: Id
    person_id: Id
    organisation_id: Id
    title: Name
    start: date | None = None
    end: date | None = None
    created_at: AwareDatetime


class DumpParticipant(_Input):
    stakeholder_id: Id
    role: Role = Role.COUNTERPART
    delegate: bool = False
    via_post_id: Id | None = None


class DumpTenure(_Input):
    id: Id
    post_id: Id
    person_id: Id
    start: date | None = None
    start_precision: Literal[Precision.DAY, Precision.MONTH] = Precision.DAY
    end: date | None = None
    end_precision: Literal[Precision.DAY, Precision.MONTH] = Precision.DAY
    created_at: AwareDatetime


class DumpFollowUp(_Input):
    id: Id
    text: Annotated[Text, Field(min_length=1)]
    due: date | None = None
    owner: Line = ""
    done: bool = False
    done_at: AwareDatetime | None = None
    created_at: AwareDatetime


class DumpInteraction(_Input):
    id: Id
    uid: Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=200)]
    title: Title
    kind: InteractionKind
    status: InteractionStatus
    precision: Precision
    timezone: str | None = None
    start: str
    end: str | None = None
    location: Place = ""
    summary: Text = ""
    outcome: Text = ""
    confidentiality: Confidentiality
    recurrence: str | None = None
    source_sequence: int | None = None
    logged_by: Line = ""
    participants: list[DumpParticipant] = Field(default_factory=list)
    tags: list[Tag] = Field(default_factory=list)
    staff: list[Name] = Field(default_factory=list)
    follow_ups: list[DumpFollowUp] = Field(default_factory=list)
    meeting_format: MeetingFormat | None = None
    sidelines_of: Annotated[str, BeforeValidator(clean_line), Field(max_length=300)] | None = None
    languages: list[
        Annotated[str, BeforeValidator(clean_line), Field(min_length=1, max_length=64)]
    ] = Field(default_factory=list)
    interpreter: bool = False
    attribution: Attribution = Attribution.ON_RECORD
    created_at: AwareDatetime
    updated_at: AwareDatetime
    version: Id = 1
    _period: Period | None = PrivateAttr(default=None)

    @field_validator("recurrence")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        try:
            return _check_rrule(value)
        except ValidationFailed as error:  # named as in the file, not as the CLI option
            raise ValidationFailed("recurrence", error.value, error.problem) from None

    @model_validator(mode="after")
    def _valid_period(self) -> DumpInteraction:
        self._period = period_from_iso(self.precision, self.timezone, self.start, self.end)
        return self

    def period(self) -> Period:
        """The stored period, rebuilt from the ISO text written at the dump's precision
        (once, by the validator: the loader asks again for every row)."""
        if self._period is None:
            self._period = period_from_iso(self.precision, self.timezone, self.start, self.end)
        return self._period


def period_from_iso(
    precision: Precision, timezone: str | None, start: str, end: str | None
) -> Period:
    """A period from ISO text at its precision ('2025-05', '2025-05-16',
    '2025-05-16T10:00:00+03:00'): the exchange form of dumps and CSV exports."""
    zone = _zone(timezone) if timezone else None
    first = _moment(start, precision, "start")
    last = None if end is None else _moment(end, precision, "end")
    if precision is Precision.DATETIME:
        if zone is None or not isinstance(first, datetime):
            return Period(start=first, end=last, precision=precision, timezone=timezone)
        # Already checked by _moment: aware datetimes. Put them in their zone, as the
        # Period's own validator does.
        first = first.astimezone(zone)
        if isinstance(last, datetime):
            last = last.astimezone(zone)
    if last is None or _order(last) >= _order(first):
        # Everything Period's validator checks holds: skip running it again for each of a
        # dump's million rows (it costs more than the rest of the item's validation).
        return Period.model_construct(start=first, end=last, precision=precision, timezone=timezone)
    return Period(start=first, end=last, precision=precision, timezone=timezone)


def _order(value: date | datetime) -> tuple[int, date | datetime]:
    """Dates and aware datetimes do not compare with each other; _moment gives one kind per
    precision, so this only keeps the type checker honest."""
    return (1, value) if isinstance(value, datetime) else (0, value)


@functools.lru_cache(maxsize=256)
def _zone(name: str) -> ZoneInfo:
    return load_zone(name)


def _moment(text: str, precision: Precision, field: str) -> date | datetime:
    try:
        if precision is Precision.MONTH:
            year, month = text.split("-")
            return date(int(year), int(month), 1)
        if precision is Precision.DAY:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{field} {text!r} is not an ISO {precision.value} (e.g. 2025-05, 2025-05-16, "
            "2025-05-16T10:00:00+03:00)"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(f"{field} {text!r} has no UTC offset")
    return moment


class DumpMerge(_Input):
    id: Id
    keep_id: Id
    dropped_id: Id
    dropped_name: Name
    details: dict[str, Any]
    merged_at: AwareDatetime
    undone_at: AwareDatetime | None = None


class DumpCommitment(_Input):
    id: Id
    text: Annotated[Text, Field(min_length=1)]
    owed_by: OwedBy
    owner: Line = ""
    due: date | None = None
    status: CommitmentStatus = CommitmentStatus.OPEN
    interaction_id: Id | None = None
    confidentiality: Confidentiality
    made_on: date
    closed_on: date | None = None
    stakeholder_ids: list[Id] = Field(min_length=1)
    created_at: AwareDatetime
    updated_at: AwareDatetime
    version: Id = 1


class DumpDocument(_Input):
    """A whole logical dump; ``confidentiality_max`` is None for a full one (a backup)."""

    model_config = ConfigDict(populate_by_name=True)

    format: Literal["engagement-dump"]
    version: Literal[1]
    schema_revision: str = Field(alias="schema")
    exported_at: AwareDatetime
    confidentiality_max: Confidentiality | None = None
    withheld_interactions: int = 0
    stakeholders: list[DumpStakeholder] = Field(default_factory=list)
    affiliations: list[DumpAffiliation] = Field(default_factory=list)
    tenures: list[DumpTenure] = Field(default_factory=list)
    interactions: list[DumpInteraction] = Field(default_factory=list)
    commitments: list[DumpCommitment] = Field(default_factory=list)
    merges: list[DumpMerge] = Field(default_factory=list)


# --- what the transfer use cases report -------------------------------------------------


class DumpImportReport(BaseModel):
    """What a JSON import did (or, with ``dry_run``, would do)."""

    source: str
    mode: Literal["empty", "merge", "replace"]
    dry_run: bool = False
    stakeholders_added: int = 0
    stakeholders_existing: int = 0
    affiliations_added: int = 0
    affiliations_existing: int = 0
    tenures_added: int = 0
    tenures_existing: int = 0
    interactions_added: int = 0
    interactions_existing: int = 0
    follow_ups_added: int = 0
    commitments_added: int = 0
    commitments_existing: int = 0
    merges_added: int = 0
    merges_skipped: int = 0


class ExportSummary(BaseModel):
    path: str
    format: Literal["json", "csv"]
    kind: str
    confidentiality_max: Confidentiality | None
    stakeholders: int = 0
    interactions: int = 0
    withheld_interactions: int = 0
    """Interactions above the confidentiality cap, left out of the file."""


class BackupSummary(BaseModel):
    path: str
    method: Literal["sqlite-backup", "json-dump"]
    schema_revision: str
    bytes: int


class RestoreSummary(BaseModel):
    source: str
    method: Literal["sqlite-backup", "json-dump"]
    schema_revision: str
    replaced_data: bool
    safety_copy: str | None = None
    """Where the data that was replaced went (SQLite, with ``--force``)."""
    stakeholders: int = 0
    interactions: int = 0


class CsvRowResult(BaseModel):
    row: int
    """The row as a spreadsheet numbers it: the header is row 1."""
    action: Literal["add", "update", "unchanged", "error"]
    label: str
    changes: list[str] = Field(default_factory=list)
    problem: str = ""


class CsvImportReport(BaseModel):
    source: str
    kind: Literal["stakeholders", "interactions"]
    dry_run: bool
    rows: list[CsvRowResult] = Field(default_factory=list)
    ignored_columns: list[str] = Field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


class MergeRead(BaseModel):
    id: int
    keep_id: int
    keep_name: str
    dropped_id: int
    dropped_name: str
    merged_at: datetime
    undone_at: datetime | None
    interactions_moved: int
    affiliations_moved: int
    aliases_added: list[str]
    children_moved: int
    restored_id: int | None = None
    """After an unmerge: the id the dropped stakeholder came back with."""


class DuplicatePair(BaseModel):
    """Two stakeholders that look like one: merging ``drop_id`` into ``keep_id`` is the
    suggestion (the one with more history is kept)."""

    keep_id: int
    keep_name: str
    drop_id: int
    drop_name: str
    score: float
