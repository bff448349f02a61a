"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:31:55.849287
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# --- impact_values and commitment_indicator_totals, kept exact by triggers on impact_reports -----
# Statement-level triggers with transition tables: a bulk INSERT … SELECT of 100,000 reports does
# one set-based pass, a single API write a one-row pass. Every write path (API, inbound webhooks,
# bulk SQL) goes through them, so the figures read from these tables equal those from the JSONB.
IMPACT_VALUES_TRIGGERS = (
    """
    CREATE FUNCTION commitment_indicator_totals_refresh(commitment_ids uuid[]) RETURNS void
    LANGUAGE sql AS $$
        -- one writer per commitment at a time (NO KEY: foreign-key checks elsewhere never wait), and each
        -- statement below sees every committed report, so concurrent writers cannot leave stale totals
        SELECT 1 FROM commitments WHERE id = ANY (commitment_ids) ORDER BY id FOR NO KEY UPDATE;
        DELETE FROM commitment_indicator_totals WHERE commitment_id = ANY (commitment_ids);
        INSERT INTO commitment_indicator_totals
            (commitment_id, code, business_id, reports, total_sum, total_max, last_period_end)
        SELECT v.commitment_id, v.code, (array_agg(v.business_id ORDER BY v.period_end DESC))[1],
               count(*), sum(v.value), max(v.value), max(v.period_end)
        FROM impact_values v
        WHERE v.current AND v.commitment_id = ANY (commitment_ids)
        GROUP BY v.commitment_id, v.code;
    $$
    """,
    """
    CREATE FUNCTION impact_values_of(reports impact_reports) RETURNS SETOF impact_values
    LANGUAGE sql STABLE AS $$
        SELECT reports.id, v.code, reports.commitment_id, reports.business_id, v.value,
               reports.period_start, reports.period_end, reports.replaced_at IS NULL
        FROM (
            SELECT '_report' AS code, 1::double precision AS value
            UNION ALL
            SELECT m.key, (m.value #>> '{}')::double precision
            FROM jsonb_each(CASE WHEN jsonb_typeof(reports.metrics) = 'object' THEN reports.metrics
                                 ELSE '{}'::jsonb END) AS m
            WHERE jsonb_typeof(m.value) = 'number' AND m.key <> '_report'
        ) AS v
    $$
    """,
    """
    CREATE FUNCTION impact_reports_sync_values() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        changed uuid[];
        touched uuid[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO impact_values SELECT v.* FROM new_rows r, impact_values_of(r) AS v;
            touched := ARRAY(SELECT DISTINCT commitment_id FROM new_rows);
        ELSIF TG_OP = 'UPDATE' THEN
            -- only rows whose figures can differ; a notes or updated_at change costs nothing
            changed := ARRAY(
                SELECT o.id FROM old_rows o JOIN new_rows n ON n.id = o.id
                WHERE (o.commitment_id, o.business_id, o.period_start, o.period_end, o.metrics, o.replaced_at)
                    IS DISTINCT FROM
                      (n.commitment_id, n.business_id, n.period_start, n.period_end, n.metrics, n.replaced_at)
            );
            IF cardinality(changed) = 0 THEN
                RETURN NULL;
            END IF;
            DELETE FROM impact_values v USING unnest(changed) AS c(id) WHERE v.report_id = c.id;
            INSERT INTO impact_values
            SELECT v.* FROM new_rows r JOIN unnest(changed) AS c(id) ON c.id = r.id, impact_values_of(r) AS v;
            touched := ARRAY(
                SELECT o.commitment_id FROM old_rows o JOIN unnest(changed) AS c(id) ON c.id = o.id
                UNION
                SELECT n.commitment_id FROM new_rows n JOIN unnest(changed) AS c(id) ON c.id = n.id
            );
        ELSE
            DELETE FROM impact_values v USING old_rows o WHERE v.report_id = o.id;
            touched := ARRAY(SELECT DISTINCT commitment_id FROM old_rows);
        END IF;
        PERFORM commitment_indicator_totals_refresh(touched);
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION impact_reports_truncate_totals() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM commitment_indicator_totals;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER impact_reports_values_insert AFTER INSERT ON impact_reports
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION impact_reports_sync_values()
    """,
    """
    CREATE TRIGGER impact_reports_values_update AFTER UPDATE ON impact_reports
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION impact_reports_sync_values()
    """,
    """
    CREATE TRIGGER impact_reports_values_delete AFTER DELETE ON impact_reports
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION impact_reports_sync_values()
    """,
    """
    CREATE TRIGGER impact_reports_values_truncate AFTER TRUNCATE ON impact_reports
    FOR EACH STATEMENT EXECUTE FUNCTION impact_reports_truncate_totals()
    """,
)
DROP_IMPACT_VALUES_TRIGGERS = (
    "DROP TRIGGER IF EXISTS impact_reports_values_truncate ON impact_reports",
    "DROP TRIGGER IF EXISTS impact_reports_values_delete ON impact_reports",
    "DROP TRIGGER IF EXISTS impact_reports_values_update ON impact_reports",
    "DROP TRIGGER IF EXISTS impact_reports_values_insert ON impact_reports",
    "DROP FUNCTION IF EXISTS impact_reports_truncate_totals()",
    "DROP FUNCTION IF EXISTS impact_reports_sync_values()",
    "DROP FUNCTION IF EXISTS impact_values_of(impact_reports)",
    "DROP FUNCTION IF EXISTS commitment_indicator_totals_refresh(uuid[])",
)


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "api_keys",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'coordinator', 'partner', 'business', 'integrator', 'viewer')",
            name=op.f("ck_api_keys_role_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_api_keys_created_at"), "api_keys", ["created_at"], unique=False)
    op.create_index(op.f("ix_api_keys_organization_id"), "api_keys", ["organization_id"], unique=False)
    op.create_table(
        "audit_log",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_key_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity_type", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=False),
        sa.Column("before", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_actor_key_id"), "audit_log", ["actor_key_id"], unique=False)
    op.create_index(op.f("ix_audit_log_at"), "audit_log", ["at"], unique=False)
    op.create_index(op.f("ix_audit_log_entity_id"), "audit_log", ["entity_id"], unique=False)
    op.create_index(op.f("ix_audit_log_entity_type"), "audit_log", ["entity_type"], unique=False)
    op.create_table(
        "businesses",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=2048), nullable=True),
        sa.Column("hq_country", sa.String(length=2), nullable=True),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("sectors", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("size", sa.String(length=20), nullable=True),
        sa.Column("women_led", sa.Boolean(), nullable=False),
        sa.Column("indigenous_led", sa.Boolean(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "size IN ('micro', 'small', 'medium', 'large', 'multinational')",
            name=op.f("ck_businesses_size_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_businesses")),
        sa.UniqueConstraint("external_id", name=op.f("uq_businesses_external_id")),
    )
    op.create_index("ix_businesses_countries", "businesses", ["countries"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_businesses_created_at"), "businesses", ["created_at"], unique=False)
    op.create_index(op.f("ix_businesses_hq_country"), "businesses", ["hq_country"], unique=False)
    op.create_index("ix_businesses_search", "businesses", ["search"], unique=False, postgresql_using="gin")
    op.create_index("ix_businesses_sectors", "businesses", ["sectors"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_businesses_size"), "businesses", ["size"], unique=False)
    op.create_table(
        "idempotency_records",
        sa.Column("caller", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("path", sa.String(length=2048), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("response_body", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("response_headers", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint("caller", "idempotency_key", name=op.f("uq_idempotency_records_caller_idempotency_key")),
    )
    op.create_index(op.f("ix_idempotency_records_created_at"), "idempotency_records", ["created_at"], unique=False)
    op.create_table(
        "integrations",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("previous_secret", sa.String(length=200), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrations")),
    )
    op.create_index(op.f("ix_integrations_created_at"), "integrations", ["created_at"], unique=False)
    op.create_table(
        "match_runs",
        sa.Column("scope", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("trigger", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=True),
        sa.Column("counts", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("model_version", sa.String(length=60), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')", name=op.f("ck_match_runs_status_valid")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_runs")),
    )
    op.create_index(op.f("ix_match_runs_created_at"), "match_runs", ["created_at"], unique=False)
    op.create_index(op.f("ix_match_runs_status"), "match_runs", ["status"], unique=False)
    op.create_table(
        "partners",
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("partner_type", sa.String(length=30), nullable=False),
        sa.Column("agency_code", sa.String(length=30), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=2048), nullable=True),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "partner_type IN ('us_agency', 'ngo', 'mdb', 'un_agency', 'international_org', 'government', 'foundation', 'private')",
            name=op.f("ck_partners_partner_type_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("external_id", name=op.f("uq_partners_external_id")),
    )
    op.create_index(op.f("ix_partners_agency_code"), "partners", ["agency_code"], unique=False)
    op.create_index("ix_partners_countries", "partners", ["countries"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_partners_created_at"), "partners", ["created_at"], unique=False)
    op.create_index(op.f("ix_partners_partner_type"), "partners", ["partner_type"], unique=False)
    op.create_index("ix_partners_search", "partners", ["search"], unique=False, postgresql_using="gin")
    op.create_table(
        "scoring_models",
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("parameters", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("evaluation", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_models")),
        sa.UniqueConstraint("model_version", name=op.f("uq_scoring_models_model_version")),
    )
    op.create_index(op.f("ix_scoring_models_created_at"), "scoring_models", ["created_at"], unique=False)
    op.create_index(
        "uq_scoring_models_active",
        "scoring_models",
        ["active"],
        unique=True,
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("owner_key_id", sa.Uuid(), nullable=True),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("event_types", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("previous_secret", sa.String(length=200), nullable=True),
        sa.Column("previous_secret_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(op.f("ix_webhook_endpoints_active"), "webhook_endpoints", ["active"], unique=False)
    op.create_index(op.f("ix_webhook_endpoints_created_at"), "webhook_endpoints", ["created_at"], unique=False)
    op.create_index(op.f("ix_webhook_endpoints_owner_key_id"), "webhook_endpoints", ["owner_key_id"], unique=False)
    op.create_table(
        "webhook_events",
        sa.Column("event_type", sa.String(length=60), nullable=False),
        sa.Column("payload", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("fanned_out", sa.Boolean(), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_events")),
    )
    op.create_index(op.f("ix_webhook_events_created_at"), "webhook_events", ["created_at"], unique=False)
    op.create_index(op.f("ix_webhook_events_event_type"), "webhook_events", ["event_type"], unique=False)
    op.create_index(op.f("ix_webhook_events_fanned_out"), "webhook_events", ["fanned_out"], unique=False)
    op.create_table(
        "commitments",
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("focus_areas", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("amount_usd", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("needs", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("initiative", sa.String(length=40), nullable=True),
        sa.Column("announced_on", sa.Date(), nullable=True),
        sa.Column("targets", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("baselines", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "focus_areas <@ ARRAY['reform_agenda', 'digital_financial_inclusion', 'food_security_agriculture', 'climate_clean_energy', 'education_workforce', 'public_health']::text[]",
            name=op.f("ck_commitments_focus_areas_valid"),
        ),
        sa.CheckConstraint(
            "initiative IN ('call_to_action', 'central_america_forward')",
            name=op.f("ck_commitments_initiative_valid"),
        ),
        sa.CheckConstraint(
            "needs <@ ARRAY['financing', 'technical_assistance', 'government_liaison', 'local_partner', 'labor_compliance', 'market_access', 'training_partner', 'research_data']::text[]",
            name=op.f("ck_commitments_needs_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('announced', 'in_progress', 'completed', 'stalled', 'withdrawn')",
            name=op.f("ck_commitments_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_commitments_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
        sa.UniqueConstraint("external_id", name=op.f("uq_commitments_external_id")),
    )
    op.create_index(op.f("ix_commitments_announced_on"), "commitments", ["announced_on"], unique=False)
    op.create_index(op.f("ix_commitments_business_id"), "commitments", ["business_id"], unique=False)
    op.create_index("ix_commitments_countries", "commitments", ["countries"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_commitments_created_at"), "commitments", ["created_at"], unique=False)
    op.create_index("ix_commitments_focus_areas", "commitments", ["focus_areas"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_commitments_initiative"), "commitments", ["initiative"], unique=False)
    op.create_index("ix_commitments_search", "commitments", ["search"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_commitments_status"), "commitments", ["status"], unique=False)
    op.create_table(
        "inbound_events",
        sa.Column("integration_id", sa.UUID(), nullable=False),
        sa.Column("webhook_id", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=60), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["integration_id"],
            ["integrations.id"],
            name=op.f("fk_inbound_events_integration_id_integrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_events")),
        sa.UniqueConstraint("integration_id", "webhook_id", name=op.f("uq_inbound_events_integration_id_webhook_id")),
    )
    op.create_index(op.f("ix_inbound_events_created_at"), "inbound_events", ["created_at"], unique=False)
    op.create_index(op.f("ix_inbound_events_integration_id"), "inbound_events", ["integration_id"], unique=False)
    op.create_index(op.f("ix_inbound_events_status"), "inbound_events", ["status"], unique=False)
    op.create_table(
        "programs",
        sa.Column("partner_id", sa.UUID(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("instruments", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("focus_areas", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=2)), nullable=False),
        sa.Column("sectors", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("min_ticket_usd", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("max_ticket_usd", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("eligible_sizes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("capacity_per_month", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(description, ''))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "eligible_sizes <@ ARRAY['micro', 'small', 'medium', 'large', 'multinational']::text[]",
            name=op.f("ck_programs_eligible_sizes_valid"),
        ),
        sa.CheckConstraint(
            "focus_areas <@ ARRAY['reform_agenda', 'digital_financial_inclusion', 'food_security_agriculture', 'climate_clean_energy', 'education_workforce', 'public_health']::text[]",
            name=op.f("ck_programs_focus_areas_valid"),
        ),
        sa.CheckConstraint(
            "instruments <@ ARRAY['loan', 'guarantee', 'equity', 'grant', 'technical_assistance', 'insurance', 'trade_promotion', 'training', 'policy_dialogue', 'convening']::text[]",
            name=op.f("ck_programs_instruments_valid"),
        ),
        sa.CheckConstraint("capacity_per_month >= 0", name=op.f("ck_programs_capacity_nonnegative")),
        sa.CheckConstraint(
            "min_ticket_usd IS NULL OR max_ticket_usd IS NULL OR min_ticket_usd <= max_ticket_usd",
            name=op.f("ck_programs_ticket_range_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_programs_partner_id_partners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programs")),
        sa.UniqueConstraint("external_id", name=op.f("uq_programs_external_id")),
    )
    op.create_index(op.f("ix_programs_active"), "programs", ["active"], unique=False)
    op.create_index("ix_programs_countries", "programs", ["countries"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_programs_created_at"), "programs", ["created_at"], unique=False)
    op.create_index("ix_programs_focus_areas", "programs", ["focus_areas"], unique=False, postgresql_using="gin")
    op.create_index("ix_programs_instruments", "programs", ["instruments"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_programs_partner_id"), "programs", ["partner_id"], unique=False)
    op.create_index("ix_programs_search", "programs", ["search"], unique=False, postgresql_using="gin")
    op.create_table(
        "webhook_deliveries",
        sa.Column("seq", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("endpoint_id", sa.UUID(), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_events.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_events"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("endpoint_id", "event_id", name=op.f("uq_webhook_deliveries_endpoint_id_event_id")),
        sa.UniqueConstraint("seq", name=op.f("uq_webhook_deliveries_seq")),
    )
    op.create_index(op.f("ix_webhook_deliveries_created_at"), "webhook_deliveries", ["created_at"], unique=False)
    op.create_index(
        "ix_webhook_deliveries_endpoint_status_seq",
        "webhook_deliveries",
        ["endpoint_id", "status", "seq"],
        unique=False,
    )
    op.create_index(op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"], unique=False)
    op.create_index(
        "ix_webhook_deliveries_status_next_attempt",
        "webhook_deliveries",
        ["status", "next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "impact_reports",
        sa.Column("commitment_id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("metrics", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("breakdowns", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("reported_by", sa.String(length=200), nullable=True),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("period_start <= period_end", name=op.f("ck_impact_reports_period_ordered")),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_impact_reports_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_impact_reports_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_reports")),
    )
    op.create_index(op.f("ix_impact_reports_business_id"), "impact_reports", ["business_id"], unique=False)
    op.create_index(op.f("ix_impact_reports_commitment_id"), "impact_reports", ["commitment_id"], unique=False)
    op.create_index(op.f("ix_impact_reports_created_at"), "impact_reports", ["created_at"], unique=False)
    op.create_index(op.f("ix_impact_reports_period_end"), "impact_reports", ["period_end"], unique=False)
    op.create_index(
        "uq_impact_reports_current_period",
        "impact_reports",
        ["commitment_id", "period_start", "period_end"],
        unique=True,
        postgresql_where=sa.text("replaced_at IS NULL"),
    )
    op.create_table(
        "commitment_indicator_totals",
        sa.Column("commitment_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("total_sum", sa.Float(), nullable=False),
        sa.Column("total_max", sa.Float(), nullable=False),
        sa.Column("last_period_end", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_commitment_indicator_totals_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("commitment_id", "code", name=op.f("pk_commitment_indicator_totals")),
    )
    op.create_index(
        op.f("ix_commitment_indicator_totals_business_id"),
        "commitment_indicator_totals",
        ["business_id"],
        unique=False,
    )
    op.create_index(
        "ix_commitment_indicator_totals_code",
        "commitment_indicator_totals",
        ["code"],
        unique=False,
        postgresql_include=["commitment_id", "total_sum", "total_max"],
    )
    op.create_table(
        "impact_values",
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("commitment_id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["impact_reports.id"],
            name=op.f("fk_impact_values_report_id_impact_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "code", name=op.f("pk_impact_values")),
    )
    op.create_index("ix_impact_values_commitment_id", "impact_values", ["commitment_id"], unique=False)
    op.create_index(
        "ix_impact_values_current_code_period_end",
        "impact_values",
        ["code", "period_end"],
        unique=False,
        postgresql_include=["value", "commitment_id"],
        postgresql_where=sa.text("current"),
    )
    op.create_table(
        "matches",
        sa.Column("commitment_id", sa.UUID(), nullable=False),
        sa.Column("program_id", sa.UUID(), nullable=False),
        sa.Column("partner_id", sa.UUID(), nullable=False),
        sa.Column("business_id", sa.UUID(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("components", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=False),
        sa.Column("reasons", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=True),
        sa.Column("model_version", sa.String(length=60), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("partnership_formed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'approved', 'declined', 'introduced', 'partnership_formed', 'no_partnership', 'superseded')",
            name=op.f("ck_matches_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_matches_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.id"],
            name=op.f("fk_matches_commitment_id_commitments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_matches_partner_id_partners"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"], name=op.f("fk_matches_program_id_programs"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["match_runs.id"], name=op.f("fk_matches_run_id_match_runs"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
    )
    op.create_index(op.f("ix_matches_business_id"), "matches", ["business_id"], unique=False)
    op.create_index(op.f("ix_matches_commitment_id"), "matches", ["commitment_id"], unique=False)
    op.create_index(op.f("ix_matches_created_at"), "matches", ["created_at"], unique=False)
    op.create_index(op.f("ix_matches_partner_id"), "matches", ["partner_id"], unique=False)
    op.create_index(op.f("ix_matches_program_id"), "matches", ["program_id"], unique=False)
    op.create_index(op.f("ix_matches_run_id"), "matches", ["run_id"], unique=False)
    op.create_index(op.f("ix_matches_score"), "matches", ["score"], unique=False)
    op.create_index("ix_matches_status_score", "matches", ["status", "score"], unique=False)
    op.create_index(
        "ix_matches_funnel",
        "matches",
        ["status"],
        unique=False,
        postgresql_include=["created_at", "approved_at", "introduced_at", "partnership_formed_at", "commitment_id"],
    )
    op.create_index(
        "uq_matches_open_pair",
        "matches",
        ["commitment_id", "program_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('proposed', 'approved', 'introduced')"),
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("delivery_id", sa.UUID(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_deliveries.id"],
            name=op.f("fk_webhook_attempts_delivery_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
    )
    op.create_index(op.f("ix_webhook_attempts_created_at"), "webhook_attempts", ["created_at"], unique=False)
    op.create_index(op.f("ix_webhook_attempts_delivery_id"), "webhook_attempts", ["delivery_id"], unique=False)
    op.create_table(
        "match_decisions",
        sa.Column("match_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=30), nullable=False),
        sa.Column("to_status", sa.String(length=30), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("outcome", sa.String(length=30), nullable=True),
        sa.Column("actor_key_id", sa.Uuid(), nullable=True),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_decisions_match_id_matches"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_decisions")),
    )
    op.create_index(op.f("ix_match_decisions_created_at"), "match_decisions", ["created_at"], unique=False)
    op.create_index(op.f("ix_match_decisions_match_id"), "match_decisions", ["match_id"], unique=False)
    op.create_index(op.f("ix_match_decisions_to_status"), "match_decisions", ["to_status"], unique=False)
    # ### end Alembic commands ###
    for statement in IMPACT_VALUES_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    for statement in DROP_IMPACT_VALUES_TRIGGERS:
        op.execute(statement)
    op.drop_index(op.f("ix_match_decisions_to_status"), table_name="match_decisions")
    op.drop_index(op.f("ix_match_decisions_match_id"), table_name="match_decisions")
    op.drop_index(op.f("ix_match_decisions_created_at"), table_name="match_decisions")
    op.drop_table("match_decisions")
    op.drop_index(op.f("ix_webhook_attempts_delivery_id"), table_name="webhook_attempts")
    op.drop_index(op.f("ix_webhook_attempts_created_at"), table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_index(
        "uq_matches_open_pair",
        table_name="matches",
        postgresql_where=sa.text("status IN ('proposed', 'approved', 'introduced')"),
    )
    op.drop_index("ix_matches_funnel", table_name="matches")
    op.drop_index("ix_matches_status_score", table_name="matches")
    op.drop_index(op.f("ix_matches_score"), table_name="matches")
    op.drop_index(op.f("ix_matches_run_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_program_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_partner_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_created_at"), table_name="matches")
    op.drop_index(op.f("ix_matches_commitment_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_business_id"), table_name="matches")
    op.drop_table("matches")
    op.drop_index(
        "ix_impact_values_current_code_period_end",
        table_name="impact_values",
        postgresql_where=sa.text("current"),
    )
    op.drop_index("ix_impact_values_commitment_id", table_name="impact_values")
    op.drop_table("impact_values")
    op.drop_index("ix_commitment_indicator_totals_code", table_name="commitment_indicator_totals")
    op.drop_index(op.f("ix_commitment_indicator_totals_business_id"), table_name="commitment_indicator_totals")
    op.drop_table("commitment_indicator_totals")
    op.drop_index(
        "uq_impact_reports_current_period",
        table_name="impact_reports",
        postgresql_where=sa.text("replaced_at IS NULL"),
    )
    op.drop_index(op.f("ix_impact_reports_period_end"), table_name="impact_reports")
    op.drop_index(op.f("ix_impact_reports_created_at"), table_name="impact_reports")
    op.drop_index(op.f("ix_impact_reports_commitment_id"), table_name="impact_reports")
    op.drop_index(op.f("ix_impact_reports_business_id"), table_name="impact_reports")
    op.drop_table("impact_reports")
    op.drop_index("ix_webhook_deliveries_status_next_attempt", table_name="webhook_deliveries")
    op.drop_index(op.f("ix_webhook_deliveries_event_id"), table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_endpoint_status_seq", table_name="webhook_deliveries")
    op.drop_index(op.f("ix_webhook_deliveries_created_at"), table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_programs_search", table_name="programs", postgresql_using="gin")
    op.drop_index(op.f("ix_programs_partner_id"), table_name="programs")
    op.drop_index("ix_programs_instruments", table_name="programs", postgresql_using="gin")
    op.drop_index("ix_programs_focus_areas", table_name="programs", postgresql_using="gin")
    op.drop_index(op.f("ix_programs_created_at"), table_name="programs")
    op.drop_index("ix_programs_countries", table_name="programs", postgresql_using="gin")
    op.drop_index(op.f("ix_programs_active"), table_name="programs")
    op.drop_table("programs")
    op.drop_index(op.f("ix_inbound_events_status"), table_name="inbound_events")
    op.drop_index(op.f("ix_inbound_events_integration_id"), table_name="inbound_events")
    op.drop_index(op.f("ix_inbound_events_created_at"), table_name="inbound_events")
    op.drop_table("inbound_events")
    op.drop_index(op.f("ix_commitments_status"), table_name="commitments")
    op.drop_index("ix_commitments_search", table_name="commitments", postgresql_using="gin")
    op.drop_index(op.f("ix_commitments_initiative"), table_name="commitments")
    op.drop_index("ix_commitments_focus_areas", table_name="commitments", postgresql_using="gin")
    op.drop_index(op.f("ix_commitments_created_at"), table_name="commitments")
    op.drop_index("ix_commitments_countries", table_name="commitments", postgresql_using="gin")
    op.drop_index(op.f("ix_commitments_business_id"), table_name="commitments")
    op.drop_index(op.f("ix_commitments_announced_on"), table_name="commitments")
    op.drop_table("commitments")
    op.drop_index(op.f("ix_webhook_events_fanned_out"), table_name="webhook_events")
    op.drop_index(op.f("ix_webhook_events_event_type"), table_name="webhook_events")
    op.drop_index(op.f("ix_webhook_events_created_at"), table_name="webhook_events")
    op.drop_table("webhook_events")
    op.drop_index(op.f("ix_webhook_endpoints_owner_key_id"), table_name="webhook_endpoints")
    op.drop_index(op.f("ix_webhook_endpoints_created_at"), table_name="webhook_endpoints")
    op.drop_index(op.f("ix_webhook_endpoints_active"), table_name="webhook_endpoints")
    op.drop_table("webhook_endpoints")
    op.drop_index("uq_scoring_models_active", table_name="scoring_models", postgresql_where=sa.text("active"))
    op.drop_index(op.f("ix_scoring_models_created_at"), table_name="scoring_models")
    op.drop_table("scoring_models")
    op.drop_index("ix_partners_search", table_name="partners", postgresql_using="gin")
    op.drop_index(op.f("ix_partners_partner_type"), table_name="partners")
    op.drop_index(op.f("ix_partners_created_at"), table_name="partners")
    op.drop_index("ix_partners_countries", table_name="partners", postgresql_using="gin")
    op.drop_index(op.f("ix_partners_agency_code"), table_name="partners")
    op.drop_table("partners")
    op.drop_index(op.f("ix_match_runs_status"), table_name="match_runs")
    op.drop_index(op.f("ix_match_runs_created_at"), table_name="match_runs")
    op.drop_table("match_runs")
    op.drop_index(op.f("ix_integrations_created_at"), table_name="integrations")
    op.drop_table("integrations")
    op.drop_index(op.f("ix_idempotency_records_created_at"), table_name="idempotency_records")
    op.drop_table("idempotency_records")
    op.drop_index(op.f("ix_businesses_size"), table_name="businesses")
    op.drop_index("ix_businesses_sectors", table_name="businesses", postgresql_using="gin")
    op.drop_index("ix_businesses_search", table_name="businesses", postgresql_using="gin")
    op.drop_index(op.f("ix_businesses_hq_country"), table_name="businesses")
    op.drop_index(op.f("ix_businesses_created_at"), table_name="businesses")
    op.drop_index("ix_businesses_countries", table_name="businesses", postgresql_using="gin")
    op.drop_table("businesses")
    op.drop_index(op.f("ix_audit_log_entity_type"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_entity_id"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_at"), table_name="audit_log")
    op.drop_index(op.f("ix_audit_log_actor_key_id"), table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_index(op.f("ix_api_keys_organization_id"), table_name="api_keys")
    op.drop_index(op.f("ix_api_keys_created_at"), table_name="api_keys")
    op.drop_table("api_keys")
    # ### end Alembic commands ###
