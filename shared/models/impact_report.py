"""Impact report: what a commitment achieved in one period, per indicator code."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Audited, Model, TenantScoped, Timestamps, UUIDPrimaryKey
from shared.db.types import Json
from shared.enums import Role


class ImpactReport(UUIDPrimaryKey, Timestamps, TenantScoped, Audited, Model):
    """A later report for the same commitment and period replaces the earlier one.

    The earlier row is kept for the record with `replaced_at` set; only current rows
    (`replaced_at IS NULL`) count in figures, and at most one is current per period.
    """

    __tablename__ = "impact_reports"
    __tenant_columns__ = {Role.BUSINESS: "business_id"}

    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    business_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("businesses.id", ondelete="CASCADE"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date, index=True)
    metrics: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    breakdowns: Mapped[dict[str, Any]] = mapped_column(Json, default=dict)
    notes: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[str] = mapped_column(String(20), default="api")
    reported_by: Mapped[str | None] = mapped_column(String(200))
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("period_start <= period_end", name="period_ordered"),
        Index(
            "uq_impact_reports_current_period",
            "commitment_id",
            "period_start",
            "period_end",
            unique=True,
            postgresql_where=text("replaced_at IS NULL"),
        ),
    )
