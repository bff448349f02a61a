"""Integrations (admin) and the inbound receiver: verify the signature over the raw bytes, store, answer 202.

Processing happens in the worker (`process_inbound_events`): the receiver only proves who sent the
event and when, and keeps it, so nothing an integrator sent is lost even if it cannot be applied.
"""

import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.integrations import repository
from services.api.integrations.schemas import IntegrationCreate, IntegrationUpdate
from shared.clock import utc_now
from shared.config import Settings
from shared.db.after_commit import after_commit
from shared.db.repository import apply_changes, check_version, get_visible
from shared.domain.inbound import InboundStatus
from shared.errors import Conflict, Forbidden, NotFound, ValidationFailed
from shared.jobs import enqueue_inbound_event
from shared.models import InboundEvent, Integration
from shared.webhooks import HEADER_ID, generate_secret, live_secrets, rotate, verify

#: inbound_events.webhook_id holds this many characters.
MAX_WEBHOOK_ID = 200


def inbound_url(integration: Integration) -> str:
    return f"/v1/inbound/{integration.id}"


async def create_integration(session: AsyncSession, data: IntegrationCreate) -> tuple[Integration, str]:
    """Create an integration; its secret is returned here and never again."""
    secret = generate_secret()
    integration = Integration(id=uuid.uuid4(), name=data.name, secret=secret, active=True)
    session.add(integration)
    await session.flush()
    return integration, secret


async def get_integration(session: AsyncSession, integration_id: uuid.UUID) -> Integration:
    return await get_visible(session, Integration, integration_id)


async def update_integration(
    session: AsyncSession, integration_id: uuid.UUID, changes: IntegrationUpdate, expected_version: int | None
) -> Integration:
    integration = await get_integration(session, integration_id)
    check_version(expected_version, integration.version)
    values = {k: v for k, v in changes.model_dump(exclude_unset=True).items() if v is not None}
    if apply_changes(integration, values):
        await session.flush()
    return integration


async def delete_integration(session: AsyncSession, integration_id: uuid.UUID, expected_version: int | None) -> None:
    integration = await get_integration(session, integration_id)
    check_version(expected_version, integration.version)
    await session.delete(integration)
    await session.flush()


async def rotate_secret(
    session: AsyncSession,
    integration_id: uuid.UUID,
    settings: Settings,
    *,
    overlap_hours: float | None,
    expected_version: int | None,
) -> tuple[Integration, str]:
    """A new secret; signatures by the current one stay accepted until the overlap ends."""
    integration = await get_integration(session, integration_id)
    check_version(expected_version, integration.version)
    hours = settings.webhook_secret_overlap_hours if overlap_hours is None else overlap_hours
    secret = rotate(integration, overlap=timedelta(hours=hours), now=utc_now())
    await session.flush()
    return integration, secret


async def verified_sender(
    session: AsyncSession,
    integration_id: uuid.UUID,
    headers: Mapping[str, str],
    body: bytes,
    settings: Settings,
) -> Integration:
    """The integration that signed this body within the tolerance window; else 404, 403 or 401."""
    integration = await session.get(Integration, integration_id)
    if integration is None:
        raise NotFound(f"integration {integration_id} does not exist")
    if not integration.active:
        raise Forbidden(f"integration {integration_id} is disabled")
    verify(
        live_secrets(integration, utc_now()),
        headers,
        body,
        tolerance=timedelta(seconds=settings.webhook_tolerance_seconds),
    )
    return integration


async def receive_event(
    session: AsyncSession, integration: Integration, headers: Mapping[str, str], body: bytes
) -> tuple[InboundEvent, bool]:
    """Store a verified event before answering; a repeated webhook-id is not stored or processed again.

    The body is kept exactly as sent; reading it is the worker's job (queued after the commit).
    """
    webhook_id = {k.lower(): v for k, v in headers.items()}[HEADER_ID]
    if len(webhook_id) > MAX_WEBHOOK_ID:
        raise ValidationFailed(
            f"{HEADER_ID} may be at most {MAX_WEBHOOK_ID} characters", extra={"field": f"header.{HEADER_ID}"}
        )
    text = body.decode("utf-8")  # verified: a signature over a non-UTF-8 body is refused
    if "\x00" in text:
        raise ValidationFailed("the body contains NUL characters; send UTF-8 JSON")
    event_id = await repository.insert_event_once(
        session,
        {"id": uuid.uuid4(), "integration_id": integration.id, "webhook_id": webhook_id, "body": text},
    )
    if event_id is None:
        return await repository.event_by_webhook_id(session, integration.id, webhook_id), True
    stored = await repository.event(session, integration.id, event_id)
    assert stored is not None

    _process_after_commit(session, integration.id)
    return stored, False


async def retry_event(session: AsyncSession, integration_id: uuid.UUID, event_id: uuid.UUID) -> InboundEvent:
    """Process a failed event again (after the integrator's data or ours was fixed)."""
    await get_integration(session, integration_id)
    stored = await repository.event(session, integration_id, event_id, for_update=True)
    if stored is None:
        raise NotFound(f"inbound event {event_id} does not exist")
    if stored.status == InboundStatus.PROCESSED:
        raise Conflict(f"inbound event {event_id} was already processed")
    stored.status = InboundStatus.RECEIVED.value
    stored.error = None
    await session.flush()

    _process_after_commit(session, integration_id)
    return stored


def _process_after_commit(session: AsyncSession, integration_id: uuid.UUID) -> None:
    async def enqueue(redis: Any) -> None:
        await enqueue_inbound_event(redis, str(integration_id))

    after_commit(session, enqueue)
