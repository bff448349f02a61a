"""The transactional outbox's fan-out: events written in a transaction become deliveries in it.

`shared.events.emit` / `emit_many` write `webhook_events` rows and list them under
`session.info["pending_events"]`. Just before that session commits, the hook below turns every
listed event into one `webhook_deliveries` row per active endpoint subscribed to its type (one
INSERT … SELECT, whatever the number of events), in the same transaction, and registers one
after-commit nudge for the endpoints touched. So an event leaves with its cause's commit or not at
all, and the subscriptions it goes to are those in force when it happened. If a nudge is lost
(Redis or the worker down), the webhooks worker's sweeper finds the pending deliveries in the
database and sends them; it also fans out any row written around this path.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from arq import ArqRedis
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.orm.attributes import set_committed_value

from shared.clock import utc_now
from shared.db.after_commit import AFTER_COMMIT_KEY, AfterCommitJob
from shared.domain.webhook_delivery import DeliveryStatus
from shared.jobs import enqueue_webhook_deliveries
from shared.models import WebhookEvent

#: session.info key listing events written in this transaction, for fan-out and after-commit nudges.
PENDING_EVENTS_KEY = "pending_events"


@dataclass
class PendingEvents:
    """This transaction's events: ORM rows (`emit`) and ids of rows inserted in bulk (`emit_many`)."""

    objects: list[WebhookEvent] = field(default_factory=list)
    ids: list[uuid.UUID] = field(default_factory=list)


def subscribed(event_types: list[str] | None, event_type: str) -> bool:
    """An endpoint with no event types listed receives every event."""
    return not event_types or event_type in event_types


_FAN_OUT = text(
    """WITH new AS (
         INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts, next_attempt_at,
                                         created_at, updated_at)
         SELECT gen_random_uuid(), ep.id, ev.id, :pending, 0, :now, :now, :now
         FROM unnest(CAST(:ids AS uuid[])) WITH ORDINALITY AS listed(id, n)
         JOIN webhook_events AS ev ON ev.id = listed.id AND NOT ev.fanned_out
         JOIN webhook_endpoints AS ep
           ON ep.active AND (cardinality(ep.event_types) = 0 OR ev.event_type = ANY(ep.event_types))
         ORDER BY listed.n, ep.created_at, ep.id
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING endpoint_id),
       marked AS (UPDATE webhook_events SET fanned_out = true WHERE id = ANY(CAST(:ids AS uuid[])))
       SELECT DISTINCT endpoint_id FROM new"""
)


def fan_out_ids(session: Session, event_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Add a pending delivery per (event, subscribed active endpoint) and mark the events fanned out,
    in one statement; deliveries follow the events' order (`seq`). Returns the endpoints touched.

    Synchronous on purpose: it runs inside the session's commit (also for AsyncSession, whose
    sync session runs there).
    """
    if not event_ids:
        return set()
    rows = session.execute(
        _FAN_OUT, {"ids": list(event_ids), "pending": DeliveryStatus.PENDING.value, "now": utc_now()}
    )
    return {row[0] for row in rows}


def fan_out(session: Session, events: Sequence[WebhookEvent]) -> set[uuid.UUID]:
    """`fan_out_ids` for ORM events (flushed first, so their rows exist and keep their order)."""
    if not events:
        return set()
    session.flush()
    touched = fan_out_ids(session, [e.id for e in events])
    for outbound in events:
        set_committed_value(outbound, "fanned_out", True)
    return touched


def _nudge(endpoint_ids: list[uuid.UUID], key: uuid.UUID) -> AfterCommitJob:
    async def nudge(redis: ArqRedis) -> None:
        await enqueue_webhook_deliveries(redis, [str(e) for e in endpoint_ids], key=str(key))

    return nudge


@event.listens_for(Session, "before_commit")
def _fan_out_pending_events(session: Session) -> None:
    pending: PendingEvents | None = session.info.pop(PENDING_EVENTS_KEY, None)
    if pending is None:
        return
    # events added inside a savepoint that was rolled back are no longer in the session
    alive = [e for e in pending.objects if e in session and not inspect(e).deleted]
    touched = fan_out(session, alive) | fan_out_ids(session, pending.ids)
    if touched:
        first = alive[0].id if alive else pending.ids[0]
        # the same list shared.db.after_commit.after_commit fills (AsyncSession.info is this dict)
        session.info.setdefault(AFTER_COMMIT_KEY, []).append(_nudge(sorted(touched, key=str), first))


@event.listens_for(Session, "after_transaction_end")
def _forget_pending_events(session: Session, transaction: SessionTransaction) -> None:
    # the outermost transaction ended (committed, so already fanned out, or rolled back):
    # nothing listed may leave with a later transaction of the same session
    if transaction.parent is None:
        session.info.pop(PENDING_EVENTS_KEY, None)
