"""The engine-specific full-text structures over ``interaction_documents``.

The models cannot describe them (an FTS5 virtual table with triggers on SQLite, an expression
GIN index on PostgreSQL), so the migration that introduced them and the bulk loader, which drops
and rebuilds them around a load, share these statements.
"""

from __future__ import annotations

PG_INDEX_NAME = "ix_interaction_documents_tsv"
PG_CREATE_INDEX = (
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
