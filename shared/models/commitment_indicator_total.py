"""Commitment indicator total: one commitment's result for one indicator, kept by a database trigger."""

import uuid
from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, TenantScoped
from shared.enums import Role


class CommitmentIndicatorTotal(TenantScoped, Model):
    """Over a commitment's current reports carrying `code`: their count, sum, largest value, latest end.

    Recomputed by the trigger on `impact_reports` for every commitment a write touches, so an
    unwindowed summary adds up ~one row per commitment and code instead of every report.
    `total_sum` is the result of a flow indicator, `total_max` of a stock (shared.indicators).
    """

    __tablename__ = "commitment_indicator_totals"
    __tenant_columns__ = {Role.BUSINESS: "business_id"}

    commitment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(Text, primary_key=True)
    business_id: Mapped[uuid.UUID] = mapped_column(index=True)
    reports: Mapped[int] = mapped_column(Integer)
    total_sum: Mapped[float] = mapped_column(Float)
    total_max: Mapped[float] = mapped_column(Float)
    last_period_end: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        # the unwindowed summary: every commitment's totals for the codes asked, from the index alone
        Index(
            "ix_commitment_indicator_totals_code",
            "code",
            postgresql_include=["commitment_id", "total_sum", "total_max"],
        ),
    )
