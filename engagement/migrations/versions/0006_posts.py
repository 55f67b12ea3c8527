"""posts: tenures of people in posts, and the post a person was met as

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 04:00:00

A post is a stakeholder of kind ``post`` (no new kind table: the kind column is free text).
This revision adds the tenures that link people to posts, and marks the interaction links that
were resolved through a post so that they can follow later corrections of the tenures.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "post_tenures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("start_precision", sa.String(length=16), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("end_precision", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["stakeholders.id"],
            name=op.f("fk_post_tenures_person_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["post_id"],
            ["stakeholders.id"],
            name=op.f("fk_post_tenures_post_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_post_tenures")),
    )
    with op.batch_alter_table("post_tenures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_post_tenures_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_post_tenures_post_id_start_on", ["post_id", "start_on"], unique=False
        )
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("via_post_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_interaction_stakeholders_via_post_id"), ["via_post_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_interaction_stakeholders_via_post_id_stakeholders"),
            "stakeholders",
            ["via_post_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_interaction_stakeholders_via_post_id_stakeholders"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_interaction_stakeholders_via_post_id"))
        batch_op.drop_column("via_post_id")
    with op.batch_alter_table("post_tenures", schema=None) as batch_op:
        batch_op.drop_index("ix_post_tenures_post_id_start_on")
        batch_op.drop_index(batch_op.f("ix_post_tenures_person_id"))
    op.drop_table("post_tenures")
