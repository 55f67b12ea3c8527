"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-26 00:49:59.467382
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("precision", sa.String(length=16), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=True),
        sa.Column("end_at", sa.DateTime(), nullable=True),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.String(length=32), nullable=False),
        sa.Column("recurrence", sa.String(length=500), nullable=True),
        sa.Column("logged_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
        sa.UniqueConstraint("uid", name=op.f("uq_interactions_uid")),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interactions_confidentiality"), ["confidentiality"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interactions_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_interactions_last_on"), ["last_on"], unique=False)
        batch_op.create_index("ix_interactions_start_on_id", ["start_on", "id"], unique=False)
        batch_op.create_index(
            "ix_interactions_status_start_on", ["status", "start_on"], unique=False
        )

    op.create_table(
        "stakeholders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("first_contact_on", sa.Date(), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("interaction_count", sa.Integer(), nullable=False),
        sa.Column("ongoing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholders_parent_id_stakeholders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholders")),
        sa.UniqueConstraint("name_key", name=op.f("uq_stakeholders_name_key")),
    )
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholders_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholders_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stakeholders_last_contact_on"), ["last_contact_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stakeholders_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["stakeholders.id"],
            name=op.f("fk_affiliations_organisation_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["stakeholders.id"],
            name=op.f("fk_affiliations_person_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_affiliations")),
    )
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_affiliations_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_affiliations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_follow_ups_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.create_index("ix_follow_ups_done_due_on", ["done", "due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_follow_ups_interaction_id"), ["interaction_id"], unique=False
        )

    op.create_table(
        "interaction_staff",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_staff_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "name", name=op.f("pk_interaction_staff")),
    )
    op.create_table(
        "interaction_stakeholders",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_stakeholders_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_interaction_stakeholders_stakeholder_id_stakeholders"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint(
            "interaction_id", "stakeholder_id", name=op.f("pk_interaction_stakeholders")
        ),
    )
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_stakeholders_history",
            ["stakeholder_id", "start_on", "interaction_id"],
            unique=False,
        )

    op.create_table(
        "interaction_tags",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_tags_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "tag", name=op.f("pk_interaction_tags")),
    )
    with op.batch_alter_table("interaction_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_tags_tag"), ["tag"], unique=False)

    op.create_table(
        "stakeholder_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("alias_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_aliases_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholder_aliases")),
        sa.UniqueConstraint(
            "stakeholder_id", "alias_key", name=op.f("uq_stakeholder_aliases_stakeholder_id")
        ),
    )
    with op.batch_alter_table("stakeholder_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholder_aliases_alias_key"), ["alias_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_aliases_stakeholder_id"), ["stakeholder_id"], unique=False
        )

    op.create_table(
        "stakeholder_tags",
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("tag", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_tags_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stakeholder_id", "tag", name=op.f("pk_stakeholder_tags")),
    )
    with op.batch_alter_table("stakeholder_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_tags_tag"), ["tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stakeholder_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_tags_tag"))

    op.drop_table("stakeholder_tags")
    with op.batch_alter_table("stakeholder_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_aliases_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_aliases_alias_key"))

    op.drop_table("stakeholder_aliases")
    with op.batch_alter_table("interaction_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_tags_tag"))

    op.drop_table("interaction_tags")
    with op.batch_alter_table("interaction_stakeholders", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_stakeholders_history")

    op.drop_table("interaction_stakeholders")
    op.drop_table("interaction_staff")
    with op.batch_alter_table("follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_ups_interaction_id"))
        batch_op.drop_index("ix_follow_ups_done_due_on")

    op.drop_table("follow_ups")
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_affiliations_person_id"))
        batch_op.drop_index(batch_op.f("ix_affiliations_organisation_id"))

    op.drop_table("affiliations")
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholders_parent_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholders_last_contact_on"))
        batch_op.drop_index(batch_op.f("ix_stakeholders_kind"))
        batch_op.drop_index(batch_op.f("ix_stakeholders_country"))

    op.drop_table("stakeholders")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_status_start_on")
        batch_op.drop_index("ix_interactions_start_on_id")
        batch_op.drop_index(batch_op.f("ix_interactions_last_on"))
        batch_op.drop_index(batch_op.f("ix_interactions_kind"))
        batch_op.drop_index(batch_op.f("ix_interactions_confidentiality"))

    op.drop_table("interactions")
