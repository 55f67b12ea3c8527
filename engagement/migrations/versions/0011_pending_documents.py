"""pending_documents: search documents to refresh that the writer could not see

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 14:00:00

An interaction's search document holds its participants' names. When a PostgreSQL role renames
a stakeholder (or gives it an alias), row-level security lets it rewrite only the documents of
the interactions it may see; the others are queued here by a ``SECURITY DEFINER`` function, and
the next engagement process of a role that can see them rewrites them
(:mod:`engagement.services.search_index`). The table is empty on SQLite, which has no hidden
rows.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_documents",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_pending_documents_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_pending_documents")),
    )


def downgrade() -> None:
    op.drop_table("pending_documents")
