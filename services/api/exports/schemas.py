"""The filters of /v1/exports; the exports themselves are CSV and XML, not JSON shapes."""

import uuid
from datetime import date
from typing import Self

from pydantic import Field, model_validator

from services.api.kit.query import QueryModel
from shared.enums import CommitmentStatus, FocusArea, Initiative, MatchStatus
from shared.errors import ValidationFailed
from shared.regions.lookup import REGION_FILTER_DOC, RegionId
from shared.validation import CountryCode


class CommitmentFilters(QueryModel):
    focus_area: FocusArea | None = None
    country: CountryCode | None = None
    region: RegionId | None = Field(None, description=REGION_FILTER_DOC)
    initiative: Initiative | None = None
    status: CommitmentStatus | None = None
    business_id: uuid.UUID | None = None


class MatchFilters(QueryModel):
    status: MatchStatus | None = None
    partner_id: uuid.UUID | None = None
    business_id: uuid.UUID | None = None
    commitment_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    min_score: float | None = Field(None, ge=0, le=1)


class ReportFilters(QueryModel):
    commitment_id: uuid.UUID | None = None
    business_id: uuid.UUID | None = None
    date_from: date | None = Field(None, alias="from", description="Periods ending on or after.")
    date_to: date | None = Field(None, alias="to", description="Periods ending on or before.")
    include_replaced: bool = Field(False, description="Also the reports later ones replaced.")

    @model_validator(mode="after")
    def _window_in_order(self) -> Self:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationFailed("`from` must be on or before `to`", extra={"field": "query.from"})
        return self
