"""Matching the people of an invitation (attendees, organiser) to stakeholders.

By e-mail address first (one query for the whole file), then by name through
:func:`engagement.services.resolve.resolve` — any spelling, alias or script — each distinct
name once. With ``create_missing``, people who match nobody are added as stakeholders.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engagement.errors import (
    AmbiguousName,
    DuplicateName,
    InvalidInput,
    StakeholderNotFound,
    ValidationFailed,
)
from engagement.ical_events import ParsedEvent, Person
from engagement.models import Stakeholder
from engagement.schemas import StakeholderCreate, clean_line
from engagement.services import stakeholders
from engagement.services.resolve import resolve
from engagement.vocab import Role, StakeholderKind

BATCH = 500


class AttendeeMatcher:
    """Attendees to stakeholders: by e-mail address (one query for the whole file), else by
    name through :func:`engagement.services.resolve.resolve`, each distinct name once."""

    def __init__(self, session: Session, events: list[ParsedEvent], create_missing: bool) -> None:
        self.session = session
        self.create_missing = create_missing
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

    def participants(self, event: ParsedEvent) -> list[tuple[int, Role]]:
        found: dict[int, Role] = {}
        for name, role, kind in event.stakeholders:
            ident = self._name(name) or self._create(Person(name, "", role), kind)
            if ident is None:
                self.unmatched[name.casefold()] = name
            else:
                found.setdefault(ident, role)
        for person in event.people:
            ident = self.by_email.get(person.email.lower()) if person.email else None
            if ident is None and person.name:
                ident = self._name(person.name)
            ident = ident or self._create(person, StakeholderKind.PERSON)
            if ident is None:
                self.unmatched[(person.email or person.name).casefold()] = person.label()
            else:
                found.setdefault(ident, person.role)
        return list(found.items())

    def _name(self, name: str) -> int | None:
        key = name.strip().casefold()
        if key not in self.by_name:
            try:
                self.by_name[key] = resolve(self.session, name).id
            except (StakeholderNotFound, AmbiguousName):
                self.by_name[key] = None
        return self.by_name[key]

    def _create(self, person: Person, kind: StakeholderKind) -> int | None:
        if not self.create_missing:
            return None
        name = clean_line(person.name or person.email)[:300]
        try:
            made = stakeholders.add(self.session, StakeholderCreate(name=name, kind=kind))
        except (DuplicateName, ValidationFailed, InvalidInput):
            return None
        if person.email:
            self.session.execute(
                update(Stakeholder)
                .where(Stakeholder.id == made.id)
                .values(email=person.email.lower(), updated_at=Stakeholder.updated_at)
                .execution_options(synchronize_session=False)
            )
            self.by_email[person.email.lower()] = made.id
        self.by_name[name.casefold()] = made.id
        self.created.append(name)
        return made.id
