"""Delivery jobs: hand endpoints to this process's sender; the sweeper behind every lost nudge.

`deliver_webhooks(endpoint_id)` and `deliver_webhooks_many(endpoint_ids)` (the endpoints one
transaction's events went to) return at once: the sender drains each endpoint on its own
(services.webhooks.sender). `sweep_webhooks` (cron, every few seconds) re-nudges whatever a lost
enqueue left waiting: outbox rows not fanned out, endpoints whose next delivery is due and that no
process is draining, inbound events not yet processed; and it refreshes the backlog gauges.
"""

import uuid
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import structlog
from arq import cron
from arq.cron import CronJob
from arq.worker import Function, func

from services.webhooks import metrics, repository
from services.webhooks.context import context
from shared.clock import utc_now
from shared.jobs import DELIVER_WEBHOOKS, DELIVER_WEBHOOKS_MANY, enqueue_inbound_event, enqueue_webhook_delivery
from shared.outbox import fan_out

log = structlog.get_logger(__name__)

SWEEP_WEBHOOKS = "sweep_webhooks"
#: The sweeper runs this often (seconds): the longest a lost nudge delays a delivery.
SWEEP_EVERY_SECONDS = 5


def _ids(raw: Iterable[str]) -> list[uuid.UUID]:
    ids = []
    for value in dict.fromkeys(raw):
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            log.warning("delivery job called with a malformed endpoint id", endpoint_id=value)
    return ids


async def deliver_webhooks(ctx: dict[str, Any], endpoint_id: str) -> int:
    """Drain one endpoint's due deliveries, oldest first; returns how many drains it started."""
    return context(ctx)["sender"].nudge(_ids([endpoint_id]))


async def deliver_webhooks_many(ctx: dict[str, Any], endpoint_ids: list[str]) -> int:
    """Drain the endpoints one transaction's events went to, each on its own, in event order."""
    return context(ctx)["sender"].nudge(_ids(endpoint_ids))


async def sweep_webhooks(ctx: dict[str, Any]) -> dict[str, int]:
    """Re-nudge what lost enqueues left in the database; safe to run anywhere, any time."""
    c = context(ctx)
    now = utc_now()
    async with c["sessionmaker"]() as session, session.begin():
        events = await repository.events_not_fanned_out(session, limit=500)
        fanned = await session.run_sync(lambda sync_session: fan_out(sync_session, events))
    async with c["sessionmaker"]() as session:
        endpoints = set(await repository.endpoints_with_due_head(session, now, limit=1000)) | fanned
        inbound = await repository.integrations_with_waiting_events(session, now - timedelta(seconds=2), limit=1000)
        metrics.backlog(await repository.backlog(session, now))
    for endpoint_id in sorted(endpoints, key=str):
        await enqueue_webhook_delivery(c["redis"], str(endpoint_id))
    for integration_id in inbound:
        await enqueue_inbound_event(c["redis"], str(integration_id))
    return {
        "events_fanned_out": len(events),
        "endpoints_nudged": len(endpoints),
        "integrations_nudged": len(inbound),
    }


def functions() -> list[Function]:
    """keep_result=0: a finished job leaves no result behind, so the same per-endpoint job id can be
    enqueued again at once (arq refuses an id whose result it still keeps)."""
    return [
        func(deliver_webhooks, name=DELIVER_WEBHOOKS, keep_result=0, max_tries=3, timeout=30),
        func(deliver_webhooks_many, name=DELIVER_WEBHOOKS_MANY, keep_result=0, max_tries=3, timeout=30),
        func(sweep_webhooks, name=SWEEP_WEBHOOKS, keep_result=0, max_tries=1, timeout=60),
    ]


def cron_jobs() -> list[CronJob]:
    return [
        cron(
            sweep_webhooks,
            name=f"cron:{SWEEP_WEBHOOKS}",
            second=set(range(0, 60, SWEEP_EVERY_SECONDS)),
            run_at_startup=True,
            keep_result=0,
            timeout=60,
        ),
    ]
