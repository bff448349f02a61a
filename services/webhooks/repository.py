"""Queries of the webhooks room: drain locks, due deliveries and their outcomes, endpoint health,
sweeps, the backlog figures, and inbound events waiting to be applied."""

import asyncio
import contextlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import TextClause, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from shared.domain.inbound import InboundStatus
from shared.domain.webhook_delivery import DeliveryStatus
from shared.models import InboundEvent, WebhookDelivery, WebhookEndpoint, WebhookEvent

#: First key of the two-key advisory locks held per endpoint while its deliveries are sent.
_DRAIN_LOCK_NAMESPACE = 0x5EB0
#: First key of the advisory locks taken per integration while its inbound events are applied.
_INBOUND_LOCK_NAMESPACE = 0x5EB1


@dataclass
class EndpointTarget:
    """What sending to an endpoint needs: where, which secrets, and its health."""

    id: uuid.UUID
    url: str
    secret: str
    previous_secret: str | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None


@dataclass(frozen=True)
class DueDelivery:
    """A pending delivery at the head of its endpoint's queue, with its event."""

    id: uuid.UUID
    attempts: int
    next_attempt_at: datetime | None
    event_id: uuid.UUID
    event_type: str
    event_created_at: datetime
    payload: dict[str, Any]


async def endpoint_target(session: AsyncSession, endpoint_id: uuid.UUID) -> EndpointTarget | None:
    """The endpoint as sending needs it, or None when it is gone or disabled."""
    row = (
        await session.execute(
            select(
                WebhookEndpoint.id, WebhookEndpoint.url, WebhookEndpoint.secret, WebhookEndpoint.previous_secret,
                WebhookEndpoint.previous_secret_expires_at, WebhookEndpoint.failing_since,
            ).where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.active.is_(True))
        )
    ).first()  # fmt: skip
    return None if row is None else EndpointTarget(*row)


async def due_work(
    session: AsyncSession, endpoint_id: uuid.UUID, limit: int
) -> tuple[EndpointTarget | None, list[DueDelivery]]:
    """The endpoint (None when gone or disabled) and its oldest pending deliveries, in one transaction."""
    async with session.begin():
        endpoint = await endpoint_target(session, endpoint_id)
        return endpoint, await pending_heads(session, endpoint_id, limit) if endpoint else []


async def due_work_many(
    session: AsyncSession, endpoint_ids: Sequence[uuid.UUID], limit: int
) -> dict[uuid.UUID, tuple[EndpointTarget, list[DueDelivery]]]:
    """`due_work` for many endpoints in two statements (a fan-out's endpoints start together);
    endpoints gone or disabled are absent."""
    async with session.begin():
        found = await session.execute(
            select(
                WebhookEndpoint.id, WebhookEndpoint.url, WebhookEndpoint.secret, WebhookEndpoint.previous_secret,
                WebhookEndpoint.previous_secret_expires_at, WebhookEndpoint.failing_since,
            ).where(WebhookEndpoint.id.in_(list(endpoint_ids)), WebhookEndpoint.active.is_(True))
        )  # fmt: skip
        work: dict[uuid.UUID, tuple[EndpointTarget, list[DueDelivery]]] = {
            row[0]: (EndpointTarget(*row), []) for row in found
        }
        if not work:
            return {}
        heads = await session.execute(
            text(
                """SELECT h.endpoint_id, h.id, h.attempts, h.next_attempt_at, ev.id, ev.event_type, ev.created_at,
                          ev.payload
                   FROM unnest(CAST(:ids AS uuid[])) AS e(id)
                   CROSS JOIN LATERAL (SELECT id, endpoint_id, attempts, next_attempt_at, event_id, seq
                                       FROM webhook_deliveries
                                       WHERE endpoint_id = e.id AND status = :pending
                                       ORDER BY seq LIMIT :limit) AS h
                   JOIN webhook_events AS ev ON ev.id = h.event_id
                   ORDER BY h.endpoint_id, h.seq"""
            ),
            {"ids": list(work), "pending": DeliveryStatus.PENDING.value, "limit": limit},
        )
        for row in heads:
            work[row[0]][1].append(DueDelivery(*row[1:]))
    return work


async def pending_heads(session: AsyncSession, endpoint_id: uuid.UUID, limit: int) -> list[DueDelivery]:
    """The endpoint's oldest pending deliveries, in event order (`seq`), with their events.

    A plain read: no row stays locked while they are sent, so deleting or editing the endpoint
    never waits for a slow receiver. One sender per endpoint is the drain lock's job (`DrainLocks`).
    """
    rows = await session.execute(
        select(
            WebhookDelivery.id, WebhookDelivery.attempts, WebhookDelivery.next_attempt_at, WebhookEvent.id,
            WebhookEvent.event_type, WebhookEvent.created_at, WebhookEvent.payload,
        )
        .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == DeliveryStatus.PENDING.value)
        .order_by(WebhookDelivery.seq)
        .limit(limit)
    )  # fmt: skip
    return [DueDelivery(*row) for row in rows]


@dataclass(frozen=True)
class Tried:
    """One try's outcome, as it is written: the delivery's new state and the attempt's record."""

    delivery_id: uuid.UUID
    status: str
    next_attempt_at: datetime | None
    status_code: int | None
    latency_ms: int | None
    error: str | None
    at: datetime


_RECORD = text(
    """WITH tried AS (
         SELECT * FROM unnest(CAST(:ids AS uuid[]), CAST(:statuses AS text[]), CAST(:next AS timestamptz[]),
                              CAST(:codes AS int[]), CAST(:latencies AS int[]), CAST(:errors AS text[]),
                              CAST(:at AS timestamptz[]))
                AS t(id, status, next_attempt_at, status_code, latency_ms, error, at)),
       updated AS (
         UPDATE webhook_deliveries AS d
            SET status = t.status, next_attempt_at = t.next_attempt_at, attempts = d.attempts + 1,
                last_status_code = t.status_code, last_error = t.error, updated_at = t.at,
                delivered_at = CASE WHEN t.status = :succeeded THEN t.at ELSE d.delivered_at END
           FROM tried AS t
          WHERE d.id = t.id AND d.status = :pending
          RETURNING d.id)
     INSERT INTO webhook_attempts (id, delivery_id, status_code, latency_ms, error, created_at, updated_at)
     SELECT gen_random_uuid(), t.id, t.status_code, t.latency_ms, t.error, t.at, t.at
       FROM tried AS t JOIN updated AS u ON u.id = t.id"""
)


async def record_tries(session: AsyncSession, tries: Sequence[Tried]) -> None:
    """Write a turn's tries in one statement. A delivery no longer pending (deleted with its
    endpoint, or retried by hand meanwhile) is left as it is and gets no attempt row."""
    if not tries:
        return
    await session.execute(
        _RECORD,
        {
            "ids": [t.delivery_id for t in tries],
            "statuses": [t.status for t in tries],
            "next": [t.next_attempt_at for t in tries],
            "codes": [t.status_code for t in tries],
            "latencies": [t.latency_ms for t in tries],
            "errors": [t.error for t in tries],
            "at": [t.at for t in tries],
            "pending": DeliveryStatus.PENDING.value,
            "succeeded": DeliveryStatus.SUCCEEDED.value,
        },
    )


_TRY_LOCK = text(
    "SELECT e.id FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS e(id, n)"
    " WHERE pg_try_advisory_lock(:namespace, hashtext(e.id::text)) ORDER BY e.n"
)
_UNLOCK = text(
    "SELECT e.id FROM unnest(CAST(:ids AS uuid[])) AS e(id) WHERE pg_advisory_unlock(:namespace, hashtext(e.id::text))"
)


class DrainLocks:
    """Which endpoints this process is sending to, held as session-level advisory locks on one
    connection of its own: another process skips an endpoint held here (one sender per endpoint keeps
    its deliveries in event order), the sweeper leaves it alone, and the locks go with the process.

    The connection sits outside any transaction, so holding a lock for a slow receiver holds nothing
    else: no row lock, no snapshot.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._guard = asyncio.Lock()
        self._releasing: list[uuid.UUID] = []

    async def _run(self, statement: TextClause, endpoint_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        """A lock statement for each endpoint at once; the ids it returned true for."""
        for attempt in (1, 2):
            if self._connection is None or self._connection.closed:
                self._connection = await self._engine.connect()
                await self._connection.execution_options(isolation_level="AUTOCOMMIT")
            try:
                rows = await self._connection.execute(
                    statement, {"ids": list(endpoint_ids), "namespace": _DRAIN_LOCK_NAMESPACE}
                )
                return [row[0] for row in rows]
            except DBAPIError:
                # the connection broke, and its locks with it: a new one, once
                with contextlib.suppress(Exception):
                    await self._connection.invalidate()
                self._connection = None
                if attempt == 2:
                    raise
        return []

    async def try_acquire(self, endpoint_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
        """Take the drain locks no other process holds, in one round trip; returns those taken.

        Releases asked for meanwhile are sent first, so a lock let go and taken again stays held once."""
        if not endpoint_ids:
            return []
        async with self._guard:
            await self._flush_releases()
            return await self._run(_TRY_LOCK, endpoint_ids)

    async def release(self, endpoint_id: uuid.UUID) -> None:
        """Let go of a drain lock; releases waiting together go in one round trip."""
        self._releasing.append(endpoint_id)
        async with self._guard:
            with contextlib.suppress(Exception):  # a lost connection released them already
                await self._flush_releases()

    async def _flush_releases(self) -> None:
        releasing, self._releasing = self._releasing, []
        if releasing:
            await self._run(_UNLOCK, releasing)

    async def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None


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


@dataclass(frozen=True)
class Backlog:
    """What waits to be sent or applied, for the worker's gauges."""

    pending: int
    retrying: int
    oldest_pending_seconds: float
    inbound_waiting: int


async def backlog(session: AsyncSession, now: datetime) -> Backlog:
    """Pending deliveries, those waiting for a retry, the oldest pending one's age; inbound events waiting."""
    row = (
        await session.execute(
            text(
                """SELECT count(*) AS pending, count(*) FILTER (WHERE attempts > 0) AS retrying,
                          coalesce(EXTRACT(EPOCH FROM (:now - min(created_at))), 0) AS oldest,
                          (SELECT count(*) FROM inbound_events WHERE status = :received) AS inbound
                   FROM webhook_deliveries WHERE status = :pending"""
            ),
            {"now": now, "pending": DeliveryStatus.PENDING.value, "received": InboundStatus.RECEIVED.value},
        )
    ).one()
    return Backlog(int(row.pending), int(row.retrying), max(0.0, float(row.oldest)), int(row.inbound))
