"""The api ⇄ workers contract: job names, the two queues (matcher, webhooks) and typed enqueue helpers.

Jobs carry ids only. The database row is the source of truth (a queued match run, a pending
delivery, a received inbound event); a job is a nudge to look at it, and the worker's
sweepers re-nudge whatever a lost enqueue left behind. `_job_id` comes from the business
key, so enqueuing the same thing twice while it waits runs it once.
"""

from collections.abc import Sequence

from arq import ArqRedis

MATCHER_QUEUE = "puente:matcher"
WEBHOOKS_QUEUE = "puente:webhooks"

RUN_MATCHES = "run_matches"
DELIVER_WEBHOOKS = "deliver_webhooks"
DELIVER_WEBHOOKS_MANY = "deliver_webhooks_many"
PROCESS_INBOUND_EVENT = "process_inbound_event"


async def enqueue_match_run(redis: ArqRedis, run_id: str, *, defer_seconds: float = 0.0) -> None:
    await redis.enqueue_job(
        RUN_MATCHES,
        run_id,
        _job_id=f"match-run:{run_id}",
        _queue_name=MATCHER_QUEUE,
        _defer_by=defer_seconds or None,
    )


async def enqueue_webhook_delivery(redis: ArqRedis, endpoint_id: str) -> None:
    """Deliveries are sent per endpoint, in event order; one job drains one endpoint's backlog."""
    await redis.enqueue_job(
        DELIVER_WEBHOOKS,
        endpoint_id,
        _job_id=f"deliver:{endpoint_id}",
        _queue_name=WEBHOOKS_QUEUE,
    )


async def enqueue_webhook_deliveries(redis: ArqRedis, endpoint_ids: Sequence[str], *, key: str) -> None:
    """The endpoints one transaction's events went to, as one job (`key`: that transaction's first
    event), so a fan-out to a hundred endpoints is not a hundred jobs; each endpoint is still
    drained on its own, in event order, under its own lock."""
    if not endpoint_ids:
        return
    if len(endpoint_ids) == 1:
        await enqueue_webhook_delivery(redis, endpoint_ids[0])
        return
    await redis.enqueue_job(
        DELIVER_WEBHOOKS_MANY,
        list(endpoint_ids),
        _job_id=f"deliver-many:{key}",
        _queue_name=WEBHOOKS_QUEUE,
    )


async def enqueue_inbound_event(redis: ArqRedis, integration_id: str) -> None:
    """Inbound events are applied per integration in the order received (a later upsert of a record
    must win over an earlier one); one job drains one integration's waiting events."""
    await redis.enqueue_job(
        PROCESS_INBOUND_EVENT,
        integration_id,
        _job_id=f"inbound:{integration_id}",
        _queue_name=WEBHOOKS_QUEUE,
    )
