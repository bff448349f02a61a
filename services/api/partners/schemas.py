"""Response shape of /v1/partners; the input shapes are shared with inbound webhooks."""

import uuid

from pydantic import Field

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import PartnerType
from shared.records.partner import PartnerCreate, PartnerUpdate

__all__ = ["PartnerCreate", "PartnerRead", "PartnerUpdate"]


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
