"""Response shape of /v1/businesses; the input shapes are shared with inbound webhooks."""

import uuid

from pydantic import Field

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import BusinessSize
from shared.records.business import BusinessCreate, BusinessUpdate
from shared.validation import NO_NUL_PATTERN, CountryCode

__all__ = ["BusinessCreate", "BusinessFilters", "BusinessRead", "BusinessUpdate"]


class BusinessFilters(QueryModel):
    country: CountryCode | None = Field(None, description="Operates in this country.")
    hq_country: CountryCode | None = None
    size: BusinessSize | None = None
    sector: str | None = Field(None, max_length=100, pattern=NO_NUL_PATTERN)
    women_led: bool | None = None
    indigenous_led: bool | None = None
    q: str | None = Field(
        None, max_length=200, pattern=NO_NUL_PATTERN, description="Words in the name, aliases or description."
    )


class BusinessRead(ApiModel):
    id: uuid.UUID
    name: str
    aliases: list[str]
    description: str | None
    website: str | None
    hq_country: str | None
    countries: list[str]
    sectors: list[str]
    size: BusinessSize | None
    women_led: bool
    indigenous_led: bool
    external_id: str | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime
