"""The benchmark's synthetic data is a valid engagement database: searchable, with the
maintained columns exactly as the service layer would compute them."""

from __future__ import annotations

from sqlalchemy import select

from engagement.models import Stakeholder
from engagement.services.interactions import refresh_contacts
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
