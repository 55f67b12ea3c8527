"""indexes for period queries (stats, the report) and dormant pages

Counting a year of a million-interaction log by month, kind or status used to read every
interaction's row (about 1 KiB each, with its notes) through the ``last_on`` index. The new
index holds the columns those queries filter and group on, so they are answered from the index
alone; it starts with ``last_on``, so it replaces the old single-column index.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ["last_on", "start_on", "status", "kind", "confidentiality"]


def upgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_period", _COLUMNS, unique=False)
        batch_op.drop_index(batch_op.f("ix_interactions_last_on"))
        batch_op.create_index(
            "ix_interactions_recurring",
            ["start_on"],
            sqlite_where=sa.text("recurrence IS NOT NULL"),
            postgresql_where=sa.text("recurrence IS NOT NULL"),
        )
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.create_index("ix_stakeholders_last_contact", ["last_contact_on", "name_key"])
        batch_op.drop_index(batch_op.f("ix_stakeholders_last_contact_on"))


def downgrade() -> None:
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholders_last_contact_on"), ["last_contact_on"], unique=False
        )
        batch_op.drop_index("ix_stakeholders_last_contact")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interactions_last_on"), ["last_on"], unique=False)
        batch_op.drop_index("ix_interactions_recurring")
        batch_op.drop_index("ix_interactions_period")
