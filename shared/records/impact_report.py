"""Impact reports: the input shape and the write rule (a later report for a period replaces the earlier one).

Both the API (`POST /v1/commitments/{id}/reports`) and the inbound-webhook worker
(`commitment.progress_reported`) call `record_report`, so a report means the same thing
whichever way it arrives.
"""

import math
import re
import uuid
from datetime import date
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utc_now
from shared.countries import ISO_COUNTRIES
from shared.db.repository import get_visible
from shared.events import EventType, emit, report_created_data
from shared.indicators import BREAKDOWN_DIMENSIONS, PART_OF, SEX_LABELS, unknown_codes
from shared.models import Commitment, ImpactReport
from shared.validation import InputModel

#: Largest value any indicator accepts (a trillion dollars, people, hectares…): beyond is a typo.
MAX_VALUE = 1e12
#: Reported parts may exceed the whole by rounding only.
_TOLERANCE = 1e-6
_AGE_BAND = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")

Value = Annotated[int | float, Field(ge=0, le=MAX_VALUE, allow_inf_nan=False)]
Label = Annotated[str, Field(min_length=1, max_length=40)]
Dimension = Annotated[str, Field(description="One of `sex`, `age_band`, `country`.")]


class ReportSource:
    """Where a report came from (`impact_reports.source`)."""

    API = "api"
    WEBHOOK = "webhook"
    IMPORT = "import"


class ReportCreate(InputModel):
    period_start: date = Field(examples=["2024-01-01"])
    period_end: date = Field(examples=["2024-03-31"], description="On or after period_start; not after today.")
    metrics: dict[str, Value] = Field(
        min_length=1,
        max_length=50,
        description="Indicator code (see GET /v1/metrics/indicators) → non-negative value for the period.",
        examples=[{"investment_deployed_usd": 250000, "jobs_created": 40, "people_reached": 1200}],
    )
    breakdowns: dict[str, dict[Dimension, dict[Label, Value]]] = Field(
        default_factory=dict,
        description=(
            "Indicator code → dimension (`sex`: female|male|other|unknown; `age_band`: like `15-29` or `65+`;"
            " `country`: ISO 3166-1 alpha-2) → label → value. Parts may not add up to more than the metric."
        ),
        examples=[{"jobs_created": {"sex": {"female": 22, "male": 18}, "country": {"GT": 30, "HN": 10}}}],
    )
    notes: str | None = Field(None, max_length=2000)

    @field_validator("metrics")
    @classmethod
    def _known_codes(cls, metrics: dict[str, float]) -> dict[str, float]:
        unknown = unknown_codes(set(metrics))
        if unknown:
            raise ValueError(f"unknown indicator codes: {', '.join(unknown)} (see GET /v1/metrics/indicators)")
        return metrics

    @model_validator(mode="after")
    def _consistent(self) -> "ReportCreate":
        if self.period_start > self.period_end:
            raise ValueError("period_start must be on or before period_end")
        today = utc_now().date()
        if self.period_end > today:
            raise ValueError(f"period_end {self.period_end} is in the future (today is {today})")
        for part, whole in PART_OF:
            if part in self.metrics and whole in self.metrics and self.metrics[part] > self.metrics[whole] + _TOLERANCE:
                raise ValueError(f"{part} ({self.metrics[part]:g}) exceeds {whole} ({self.metrics[whole]:g})")
        for code, dimensions in self.breakdowns.items():
            _check_breakdown(code, dimensions, self.metrics)
        return self


def _check_breakdown(code: str, dimensions: dict[str, dict[str, float]], metrics: dict[str, float]) -> None:
    if code not in metrics:
        raise ValueError(f"breakdown of {code!r}, which this report's metrics do not include")
    for dimension, parts in dimensions.items():
        if dimension not in BREAKDOWN_DIMENSIONS:
            raise ValueError(
                f"unknown breakdown dimension {dimension!r} for {code}; use one of {', '.join(BREAKDOWN_DIMENSIONS)}"
            )
        for label in parts:
            if not _valid_label(dimension, label):
                raise ValueError(f"{label!r} is not a valid {dimension} label in the breakdown of {code}")
        total = math.fsum(parts.values())
        if total > metrics[code] + _TOLERANCE:
            raise ValueError(f"the {dimension} breakdown of {code} adds up to {total:g}, more than {metrics[code]:g}")


def _valid_label(dimension: str, label: str) -> bool:
    if dimension == "sex":
        return label in SEX_LABELS
    if dimension == "country":
        return label in ISO_COUNTRIES
    match = _AGE_BAND.match(label)
    if match is None:
        return label == "unknown"
    low, high = match.group(1), match.group(2)
    return high is None or int(low) <= int(high)


async def record_report(
    session: AsyncSession, commitment: Commitment, data: ReportCreate, *, source: str, reported_by: str | None
) -> ImpactReport:
    """Store a report for one commitment and period, replacing the current one for that period.

    The commitment row is locked first (SELECT … FOR UPDATE), so two reports for the same
    commitment arriving at once are applied one after the other: the earlier becomes history
    (`replaced_at` set) and only the later counts in figures. Emits `report.created` in the
    same transaction. Flushes, never commits.
    """
    await session.execute(select(Commitment.id).where(Commitment.id == commitment.id).with_for_update())
    current = await session.scalar(
        select(ImpactReport).where(
            ImpactReport.commitment_id == commitment.id,
            ImpactReport.period_start == data.period_start,
            ImpactReport.period_end == data.period_end,
            ImpactReport.replaced_at.is_(None),
        )
    )
    now = utc_now()
    if current is not None:
        current.replaced_at = now
        await session.flush()  # the partial unique index admits the new row only once this one is history
    report = ImpactReport(
        id=uuid.uuid4(),
        commitment_id=commitment.id,
        business_id=commitment.business_id,
        period_start=data.period_start,
        period_end=data.period_end,
        metrics=dict(data.metrics),
        breakdowns={code: {dim: dict(parts) for dim, parts in dims.items()} for code, dims in data.breakdowns.items()},
        notes=data.notes,
        source=source,
        reported_by=reported_by,
        created_at=now,
        updated_at=now,
    )
    session.add(report)
    await session.flush()
    emit(session, EventType.REPORT_CREATED, report_created_data(report, current))
    return report


async def record_report_for(
    session: AsyncSession,
    commitment_id: uuid.UUID,
    data: ReportCreate,
    *,
    source: str,
    reported_by: str | None,
) -> ImpactReport:
    """`record_report` by commitment id: NotFound when absent or not visible to the session's actor."""
    commitment = await get_visible(session, Commitment, commitment_id)
    return await record_report(session, commitment, data, source=source, reported_by=reported_by)
