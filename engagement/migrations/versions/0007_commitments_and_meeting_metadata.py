"""commitments ledger and meeting metadata

Existing interactions get no format (null: not recorded), no languages, no interpreter and
the ``on_record`` attribution: notes logged before attribution existed were exported as they
were, so this keeps what every export already did (see docs/meeting-metadata.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no table rebuild on SQLite): nullable or with a server default.
    op.add_column("interactions", sa.Column("meeting_format", sa.String(length=16)))
    op.add_column("interactions", sa.Column("sidelines_of", sa.String(length=300)))
    op.add_column(
        "interactions",
        sa.Column("interpreter", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.add_column(
        "interactions",
        sa.Column("attribution", sa.String(length=16), server_default="on_record", nullable=False),
    )
    op.create_index(
        op.f("ix_interactions_meeting_format"), "interactions", ["meeting_format"], unique=False
    )
    op.add_column(
        "interaction_stakeholders",
        sa.Column("delegate", sa.Boolean(), server_default=sa.false(), nullable=False),
    )
    op.create_table(
        "interaction_languages",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_languages_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "language", name=op.f("pk_interaction_languages")
        ),
    )
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owed_by", sa.String(length=8), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("confidentiality", sa.String(length=32), nullable=False),
        sa.Column("made_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_commitments_interaction_id_interactions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_index(
        op.f("ix_commitments_interaction_id"), "commitments", ["interaction_id"], unique=False
    )
    op.create_index(
        "ix_commitments_status_due_on", "commitments", ["status", "due_on"], unique=False
    )
    op.create_table(
        "commitment_stakeholders",
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_stakeholders_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_commitment_stakeholders_stakeholder_id_stakeholders"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "commitment_id", "stakeholder_id", name=op.f("pk_commitment_stakeholders")
        ),
    )
    op.create_index(
        op.f("ix_commitment_stakeholders_stakeholder_id"),
        "commitment_stakeholders",
        ["stakeholder_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_commitment_stakeholders_stakeholder_id"), table_name="commitment_stakeholders"
    )
    op.drop_table("commitment_stakeholders")
    op.drop_index("ix_commitments_status_due_on", table_name="commitments")
    op.drop_index(op.f("ix_commitments_interaction_id"), table_name="commitments")
    op.drop_table("commitments")
    op.drop_table("interaction_languages")
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.drop_column("delegate")
    op.drop_index(op.f("ix_interactions_meeting_format"), table_name="interactions")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("attribution")
        batch_op.drop_column("interpreter")
        batch_op.drop_column("sidelines_of")
        batch_op.drop_column("meeting_format")
