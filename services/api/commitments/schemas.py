"""Response shape of /v1/commitments; the input shapes are shared with inbound webhooks.

`CommitmentRead` is the object outbound `commitment.*` events carry too
(`shared.records.commitment.commitment_data` builds it without the API).
"""

import uuid
from datetime import date

from pydantic import Field

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.enums import CommitmentStatus, FocusArea, Initiative, Need
from shared.records.commitment import CommitmentCreate, CommitmentUpdate

__all__ = ["CommitmentCreate", "CommitmentRead", "CommitmentUpdate"]


class CommitmentRead(ApiModel):
    id: uuid.UUID
    business_id: uuid.UUID
    title: str = Field(examples=["Renovate 4,000 hectares of coffee with climate-resilient varieties"])
    description: str | None
    focus_areas: list[FocusArea]
    countries: list[str] = Field(examples=[["GT", "HN"]])
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
