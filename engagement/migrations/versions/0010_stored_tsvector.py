"""PostgreSQL: each search document's tsvector stored in a generated column, indexed

A search walks its candidate documents and reads each one's tsvector twice, to check the match
and to rank it; with only an expression index both were computed from the text on the fly,
which dominated a common word's search (2,000 candidates). The vector is now a stored generated
column (:mod:`engagement.fulltext`), so PostgreSQL computes it once per write, and the GIN index
is built on the column instead of the expression. SQLite (FTS5) is untouched.

The new column has no statistics until the table is analysed, and without them the planner
ranks every match of a common word (seconds at a million documents), so the upgrade analyses
the table; the rewrite and index build take about two minutes at a million interactions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from engagement import fulltext

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ANALYZE = "ANALYZE interaction_documents"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(fulltext.PG_DROP_INDEX)
    op.execute(fulltext.PG_ADD_VECTOR)
    op.execute(fulltext.PG_CREATE_INDEX)
    op.execute(_ANALYZE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(fulltext.PG_DROP_INDEX)
    op.execute(fulltext.PG_DROP_VECTOR)
    op.execute(fulltext.PG_CREATE_EXPRESSION_INDEX)
    op.execute(_ANALYZE)
