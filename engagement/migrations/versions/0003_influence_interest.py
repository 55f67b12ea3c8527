"""influence and interest scores for the stakeholder map

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("influence", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("interest", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_column("interest")
        batch_op.drop_column("influence")
