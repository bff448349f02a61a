"""Outbound delivery: each endpoint drained on its own, in event order, one request at a time.

A nudge (the delivery jobs, the sweeper) names endpoints; `Sender.nudge` starts a drain for each
one this process is not already draining and returns at once, so a job never waits on a receiver
and a slow endpoint holds only its own drain. A drain first takes the endpoint's drain lock (see
`repository.DrainLocks`: another process draining it wins, and this one leaves), then works in
turns:

1. read the endpoint and its oldest pending deliveries (a plain read: nothing stays locked);
2. send them oldest first, each within the delivery deadline, stopping at the first failure or at
   one whose retry is not yet due, so a receiver that is up gets events in the order they happened;
3. write the turn's outcomes in one short transaction: successes, failures with their backoff
   (shared.domain.webhook_delivery), every try as an attempt, and the endpoint's health (its first
   failure starts a failing streak; a streak longer than `webhook_disable_after_hours` disables it).

No request is ever made inside a database transaction. A process that dies between sending and
writing leaves the deliveries pending, so they are sent again (at least once; receivers dedupe by
the `webhook-id` header). Requests in flight per process are capped (`webhook_parallel_sends`).
"""

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.webhooks import metrics, repository
from services.webhooks.delivery import Outcome, message_body, resolve_target, send
from services.webhooks.repository import DrainLocks, DueDelivery, EndpointTarget, Tried
from shared.clock import utc_now
from shared.config import Settings
from shared.domain.webhook_delivery import DeliveryStatus, next_retry_delay
from shared.errors import UnsafeTarget
from shared.webhooks import live_secrets, sign_headers

log = structlog.get_logger(__name__)

#: Deliveries one turn reads and sends before writing their outcomes.
TURN_SIZE = 50
#: A turn stops taking new sends after this long, so outcomes are written often.
TURN_SECONDS = 5.0


def tried(delivery: DueDelivery, outcome: Outcome, at: datetime) -> Tried:
    """The delivery's next state after one try: succeeded, pending with a backoff, or failed for good."""
    if outcome.ok:
        status, next_at = DeliveryStatus.SUCCEEDED.value, None
    else:
        delay = next_retry_delay(delivery.attempts + 1, random.random())
        status = DeliveryStatus.PENDING.value if delay is not None else DeliveryStatus.FAILED.value
        next_at = at + delay if delay is not None else None
    return Tried(delivery.id, status, next_at, outcome.status_code, outcome.latency_ms, outcome.error, at)


@dataclass
class Turn:
    """What one turn sent: each try in order, and whether the endpoint may have more due now."""

    tries: list[tuple[DueDelivery, Outcome, datetime]]
    more: bool


class Sender:
    """This process's drains, one per endpoint at most (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        sessionmaker: async_sessionmaker[AsyncSession],
        locks: DrainLocks,
        http: httpx.AsyncClient,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.locks = locks
        self.http = http
        self._gate = asyncio.Semaphore(settings.webhook_parallel_sends)
        self._drains: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._again: set[uuid.UUID] = set()
        self._to_write: list[tuple[EndpointTarget, Turn, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    def nudge(self, endpoint_ids: Iterable[uuid.UUID]) -> int:
        """Drain these endpoints (those already draining here look again before they stop); returns
        how many were not draining here. Their drain locks are asked for together, in one round trip."""
        fresh = []
        for endpoint_id in dict.fromkeys(endpoint_ids):
            if endpoint_id in self._drains:
                self._again.add(endpoint_id)
            else:
                fresh.append(endpoint_id)
        if fresh:
            starting = asyncio.create_task(self._start(fresh), name="drains:start")
            for endpoint_id in fresh:
                self._drains[endpoint_id] = starting
        return len(fresh)

    async def _start(self, endpoint_ids: list[uuid.UUID]) -> None:
        """Take the endpoints' drain locks and start a drain for each one taken (another process
        drains the rest)."""
        taken: list[uuid.UUID] = []
        work: dict[uuid.UUID, tuple[EndpointTarget, list[DueDelivery]]] = {}
        try:
            taken = await self.locks.try_acquire(endpoint_ids)
            if taken:
                async with self.sessionmaker() as session:
                    work = await repository.due_work_many(session, taken, TURN_SIZE)
        except Exception:
            log.exception("could not start drains; the sweeper will nudge again")
            for endpoint_id in taken:
                await self.locks.release(endpoint_id)
            taken = []
        finally:
            me = asyncio.current_task()
            for endpoint_id in endpoint_ids:
                if endpoint_id in taken:
                    first: tuple[EndpointTarget | None, list[DueDelivery]] = work.get(endpoint_id, (None, []))
                    drain = self._drain(endpoint_id, first)
                    self._drains[endpoint_id] = asyncio.create_task(drain, name=f"drain:{endpoint_id}")
                elif self._drains.get(endpoint_id) is me:
                    del self._drains[endpoint_id]
                    self._again.discard(endpoint_id)

    @property
    def draining(self) -> int:
        return len(self._drains)

    async def idle(self) -> None:
        """Wait until no drain runs (tests, shutdown; bound it with asyncio.timeout)."""
        while self._drains:
            await asyncio.wait(list(self._drains.values()))

    async def close(self, grace: float = 10.0) -> None:
        """Let drains finish their turn for a while, then stop them (what they sent and did not
        write is sent again later)."""
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(grace):
                await self.idle()
        for task in list(self._drains.values()):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._drains.values(), return_exceptions=True)

    async def _drain(self, endpoint_id: uuid.UUID, first: tuple[EndpointTarget | None, list[DueDelivery]]) -> None:
        """Turns until nothing is due, the first on work already read (the drain lock is held on
        entry and let go on exit)."""
        work: tuple[EndpointTarget | None, list[DueDelivery]] | None = first
        try:
            while True:
                if work is None:  # a fresh read follows: nudges until now are answered by it
                    self._again.discard(endpoint_id)
                more = await self._turn(endpoint_id, work)
                work = None
                if not more and endpoint_id not in self._again:
                    break
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("webhook drain failed; the sweeper will resume it", endpoint_id=str(endpoint_id))
        finally:
            # leave the registry before releasing, with no pause between the last look and this:
            # a nudge from now on starts a new drain instead of being folded into this one
            self._forget(endpoint_id)
            self._again.discard(endpoint_id)
            await self.locks.release(endpoint_id)

    def _forget(self, endpoint_id: uuid.UUID) -> None:
        """Leave the registry, unless a newer drain of the endpoint took this one's place."""
        if self._drains.get(endpoint_id) is asyncio.current_task():
            del self._drains[endpoint_id]

    async def _turn(self, endpoint_id: uuid.UUID, work: tuple[EndpointTarget | None, list[DueDelivery]] | None) -> bool:
        if work is None:
            async with self.sessionmaker() as session:
                work = await repository.due_work(session, endpoint_id, TURN_SIZE)
        endpoint, due = work
        if endpoint is None or not due:
            return False
        turn = await self._send(endpoint, due)
        await self._write(endpoint, turn)
        return turn.more

    async def _send(self, endpoint: EndpointTarget, due: list[DueDelivery]) -> Turn:
        """The turn's requests, oldest first; no database session is open meanwhile."""
        settings = self.settings
        stop_at = time.monotonic() + TURN_SECONDS
        tries: list[tuple[DueDelivery, Outcome, datetime]] = []
        try:  # checked again here, after DNS resolution; the request goes to the checked address
            target = await resolve_target(endpoint.url, settings)
        except UnsafeTarget as exc:
            now = utc_now()
            if due[0].next_attempt_at is not None and due[0].next_attempt_at > now:
                return Turn(tries, False)
            refusal = Outcome(False, None, None, f"refused: {exc.detail}")
            metrics.tried(refusal)
            return Turn([(due[0], refusal, now)], False)
        for delivery in due:
            now = utc_now()
            if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
                return Turn(tries, False)  # the oldest waits for its retry time; later ones wait behind it
            body = message_body(delivery.event_type, delivery.event_created_at, delivery.payload)
            headers = sign_headers(live_secrets(endpoint, now), str(delivery.event_id), now, body)
            async with self._gate:
                outcome = await send(self.http, target, headers, body, settings.webhook_timeout_seconds)
            metrics.tried(outcome)
            tries.append((delivery, outcome, now))
            if not outcome.ok:
                return Turn(tries, False)
            if time.monotonic() > stop_at:
                break
        # all sent (or out of time): a full turn may have more behind it
        return Turn(tries, (len(tries) == len(due) and len(due) == TURN_SIZE) or time.monotonic() > stop_at)

    async def _write(self, endpoint: EndpointTarget, turn: Turn) -> None:
        """The turn's outcomes and the endpoint's health, committed before the drain looks again.

        Turns that end while another write is committing are written together in the next
        transaction (group commit): a fan-out to a hundred endpoints is a few transactions, not a
        hundred."""
        if not turn.tries:
            return
        done = asyncio.get_running_loop().create_future()
        self._to_write.append((endpoint, turn, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_waiting(), name="drains:write")
        await done

    async def _write_waiting(self) -> None:
        while self._to_write:
            batch, self._to_write = self._to_write, []
            try:
                await self._commit(batch)
            except Exception as exc:
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _commit(self, batch: list[tuple[EndpointTarget, Turn, "asyncio.Future[None]"]]) -> None:
        outcomes = [tried(d, outcome, at) for _, turn, _ in batch for d, outcome, at in turn.tries]
        async with self.sessionmaker() as session, session.begin():
            await repository.record_tries(session, outcomes)
            for endpoint, turn, _ in batch:
                failed = [outcome for _, outcome, _ in turn.tries if not outcome.ok]
                if not failed:
                    if endpoint.failing_since is not None:
                        await repository.set_endpoint_health(session, endpoint.id, failing_since=None)
                    continue
                had_success = any(o.ok for _, o, _ in turn.tries)
                await self._note_failure(session, endpoint, failed[-1], turn.tries[-1][2], had_success)
        for outcome in outcomes:
            metrics.recorded(outcome.status)

    async def _note_failure(
        self, session: AsyncSession, endpoint: EndpointTarget, outcome: Outcome, now: datetime, had_success: bool
    ) -> None:
        """Start the endpoint's failing streak, or disable it when the streak has lasted too long."""
        if endpoint.failing_since is None or had_success:
            await repository.set_endpoint_health(session, endpoint.id, failing_since=now)
            return
        hours = self.settings.webhook_disable_after_hours
        if now - endpoint.failing_since < timedelta(hours=hours):
            return
        reason = (
            f"disabled automatically: every delivery has failed since {endpoint.failing_since.isoformat()}"
            f" (more than {hours} h); last error: {outcome.error}"
        )
        await repository.set_endpoint_health(
            session, endpoint.id, active=False, disabled_at=now, disabled_reason=reason
        )
        metrics.ENDPOINTS_DISABLED.inc()
        log.warning(
            "webhook endpoint disabled", endpoint_id=str(endpoint.id), failing_since=endpoint.failing_since.isoformat()
        )
