"""Response shape of /v1/partners; the input shapes are shared with inbound webhooks."""

import uuid

from pydantic import Field

from services.api.kit.query import QueryModel
from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import PartnerType
from shared.records.partner import PartnerCreate, PartnerUpdate
from shared.validation import NO_NUL_PATTERN, CountryCode

__all__ = ["PartnerCreate", "PartnerFilters", "PartnerRead", "PartnerUpdate"]


class PartnerFilters(QueryModel):
    partner_type: PartnerType | None = Field(None, description="Only partners of this kind.")
    country: CountryCode | None = Field(None, description="Works in this country.")
    agency_code: str | None = Field(
        None, pattern=NO_NUL_PATTERN, max_length=30, description="The agency code, any case (`dfc` finds DFC)."
    )
    q: str | None = Field(
        None, pattern=NO_NUL_PATTERN, max_length=200, description="Words in the name or description, or an agency code."
    )


class PartnerRead(ApiModel):
    id: uuid.UUID
    name: str = Field(examples=["U.S. International Development Finance Corporation"])
    partner_type: PartnerType
    agency_code: str | None = Field(examples=["DFC"])
    description: str | None
    website: str | None
    countries: list[str] = Field(examples=[["GT", "SV", "HN"]])
    external_id: str | None
    version: int = Field(description="Send it back as If-Match (the ETag) to change the partner.")
    created_at: UtcDateTime
    updated_at: UtcDateTime
