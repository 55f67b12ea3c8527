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
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_interaction_documents_tsv ON interaction_documents "
            "USING gin (to_tsvector('simple', document))"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE interaction_search USING fts5(document, "
        "content='interaction_documents', content_rowid='interaction_id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER interaction_documents_ai AFTER INSERT ON interaction_documents BEGIN "
        "INSERT INTO interaction_search(rowid, document) VALUES (new.interaction_id, new.document); END"
    )
    op.execute(
        "CREATE TRIGGER interaction_documents_ad AFTER DELETE ON interaction_documents BEGIN "
        "INSERT INTO interaction_search(interaction_search, rowid, document) "
        "VALUES ('delete', old.interaction_id, old.document); END"
    )
    op.execute(
        "CREATE TRIGGER interaction_documents_au AFTER UPDATE ON interaction_documents BEGIN "
        "INSERT INTO interaction_search(interaction_search, rowid, document) "
        "VALUES ('delete', old.interaction_id, old.document); "
        "INSERT INTO interaction_search(rowid, document) VALUES (new.interaction_id, new.document); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_interaction_documents_tsv")
    else:
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS interaction_documents_{trigger}")
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
