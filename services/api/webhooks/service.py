"""Outbound webhook endpoints: SSRF-checked targets, secrets shown once and rotated with an overlap,
the delivery log, and manual retries (sent by the worker, in order, after the commit)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.webhooks import repository
from services.api.webhooks.schemas import WebhookEndpointCreate, WebhookEndpointUpdate
from shared.actor import Actor
from shared.clock import utc_now
from shared.config import Settings
from shared.db.after_commit import after_commit
from shared.db.repository import apply_changes, check_version
from shared.domain.webhook_delivery import DeliveryStatus
from shared.errors import Conflict, NotFound
from shared.jobs import enqueue_webhook_delivery
from shared.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from shared.net import check_url, resolve_and_check
from shared.webhooks import generate_secret, rotate


async def check_target(url: str, settings: Settings) -> None:
    """Refuse (UnsafeTarget, 422) a URL on loopback, private, link-local or metadata addresses.

    Checked here against the URL and its DNS answer, and again by the worker before every send.
    """
    allow_private = settings.webhooks_allow_private_targets
    check_url(url, allow_private=allow_private)
    await resolve_and_check(url, allow_private=allow_private)


async def create_endpoint(
    session: AsyncSession, data: WebhookEndpointCreate, caller: Actor, settings: Settings
) -> tuple[WebhookEndpoint, str]:
    """Create an endpoint owned by the caller's key; the secret is returned here and never again."""
    await check_target(data.url, settings)
    secret = generate_secret()
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        owner_key_id=caller.key_id,
        url=data.url,
        description=data.description,
        event_types=[t.value for t in dict.fromkeys(data.event_types)],
        secret=secret,
        active=data.active,
    )
    session.add(endpoint)
    await session.flush()
    return endpoint, secret


async def get_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, caller: Actor, *, for_update: bool = False
) -> WebhookEndpoint:
    endpoint = await repository.endpoint(session, caller, endpoint_id, for_update=for_update)
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
    return endpoint


async def update_endpoint(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    changes: WebhookEndpointUpdate,
    expected_version: int | None,
    caller: Actor,
    settings: Settings,
) -> WebhookEndpoint:
    endpoint = await get_endpoint(session, endpoint_id, caller)
    check_version(expected_version, endpoint.version)
    values: dict[str, Any] = changes.model_dump(exclude_unset=True)
    for required in ("url", "active"):
        if required in values and values[required] is None:
            del values[required]
    if "event_types" in values:
        values["event_types"] = [str(t) for t in dict.fromkeys(values["event_types"] or [])]
    if "url" in values and values["url"] != endpoint.url:
        await check_target(values["url"], settings)
    if values.get("active") is True and not endpoint.active:
        # re-enabled by its owner: start with a clean record
        values.update(disabled_reason=None, disabled_at=None, failing_since=None)
    if values.get("active") is False and endpoint.active:
        values.update(disabled_reason="disabled by its owner", disabled_at=utc_now())
    if apply_changes(endpoint, values):
        await session.flush()
    if endpoint.active:
        _nudge_after_commit(session, endpoint.id)  # a re-enabled endpoint resumes its backlog
    return endpoint


async def delete_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, expected_version: int | None, caller: Actor
) -> None:
    endpoint = await get_endpoint(session, endpoint_id, caller)
    check_version(expected_version, endpoint.version)
    await session.delete(endpoint)
    await session.flush()


async def rotate_secret(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    caller: Actor,
    settings: Settings,
    *,
    overlap_hours: float | None,
    expected_version: int | None,
) -> tuple[WebhookEndpoint, str]:
    """A new secret signs from now on; the current one keeps signing too until the overlap ends.

    Receivers verifying with either secret accept every delivery meanwhile, so they can switch
    without losing one. A secret from an earlier rotation still in its overlap stops signing.
    """
    endpoint = await get_endpoint(session, endpoint_id, caller)
    check_version(expected_version, endpoint.version)
    hours = settings.webhook_secret_overlap_hours if overlap_hours is None else overlap_hours
    secret = rotate(endpoint, overlap=timedelta(hours=hours), now=utc_now())
    await session.flush()
    return endpoint, secret


@dataclass(frozen=True)
class DeliveryView:
    delivery: WebhookDelivery
    event: WebhookEvent
    attempts: list[WebhookAttempt]

    def as_dict(self) -> dict[str, Any]:
        d = self.delivery
        return {
            "id": d.id,
            "endpoint_id": d.endpoint_id,
            "event_id": d.event_id,
            "event_type": self.event.event_type,
            "payload": self.event.payload,
            "status": d.status,
            "attempt_count": d.attempts,
            "next_attempt_at": d.next_attempt_at,
            "last_status_code": d.last_status_code,
            "last_error": d.last_error,
            "delivered_at": d.delivered_at,
            "created_at": d.created_at,
            "attempts": self.attempts,
        }


async def delivery_views(session: AsyncSession, deliveries: list[WebhookDelivery]) -> list[DeliveryView]:
    """Deliveries with their event and every attempt, in three queries for a whole page."""
    events = await repository.events_by_id(session, [d.event_id for d in deliveries])
    attempts = await repository.attempts_by_delivery(session, [d.id for d in deliveries])
    return [DeliveryView(d, events[d.event_id], attempts[d.id]) for d in deliveries]


async def get_delivery(
    session: AsyncSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, caller: Actor
) -> DeliveryView:
    await get_endpoint(session, endpoint_id, caller)
    delivery = await repository.delivery(session, endpoint_id, delivery_id)
    if delivery is None:
        raise NotFound(f"webhook delivery {delivery_id} does not exist")
    return (await delivery_views(session, [delivery]))[0]


async def retry_delivery(
    session: AsyncSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, caller: Actor
) -> DeliveryView:
    """Send a delivery once more: it is due now and the worker sends it, in event order.

    A delivery still waiting for its next try is simply brought forward. If the retry fails it
    is marked failed again (a succeeded one that fails resumes the backoff schedule).
    """
    endpoint = await get_endpoint(session, endpoint_id, caller)
    if not endpoint.active:
        raise Conflict(f"webhook endpoint {endpoint_id} is disabled; re-enable it (active: true) first")
    delivery = await repository.delivery(session, endpoint_id, delivery_id, for_update=True)
    if delivery is None:
        raise NotFound(f"webhook delivery {delivery_id} does not exist")
    delivery.status = DeliveryStatus.PENDING.value
    delivery.next_attempt_at = utc_now()
    await session.flush()
    _nudge_after_commit(session, endpoint.id)
    return (await delivery_views(session, [delivery]))[0]


def _nudge_after_commit(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    async def nudge(redis: Any) -> None:
        await enqueue_webhook_delivery(redis, str(endpoint_id))

    after_commit(session, nudge)
