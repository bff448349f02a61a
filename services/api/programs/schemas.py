"""Response shape of programs; the input shapes are shared with inbound webhooks."""

import uuid

from pydantic import Field

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import BusinessSize, FocusArea, Instrument
from shared.records.program import ProgramCreate, ProgramUpdate
from shared.regions.lookup import REGION_FILTER_DOC, RegionId
from shared.validation import NO_NUL_PATTERN, CountryCode

__all__ = ["ProgramCreate", "ProgramFilters", "ProgramRead", "ProgramSearch", "ProgramUpdate"]


class ProgramFilters(QueryModel):
    """A partner's programs, filtered."""

    focus_area: FocusArea | None = Field(None, description="Covers this focus area.")
    country: CountryCode | None = Field(None, description="Works in this country.")
    region: RegionId | None = Field(None, description=REGION_FILTER_DOC)
    instrument: Instrument | None = Field(None, description="Offers this instrument.")
    active: bool | None = Field(None, description="Only active (true) or inactive (false) programs.")
    q: str | None = Field(None, pattern=NO_NUL_PATTERN, max_length=200, description="Words in the name or description.")


class ProgramSearch(ProgramFilters):
    """Every partner's programs, filtered."""

    partner_id: uuid.UUID | None = Field(None, description="Only this partner's programs.")


_MONEY = "US dollars as a JSON number (cents as decimals); null when there is no such limit."


class ProgramRead(ApiModel):
    id: uuid.UUID
    partner_id: uuid.UUID
    name: str = Field(examples=["Central America Coffee Resilience Facility"])
    description: str | None
    instruments: list[Instrument]
    focus_areas: list[FocusArea]
    countries: list[str] = Field(examples=[["GT", "HN"]])
    regions: list[str] = Field(description="Region ids it targets; empty: the whole of its countries.")
    sectors: list[str]
    min_ticket_usd: float | None = Field(description=_MONEY, examples=[500000.0])
    max_ticket_usd: float | None = Field(description=_MONEY, examples=[25000000.0])
    eligible_sizes: list[BusinessSize] = Field(description="Empty means any size.")
    capacity_per_month: int = Field(description="Introductions it can take per month.")
    active: bool
    external_id: str | None
    version: int = Field(description="Send it back as If-Match (the ETag) to change the program.")
    created_at: UtcDateTime
    updated_at: UtcDateTime
