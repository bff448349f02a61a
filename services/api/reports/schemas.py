"""Response shape of impact reports; the input shape is shared with inbound webhooks."""

import uuid
from datetime import date

from pydantic import Field

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.records.impact_report import ReportCreate

__all__ = ["ReportCreate", "ReportListing", "ReportRead"]


class ReportListing(QueryModel):
    include_replaced: bool = Field(False, description="Also list reports a later one replaced (the history).")


class ReportRead(ApiModel):
    id: uuid.UUID
    commitment_id: uuid.UUID
    business_id: uuid.UUID
    period_start: date
    period_end: date
    metrics: dict[str, float] = Field(description="Indicator code → value for the period.")
    breakdowns: dict[str, dict[str, dict[str, float]]] = Field(
        description="Indicator code → dimension → label → value."
    )
    notes: str | None
    source: str = Field(description="How it arrived: `api`, `webhook` or `import`.")
    reported_by: str | None
    replaced_at: UtcDateTime | None = Field(
        description="Set when a later report for the same commitment and period replaced this one; "
        "replaced reports no longer count in figures."
    )
    created_at: UtcDateTime
    updated_at: UtcDateTime
