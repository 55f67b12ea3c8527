"""The PostgreSQL side of :mod:`engagement.auditing`: the audit and clearance functions, the
audit triggers, the row-level security policies, and the grants that follow new tables.

Which tables are audited or protected, and why, is declared in :mod:`engagement.auditing`; this
module turns that into plpgsql and policies.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from engagement.auditing import (
    AUDITED,
    INTERACTION_CHILDREN,
    PG_ONLY_AUDITED,
    TEAM_WRITABLE,
    existing_tables,
    rank_case,
)

_PG_FUNCTIONS = (
    f"""
CREATE OR REPLACE FUNCTION engagement_confidentiality_rank(level text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT {rank_case("level")} $$
""",
    """
CREATE OR REPLACE FUNCTION engagement_clearance_rank(who name) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    SELECT coalesce(
        (SELECT engagement_confidentiality_rank(level) FROM clearances WHERE role_name = who), 0)
$$
""",
    """
CREATE OR REPLACE FUNCTION engagement_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    before_row jsonb;
    after_row jsonb;
    row_data jsonb;
    stakeholder_column text := nullif(TG_ARGV[0], '');
    interaction_column text := nullif(TG_ARGV[1], '');
    key_columns text[] := string_to_array(TG_ARGV[2], ',');
    maintained text[] := string_to_array(nullif(TG_ARGV[3], ''), ',');
    derived text[] := coalesce(string_to_array(nullif(TG_ARGV[4], ''), ','), '{}');
    interaction integer;
    level text;
BEGIN
    IF TG_OP <> 'INSERT' THEN before_row := to_jsonb(OLD) - derived; END IF;
    IF TG_OP <> 'DELETE' THEN after_row := to_jsonb(NEW) - derived; END IF;
    IF TG_OP = 'UPDATE' AND
       before_row - coalesce(maintained, '{}') = after_row - coalesce(maintained, '{}') THEN
        RETURN NULL;
    END IF;
    row_data := coalesce(after_row, before_row);
    IF interaction_column IS NOT NULL THEN
        interaction := (row_data ->> interaction_column)::integer;
    END IF;
    IF TG_TABLE_NAME IN ('interactions', 'commitments') OR interaction_column IS NOT NULL THEN
        IF TG_TABLE_NAME IN ('interactions', 'commitments') THEN
            level := row_data ->> 'confidentiality';
            IF TG_OP = 'UPDATE' AND
               engagement_confidentiality_rank(before_row ->> 'confidentiality')
               > engagement_confidentiality_rank(level) THEN
                level := before_row ->> 'confidentiality';
            END IF;
        ELSE
            level := coalesce(
                (SELECT confidentiality FROM interactions WHERE id = interaction),
                (SELECT confidentiality FROM audit_log WHERE interaction_id = interaction
                 AND confidentiality IS NOT NULL ORDER BY id DESC LIMIT 1),
                'strictly_confidential');
        END IF;
    END IF;
    INSERT INTO audit_log (at, actor, action, table_name, row_id, stakeholder_id,
                           interaction_id, confidentiality, before, after)
    VALUES (clock_timestamp(), session_user, lower(TG_OP), TG_TABLE_NAME,
            (SELECT string_agg(row_data ->> key, '/') FROM unnest(key_columns) AS key),
            (row_data ->> stakeholder_column)::integer, interaction, level,
            before_row::json, after_row::json);
    RETURN NULL;
END
$$
""",
    """
CREATE OR REPLACE FUNCTION engagement_refresh_contacts(ids integer[]) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
    UPDATE stakeholders AS s SET
        first_contact_on = stats.first_on,
        last_contact_on = greatest(stats.last_on, stats.recurring_on),
        interaction_count = stats.live,
        ongoing = stats.recurring_on IS NOT NULL
    FROM (
        SELECT wanted.id, agg.first_on, agg.last_on, agg.recurring_on, agg.live
        FROM unnest(ids) AS wanted(id)
        CROSS JOIN LATERAL (
            SELECT min(i.start_on) FILTER (WHERE i.status = 'held') AS first_on,
                   max(i.last_on) FILTER (
                       WHERE i.status = 'held' AND i.recurrence IS NULL) AS last_on,
                   max(i.start_on) FILTER (
                       WHERE i.status = 'held' AND i.recurrence IS NOT NULL) AS recurring_on,
                   count(*) FILTER (WHERE i.status <> 'cancelled') AS live
            FROM interaction_stakeholders AS link
            JOIN interactions AS i ON i.id = link.interaction_id
            WHERE link.stakeholder_id = wanted.id
        ) AS agg
    ) AS stats
    WHERE s.id = stats.id
$$
""",
    # plpgsql, whose body is resolved when it runs: these functions are also created on
    # databases migrated only part of the way, before pending_documents exists.
    """
CREATE OR REPLACE FUNCTION engagement_queue_documents(ids integer[], who name) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who AND (rolsuper OR rolbypassrls))
       OR pg_has_role(who, (SELECT relowner FROM pg_class WHERE oid = 'interactions'::regclass),
                      'MEMBER') THEN
        RETURN;  -- row-level security hides nothing from this role
    END IF;
    INSERT INTO pending_documents (interaction_id)
    SELECT DISTINCT link.interaction_id
    FROM interaction_stakeholders AS link
    JOIN interactions AS i ON i.id = link.interaction_id
    WHERE link.stakeholder_id = ANY(ids)
      AND engagement_confidentiality_rank(i.confidentiality) > engagement_clearance_rank(who)
    ON CONFLICT DO NOTHING;
END
$$
""",
)
_PG_DROP_FUNCTIONS = (
    "DROP FUNCTION IF EXISTS engagement_queue_documents(integer[], name)",
    "DROP FUNCTION IF EXISTS engagement_refresh_contacts(integer[])",
    "DROP FUNCTION IF EXISTS engagement_audit()",
    "DROP FUNCTION IF EXISTS engagement_clearance_rank(name)",
    "DROP FUNCTION IF EXISTS engagement_confidentiality_rank(text)",
)
_VISIBLE_LEVEL = (
    "engagement_confidentiality_rank({column}) <= (SELECT engagement_clearance_rank(current_user))"
)


def _pg_policies() -> list[tuple[str, str]]:
    """(table, statement) for every row-level security policy."""
    policies = [
        (
            "interactions",
            "CREATE POLICY clearance ON interactions USING ("
            + _VISIBLE_LEVEL.format(column="confidentiality")
            + ")",
        ),
        (
            "audit_log",
            "CREATE POLICY clearance ON audit_log FOR SELECT USING (confidentiality IS NULL OR "
            + _VISIBLE_LEVEL.format(column="confidentiality")
            + ")",
        ),
    ]
    policies.append(
        (
            "commitments",
            "CREATE POLICY clearance ON commitments USING ("
            + _VISIBLE_LEVEL.format(column="confidentiality")
            + ")",
        )
    )
    policies.append(
        (
            "commitment_stakeholders",
            "CREATE POLICY clearance ON commitment_stakeholders USING (EXISTS (SELECT 1 FROM "
            "commitments AS visible WHERE visible.id = commitment_stakeholders.commitment_id))",
        )
    )
    for table in INTERACTION_CHILDREN:
        policies.append(
            (
                table,
                f"CREATE POLICY clearance ON {table} USING (EXISTS (SELECT 1 FROM interactions "
                f"AS visible WHERE visible.id = {table}.interaction_id))",
            )
        )
    return policies


def create_postgresql(connection: Connection) -> None:
    # SECURITY DEFINER functions get a fixed search path: the schema of the tables, then
    # pg_temp last, so no other role can put an object of its own in their way.
    name = str(connection.execute(text("SELECT current_schema()")).scalar_one())
    schema = connection.dialect.identifier_preparer.quote_identifier(name)
    for statement in _PG_FUNCTIONS:
        connection.exec_driver_sql(statement.replace("{schema}", schema))
    present = existing_tables(connection)
    for table in (*AUDITED, *PG_ONLY_AUDITED):
        if table.name not in present:
            continue
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit ON {table.name}")
        arguments = ", ".join(
            f"'{value}'"
            for value in (
                table.stakeholder_column or "",
                table.interaction_column or "",
                ",".join(table.key_columns),
                ",".join(table.maintained),
                ",".join(table.derived),
            )
        )
        connection.exec_driver_sql(
            f"CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON {table.name} "
            f"FOR EACH ROW EXECUTE FUNCTION engagement_audit({arguments})"
        )
    for table_name, statement in _pg_policies():
        if table_name not in present:
            continue
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS clearance ON {table_name}")
        connection.exec_driver_sql(f"ALTER TABLE {table_name} ENABLE ROW LEVEL SECURITY")
        connection.exec_driver_sql(statement)


def drop_postgresql(connection: Connection) -> None:
    present = existing_tables(connection)
    for table_name, _ in _pg_policies():
        if table_name in present:
            connection.exec_driver_sql(f"DROP POLICY IF EXISTS clearance ON {table_name}")
            connection.exec_driver_sql(f"ALTER TABLE {table_name} DISABLE ROW LEVEL SECURITY")
    for table in (*AUDITED, *PG_ONLY_AUDITED):
        if table.name in present:
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS audit ON {table.name}")
    for statement in _PG_DROP_FUNCTIONS:
        connection.exec_driver_sql(statement)


def grant_new_tables(connection: Connection) -> None:
    """Roles cleared before a migration added a table may use it too."""
    present = existing_tables(connection)
    tables = ", ".join(name for name in TEAM_WRITABLE if name in present)
    roles = connection.exec_driver_sql(
        "SELECT role_name FROM clearances WHERE role_name IN (SELECT rolname FROM pg_roles)"
    ).scalars()
    quote = connection.dialect.identifier_preparer.quote_identifier
    for role in roles:
        connection.exec_driver_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {quote(str(role))}"
        )


def refresh_contacts_postgresql(connection: Connection, ids: list[int]) -> None:
    """Recompute contact statistics over every interaction, whatever the caller may see."""
    connection.execute(
        text("SELECT engagement_refresh_contacts(CAST(:ids AS integer[]))"), {"ids": ids}
    )


def queue_hidden_documents(connection: Connection, ids: list[int]) -> None:
    """Queue, for a role that can see them, the documents of these stakeholders' interactions
    that the current role cannot see (and so cannot rewrite itself)."""
    connection.execute(
        text("SELECT engagement_queue_documents(CAST(:ids AS integer[]), current_user)"),
        {"ids": ids},
    )


__all__ = [
    "create_postgresql",
    "drop_postgresql",
    "grant_new_tables",
    "queue_hidden_documents",
    "refresh_contacts_postgresql",
]
