"""search keys, documents, email and source sequence

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:04:49.129240
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "interaction_documents",
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_documents_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_interaction_documents")),
    )
    op.create_table(
        "stakeholder_keys",
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_keys_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stakeholder_id", "key", name=op.f("pk_stakeholder_keys")),
    )
    with op.batch_alter_table("stakeholder_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_keys_key"), ["key"], unique=False)

    op.create_table(
        "stakeholder_tokens",
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["stakeholder_id"],
            ["stakeholders.id"],
            name=op.f("fk_stakeholder_tokens_stakeholder_id_stakeholders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("stakeholder_id", "token", name=op.f("pk_stakeholder_tokens")),
    )
    with op.batch_alter_table("stakeholder_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_tokens_token"), ["token"], unique=False)

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_sequence", sa.Integer(), nullable=True))

    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=320), nullable=True))
        batch_op.create_index(batch_op.f("ix_stakeholders_email"), ["email"], unique=False)

    _create_full_text_index()
    from engagement.services.search_index import rebuild_all

    rebuild_all(op.get_bind())


def _create_full_text_index() -> None:
    """SQLite: an FTS5 index over interaction_documents, kept in step by triggers (diacritics
    are folded by the tokenizer too). PostgreSQL: a GIN index on the 'simple' tsvector."""
    from engagement import fulltext

    if op.get_bind().dialect.name == "postgresql":
        op.execute(fulltext.PG_CREATE_EXPRESSION_INDEX)
        return
    op.execute(fulltext.SQLITE_CREATE_TABLE)
    for statement in fulltext.SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    from engagement import fulltext

    if op.get_bind().dialect.name == "postgresql":
        op.execute(fulltext.PG_DROP_INDEX)
    else:
        for statement in fulltext.SQLITE_DROP_TRIGGERS:
            op.execute(statement)
        op.execute("DROP TABLE IF EXISTS interaction_search")
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholders_email"))
        batch_op.drop_column("email")

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_column("source_sequence")

    with op.batch_alter_table("stakeholder_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_tokens_token"))

    op.drop_table("stakeholder_tokens")
    with op.batch_alter_table("stakeholder_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_keys_key"))

    op.drop_table("stakeholder_keys")
    op.drop_table("interaction_documents")
