"""Use cases on stakeholders, their aliases and affiliations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from engagement.api.base import UseCases
from engagement.schemas import (
    AffiliationCreate,
    AffiliationRead,
    StakeholderCreate,
    StakeholderProfile,
    StakeholderRead,
    StakeholderUpdate,
    clean_name,
    validated,
)
from engagement.vocab import StakeholderKind


class StakeholderUseCases(UseCases):
    # --- stakeholders -----------------------------------------------------------------

    def add_stakeholder(
        self,
        name: str,
        *,
        kind: StakeholderKind | str,
        country: str | None = None,
        parent: str | None = None,
        aliases: Iterable[str] = (),
        tags: Iterable[str] = (),
        notes: str = "",
        email: str | None = None,
        influence: int | None = None,
        interest: int | None = None,
    ) -> StakeholderRead:
        data = validated(
            StakeholderCreate,
            {
                "name": name,
                "kind": kind,
                "country": country,
                "parent": parent,
                "aliases": list(aliases),
                "tags": list(tags),
                "notes": notes,
                "email": email,
                "influence": influence,
                "interest": interest,
            },
        )
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add(s, data))

    def update_stakeholder(self, stakeholder: str, /, **changes: Any) -> StakeholderRead:
        """Change the given fields only (name, kind, country, parent, notes, tags, archived);
        ``expected_version`` guards against overwriting someone else's edit."""
        data = validated(StakeholderUpdate, changes)
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.update(s, stakeholder, data))

    def archive_stakeholder(self, name: str, archived: bool = True) -> StakeholderRead:
        return self.update_stakeholder(name, archived=archived)

    def add_alias(self, name: str, alias: str) -> StakeholderRead:
        cleaned = clean_name(alias, field="alias")
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add_alias(s, name, cleaned))

    def add_affiliation(
        self,
        person: str,
        organisation: str,
        *,
        title: str,
        start: date | str | None = None,
        end: date | str | None = None,
    ) -> AffiliationRead:
        data = validated(
            AffiliationCreate,
            {
                "person": person,
                "organisation": organisation,
                "title": title,
                "start": start,
                "end": end,
            },
        )
        from engagement.services import stakeholders

        return self.db.write(lambda s: stakeholders.add_affiliation(s, data))

    def get_stakeholder(self, name: str) -> StakeholderRead:
        from engagement.services import stakeholders

        return self.db.read(lambda s: stakeholders.get(s, name))

    def stakeholder_profile(
        self, name: str, *, start: date | None = None, end: date | None = None
    ) -> StakeholderProfile:
        """The profile; with ``start``/``end``, also whether they were first engaged then."""
        from engagement.services import stakeholders

        today = self.today()
        period = None if start is None and end is None else (start, end)
        return self.db.read(lambda s: stakeholders.profile(s, name, today=today, period=period))

    def list_stakeholders(
        self,
        *,
        kind: StakeholderKind | str | None = None,
        country: str | None = None,
        tag: str | None = None,
        parent: str | None = None,
        include_archived: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StakeholderRead]:
        from engagement.countries import normalise_country
        from engagement.schemas import clean_tag
        from engagement.services import stakeholders

        kind_value = _kind(kind)
        code = normalise_country(country)
        tag_value = clean_tag(tag) if tag else None
        return self.db.read(
            lambda s: stakeholders.list_(
                s,
                kind=kind_value,
                country=code,
                tag=tag_value,
                parent=parent,
                include_archived=include_archived,
                limit=limit,
                offset=offset,
            )
        )


def _kind(kind: StakeholderKind | str | None) -> StakeholderKind | None:
    if kind is None or isinstance(kind, StakeholderKind):
        return kind
    try:
        return StakeholderKind(kind.strip().lower())
    except ValueError:
        from engagement.errors import ValidationFailed
        from engagement.vocab import choices

        raise ValidationFailed(
            "kind", kind, f"is not a stakeholder kind; use {choices(StakeholderKind)}"
        ) from None
