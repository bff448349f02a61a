"""Queries of the webhook jobs: per-endpoint drain locks and due deliveries, endpoint health, sweeps."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.domain.inbound import InboundStatus
from shared.domain.webhook_delivery import DeliveryStatus
from shared.models import InboundEvent, WebhookDelivery, WebhookEndpoint, WebhookEvent

#: First key of the two-key advisory locks taken per endpoint while its deliveries are sent.
_DRAIN_LOCK_NAMESPACE = 0x5EB0
#: First key of the advisory locks taken per integration while its inbound events are applied.
_INBOUND_LOCK_NAMESPACE = 0x5EB1


async def pending_heads(
    session: AsyncSession, endpoint_ids: Sequence[uuid.UUID], limit: int
) -> list[tuple[WebhookDelivery, WebhookEvent, WebhookEndpoint]]:
    """Each endpoint's oldest pending deliveries (event order), for the endpoints whose drain lock
    this transaction takes; with their events and (active) endpoints, row-locked.

    An endpoint another worker is draining is skipped: one sender per endpoint keeps its
    deliveries in event order. The lock is a transaction-scoped advisory lock, so the owner may
    edit the endpoint row meanwhile; each endpoint's head is read through the
    (endpoint_id, status, seq) index, however long its backlog.
    """
    if not endpoint_ids:
        return []
    picked = await session.execute(
        text(
            "SELECT d.id FROM unnest(CAST(:ids AS uuid[])) AS e(id)"
            " CROSS JOIN LATERAL (SELECT id, seq FROM webhook_deliveries"
            "   WHERE endpoint_id = e.id AND status = :pending ORDER BY seq LIMIT :limit FOR UPDATE) AS d"
            " WHERE pg_try_advisory_xact_lock(:namespace, hashtext(e.id::text))"
        ),
        {
            "ids": list(endpoint_ids),
            "pending": DeliveryStatus.PENDING.value,
            "limit": limit,
            "namespace": _DRAIN_LOCK_NAMESPACE,
        },
    )
    delivery_ids = [row[0] for row in picked]
    if not delivery_ids:
        return []
    rows = await session.execute(
        select(WebhookDelivery, WebhookEvent, WebhookEndpoint)
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id.in_(delivery_ids), WebhookEndpoint.active.is_(True))
        .order_by(WebhookDelivery.endpoint_id, WebhookDelivery.seq)
        .execution_options(populate_existing=True)
    )
    return [(delivery, event, endpoint) for delivery, event, endpoint in rows.tuples()]


async def set_endpoint_health(session: AsyncSession, endpoint_id: uuid.UUID, **values: object) -> None:
    """Change an endpoint's health fields (failing_since, active, disabled_*) and its version (ETag).

    A plain UPDATE: the worker must not fail a delivery's bookkeeping because the owner edited
    the endpoint meanwhile; the owner's next write with the old ETag answers 412 instead.
    """
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .values(**values, version=WebhookEndpoint.version + 1)
        .execution_options(synchronize_session=False)
    )


async def events_not_fanned_out(session: AsyncSession, limit: int) -> list[WebhookEvent]:
    """Outbox rows committed without their deliveries (written outside `shared.events.emit`), locked."""
    rows = await session.scalars(
        select(WebhookEvent)
        .where(WebhookEvent.fanned_out.is_(False))
        .order_by(WebhookEvent.created_at, WebhookEvent.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def endpoints_with_due_head(session: AsyncSession, now: datetime, limit: int) -> list[uuid.UUID]:
    """Active endpoints whose oldest pending delivery is due and that no worker is draining right
    now (their drain lock is free): what a lost nudge left waiting."""
    rows = await session.execute(
        text(
            "SELECT h.endpoint_id FROM ("
            "  SELECT DISTINCT ON (endpoint_id) endpoint_id, next_attempt_at FROM webhook_deliveries"
            "  WHERE status = :pending ORDER BY endpoint_id, seq) AS h"
            " JOIN webhook_endpoints AS e ON e.id = h.endpoint_id AND e.active"
            " WHERE h.next_attempt_at <= :now AND NOT EXISTS ("
            "  SELECT 1 FROM pg_locks AS l WHERE l.locktype = 'advisory' AND l.objsubid = 2"
            "  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            "  AND l.classid = :namespace"
            "  AND l.objid::bigint = (hashtext(h.endpoint_id::text)::bigint & 4294967295))"
            " ORDER BY h.next_attempt_at LIMIT :limit"
        ),
        {
            "pending": DeliveryStatus.PENDING.value,
            "now": now,
            "namespace": _DRAIN_LOCK_NAMESPACE,
            "limit": limit,
        },
    )
    return [row[0] for row in rows]


async def integrations_with_waiting_events(
    session: AsyncSession, received_before: datetime, limit: int
) -> list[uuid.UUID]:
    """Integrations with events stored but not processed (their nudge was lost, or a worker died)."""
    rows = await session.scalars(
        select(InboundEvent.integration_id)
        .where(InboundEvent.status == InboundStatus.RECEIVED.value, InboundEvent.created_at < received_before)
        .group_by(InboundEvent.integration_id)
        .order_by(func.min(InboundEvent.created_at))
        .limit(limit)
    )
    return list(rows)


async def try_lock_integration(session: AsyncSession, integration_id: uuid.UUID) -> bool:
    """Take the integration's processing lock for this transaction; False when another worker holds it."""
    locked = await session.scalar(
        select(func.pg_try_advisory_xact_lock(_INBOUND_LOCK_NAMESPACE, func.hashtext(str(integration_id))))
    )
    return bool(locked)


async def next_waiting_event(session: AsyncSession, integration_id: uuid.UUID) -> InboundEvent | None:
    """The integration's oldest event still waiting to be processed, row-locked."""
    found: InboundEvent | None = await session.scalar(
        select(InboundEvent)
        .where(InboundEvent.integration_id == integration_id, InboundEvent.status == InboundStatus.RECEIVED.value)
        .order_by(InboundEvent.created_at, InboundEvent.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return found
