"""Response shape of /v1/commitments; the input shapes are shared with inbound webhooks.

`CommitmentRead` is the object outbound `commitment.*` events carry too
(`shared.records.commitment.commitment_data` builds it without the API).
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import CommitmentStatus, FocusArea, Initiative, Need
from shared.errors import ValidationFailed
from shared.records.commitment import CommitmentCreate, CommitmentUpdate
from shared.regions.lookup import REGION_FILTER_DOC, RegionId
from shared.validation import MAX_USD, NO_NUL_PATTERN, CountryCode

__all__ = ["CommitmentCreate", "CommitmentFilters", "CommitmentRead", "CommitmentUpdate"]


class CommitmentFilters(QueryModel):
    business_id: uuid.UUID | None = Field(None, description="Only this business's commitments.")
    status: CommitmentStatus | None = None
    initiative: Initiative | None = None
    focus_area: FocusArea | None = Field(None, description="Covers this focus area.")
    country: CountryCode | None = Field(None, description="In this country.")
    region: RegionId | None = Field(None, description=REGION_FILTER_DOC)
    need: Need | None = Field(None, description="States this need.")
    announced_from: date | None = Field(None, description="Announced on or after this day.")
    announced_to: date | None = Field(None, description="Announced on or before this day.")
    min_amount: Decimal | None = Field(
        None, ge=0, le=MAX_USD, allow_inf_nan=False, description="At least this many US dollars."
    )
    max_amount: Decimal | None = Field(
        None, ge=0, le=MAX_USD, allow_inf_nan=False, description="At most this many US dollars."
    )
    q: str | None = Field(
        None, pattern=NO_NUL_PATTERN, max_length=200, description="Words in the title or description."
    )

    @model_validator(mode="after")
    def _ranges_in_order(self) -> Self:
        if self.announced_from and self.announced_to and self.announced_from > self.announced_to:
            raise ValidationFailed("announced_from is after announced_to", extra={"field": "query.announced_from"})
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            raise ValidationFailed("min_amount is more than max_amount", extra={"field": "query.min_amount"})
        return self


class CommitmentRead(ApiModel):
    id: uuid.UUID
    business_id: uuid.UUID
    title: str = Field(examples=["Renovate 4,000 hectares of coffee with climate-resilient varieties"])
    description: str | None
    focus_areas: list[FocusArea]
    countries: list[str] = Field(examples=[["GT", "HN"]])
    regions: list[str] = Field(description="Region ids where it lands (GET /v1/regions).", examples=[["GT-1301"]])
    amount_usd: float | None = Field(
        description="US dollars pledged, as a JSON number (cents as decimals).", examples=[12500000.0]
    )
    needs: list[Need]
    status: CommitmentStatus
    initiative: Initiative | None
    announced_on: date | None
    targets: dict[str, int | float] = Field(
        description="Indicator code → the value aimed for.", examples=[{"jobs_created": 350}]
    )
    baselines: dict[str, int | float] = Field(description="Indicator code → the value before the commitment.")
    external_id: str | None
    version: int = Field(description="Send it back as If-Match (the ETag) to change the commitment.")
    created_at: UtcDateTime
    updated_at: UtcDateTime
