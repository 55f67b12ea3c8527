"""the interaction's days, status, kind and confidentiality on its links (counting at scale)

Counting a year of a million-interaction log (stats, the activity report) walked the period's
interactions and looked up each one's links. The links now carry copies of the interaction's
columns the counts filter and group on, with a covering index, so the walk reads one index
range and nothing else. The copies are kept by database triggers (:mod:`engagement.link_copies`),
filled here in one pass.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from engagement import link_copies

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "ix_interaction_stakeholders_period"
_INDEXED = [
    "last_on",
    "start_on",
    "status",
    "kind",
    "confidentiality",
    "stakeholder_id",
    "interaction_id",
    "role",
    "position",
]


def upgrade() -> None:
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("status", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("confidentiality", sa.String(length=32), nullable=True))
    connection = op.get_bind()
    link_copies.backfill(connection)
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.create_index(_INDEX, _INDEXED, unique=False)
    link_copies.create(connection)


def downgrade() -> None:
    link_copies.drop(op.get_bind())
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.drop_index(_INDEX)
        batch_op.drop_column("confidentiality")
        batch_op.drop_column("kind")
        batch_op.drop_column("status")
        batch_op.drop_column("last_on")
