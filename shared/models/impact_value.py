"""Impact value: one indicator's value in one impact report, kept in step with it by a database trigger."""

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db.base import Model, TenantScoped
from shared.enums import Role

#: The code of the row every report gets with value 1, so report counts read the same index as values.
REPORT_CODE = "_report"


class ImpactValue(TenantScoped, Model):
    """`impact_reports.metrics` unpacked: one row per report and numeric indicator code.

    Written only by the trigger on `impact_reports` (see the migration) on every insert,
    update and delete, whichever path makes it (API, inbound webhooks, bulk SQL), so figures
    read typed, indexed columns instead of JSONB. `current` mirrors `replaced_at IS NULL`: a
    replaced report's values stop counting. Each report also has one `REPORT_CODE` row
    (value 1) whatever its metrics, so counts of reports come from the same index.
    """

    __tablename__ = "impact_values"
    __tenant_columns__ = {Role.BUSINESS: "business_id"}

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("impact_reports.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(Text, primary_key=True)
    commitment_id: Mapped[uuid.UUID]
    business_id: Mapped[uuid.UUID]
    value: Mapped[float] = mapped_column(Float)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    current: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        # trends and windowed summaries: one code's current values in a window, from the index alone
        Index(
            "ix_impact_values_current_code_period_end",
            "code",
            "period_end",
            postgresql_include=["value", "commitment_id"],
            postgresql_where=text("current"),
        ),
        # the trigger's recomputation of the totals of the commitments a write touched
        Index("ix_impact_values_commitment_id", "commitment_id"),
    )
