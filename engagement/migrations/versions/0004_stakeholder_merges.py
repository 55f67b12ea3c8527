"""stakeholder merges, recorded so that they can be undone

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stakeholder_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keep_id", sa.Integer(), nullable=False),
        sa.Column("dropped_id", sa.Integer(), nullable=False),
        sa.Column("dropped_name", sa.String(length=300), nullable=False),
        sa.Column("dropped_key", sa.String(length=300), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["keep_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_merges_keep_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_merges")),
    )
    with op.batch_alter_table("stakeholder_merges", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholder_merges_dropped_id"), ["dropped_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_merges_dropped_key"), ["dropped_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_merges_keep_id"), ["keep_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stakeholder_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_merges_keep_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_merges_dropped_key"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_merges_dropped_id"))

    op.drop_table("stakeholder_merges")
