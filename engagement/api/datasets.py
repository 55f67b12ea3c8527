"""Use cases on whole data sets: imports and the sample data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from engagement.api.base import UseCases

if TYPE_CHECKING:
    from engagement.bench.generate import GenerateReport
from engagement.schemas import (
    DatasetImport,
    ImportSummary,
    validated,
)


class DatasetUseCases(UseCases):
    # --- data sets --------------------------------------------------------------------

    def import_dataset(self, data: DatasetImport | dict[str, Any]) -> ImportSummary:
        """Import a whole data set in one transaction; importing it again changes nothing."""
        document = data if isinstance(data, DatasetImport) else validated(DatasetImport, data)
        from engagement.services.dataset import import_dataset

        now = self.now()
        return self.db.write(lambda s: import_dataset(s, document, now=now))

    def load_sample(self, *, with_examples: bool = False) -> ImportSummary:
        """Load the sample data set built from the seed report (idempotent)."""
        from engagement import sample

        summary = self.import_dataset(sample.load_document())
        if with_examples:
            extra = self.import_dataset(sample.upcoming_examples(self.now()))
            summary.interactions_added += extra.interactions_added
            summary.interactions_updated += extra.interactions_updated
        return summary

    def generate_bench_data(
        self, *, stakeholders: int, interactions: int, seed: int = 1
    ) -> GenerateReport:
        """Synthetic data for the benchmark (:mod:`engagement.bench.generate`)."""
        from engagement.bench.generate import generate

        return generate(self.db, stakeholders=stakeholders, interactions=interactions, seed=seed)
