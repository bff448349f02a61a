"""Response shape of programs; the input shapes are shared with inbound webhooks."""

import uuid

from pydantic import Field

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import BusinessSize, FocusArea, Instrument
from shared.records.program import ProgramCreate, ProgramUpdate

__all__ = ["ProgramCreate", "ProgramRead", "ProgramUpdate"]

_MONEY = "US dollars as a JSON number (cents as decimals); null when there is no such limit."


class ProgramRead(ApiModel):
    id: uuid.UUID
    partner_id: uuid.UUID
    name: str = Field(examples=["Central America Coffee Resilience Facility"])
    description: str | None
    instruments: list[Instrument]
    focus_areas: list[FocusArea]
    countries: list[str] = Field(examples=[["GT", "HN"]])
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
