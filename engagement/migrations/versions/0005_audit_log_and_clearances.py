"""audit log and clearances: triggers on both engines, row-level security on PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_id", sa.String(length=500), nullable=True),
        sa.Column("stakeholder_id", sa.Integer(), nullable=True),
        sa.Column("interaction_id", sa.Integer(), nullable=True),
        sa.Column("confidentiality", sa.String(length=32), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_actor"), ["actor"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_log_stakeholder_id"), ["stakeholder_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_audit_log_interaction_id"), ["interaction_id"], unique=False
        )
    op.create_table(
        "clearances",
        sa.Column("role_name", sa.String(length=63), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("role_name", name=op.f("pk_clearances")),
    )
    from engagement import audit_postgres, auditing

    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        audit_postgres.create_postgresql(connection)
    else:
        auditing.create_sqlite_triggers(connection)


def downgrade() -> None:
    from engagement import audit_postgres, auditing

    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        audit_postgres.drop_postgresql(connection)
    else:
        auditing.drop_sqlite_triggers(connection)
    op.drop_table("clearances")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_stakeholder_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_actor"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
    op.drop_table("audit_log")
