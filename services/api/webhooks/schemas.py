"""Shapes of /v1/webhook-endpoints and their deliveries; secrets appear only in *Created/*Rotated."""

import uuid
from typing import Annotated, Any

from pydantic import Field, StringConstraints

from services.api.kit.schemas import ApiModel, UtcDateTime
from shared.events import EventType
from shared.validation import InputModel, Url

Description = Annotated[str, StringConstraints(max_length=2000)]

EventTypes = Annotated[
    list[EventType],
    Field(max_length=len(EventType), description="Event types to receive; empty or omitted means all of them."),
]


class WebhookEndpointCreate(InputModel):
    url: Url = Field(examples=["https://crm.example.org/hooks/puente"])
    description: Description | None = None
    event_types: EventTypes = Field(default_factory=list, examples=[["match.approved", "report.created"]])
    active: bool = True


class WebhookEndpointUpdate(InputModel):
    """Every field optional; only those sent are changed. `active: true` re-enables a disabled endpoint."""

    url: Url | None = None
    description: Description | None = None
    event_types: EventTypes | None = None
    active: bool | None = None


class SecretRotation(InputModel):
    overlap_hours: float | None = Field(
        None,
        ge=0,
        le=24 * 14,
        description="How long the old secret keeps signing too (default: the server's).",
    )


class WebhookEndpointRead(ApiModel):
    id: uuid.UUID
    url: str
    description: str | None
    event_types: list[str] = Field(description="Empty means every event type.")
    active: bool
    disabled_reason: str | None = Field(description="Why the endpoint was disabled, when it was.")
    disabled_at: UtcDateTime | None
    failing_since: UtcDateTime | None = Field(description="First failed attempt since the last success.")
    previous_secret_expires_at: UtcDateTime | None = Field(
        description="Until then the previous secret signs too (after a rotation)."
    )
    owner_key_id: uuid.UUID | None
    version: int
    created_at: UtcDateTime
    updated_at: UtcDateTime


class WebhookEndpointCreated(WebhookEndpointRead):
    secret: str = Field(description="The signing secret (`whsec_…`); shown in this response only.")


class SecretRotated(ApiModel):
    id: uuid.UUID
    secret: str = Field(description="The new signing secret; shown in this response only.")
    previous_secret_expires_at: UtcDateTime | None = Field(
        description="Until then deliveries carry a signature by the previous secret too."
    )
    version: int


class WebhookAttemptRead(ApiModel):
    id: uuid.UUID
    attempted_at: UtcDateTime = Field(validation_alias="created_at")
    status_code: int | None = Field(description="The receiver's HTTP status; null when no answer came.")
    latency_ms: int | None
    error: str | None = Field(description="Why the attempt failed; null when it succeeded.")


class WebhookDeliveryRead(ApiModel):
    id: uuid.UUID
    endpoint_id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    payload: dict[str, Any] = Field(description="The event's `data`.")
    status: str = Field(description="pending (waiting for its next try), succeeded, failed (tries exhausted).")
    attempt_count: int
    next_attempt_at: UtcDateTime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: UtcDateTime | None
    created_at: UtcDateTime
    attempts: list[WebhookAttemptRead] = Field(description="Every try, oldest first.")
