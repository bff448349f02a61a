"""Shapes of /v1/integrations and their received events; secrets appear only in *Created/*Rotated."""

import uuid
from typing import Any

from pydantic import Field

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.validation import InputModel, ShortText


class IntegrationCreate(InputModel):
    name: ShortText = Field(examples=["Salesforce (Fundación Esperanza)"])


class IntegrationUpdate(InputModel):
    """Every field optional; only the fields sent are changed. `active: false` refuses its webhooks (403)."""

    name: ShortText | None = None
    active: bool | None = None


class SecretRotation(InputModel):
    overlap_hours: float | None = Field(
        None,
        ge=0,
        le=24 * 14,
        description="How long the old secret is still accepted (default: the server's).",
    )


class IntegrationRead(ApiModel):
    id: uuid.UUID
    name: str
    active: bool
    inbound_url: str = Field(description="Where the integration posts its signed events.")
    previous_secret_expires_at: UtcDateTime | None = Field(
        description="Until then signatures by the previous secret are accepted too (after a rotation)."
    )
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


class IntegrationCreated(IntegrationRead):
    secret: str = Field(description="The signing secret (`whsec_…`); shown in this response only.")


class SecretRotated(ApiModel):
    id: uuid.UUID
    secret: str = Field(description="The new signing secret; shown in this response only.")
    previous_secret_expires_at: UtcDateTime | None
    version: int


class InboundEventRead(ApiModel):
    id: uuid.UUID
    integration_id: uuid.UUID
    webhook_id: str
    event_type: str | None = Field(description="The body's `type`, once the worker has read it.")
    status: str = Field(description="received (stored, waiting for the worker), processed, failed (see `error`).")
    error: str | None
    attempts: int
    body: str = Field(description="The raw body exactly as received.")
    payload: dict[str, Any] | None = Field(description="The parsed body, when it was valid JSON.")
    received_at: UtcDateTime = Field(validation_alias="created_at")
    processed_at: UtcDateTime | None


class InboundAccepted(ApiModel):
    id: uuid.UUID = Field(description="The stored event's id (see GET /v1/integrations/{id}/events).")
    webhook_id: str
    status: str
    duplicate: bool = Field(description="True when this webhook-id was already received; it is not processed again.")
