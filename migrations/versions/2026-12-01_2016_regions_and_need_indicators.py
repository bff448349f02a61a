"""regions, need indicators and their values, regions on commitments and programs

Reference regions (loaded by `puente run` on first start or `puente import --kind regions`), the
need catalogue, releases and versioned values; `regions` (region ids) on commitments and programs.

Revision ID: 0002_regions
Revises: 0001
Create Date: 2026-12-01 20:16:57.085877
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_regions"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "need_indicators",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_es", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("stands_in_for", sa.String(length=80), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('more_need', 'less_need', 'context')", name=op.f("ck_need_indicators_direction_valid")
        ),
        sa.ForeignKeyConstraint(
            ["stands_in_for"], ["need_indicators.code"], name=op.f("fk_need_indicators_stands_in_for_need_indicators")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_need_indicators")),
    )
    op.create_table(
        "need_releases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_by", sa.String(length=200), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("revised", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_releases")),
    )
    op.create_index(op.f("ix_need_releases_sha256"), "need_releases", ["sha256"], unique=False)
    op.create_table(
        "regions",
        sa.Column("id", sa.String(length=20), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_folded", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=20), nullable=True),
        sa.Column("lineage", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("iso_3166_2", sa.String(length=6), nullable=True),
        sa.Column("population", sa.BigInteger(), nullable=True),
        sa.Column("population_year", sa.Integer(), nullable=True),
        sa.Column("population_source", sa.String(length=120), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("centroid_source", sa.String(length=120), nullable=True),
        sa.Column("boundary", postgresql.JSONB(none_as_null=True, astext_type=sa.Text()), nullable=True),
        sa.Column("source_id", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = country || '-' || code", name=op.f("ck_regions_id_is_country_code")),
        sa.CheckConstraint("level IN ('department', 'municipality', 'district')", name=op.f("ck_regions_level_valid")),
        sa.ForeignKeyConstraint(["parent_id"], ["regions.id"], name=op.f("fk_regions_parent_id_regions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regions")),
    )
    op.create_index("ix_regions_country_level", "regions", ["country", "level"], unique=False)
    op.create_index("ix_regions_lineage", "regions", ["lineage"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_regions_parent_id"), "regions", ["parent_id"], unique=False)
    op.create_table(
        "need_values",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("region_id", sa.String(length=20), nullable=False),
        sa.Column("indicator", sa.String(length=80), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source_id", sa.String(length=120), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["indicator"], ["need_indicators.code"], name=op.f("fk_need_values_indicator_need_indicators")
        ),
        sa.ForeignKeyConstraint(
            ["region_id"], ["regions.id"], name=op.f("fk_need_values_region_id_regions"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["release_id"], ["need_releases.id"], name=op.f("fk_need_values_release_id_need_releases")
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"], ["need_releases.id"], name=op.f("fk_need_values_superseded_by_need_releases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_values")),
    )
    op.create_index("ix_need_values_indicator_region", "need_values", ["indicator", "region_id"], unique=False)
    op.create_index(op.f("ix_need_values_release_id"), "need_values", ["release_id"], unique=False)
    op.create_index(
        "ux_need_values_current",
        "need_values",
        ["region_id", "indicator", "year"],
        unique=True,
        postgresql_where=sa.text("superseded_by IS NULL"),
    )
    op.add_column("commitments", sa.Column("regions", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False))
    op.create_index("ix_commitments_regions", "commitments", ["regions"], unique=False, postgresql_using="gin")
    op.add_column("programs", sa.Column("regions", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False))
    op.create_index("ix_programs_regions", "programs", ["regions"], unique=False, postgresql_using="gin")


def downgrade() -> None:
    op.drop_index("ix_programs_regions", table_name="programs", postgresql_using="gin")
    op.drop_column("programs", "regions")
    op.drop_index("ix_commitments_regions", table_name="commitments", postgresql_using="gin")
    op.drop_column("commitments", "regions")
    op.drop_index("ux_need_values_current", table_name="need_values", postgresql_where=sa.text("superseded_by IS NULL"))
    op.drop_index(op.f("ix_need_values_release_id"), table_name="need_values")
    op.drop_index("ix_need_values_indicator_region", table_name="need_values")
    op.drop_table("need_values")
    op.drop_index(op.f("ix_regions_parent_id"), table_name="regions")
    op.drop_index("ix_regions_lineage", table_name="regions", postgresql_using="gin")
    op.drop_index("ix_regions_country_level", table_name="regions")
    op.drop_table("regions")
    op.drop_index(op.f("ix_need_releases_sha256"), table_name="need_releases")
    op.drop_table("need_releases")
    op.drop_table("need_indicators")
