"""The engine-specific full-text structures over ``interaction_documents``.

The models cannot describe them (an FTS5 virtual table with triggers on SQLite; on PostgreSQL
a stored, generated tsvector column with a GIN index on it), so the migrations that introduced
them and the bulk loader, which drops and rebuilds the index around a load, share these
statements.

PostgreSQL keeps each document's tsvector in ``vector`` (migration 0010) rather than indexing
the expression: a search reads the vectors of its candidates twice, to check the match and to
rank, and computing them on the fly cost more than the whole rest of a common word's search.
The column is generated, so every writer (the services, the JSON load, the generator's
``COPY``) fills it without knowing it exists.
"""

from __future__ import annotations

PG_INDEX_NAME = "ix_interaction_documents_tsv"
PG_VECTOR = "vector"
PG_ADD_VECTOR = (
    f"ALTER TABLE interaction_documents ADD COLUMN {PG_VECTOR} tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', document)) STORED"
)
PG_DROP_VECTOR = f"ALTER TABLE interaction_documents DROP COLUMN IF EXISTS {PG_VECTOR}"
PG_CREATE_INDEX = f"CREATE INDEX {PG_INDEX_NAME} ON interaction_documents USING gin ({PG_VECTOR})"
# The index migration 0002 created (and 0010's downgrade restores): on the expression.
PG_CREATE_EXPRESSION_INDEX = (
    f"CREATE INDEX {PG_INDEX_NAME} ON interaction_documents "
    "USING gin (to_tsvector('simple', document))"
)
PG_DROP_INDEX = f"DROP INDEX IF EXISTS {PG_INDEX_NAME}"

SQLITE_TABLE = "interaction_search"
SQLITE_CREATE_TABLE = (
    "CREATE VIRTUAL TABLE interaction_search USING fts5(document, "
    "content='interaction_documents', content_rowid='interaction_id', "
    "tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER interaction_documents_ai AFTER INSERT ON interaction_documents BEGIN "
    "INSERT INTO interaction_search(rowid, document) "
    "VALUES (new.interaction_id, new.document); END",
    "CREATE TRIGGER interaction_documents_ad AFTER DELETE ON interaction_documents BEGIN "
    "INSERT INTO interaction_search(interaction_search, rowid, document) "
    "VALUES ('delete', old.interaction_id, old.document); END",
    "CREATE TRIGGER interaction_documents_au AFTER UPDATE ON interaction_documents BEGIN "
    "INSERT INTO interaction_search(interaction_search, rowid, document) "
    "VALUES ('delete', old.interaction_id, old.document); "
    "INSERT INTO interaction_search(rowid, document) "
    "VALUES (new.interaction_id, new.document); END",
)
SQLITE_DROP_TRIGGERS = tuple(
    f"DROP TRIGGER IF EXISTS interaction_documents_{name}" for name in ("ai", "ad", "au")
)
SQLITE_REBUILD = "INSERT INTO interaction_search(interaction_search) VALUES ('rebuild')"
