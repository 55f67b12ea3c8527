"""Affiliations: a person's positions in organisations, with titles and dates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from engagement.errors import ValidationFailed
from engagement.models import Affiliation, Stakeholder
from engagement.schemas import AffiliationCreate, AffiliationRead
from engagement.services.resolve import resolve
from engagement.vocab import StakeholderKind


def add_affiliation(session: Session, data: AffiliationCreate) -> AffiliationRead:
    person = resolve(session, data.person, field="person")
    organisation = resolve(session, data.organisation, field="organisation")
    if person.kind != StakeholderKind.PERSON.value:
        raise ValidationFailed("person", data.person, f"is {_article(person.kind)}, not a person")
    if organisation.kind == StakeholderKind.PERSON.value:
        raise ValidationFailed(
            "organisation", data.organisation, "is a person; an affiliation is with an organisation"
        )
    existing = session.scalars(
        select(Affiliation).where(
            Affiliation.person_id == person.id,
            Affiliation.organisation_id == organisation.id,
            func.lower(Affiliation.title) == data.title.lower(),
        )
    ).first()
    same_period = existing is not None and (
        existing.start_on == data.start or existing.start_on is None or data.start is None
    )
    if existing is not None and same_period:
        # The same position again: fill in the dates it lacked rather than duplicate it.
        existing.start_on = existing.start_on or data.start
        existing.end_on = data.end or existing.end_on
        session.flush()
        return _affiliation_read(existing, person.name, organisation.name)
    affiliation = Affiliation(
        person_id=person.id,
        organisation_id=organisation.id,
        title=data.title,
        start_on=data.start,
        end_on=data.end,
    )
    session.add(affiliation)
    session.flush()
    return _affiliation_read(affiliation, person.name, organisation.name)


def affiliations(
    session: Session,
    *,
    today: date,
    person_id: int | None = None,
    organisation_id: int | None = None,
) -> list[AffiliationRead]:
    person = aliased(Stakeholder)
    organisation = aliased(Stakeholder)
    query = (
        select(Affiliation, person.name, organisation.name)
        .join(person, person.id == Affiliation.person_id)
        .join(organisation, organisation.id == Affiliation.organisation_id)
        .order_by(Affiliation.end_on.is_not(None), Affiliation.start_on.desc(), person.name)
    )
    if person_id is not None:
        query = query.where(Affiliation.person_id == person_id)
    if organisation_id is not None:
        query = query.where(Affiliation.organisation_id == organisation_id)
    return [
        _affiliation_read(affiliation, person_name, organisation_name, today=today)
        for affiliation, person_name, organisation_name in session.execute(query)
    ]


def _article(kind: str) -> str:
    words = kind.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _affiliation_read(
    affiliation: Affiliation, person: str, organisation: str, *, today: date | None = None
) -> AffiliationRead:
    today = today or date.today()
    current = (affiliation.start_on is None or affiliation.start_on <= today) and (
        affiliation.end_on is None or affiliation.end_on >= today
    )
    return AffiliationRead(
        id=affiliation.id,
        person=person,
        person_id=affiliation.person_id,
        organisation=organisation,
        organisation_id=affiliation.organisation_id,
        title=affiliation.title,
        start=affiliation.start_on,
        end=affiliation.end_on,
        current=current,
    )


__all__ = ["add_affiliation", "affiliations"]
