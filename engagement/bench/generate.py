"""Realistic synthetic data at scale, loaded fast, for the benchmark.

Everything a delegation's log holds appears: every stakeholder kind, names in Latin and Cyrillic
script, people with positions, interactions with one to six stakeholders (a few "key"
stakeholders appear in thousands), tags, notes of about 300 characters drawn from a Zipf word
distribution, all date precisions, some recurring and confidential items.

What keeps the load above 100,000 rows a second on SQLite:

* rows are plain tuples handed to the driver in one transaction (:mod:`engagement.bench.sink`),
  with the secondary indexes dropped during the load and built once after it, and the full-text
  index built once from the loaded documents;
* the expensive text work — folding, transliteration, search keys — is done once per distinct
  word, name or vocabulary entry (:mod:`engagement.bench.words`) and the per-row documents and
  keys are joined from those pieces; a test checks they equal what the service layer computes;
* the maintained contact columns are computed while generating, in integer day numbers.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from engagement import auditing, link_copies
from engagement.bench.sink import Sink, bulk_transaction, stored_datetime
from engagement.bench.words import NameIndex, Vocabulary
from engagement.storage import Database
from engagement.transfer import bulk_indexes
from engagement.vocab import Confidentiality, InteractionKind, InteractionStatus, StakeholderKind

CHUNK = 20_000
START = date(2015, 1, 1)
DAYS = 4000
_LOADED_TABLES = (
    "stakeholders",
    "stakeholder_aliases",
    "affiliations",
    "stakeholder_keys",
    "stakeholder_tokens",
    "interactions",
    "interaction_stakeholders",
    "interaction_tags",
)
_ORG_WORDS = (
    "Ministry Office Council Committee Institute Foundation Centre Society Union Association "
    "Academy Agency Service Assembly Club Bureau"
).split()
_TAGS = "pow missing rfl ihl health cash protection forensic cyber legal detention".split()
_COUNTRIES = "RU BY CH QA TR GB FR DE CN IN KZ UZ KG TJ AM AZ GE MD UA US".split()
_TITLES = ["Director", "Ambassador", "Head of Unit", "Adviser", "Chair"]
_PLACES = ["Moscow", "Minsk", "Geneva", ""]
_HELD = InteractionStatus.HELD.value
_PLANNED = InteractionStatus.PLANNED.value
_CANCELLED = InteractionStatus.CANCELLED.value


@dataclass
class GenerateReport:
    stakeholders: int = 0
    interactions: int = 0
    rows: int = 0
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    #: This process's CPU seconds per phase: on a shared machine the wall time also counts
    #: other programs' turns (a PostgreSQL server's work is not in here).
    cpu: dict[str, float] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class _Phases:
    def __init__(self, report: GenerateReport) -> None:
        self.report = report
        self.mark = time.perf_counter()
        self.cpu_mark = time.process_time()

    def done(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.report.phases[name] = now - self.mark
        self.report.cpu[name] = cpu - self.cpu_mark
        self.mark, self.cpu_mark = now, cpu


def generate(
    db: Database, *, stakeholders: int, interactions: int, seed: int = 1
) -> GenerateReport:
    """Fill ``db`` (which should be empty) with synthetic data; returns counts and timings."""
    rng = random.Random(seed)
    report = GenerateReport(stakeholders=stakeholders, interactions=interactions)
    started = time.perf_counter()
    now = datetime.now(UTC)
    calendar = _Calendar(now)
    with bulk_transaction(db) as connection:
        sink = Sink(connection)
        phases = _Phases(report)
        bulk_indexes.drop_text_index(connection)
        dropped = bulk_indexes.drop_indexes(connection, _LOADED_TABLES)
        keys = bulk_indexes.drop_foreign_keys(connection, _LOADED_TABLES)
        bulk_indexes.tune_maintenance(connection)
        vocabulary = Vocabulary(rng)
        with auditing.suspended(connection), link_copies.suspended(connection):
            names = _insert_stakeholders(sink, rng, stakeholders, calendar)
            phases.done("stakeholders")
            contacts = _insert_interactions(sink, rng, names, interactions, vocabulary, calendar)
            phases.done("interactions")
            _update_contacts(sink, contacts, calendar)
            phases.done("contacts")
        bulk_indexes.create_indexes(connection, dropped)
        bulk_indexes.create_foreign_keys(connection, keys)
        sink.follow_sequences()
        phases.done("indexes")
        bulk_indexes.create_text_index(connection)
        phases.done("text index")
        if db.is_sqlite:
            # A sampled ANALYZE: the planner needs the statistics, not their last digit.
            connection.exec_driver_sql("PRAGMA analysis_limit = 1000")
            connection.exec_driver_sql("ANALYZE")
            phases.done("analyze")
    phases.done("commit")
    report.rows = sink.rows
    report.seconds = time.perf_counter() - started
    return report


class _Calendar:
    """Days as integers from :data:`START`, with their stored (ISO) forms precomputed."""

    def __init__(self, now: datetime) -> None:
        span = DAYS + 40
        days = [START + timedelta(days=offset) for offset in range(span)]
        self.iso = [day.isoformat() for day in days]
        self.month_start = [offset - (day.day - 1) for offset, day in enumerate(days)]
        self.month_end = [
            offset + ((day.replace(day=28) + timedelta(days=4)).replace(day=1) - day).days - 1
            for offset, day in enumerate(days)
        ]
        self.today = (now.date() - START).days
        self.stamp = stored_datetime(now.astimezone(UTC).replace(tzinfo=None))


def _insert_stakeholders(
    sink: Sink, rng: random.Random, count: int, calendar: _Calendar
) -> NameIndex:
    kinds = list(StakeholderKind)
    names = NameIndex()
    rows: list[tuple[Any, ...]] = []
    aliases: list[tuple[Any, ...]] = []
    stamp = calendar.stamp
    for index in range(1, count + 1):
        kind = StakeholderKind.PERSON if index % 3 == 0 else kinds[index % len(kinds)]
        cyrillic = index % 4 == 0
        prefix = None if kind is StakeholderKind.PERSON else rng.choice(_ORG_WORDS)
        while True:
            words = names.random_words(rng, cyrillic, 2)
            if prefix is not None:
                words = [prefix, *words]
            if names.add(index, words):
                break
        parent = (
            rng.randint(1, index - 1)
            if kind is not StakeholderKind.PERSON and index > 50 and index % 7 == 0
            else None
        )
        rows.append(
            (
                index,
                names.name[index],
                names.key[index],
                kind.value,
                rng.choice(_COUNTRIES),
                parent,
                "",
                1 if index % 97 == 0 else 0,
                0,
                0,
                stamp,
                stamp,
                1,
            )
        )
        if index % 5 == 0:
            alias_id = len(aliases) + 1
            short = names.add_alias(index, str(index))
            aliases.append((alias_id, index, short, names.alias_key(short)))
        if len(rows) >= CHUNK:
            _put_stakeholders(sink, rows)
            rows = []
    _put_stakeholders(sink, rows)
    sink.put("stakeholder_aliases", ("id", "stakeholder_id", "alias", "alias_key"), aliases)
    for chunk in names.index_rows(CHUNK):
        keys, tokens = chunk
        sink.put("stakeholder_keys", ("stakeholder_id", "key", "source"), keys)
        sink.put("stakeholder_tokens", ("stakeholder_id", "token"), tokens)
    organisations = [i for i in range(1, count + 1) if i % 3]
    if organisations:
        positions = [
            (
                number,
                person,
                rng.choice(organisations),
                rng.choice(_TITLES),
                calendar.iso[rng.randint(0, DAYS)],
                None,
                stamp,
            )
            for number, person in enumerate(range(3, count + 1, 3), start=1)
        ]
        columns = ("id", "person_id", "organisation_id", "title", "start_on", "end_on")
        for start in range(0, len(positions), CHUNK):
            sink.put("affiliations", (*columns, "created_at"), positions[start : start + CHUNK])
    return names


def _put_stakeholders(sink: Sink, rows: list[tuple[Any, ...]]) -> None:
    columns = (
        "id name name_key kind country parent_id notes archived interaction_count ongoing "
        "created_at updated_at version"
    ).split()
    sink.put("stakeholders", columns, rows)


@dataclass
class _Contacts:
    """Per stakeholder id, as day numbers (-1: none): what ``refresh_contacts`` computes."""

    first: list[int]
    last: list[int]
    recurring: list[int]
    count: list[int]


#: A link carries its interaction's copied columns (see :mod:`engagement.link_copies`); the
#: generator writes them itself, with the copying triggers suspended for the load.
_LINK_COLUMNS = (
    "interaction_id",
    "stakeholder_id",
    "role",
    "position",
    *link_copies.COPIED,
)

_INTERACTION_COLUMNS = (
    "id uid title kind status precision timezone start_on end_on last_on start_at end_at "
    "location summary outcome confidentiality recurrence logged_by created_at updated_at version"
).split()


def _insert_interactions(
    sink: Sink,
    rng: random.Random,
    names: NameIndex,
    count: int,
    vocabulary: Vocabulary,
    calendar: _Calendar,
) -> _Contacts:
    stakeholder_count = len(names)
    key_people = list(range(1, min(stakeholder_count, 20) + 1))
    kinds = [kind.value for kind in InteractionKind]
    size = stakeholder_count + 1
    contacts = _Contacts([-1] * size, [-1] * size, [-1] * size, [0] * size)
    first, last_seen, recurring_seen, seen = (
        contacts.first,
        contacts.last,
        contacts.recurring,
        contacts.count,
    )
    iso, month_start, month_end = calendar.iso, calendar.month_start, calendar.month_end
    today, stamp = calendar.today, calendar.stamp
    uid_prefix = f"{rng.getrandbits(32):08x}-0000-4000-8000"
    internal = Confidentiality.INTERNAL.value
    confidential = Confidentiality.CONFIDENTIAL.value
    strictly = Confidentiality.STRICTLY_CONFIDENTIAL.value
    rnd, sample = rng.random, rng.sample
    kind_count, key_count = len(kinds), len(key_people)
    items: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    documents: list[tuple[Any, ...]] = []
    for index in range(1, count + 1):
        day = int(rnd() * (DAYS + 1))
        roll = rnd()
        precision, start_at, end_on, timezone = "day", None, None, None
        if roll < 0.15:
            precision, day = "month", month_start[day]
            last = month_end[day]
        elif roll < 0.55:
            precision, timezone = "datetime", "Europe/Moscow"
            start_at = f"{iso[day]} {6 + int(rnd() * 10):02d}:00:00.000000"
            last = day
        elif roll < 0.65:
            last = day + 1 + int(rnd() * 10)
            end_on = iso[last]
        else:
            last = day
        status = _HELD if day < today else _PLANNED
        if index % 50 == 0:
            status = _CANCELLED
        recurring = index % 5000 == 0
        level = confidential if index % 20 == 0 else strictly if index % 101 == 0 else internal
        summary, folded_summary = vocabulary.summary(rnd)
        title, folded_title = vocabulary.title(kinds[int(rnd() * kind_count)], rnd)
        start_on = iso[day]
        kind = kinds[int(rnd() * kind_count)]
        items.append(
            (
                index,
                f"{uid_prefix}-{index:012x}@bench",
                title,
                kind,
                status,
                precision,
                timezone,
                start_on,
                end_on,
                iso[last],
                start_at,
                None,
                _PLACES[int(rnd() * 4)],
                summary,
                "",
                level,
                "FREQ=WEEKLY" if recurring else None,
                "bench",
                stamp,
                stamp,
                1,
            )
        )
        chosen = {key_people[int(rnd() * key_count)]} if rnd() < 0.3 else set()
        wanted = 1 + int(rnd() * 6)
        while len(chosen) < wanted:
            chosen.add(1 + int(rnd() * stakeholder_count))
        held = status == _HELD
        live = status != _CANCELLED
        people = sorted(chosen)
        for position, stakeholder in enumerate(people):
            links.append(
                (
                    index,
                    stakeholder,
                    "counterpart",
                    position,
                    start_on,
                    iso[last],
                    status,
                    kind,
                    level,
                )
            )
            if live:
                seen[stakeholder] += 1
            if held:
                if first[stakeholder] < 0 or day < first[stakeholder]:
                    first[stakeholder] = day
                if recurring:
                    recurring_seen[stakeholder] = max(recurring_seen[stakeholder], day)
                elif last > last_seen[stakeholder]:
                    last_seen[stakeholder] = last
        tag_count = int(rnd() * 4)
        chosen_tags = sample(_TAGS, tag_count) if tag_count else []
        for tag in chosen_tags:
            tags.append((index, tag))
        documents.append((index, names.document(folded_title, folded_summary, chosen_tags, people)))
        if len(items) >= CHUNK:
            _flush(sink, items, links, tags, documents)
    _flush(sink, items, links, tags, documents)
    return contacts


def _flush(
    sink: Sink,
    items: list[tuple[Any, ...]],
    links: list[tuple[Any, ...]],
    tags: list[tuple[Any, ...]],
    documents: list[tuple[Any, ...]],
) -> None:
    sink.put("interactions", _INTERACTION_COLUMNS, items)
    sink.put(
        "interaction_stakeholders",
        _LINK_COLUMNS,
        links,
    )
    sink.put("interaction_tags", ("interaction_id", "tag"), tags)
    sink.put("interaction_documents", ("interaction_id", "document"), documents)
    for batch in (items, links, tags, documents):
        batch.clear()


def _update_contacts(sink: Sink, contacts: _Contacts, calendar: _Calendar) -> None:
    iso = calendar.iso
    rows = []
    for stakeholder in range(1, len(contacts.count)):
        number = contacts.count[stakeholder]
        first = contacts.first[stakeholder]
        last = max(contacts.last[stakeholder], contacts.recurring[stakeholder])
        if number == 0 and first < 0:
            continue
        rows.append(
            (
                iso[first] if first >= 0 else None,
                iso[last] if last >= 0 else None,
                number,
                contacts.recurring[stakeholder] >= 0,
                stakeholder,
            )
        )
    sink.update(
        "UPDATE stakeholders SET first_contact_on = ?, last_contact_on = ?, "
        "interaction_count = ?, ongoing = ? WHERE id = ?",
        rows,
    )
