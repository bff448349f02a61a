"""Response shapes of /v1/metrics: summary, funnel, trends, attention list, indicator catalogue."""

import uuid
from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, Field, model_validator

from services.api.kit.query import QueryModel
from shared.enums import CommitmentStatus, FocusArea, Initiative
from shared.errors import ValidationFailed
from shared.regions.lookup import REGION_FILTER_DOC, RegionId
from shared.validation import CountryCode


class MetricQuery(QueryModel):
    """The commitments and the reporting window every figure is taken over."""

    focus_area: FocusArea | None = Field(None, description="Commitments in this focus area.")
    country: CountryCode | None = Field(None, description="Commitments in this country.")
    region: RegionId | None = Field(None, description="Commitments in this region. " + REGION_FILTER_DOC)
    initiative: Initiative | None = None
    date_from: date | None = Field(
        None, alias="from", description="Window start: reports whose period ends on or after it."
    )
    date_to: date | None = Field(None, alias="to", description="Window end (inclusive).")

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationFailed("`from` must be on or before `to`", extra={"field": "query.from"})
        return self


class GroupBy(StrEnum):
    FOCUS_AREA = "focus_area"
    COUNTRY = "country"
    INITIATIVE = "initiative"


class Interval(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"


class AttentionReason(StrEnum):
    NO_REPORT = "no_report"
    STALE_REPORTS = "stale_reports"
    BELOW_PACE = "below_pace"


class AppliedFilters(BaseModel):
    focus_area: str | None
    country: str | None
    region: str | None
    initiative: str | None
    date_from: date | None = Field(alias="from", serialization_alias="from")
    date_to: date | None = Field(alias="to", serialization_alias="to")

    model_config = {"populate_by_name": True}


class Totals(BaseModel):
    commitments: int
    commitments_by_status: dict[CommitmentStatus, int] = Field(description="Every status, zeros included.")
    committed_usd: float = Field(description="Sum of the commitments' amounts.")
    deployed_usd: float = Field(description="Sum of `investment_deployed_usd` over current reports in the window.")
    deployment_rate: float | None = Field(description="deployed_usd / committed_usd; null when nothing is committed.")
    businesses: int = Field(description="Businesses with at least one of the commitments.")
    partners: int
    programs: int = Field(description="Active programs.")
    jobs_created: float
    people_trained: float
    people_reached: float
    women_reached: float
    reports: int = Field(description="Current (not replaced) reports counted.")
    reporting_commitments: int = Field(description="Commitments with at least one of those reports.")


class FunnelStage(BaseModel):
    stage: str = Field(examples=["approved"])
    count: int = Field(description="Introductions that reached this stage (or went beyond it).")
    conversion_rate: float | None = Field(
        description="count / the previous stage's count; null for the first stage or an empty previous stage."
    )
    median_days_from_previous: float | None = Field(
        description="Median days from the previous stage to this one, over introductions with both dates."
    )


class Funnel(BaseModel):
    stages: list[FunnelStage]
    overall_conversion_rate: float | None = Field(description="partnership_formed / proposed.")
    declined: int
    no_partnership: int


class Summary(BaseModel):
    filters: AppliedFilters
    totals: Totals
    indicators: dict[str, float] = Field(
        description="The headline indicators, or with `all_indicators=true` every catalogue indicator: flows"
        " (`sum`) added over reports; stocks (`max`) as each commitment's largest value in the window, added"
        " over commitments."
    )
    funnel: Funnel


class TrendPoint(BaseModel):
    period_start: date = Field(description="First day of the month or quarter.")
    value: float


class TrendSeries(BaseModel):
    group: str = Field(examples=["GT"])
    total: float
    points: list[TrendPoint]


class Trends(BaseModel):
    metric: str
    group_by: GroupBy
    interval: Interval
    filters: AppliedFilters
    periods: list[date] = Field(description="Every month or quarter of the window, in order.")
    series: list[TrendSeries]


class AttentionItem(BaseModel):
    commitment_id: uuid.UUID
    business_id: uuid.UUID
    title: str
    status: CommitmentStatus
    initiative: str | None
    countries: list[str]
    focus_areas: list[str]
    amount_usd: float | None
    announced_on: date | None
    last_period_end: date | None = Field(description="End of the latest reported period; null when none.")
    deployed_usd: float
    expected_deployed_usd: float | None = Field(description="What a linear pace would have deployed by today.")
    reasons: list[AttentionReason]
    detail: str = Field(description="The reasons in plain words, for the coordinator following up.")


class IndicatorRead(BaseModel):
    code: str
    name: str
    unit: str
    aggregation: str = Field(description="`sum` (a flow per period) or `max` (a stock restated each period).")
    iris_code: str | None
    description: str
