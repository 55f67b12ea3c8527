"""Realistic synthetic data at scale, loaded fast, for the benchmark.

Everything a delegation's log holds appears: every stakeholder kind, names in Latin and Cyrillic
script, people with positions, interactions with one to six stakeholders (a few "key"
stakeholders appear in thousands), tags, notes of about 300 characters drawn from a Zipf word
distribution, all date precisions, some recurring and confidential items.

Rows go in with Core ``executemany`` in one transaction; the search index and the maintained
contact columns are built once after loading instead of row by row, which is what keeps the load
above 100,000 rows a second on SQLite.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text, update
from sqlalchemy.engine import Connection

from engagement import fulltext
from engagement.models import (
    Affiliation,
    Interaction,
    InteractionDocument,
    InteractionStakeholder,
    InteractionTag,
    Stakeholder,
    StakeholderAlias,
)
from engagement.names import fold_name
from engagement.services import search_index
from engagement.storage import Database
from engagement.vocab import Confidentiality, InteractionKind, InteractionStatus, StakeholderKind

CHUNK = 20_000
START = date(2015, 1, 1)
DAYS = 4000

_LATIN = "ka ri mo sa ve lo ta ni de ro ma li no pe su ra vi ko le za".split()
_CYRILLIC = "ка ри мо са ве ло та ни де ро ма ли но пе су ра ви ко ле за".split()
_ORG_WORDS = (
    "Ministry Office Council Committee Institute Foundation Centre Society Union Association "
    "Academy Agency Service Assembly Club Bureau"
).split()
_TOPICS = (
    "humanitarian detention missing family tracing water health cash livelihood protection ihl "
    "dialogue law emblem forensic repatriation training first-aid volunteers migration cyber "
    "displacement children prisoners visits logistics convoy assistance exchange cooperation "
    "legal advice drafting review seminar conference panel agreement memorandum budget report"
).split()
_TAGS = "pow missing rfl ihl health cash protection forensic cyber legal detention".split()
_COUNTRIES = "RU BY CH QA TR GB FR DE CN IN KZ UZ KG TJ AM AZ GE MD UA US".split()


@dataclass
class GenerateReport:
    stakeholders: int = 0
    interactions: int = 0
    rows: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def generate(
    db: Database, *, stakeholders: int, interactions: int, seed: int = 1
) -> GenerateReport:
    """Fill ``db`` (which should be empty) with synthetic data; returns counts and timings."""
    rng = random.Random(seed)
    report = GenerateReport(stakeholders=stakeholders, interactions=interactions)
    started = time.perf_counter()
    words = _zipf_vocabulary(rng)
    now = datetime.now(UTC)
    with db.connect_write() as connection:
        dialect = connection.dialect.name
        _drop_text_index(connection, dialect)
        phase = time.perf_counter()
        names = _insert_stakeholders(connection, rng, stakeholders, now, report)
        report.phases["stakeholders"] = time.perf_counter() - phase
        phase = time.perf_counter()
        stats = _insert_interactions(connection, rng, names, interactions, words, now, report)
        report.phases["interactions"] = time.perf_counter() - phase
        phase = time.perf_counter()
        _update_contacts(connection, stats)
        report.phases["contacts"] = time.perf_counter() - phase
        phase = time.perf_counter()
        search_index.index_stakeholders(connection, range(1, stakeholders + 1))
        report.phases["name index"] = time.perf_counter() - phase
        phase = time.perf_counter()
        _create_text_index(connection, dialect)
        report.phases["text index"] = time.perf_counter() - phase
    if db.is_sqlite:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    report.seconds = time.perf_counter() - started
    return report


def _zipf_vocabulary(rng: random.Random) -> list[str]:
    """A vocabulary whose word frequencies follow Zipf's law (rank r drawn ∝ 1/r)."""
    extra = ["".join(rng.choice(_LATIN) for _ in range(rng.randint(2, 4))) for _ in range(4000)]
    vocabulary = _TOPICS + extra
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return rng.choices(vocabulary, weights=weights, k=200_000)


def _name(rng: random.Random, cyrillic: bool, parts: int) -> str:
    syllables = _CYRILLIC if cyrillic else _LATIN
    words = ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(parts)]
    return " ".join(word.capitalize() for word in words)


def _insert_stakeholders(
    connection: Connection, rng: random.Random, count: int, now: datetime, report: GenerateReport
) -> list[str]:
    kinds = list(StakeholderKind)
    rows: list[dict[str, Any]] = []
    aliases: list[dict[str, Any]] = []
    names: list[str] = []
    seen: set[str] = set()
    for index in range(1, count + 1):
        kind = StakeholderKind.PERSON if index % 3 == 0 else kinds[index % len(kinds)]
        cyrillic = index % 4 == 0
        while True:
            if kind is StakeholderKind.PERSON:
                name = _name(rng, cyrillic, 2)
            else:
                name = f"{rng.choice(_ORG_WORDS)} {_name(rng, cyrillic, 2)}"
            key = fold_name(name)
            if key not in seen:
                seen.add(key)
                break
        names.append(name)
        parent = (
            rng.randint(1, index - 1)
            if kind is not StakeholderKind.PERSON and index > 50 and index % 7 == 0
            else None
        )
        rows.append(
            {
                "id": index,
                "name": name,
                "name_key": key,
                "kind": kind.value,
                "country": rng.choice(_COUNTRIES),
                "parent_id": parent,
                "notes": "",
                "archived": index % 97 == 0,
                "interaction_count": 0,
                "ongoing": False,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        if index % 5 == 0:
            short = "".join(word[0] for word in name.split()).upper() + str(index)
            aliases.append({"stakeholder_id": index, "alias": short, "alias_key": fold_name(short)})
        if len(rows) >= CHUNK:
            connection.execute(insert(Stakeholder), rows)
            report.rows += len(rows)
            rows = []
    if rows:
        connection.execute(insert(Stakeholder), rows)
        report.rows += len(rows)
    if aliases:
        connection.execute(insert(StakeholderAlias), aliases)
        report.rows += len(aliases)
    people = [i for i in range(3, count + 1, 3)]
    organisations = [i for i in range(1, count + 1) if i % 3]
    positions = [
        {
            "person_id": person,
            "organisation_id": rng.choice(organisations),
            "title": rng.choice(["Director", "Ambassador", "Head of Unit", "Adviser", "Chair"]),
            "start_on": START + timedelta(days=rng.randint(0, DAYS)),
            "end_on": None,
            "created_at": now,
        }
        for person in people
        if organisations
    ]
    for chunk in _chunks(positions):
        connection.execute(insert(Affiliation), chunk)
        report.rows += len(chunk)
    return names


@dataclass
class _Contact:
    first: date | None = None
    last: date | None = None
    count: int = 0
    ongoing: bool = False


def _insert_interactions(
    connection: Connection,
    rng: random.Random,
    names: list[str],
    count: int,
    words: list[str],
    now: datetime,
    report: GenerateReport,
) -> dict[int, _Contact]:
    stakeholder_count = len(names)
    key_people = list(range(1, min(stakeholder_count, 20) + 1))
    kinds = list(InteractionKind)
    stats: dict[int, _Contact] = {}
    batch: dict[str, list[dict[str, Any]]] = {"i": [], "l": [], "t": [], "d": []}
    for index in range(1, count + 1):
        start = START + timedelta(days=rng.randint(0, DAYS))
        roll = rng.random()
        precision, start_at, end_on, timezone = "day", None, None, None
        if roll < 0.15:
            precision, start = "month", start.replace(day=1)
            last = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        elif roll < 0.55:
            precision, timezone = "datetime", "Europe/Moscow"
            start_at = datetime(
                start.year, start.month, start.day, rng.randint(6, 15), 0, tzinfo=UTC
            )
            last = start
        elif roll < 0.65:
            end_on = start + timedelta(days=rng.randint(1, 10))
            last = end_on
        else:
            last = start
        status = (
            InteractionStatus.HELD.value if start < now.date() else InteractionStatus.PLANNED.value
        )
        if index % 50 == 0:
            status = InteractionStatus.CANCELLED.value
        recurring = index % 5000 == 0
        confidentiality = (
            Confidentiality.CONFIDENTIAL.value
            if index % 20 == 0
            else Confidentiality.STRICTLY_CONFIDENTIAL.value
            if index % 101 == 0
            else Confidentiality.INTERNAL.value
        )
        summary = " ".join(rng.choices(words, k=rng.randint(35, 50)))
        title = (
            f"{rng.choice(kinds).value.capitalize()} on {rng.choice(_TOPICS)} {rng.choice(_TOPICS)}"
        )
        batch["i"].append(
            {
                "id": index,
                "uid": f"{uuid.UUID(int=rng.getrandbits(128))}@bench",
                "title": title,
                "kind": rng.choice(kinds).value,
                "status": status,
                "precision": precision,
                "timezone": timezone,
                "start_on": start,
                "end_on": end_on,
                "last_on": last,
                "start_at": start_at,
                "end_at": None,
                "location": rng.choice(["Moscow", "Minsk", "Geneva", ""]),
                "summary": summary,
                "outcome": "",
                "confidentiality": confidentiality,
                "recurrence": "FREQ=WEEKLY" if recurring else None,
                "logged_by": "bench",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        chosen = {rng.choice(key_people)} if rng.random() < 0.3 else set()
        while len(chosen) < rng.randint(1, 6):
            chosen.add(rng.randint(1, stakeholder_count))
        people = []
        for position, stakeholder in enumerate(sorted(chosen)):
            batch["l"].append(
                {
                    "interaction_id": index,
                    "stakeholder_id": stakeholder,
                    "role": "counterpart",
                    "position": position,
                    "start_on": start,
                }
            )
            people.append(names[stakeholder - 1])
            contact = stats.setdefault(stakeholder, _Contact())
            if status != InteractionStatus.CANCELLED.value:
                contact.count += 1
            if status == InteractionStatus.HELD.value:
                contact.first = start if contact.first is None else min(contact.first, start)
                contact.last = last if contact.last is None else max(contact.last, last)
                contact.ongoing = contact.ongoing or recurring
        tags = rng.sample(_TAGS, rng.randint(0, 3))
        for tag in tags:
            batch["t"].append({"interaction_id": index, "tag": tag})
        document = " ".join([title, summary, *tags, *people])
        batch["d"].append(
            {"interaction_id": index, "document": search_index.document_words(document)}
        )
        if len(batch["i"]) >= CHUNK:
            _flush(connection, batch, report)
    _flush(connection, batch, report)
    return stats


def _flush(
    connection: Connection, batch: dict[str, list[dict[str, Any]]], report: GenerateReport
) -> None:
    for key, table in (
        ("i", Interaction),
        ("l", InteractionStakeholder),
        ("t", InteractionTag),
        ("d", InteractionDocument),
    ):
        if batch[key]:
            connection.execute(insert(table), batch[key])
            report.rows += len(batch[key])
            batch[key] = []


def _update_contacts(connection: Connection, stats: dict[int, _Contact]) -> None:
    statement = (
        update(Stakeholder)
        .where(Stakeholder.id == _bind("sid"))
        .values(
            first_contact_on=_bind("b_first"),
            last_contact_on=_bind("b_last"),
            interaction_count=_bind("b_count"),
            ongoing=_bind("b_ongoing"),
        )
    )
    rows = [
        {
            "sid": sid,
            "b_first": c.first,
            "b_last": c.last,
            "b_count": c.count,
            "b_ongoing": c.ongoing,
        }
        for sid, c in stats.items()
    ]
    for chunk in _chunks(rows):
        connection.execute(statement, chunk)


def _bind(name: str) -> Any:
    from sqlalchemy import bindparam

    return bindparam(name)


def _drop_text_index(connection: Connection, dialect: str) -> None:
    statements = (
        (fulltext.PG_DROP_INDEX,) if dialect == "postgresql" else fulltext.SQLITE_DROP_TRIGGERS
    )
    for statement in statements:
        connection.execute(text(statement))


def _create_text_index(connection: Connection, dialect: str) -> None:
    if dialect == "postgresql":
        connection.execute(text(fulltext.PG_CREATE_INDEX))
        return
    connection.execute(text(fulltext.SQLITE_REBUILD))
    for statement in fulltext.SQLITE_TRIGGERS:
        connection.execute(text(statement))


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]
