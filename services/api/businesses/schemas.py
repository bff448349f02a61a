"""Response shape of /v1/businesses; the input shapes are shared with inbound webhooks."""

import uuid

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import BusinessSize
from shared.records.business import BusinessCreate, BusinessUpdate

__all__ = ["BusinessCreate", "BusinessRead", "BusinessUpdate"]


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
