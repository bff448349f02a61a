"""Outbound webhook delivery: each endpoint's due deliveries in event order, signed, with retries.

`deliver_webhooks(endpoint_id)` and `deliver_webhooks_many(endpoint_ids)` (the endpoints one
transaction's events went to) work in rounds: one transaction takes the drain lock of every
endpoint no other worker is draining, sends each endpoint's pending deliveries oldest first
(endpoints side by side, one request at a time per endpoint) and stops an endpoint at its first
failure, so a receiver that is up gets events in the order they happened. Every try is recorded
(status, latency, error); a failed one waits for the backoff schedule
(shared.domain.webhook_delivery), and an endpoint failing without a success for
`webhook_disable_after_hours` is disabled with its reason. The target is checked again after DNS
resolution before each round and the request goes to the checked address. `sweep_webhooks`
(cron, every few seconds) re-nudges whatever a lost enqueue left waiting: outbox rows not fanned
out, endpoints whose next delivery is due, inbound events not yet processed.
"""

import asyncio
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson
import structlog
from arq import cron
from arq.cron import CronJob
from arq.worker import Function, func
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher import webhook_repository as repository
from services.matcher.context import WorkerContext, context
from shared.clock import utc_now
from shared.config import Settings
from shared.domain.webhook_delivery import DeliveryStatus, next_retry_delay
from shared.errors import UnsafeTarget
from shared.jobs import (
    DELIVER_WEBHOOKS,
    DELIVER_WEBHOOKS_MANY,
    enqueue_inbound_event,
    enqueue_webhook_delivery,
)
from shared.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from shared.net import resolve_and_check
from shared.outbox import fan_out
from shared.webhooks import live_secrets, sign_headers

log = structlog.get_logger(__name__)

SWEEP_WEBHOOKS = "sweep_webhooks"
#: The sweeper runs this often (seconds): the longest a lost nudge delays a delivery.
SWEEP_EVERY_SECONDS = 5
#: Deliveries locked and sent per transaction.
BATCH_SIZE = 50
#: A batch stops taking new sends after this long, so locks and transactions stay short.
BATCH_SECONDS = 5.0
#: One job drains for at most this long (the job timeout is 120 s); the sweeper resumes the rest.
DRAIN_SECONDS = 60.0
#: How much of a receiver's answer is kept in an attempt's error.
EXCERPT_BYTES = 300
USER_AGENT = "Puente-Webhooks/1.0"
#: Requests one job has in flight at once (to different endpoints; one endpoint gets one at a time).
PARALLEL_SENDS = 8


@dataclass(frozen=True)
class Target:
    """Where to connect (a checked address) and what to tell the server (its host name)."""

    url: str
    host_header: str | None
    sni_hostname: str | None


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None
    latency_ms: int | None
    error: str | None


def message_body(event: WebhookEvent) -> bytes:
    """The Standard Webhooks payload: type, timestamp (when the event happened), data."""
    return orjson.dumps(
        {
            "type": event.event_type,
            "timestamp": event.created_at.isoformat().replace("+00:00", "Z"),
            "data": event.payload,
        }
    )


async def resolve_target(url: str, settings: Settings) -> Target:
    """Check the URL and every address its host resolves to (UnsafeTarget), and pin the first."""
    addresses = await resolve_and_check(url, allow_private=settings.webhooks_allow_private_targets)
    parts = urlsplit(url)
    host = parts.hostname or ""
    address = addresses[0]
    if host.strip("[]") == address or host == address:
        return Target(url=url, host_header=None, sni_hostname=None)
    literal = f"[{address}]" if ":" in address else address
    netloc = literal if parts.port is None else f"{literal}:{parts.port}"
    return Target(
        url=urlunsplit(parts._replace(netloc=netloc)),
        host_header=parts.netloc,
        sni_hostname=host if parts.scheme.lower() == "https" else None,
    )


async def send(
    http: httpx.AsyncClient, target: Target, headers: dict[str, str], body: bytes, time_limit: float
) -> Outcome:
    """POST once; 2xx is success, anything else (a redirect too) or no answer in time is a failure."""
    request_headers = {**headers, "content-type": "application/json", "user-agent": USER_AGENT}
    if target.host_header:
        request_headers["host"] = target.host_header
    extensions: dict[str, Any] = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
    started = time.perf_counter()
    try:
        async with http.stream(
            "POST",
            target.url,
            content=body,
            headers=request_headers,
            extensions=extensions,
            timeout=time_limit,
        ) as response:
            excerpt = b""
            async for chunk in response.aiter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT_BYTES:
                    break
            latency = round((time.perf_counter() - started) * 1000)
            if 200 <= response.status_code < 300:
                return Outcome(True, response.status_code, latency, None)
            shown = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace").strip()
            error = f"HTTP {response.status_code}" + (f": {shown}" if shown else "")
            return Outcome(False, response.status_code, latency, error)
    except httpx.TimeoutException:
        latency = round((time.perf_counter() - started) * 1000)
        return Outcome(False, None, latency, f"timed out after {time_limit:g} s")
    except httpx.HTTPError as exc:
        latency = round((time.perf_counter() - started) * 1000)
        return Outcome(False, None, latency, f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__)


def _record(session: AsyncSession, delivery: WebhookDelivery, outcome: Outcome, now: datetime) -> None:
    session.add(
        WebhookAttempt(
            id=uuid.uuid4(),
            delivery_id=delivery.id,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
            created_at=now,
            updated_at=now,
        )
    )
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    if outcome.ok:
        delivery.status = DeliveryStatus.SUCCEEDED.value
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        return
    delay = next_retry_delay(delivery.attempts, random.random())
    if delay is None:
        delivery.status = DeliveryStatus.FAILED.value
        delivery.next_attempt_at = None
    else:
        delivery.status = DeliveryStatus.PENDING.value
        delivery.next_attempt_at = now + delay


async def _note_failure(
    session: AsyncSession,
    endpoint_id: uuid.UUID,
    failing_since: datetime | None,
    outcome: Outcome,
    now: datetime,
    settings: Settings,
) -> None:
    """Start the endpoint's failing streak, or disable it when the streak has lasted too long."""
    if failing_since is None:
        await repository.set_endpoint_health(session, endpoint_id, failing_since=now)
        return
    limit = timedelta(hours=settings.webhook_disable_after_hours)
    if now - failing_since < limit:
        return
    reason = (
        f"disabled automatically: every delivery has failed since {failing_since.isoformat()}"
        f" (more than {settings.webhook_disable_after_hours} h); last error: {outcome.error}"
    )
    await repository.set_endpoint_health(session, endpoint_id, active=False, disabled_at=now, disabled_reason=reason)
    log.warning("webhook endpoint disabled", endpoint_id=str(endpoint_id), failing_since=failing_since.isoformat())


@dataclass
class _Sent:
    """What one endpoint's turn in a round produced: each try in order, and whether more may be due."""

    endpoint: WebhookEndpoint
    tries: list[tuple[WebhookDelivery, Outcome, datetime]]
    more: bool


async def _send_in_order(
    c: WorkerContext,
    items: list[tuple[WebhookDelivery, WebhookEvent, WebhookEndpoint]],
    gate: asyncio.Semaphore,
) -> _Sent:
    """One endpoint's due deliveries, oldest first, stopping at the first failure or one not yet due.

    Only HTTP happens here (several endpoints run at once); the caller records the outcomes.
    """
    settings = c["settings"]
    endpoint = items[0][2]
    deadline = time.monotonic() + BATCH_SECONDS
    tries: list[tuple[WebhookDelivery, Outcome, datetime]] = []
    try:  # checked again here, after DNS resolution; the request goes to the checked address
        target: Target | None = await resolve_target(endpoint.url, settings)
        refusal = None
    except UnsafeTarget as exc:
        target, refusal = None, Outcome(False, None, None, f"refused: {exc.detail}")
    for delivery, event, _ in items:
        now = utc_now()
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return _Sent(endpoint, tries, False)  # the oldest waits for its retry time; later ones wait behind it
        if target is None:
            assert refusal is not None
            outcome = refusal
        else:
            body = message_body(event)
            headers = sign_headers(live_secrets(endpoint, now), str(event.id), now, body)
            async with gate:
                outcome = await send(c["http"], target, headers, body, settings.webhook_timeout_seconds)
        tries.append((delivery, outcome, now))
        if not outcome.ok:
            return _Sent(endpoint, tries, False)
        if time.monotonic() > deadline:
            break
    # all sent (or out of time): look again, so deliveries committed meanwhile, whose nudge arq folded
    # into this running job, go now rather than at the next sweep; an empty look ends the drain
    return _Sent(endpoint, tries, True)


async def _drain_round(c: WorkerContext, endpoint_ids: list[uuid.UUID]) -> tuple[int, list[uuid.UUID]]:
    """One transaction: take the endpoints no other worker is draining, send each one's due
    deliveries in event order (endpoints side by side), record every try, commit.

    Returns (succeeded, the endpoints that may have more due now).
    """
    settings = c["settings"]
    async with c["sessionmaker"]() as session, session.begin():
        rows = await repository.pending_heads(session, endpoint_ids, BATCH_SIZE)
        by_endpoint: dict[uuid.UUID, list[tuple[WebhookDelivery, WebhookEvent, WebhookEndpoint]]] = {}
        for row in rows:
            by_endpoint.setdefault(row[0].endpoint_id, []).append(row)
        gate = asyncio.Semaphore(PARALLEL_SENDS)
        turns = await asyncio.gather(*(_send_in_order(c, items, gate) for items in by_endpoint.values()))
        succeeded = 0
        again: list[uuid.UUID] = []
        for turn in turns:  # the session is used by one coroutine at a time: after the sends
            # health changes go through set_endpoint_health (a plain UPDATE); the loaded row stays as read
            failing_since = turn.endpoint.failing_since
            for delivery, outcome, now in turn.tries:
                _record(session, delivery, outcome, now)
                if outcome.ok:
                    succeeded += 1
                    if failing_since is not None:
                        await repository.set_endpoint_health(session, turn.endpoint.id, failing_since=None)
                        failing_since = None
                else:
                    await _note_failure(session, turn.endpoint.id, failing_since, outcome, now, settings)
            if turn.more:
                again.append(turn.endpoint.id)
    return succeeded, again


async def _drain(c: WorkerContext, endpoint_ids: list[str]) -> int:
    """Rounds of `_drain_round` until no endpoint has more due, or DRAIN_SECONDS have passed
    (the sweeper resumes whatever is left)."""
    pending: list[uuid.UUID] = []
    for raw in dict.fromkeys(endpoint_ids):
        try:
            pending.append(uuid.UUID(raw))
        except ValueError:
            log.warning("delivery job called with a malformed endpoint id", endpoint_id=raw)
    stop_at = time.monotonic() + DRAIN_SECONDS
    total = 0
    while pending and time.monotonic() < stop_at:
        succeeded, pending = await _drain_round(c, pending)
        total += succeeded
    return total


async def deliver_webhooks(ctx: dict[str, Any], endpoint_id: str) -> int:
    """Drain one endpoint's due deliveries, oldest first; returns how many succeeded."""
    return await _drain(context(ctx), [endpoint_id])


async def deliver_webhooks_many(ctx: dict[str, Any], endpoint_ids: list[str]) -> int:
    """Drain the endpoints one transaction's events went to, side by side, each in event order."""
    return await _drain(context(ctx), endpoint_ids)


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
    redis = ctx["redis"]
    for endpoint_id in sorted(endpoints, key=str):
        await enqueue_webhook_delivery(redis, str(endpoint_id))
    for integration_id in inbound:
        await enqueue_inbound_event(redis, str(integration_id))
    return {
        "events_fanned_out": len(events),
        "endpoints_nudged": len(endpoints),
        "integrations_nudged": len(inbound),
    }


def functions() -> list[Function]:
    """The webhooks queue's delivery jobs. keep_result=0: a finished job leaves no result behind,
    so the same per-endpoint job id can be enqueued again at once (arq refuses an id whose result
    it still keeps)."""
    return [
        func(deliver_webhooks, name=DELIVER_WEBHOOKS, keep_result=0, max_tries=3, timeout=110),
        func(deliver_webhooks_many, name=DELIVER_WEBHOOKS_MANY, keep_result=0, max_tries=3, timeout=110),
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
