"""Bulk name lookup for importers (services.resolve.find_many) finds exactly what resolve()
finds, name by name: canonical names, aliases, other spellings, single words; and nothing where
resolve() would refuse (no match, or several)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engagement.errors import AmbiguousName, StakeholderNotFound
from engagement.models import Stakeholder, StakeholderAlias
from engagement.services.resolve import find_many, resolve
from engagement.tracker import Tracker


def test_find_many_agrees_with_resolve(sample: Tracker) -> None:
    def work(session: Session) -> None:
        names = list(session.scalars(select(Stakeholder.name)))
        names += list(session.scalars(select(StakeholderAlias.alias)))
        words = {word for name in names for word in name.split() if len(word) > 3}
        asked = [
            *names,
            *(name.upper() for name in names),
            *(" ".join(reversed(name.split())) for name in names),
            *sorted(words),
            "Nobody At All",
            "",
            "   ",
            "#1",
            "#999999",
            "MFA (BY)",
        ]
        found = find_many(session, asked)
        assert set(found) == set(asked)
        matched = 0
        for name in asked:
            try:
                expected: int | None = resolve(session, name).id
            except (StakeholderNotFound, AmbiguousName):
                expected = None
            assert found[name] == expected, name
            matched += expected is not None
        assert matched > len(names)

    sample.db.read(work)
