"""The transactional outbox's fan-out: events written in a transaction become deliveries in it.

`shared.events.emit` adds a `WebhookEvent` to the session and lists it under
`session.info["pending_events"]`. Just before that session commits, the hook below turns each
listed event into one `WebhookDelivery` per active endpoint subscribed to its type, in the same
transaction, and registers one after-commit nudge for the endpoints touched. So an event leaves with
its cause's commit or not at all, and the subscriptions it goes to are those in force when it
happened. If a nudge is lost (Redis or the worker down), the worker's sweeper finds the pending
deliveries in the database and sends them.
"""

import uuid

from arq import ArqRedis
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction

from shared.clock import utc_now
from shared.db.after_commit import AFTER_COMMIT_KEY, AfterCommitJob
from shared.domain.webhook_delivery import DeliveryStatus
from shared.jobs import enqueue_webhook_deliveries
from shared.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

#: session.info key listing events written in this transaction, for fan-out and after-commit nudges.
PENDING_EVENTS_KEY = "pending_events"


def subscribed(event_types: list[str] | None, event_type: str) -> bool:
    """An endpoint with no event types listed receives every event."""
    return not event_types or event_type in event_types


def fan_out(session: Session, events: list[WebhookEvent]) -> set[uuid.UUID]:
    """Add a pending delivery per (event, subscribed active endpoint); mark the events fanned out.

    Synchronous on purpose: it runs inside the session's commit (also for AsyncSession, whose
    sync session runs there). Returns the endpoints that got something. Flushes the events first
    so that the deliveries' foreign keys and insertion order (`seq`) follow the events.
    """
    if not events:
        return set()
    session.flush()
    endpoints = session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.event_types)
        .where(WebhookEndpoint.active.is_(True))
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    ).all()
    now = utc_now()
    touched: set[uuid.UUID] = set()
    deliveries: list[WebhookDelivery] = []
    for outbound in events:
        for endpoint_id, event_types in endpoints:
            if subscribed(event_types, outbound.event_type):
                deliveries.append(
                    WebhookDelivery(
                        id=uuid.uuid4(),
                        endpoint_id=endpoint_id,
                        event_id=outbound.id,
                        status=DeliveryStatus.PENDING.value,
                        attempts=0,
                        next_attempt_at=now,
                    )
                )
                touched.add(endpoint_id)
        outbound.fanned_out = True
    session.add_all(deliveries)
    return touched


def _nudge(endpoint_ids: list[uuid.UUID], key: uuid.UUID) -> AfterCommitJob:
    async def nudge(redis: ArqRedis) -> None:
        await enqueue_webhook_deliveries(redis, [str(e) for e in endpoint_ids], key=str(key))

    return nudge


@event.listens_for(Session, "before_commit")
def _fan_out_pending_events(session: Session) -> None:
    pending: list[WebhookEvent] = session.info.pop(PENDING_EVENTS_KEY, [])
    # events added inside a savepoint that was rolled back are no longer in the session
    alive = [e for e in pending if e in session and not inspect(e).deleted]
    touched = sorted(fan_out(session, alive), key=str)
    if touched:
        # the same list shared.db.after_commit.after_commit fills (AsyncSession.info is this dict)
        session.info.setdefault(AFTER_COMMIT_KEY, []).append(_nudge(touched, alive[0].id))


@event.listens_for(Session, "after_transaction_end")
def _forget_pending_events(session: Session, transaction: SessionTransaction) -> None:
    # the outermost transaction ended (committed, so already fanned out, or rolled back):
    # nothing listed may leave with a later transaction of the same session
    if transaction.parent is None:
        session.info.pop(PENDING_EVENTS_KEY, None)
