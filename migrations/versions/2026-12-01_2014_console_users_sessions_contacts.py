"""console: users, web sessions, contacts; partner answers and who decided on matches

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:14:40.754608
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003_console"
down_revision: str | None = "0002_regions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("invitation_hash", sa.String(length=64), nullable=True),
        sa.Column("invitation_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("language IN ('es', 'en')", name=op.f("ck_users_language_valid")),
        sa.CheckConstraint(
            "role IN ('admin', 'coordinator', 'partner', 'business', 'integrator', 'viewer')",
            name=op.f("ck_users_role_valid"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("invitation_hash", name=op.f("uq_users_invitation_hash")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_users_oidc_subject")),
    )
    op.create_index(op.f("ix_users_created_at"), "users", ["created_at"], unique=False)
    op.create_index(op.f("ix_users_organization_id"), "users", ["organization_id"], unique=False)
    op.create_table(
        "contacts",
        sa.Column("partner_id", sa.UUID(), nullable=True),
        sa.Column("business_id", sa.UUID(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("(partner_id IS NULL) <> (business_id IS NULL)", name=op.f("ck_contacts_one_organization")),
        sa.ForeignKeyConstraint(
            ["business_id"], ["businesses.id"], name=op.f("fk_contacts_business_id_businesses"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_contacts_partner_id_partners"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    op.create_index(op.f("ix_contacts_business_id"), "contacts", ["business_id"], unique=False)
    op.create_index(op.f("ix_contacts_created_at"), "contacts", ["created_at"], unique=False)
    op.create_index(op.f("ix_contacts_partner_id"), "contacts", ["partner_id"], unique=False)
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_web_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"], unique=False)
    op.create_index(op.f("ix_web_sessions_user_id"), "web_sessions", ["user_id"], unique=False)
    op.add_column("audit_log", sa.Column("actor_user_id", sa.Uuid(), nullable=True))
    op.create_index(op.f("ix_audit_log_actor_user_id"), "audit_log", ["actor_user_id"], unique=False)
    op.add_column("match_decisions", sa.Column("actor_user_id", sa.Uuid(), nullable=True))
    op.add_column("match_decisions", sa.Column("actor_label", sa.String(length=200), nullable=True))
    op.add_column(
        "match_decisions",
        sa.Column("contact_ids", postgresql.ARRAY(sa.Uuid()), nullable=False, server_default=sa.text("'{}'")),
    )
    op.alter_column("match_decisions", "contact_ids", server_default=None)
    op.add_column("matches", sa.Column("partner_answer", sa.String(length=20), nullable=True))
    op.add_column("matches", sa.Column("partner_answer_reason", sa.Text(), nullable=True))
    op.add_column("matches", sa.Column("partner_answered_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("matches", sa.Column("partner_answered_by", sa.String(length=200), nullable=True))
    op.create_check_constraint(
        op.f("ck_matches_partner_answer_valid"), "matches", "partner_answer IN ('interested', 'not_interested')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_matches_partner_answer_valid"), "matches", type_="check")
    op.drop_column("matches", "partner_answered_by")
    op.drop_column("matches", "partner_answered_at")
    op.drop_column("matches", "partner_answer_reason")
    op.drop_column("matches", "partner_answer")
    op.drop_column("match_decisions", "contact_ids")
    op.drop_column("match_decisions", "actor_label")
    op.drop_column("match_decisions", "actor_user_id")
    op.drop_index(op.f("ix_audit_log_actor_user_id"), table_name="audit_log")
    op.drop_column("audit_log", "actor_user_id")
    op.drop_index(op.f("ix_web_sessions_user_id"), table_name="web_sessions")
    op.drop_index(op.f("ix_web_sessions_expires_at"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index(op.f("ix_contacts_partner_id"), table_name="contacts")
    op.drop_index(op.f("ix_contacts_created_at"), table_name="contacts")
    op.drop_index(op.f("ix_contacts_business_id"), table_name="contacts")
    op.drop_table("contacts")
    op.drop_index(op.f("ix_users_organization_id"), table_name="users")
    op.drop_index(op.f("ix_users_created_at"), table_name="users")
    op.drop_table("users")
