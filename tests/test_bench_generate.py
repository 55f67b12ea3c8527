"""The benchmark's synthetic data is a valid engagement database: searchable, with the
maintained columns exactly as the service layer would compute them."""

from __future__ import annotations

from sqlalchemy import select

from engagement.models import Stakeholder
from engagement.services.contacts import refresh_contacts
from engagement.tracker import Tracker
from tests.conftest import fixed_clock


def test_generated_data_is_consistent_and_searchable(db_url: str) -> None:
    with Tracker(db_url, clock=fixed_clock) as tracker:
        report = tracker.generate_bench_data(stakeholders=300, interactions=2000, seed=7)
        assert report.rows > 2300
        assert tracker.find_stakeholders("").total > 250
        assert tracker.search("humanitarian", limit=5)
        people = tracker.list_stakeholders(kind="person", limit=5)
        assert people and all(p.kind.value == "person" for p in people)

        def snapshot(session: object) -> list[tuple[object, ...]]:
            rows = session.execute(  # type: ignore[attr-defined]
                select(
                    Stakeholder.id,
                    Stakeholder.first_contact_on,
                    Stakeholder.last_contact_on,
                    Stakeholder.interaction_count,
                    Stakeholder.ongoing,
                ).order_by(Stakeholder.id)
            )
            return [tuple(row) for row in rows]

        generated = tracker.db.read(snapshot)

        def recompute(session: object) -> list[tuple[object, ...]]:
            ids = [row[0] for row in generated]
            refresh_contacts(session, ids, today=fixed_clock().date())  # type: ignore[arg-type]
            return snapshot(session)

        assert tracker.db.write(recompute) == generated


def test_generated_search_rows_equal_what_the_service_layer_writes(db_url: str) -> None:
    """The generator joins search keys, tokens and documents from pre-folded pieces; they must
    be exactly what the service layer would compute from the same text."""
    import random

    from engagement.bench.words import NameIndex, Vocabulary, service_document
    from engagement.models import StakeholderKey, StakeholderToken
    from engagement.services import search_index

    with Tracker(db_url, clock=fixed_clock) as tracker:
        tracker.generate_bench_data(stakeholders=200, interactions=50, seed=3)

        def rows(session: object) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
            keys = session.execute(select(StakeholderKey.__table__))  # type: ignore[attr-defined]
            tokens = session.execute(select(StakeholderToken.__table__))  # type: ignore[attr-defined]
            return {tuple(r) for r in keys}, {tuple(r) for r in tokens}

        generated = tracker.db.read(rows)

        def reindex(session: object) -> tuple[set[tuple[object, ...]], set[tuple[object, ...]]]:
            search_index.index_stakeholders(session.connection(), range(1, 201))  # type: ignore[attr-defined]
            return rows(session)

        assert tracker.db.write(reindex) == generated

    rng = random.Random(5)
    vocabulary = Vocabulary(rng)
    names = NameIndex()
    for index in range(1, 41):
        while not names.add(index, names.random_words(rng, index % 2 == 0, 2 + index % 2)):
            pass
    for _ in range(200):
        title, folded_title = vocabulary.title("correspondence", rng.random)
        summary, folded_summary = vocabulary.summary(rng.random)
        people = sorted(rng.sample(range(1, 41), rng.randint(1, 6)))
        tags = ["pow", "rfl"][: rng.randint(0, 2)]
        assert names.document(folded_title, folded_summary, tags, people) == service_document(
            title, summary, tags, [names.name[p] for p in people]
        )


def test_synthetic_rows_are_not_audited_but_later_changes_are(db_url: str) -> None:
    """The generator suspends the audit triggers for its load only."""
    with Tracker(db_url, clock=fixed_clock) as tracker:
        tracker.generate_bench_data(stakeholders=50, interactions=200, seed=3)
        assert tracker.audit_log(limit=10) == []
        tracker.add_stakeholder("Audited After Load", kind="ngo")
        entries = tracker.audit_log(limit=10)
        assert [(entry.table, entry.action) for entry in entries] == [("stakeholders", "insert")]
