"""Matching the people of an invitation (attendees, organiser) to stakeholders.

By e-mail address first, then by name as :func:`engagement.services.resolve.resolve` would find
it — any spelling, alias or script — both looked up for the whole file at once
(:func:`engagement.services.resolve.find_many`): a 10,000-event file names thousands of people.
With ``create_missing``, the people who match nobody in the database are added as stakeholders,
all together: one per distinct name (names that differ only in case, accents or punctuation are
one), and a name is matched against the stakeholders that were there before the import, not
against those the same import creates.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from engagement.errors import InvalidInput
from engagement.ical_events import ParsedEvent, Person
from engagement.models import Stakeholder
from engagement.names import fold_name
from engagement.schemas import StakeholderCreate, clean_line, validated
from engagement.services import search_index
from engagement.services.resolve import find_many
from engagement.vocab import Role, StakeholderKind

BATCH = 500


@dataclass
class _New:
    """A stakeholder to create, and the e-mail address and names that lead to it."""

    name: str
    kind: StakeholderKind
    email: str
    names: set[str]


class AttendeeMatcher:
    """Attendees to stakeholders: by e-mail address, else by name; both looked up (and, with
    ``create_missing``, the missing ones created) for the whole file when it is made."""

    def __init__(self, session: Session, events: list[ParsedEvent], create_missing: bool) -> None:
        self.session = session
        self.unmatched: dict[str, str] = {}
        self.created: list[str] = []
        self.by_name: dict[str, int | None] = {}
        emails = sorted({p.email.lower() for e in events for p in e.people if p.email})
        self.by_email: dict[str, int] = {}
        for index in range(0, len(emails), BATCH):
            address = func.lower(Stakeholder.email)
            for row in session.execute(
                select(Stakeholder.id, address.label("email"))
                .where(address.in_(emails[index : index + BATCH]))
                .order_by(Stakeholder.id)
            ):
                self.by_email.setdefault(row.email, row.id)
        names = [name for event in events for name, _role, _kind in event.stakeholders]
        names += [
            person.name
            for event in events
            for person in event.people
            if person.name and (not person.email or person.email.lower() not in self.by_email)
        ]
        for name, ident in find_many(session, names).items():
            self.by_name.setdefault(_key(name), ident)
        if create_missing:
            self._create_all(events)

    def participants(self, event: ParsedEvent) -> list[tuple[int, Role]]:
        found: dict[int, Role] = {}
        for name, role, _kind in event.stakeholders:
            ident = self._name(name)
            if ident is None:
                self.unmatched[name.casefold()] = name
            else:
                found.setdefault(ident, role)
        for person in event.people:
            ident = self._person(person)
            if ident is None:
                self.unmatched[(person.email or person.name).casefold()] = person.label()
            else:
                found.setdefault(ident, person.role)
        return list(found.items())

    def _person(self, person: Person) -> int | None:
        ident = self.by_email.get(person.email.lower()) if person.email else None
        if ident is None and person.name:
            ident = self._name(person.name)
        return ident

    def _name(self, name: str) -> int | None:
        key = _key(name)
        if key not in self.by_name:
            self.by_name[key] = find_many(self.session, [key])[key]
        return self.by_name[key]

    def _create_all(self, events: list[ParsedEvent]) -> None:
        """Everyone still unmatched, in the order the file names them, with multi-row
        INSERTs and one pass of the search index (the audit triggers record each row)."""
        planned: dict[str, _New] = {}
        checked: dict[tuple[str, StakeholderKind], StakeholderCreate | None] = {}
        for event in events:
            for name, _role, kind in event.stakeholders:
                if self._name(name) is None:
                    _plan(planned, checked, Person(name, "", Role.COUNTERPART), kind)
            for person in event.people:
                if self._person(person) is None:
                    _plan(planned, checked, person, StakeholderKind.PERSON)
        taken: set[str] = set()
        keys = list(planned)
        for index in range(0, len(keys), BATCH):
            taken.update(
                self.session.scalars(
                    select(Stakeholder.name_key).where(
                        Stakeholder.name_key.in_(keys[index : index + BATCH])
                    )
                )
            )
        new = [(key, item) for key, item in planned.items() if key not in taken]
        ids: dict[str, int] = {}
        table: Table = Stakeholder.__table__  # type: ignore[assignment]
        for index in range(0, len(new), BATCH):
            rows = [
                {
                    "name": item.name,
                    "name_key": key,
                    "kind": item.kind.value,
                    "email": item.email or None,
                    "notes": "",
                    "archived": False,
                }
                for key, item in new[index : index + BATCH]
            ]
            # Core, not the ORM's bulk path: cheaper per row, same column defaults.
            for row in self.session.connection().execute(
                insert(table).returning(table.c.id, table.c.name_key), rows
            ):
                ids[row.name_key] = row.id
        search_index.index_stakeholders(self.session.connection(), ids.values())
        for key, item in new:
            for name in item.names:
                self.by_name[name] = ids[key]
            if item.email:
                self.by_email.setdefault(item.email, ids[key])
            self.created.append(item.name)


def _plan(
    planned: dict[str, _New],
    checked: dict[tuple[str, StakeholderKind], StakeholderCreate | None],
    person: Person,
    kind: StakeholderKind,
) -> None:
    """``checked`` keeps each name's validation: a file names the same people in many
    events."""
    given = person.name or person.email
    if (given, kind) in checked:
        data = checked[given, kind]
    else:
        try:
            data = validated(StakeholderCreate, {"name": clean_line(given)[:300], "kind": kind})
        except InvalidInput:
            data = None
        checked[given, kind] = data
    if data is None:
        return
    key = fold_name(data.name)
    if not key:
        return
    item = planned.setdefault(key, _New(data.name, data.kind, person.email.lower(), set()))
    if person.name:
        item.names.add(_key(person.name))
    if person.email and not item.email:
        item.email = person.email.lower()


def _key(name: str) -> str:
    return name.strip().casefold()
