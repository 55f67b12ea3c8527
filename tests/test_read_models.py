"""Read models built without validation (issue 8) are the models validation would build.

History, search, the calendar and dormant build their read models from stored rows without
validating them again (engagement.schemas.trusted); these tests rebuild every such model of
the sample data set through validation and require the same values, the same JSON and the
same field set, on both engines.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select

from engagement.dates import period_from_storage
from engagement.models import Interaction
from engagement.schemas import DormantEntry, InteractionRead, StakeholderRead
from engagement.schemas.trusted import trusted
from engagement.services import interactions, stakeholders
from engagement.services.interaction_reads import stored_period
from engagement.tracker import Tracker


def _validated(model: BaseModel) -> BaseModel:
    """The same model rebuilt through validation from its own field values."""
    values: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = _validated(value)
        elif isinstance(value, list):
            value = [_validated(item) if isinstance(item, BaseModel) else item for item in value]
        values[name] = value
    return type(model).model_validate(values)


def _same(model: BaseModel) -> None:
    again = _validated(model)
    assert model == again
    assert model.model_dump(mode="json") == again.model_dump(mode="json")
    assert json.dumps(model.model_dump(mode="json"), ensure_ascii=False) == json.dumps(
        again.model_dump(mode="json"), ensure_ascii=False
    )
    assert model.model_fields_set == set(type(model).model_fields)


def test_trusted_sets_what_model_construct_sets() -> None:
    values = {
        "id": 1,
        "name": "A",
        "kind": "person",
        "country": None,
        "parent": None,
        "parent_id": None,
        "aliases": [],
        "tags": [],
        "notes": "",
        "archived": False,
        "first_contact": None,
        "last_contact": date(2025, 1, 2),
        "interaction_count": 0,
        "ongoing": False,
        "email": None,
        "influence": None,
        "interest": None,
        "created_at": "2025-01-01T00:00:00Z",
        "updated_at": "2025-01-01T00:00:00Z",
        "version": 1,
    }
    validated = StakeholderRead.model_validate(values)
    built = trusted(StakeholderRead, dict(validated.__dict__))
    constructed = StakeholderRead.model_construct(**validated.__dict__)
    assert built == validated == constructed
    assert built.model_fields_set == constructed.model_fields_set
    assert built.model_dump_json() == validated.model_dump_json()


def test_every_interaction_read_equals_its_validated_model(sample: Tracker) -> None:
    def check(session: Any) -> int:
        ids = list(session.scalars(select(Interaction.id).order_by(Interaction.id)))
        reads = interactions.read_many(session, ids, today=date(2025, 7, 1))
        assert [item.id for item in reads] == ids
        for item in reads:
            _same(item)
            assert isinstance(item, InteractionRead)
        return len(reads)

    assert sample.db.read(check) > 20


def test_stored_periods_equal_validated_periods(sample: Tracker) -> None:
    def check(session: Any) -> None:
        for row in session.execute(
            select(
                Interaction.precision,
                Interaction.timezone,
                Interaction.start_on,
                Interaction.end_on,
                Interaction.start_at,
                Interaction.end_at,
            )
        ):
            built = stored_period(*row)
            assert built == period_from_storage(*row)
            assert built.describe() == period_from_storage(*row).describe()

    sample.db.read(check)


def test_history_search_and_upcoming_models_are_valid(sample: Tracker) -> None:
    for name in ("Russian Red Cross", "CSTO", "SCO"):
        items = sample.history(name)
        assert items
        for item in items:
            _same(item)
    for item in sample.history("Russian Red Cross", include_related=True, limit=5):
        _same(item)
    for entry in sample.upcoming(days=365).interactions:
        _same(entry)
    hits = sample.search("ministry", limit=50)
    assert hits
    for hit in hits:
        _same(hit)


def test_dormant_entries_equal_the_stakeholder_read_models(sample: Tracker) -> None:
    entries = sample.dormant(30)
    assert entries
    for entry in entries:
        assert isinstance(entry, DormantEntry)
        _same(entry)
    ids = [entry.stakeholder.id for entry in entries]
    expected = sample.db.read(lambda session: stakeholders.read_many(session, ids))
    assert [entry.stakeholder for entry in entries] == expected
    paged = sample.dormant(30, limit=3) + sample.dormant(30, limit=100, offset=3)
    assert paged == entries
    assert sample.dormant(30, offset=2) == entries[2:]


def test_dormant_aliases_and_tags_come_with_the_full_list(sample: Tracker) -> None:
    entries = sample.dormant(0)
    with_aliases = [entry for entry in entries if entry.stakeholder.aliases]
    assert with_aliases
    one = with_aliases[0].stakeholder
    assert sample.db.read(lambda session: stakeholders.read_many(session, [one.id]))[0] == one
