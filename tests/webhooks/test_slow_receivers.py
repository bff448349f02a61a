"""One slow receiver holds only itself: a deadline per request, no request inside a transaction,
healthy endpoints served once and at once, the slow one backed off and disabled, deletable at once."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.webhooks.context import http_client
from services.webhooks.repository import DrainLocks
from services.webhooks.sender import Sender
from shared.clock import freeze, utc_now
from shared.config import Settings
from shared.db.after_commit import take_after_commit_jobs
from shared.events import EventType, emit
from shared.models import WebhookDelivery, WebhookEndpoint
from shared.webhooks import generate_secret
from tests.webhook_receiver import Receiver, TricklingReceiver, free_port
from tests.webhook_worker import clock, receiver

__all__ = ["clock", "receiver"]

DEADLINE = 1.0


@pytest.fixture
def slow() -> Iterator[TricklingReceiver]:
    trickling = TricklingReceiver(port=free_port())
    trickling.start()
    yield trickling
    trickling.stop()


@pytest.fixture
async def sender(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> AsyncIterator[Sender]:
    tight = settings.model_copy(update={"webhook_timeout_seconds": DEADLINE, "webhook_disable_after_hours": 1})
    http = http_client(tight)
    found = Sender(tight, sessionmaker, DrainLocks(engine), http)
    yield found
    await found.close()
    await found.locks.close()
    await http.aclose()


async def _endpoint(
    sessionmaker: async_sessionmaker[AsyncSession], url: str, secrets: list[str] | None = None
) -> uuid.UUID:
    secret = generate_secret()
    if secrets is not None:
        secrets.append(secret)
    async with sessionmaker() as session:
        endpoint = WebhookEndpoint(id=uuid.uuid4(), url=url, secret=secret, event_types=[])
        session.add(endpoint)
        await session.commit()
    return endpoint.id


async def _emit(sessionmaker: async_sessionmaker[AsyncSession], count: int) -> None:
    async with sessionmaker() as session:
        for n in range(count):
            emit(session, EventType.MATCH_PROPOSED, {"n": n})
        await session.commit()
        take_after_commit_jobs(session)


async def _until(condition: object, seconds: float) -> float:
    started = time.monotonic()
    while not condition():  # type: ignore[operator]
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.01)
    return time.monotonic() - started


async def test_a_slow_receiver_holds_neither_healthy_endpoints_nor_its_own_deletion(
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    receiver: Receiver,
    slow: TricklingReceiver,
    sender: Sender,
) -> None:
    receiver.start()
    healthy = await _endpoint(sessionmaker, receiver.url, receiver.secrets)
    stalled = await _endpoint(sessionmaker, slow.url)
    await _emit(sessionmaker, 3)

    started = time.monotonic()
    sender.nudge([stalled, healthy])
    served = await _until(lambda: len(receiver.received) == 3, 5.0)
    assert served < DEADLINE, "the healthy endpoint waited for the slow one"
    await _until(lambda: slow.requests == 1, 2.0)

    deleting = time.monotonic()  # the slow request is in flight: its owner deletes the endpoint
    async with sessionmaker() as session:
        await session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.id == stalled))
        await session.commit()
    assert time.monotonic() - deleting < 0.5, "deleting waited on the sender's locks"

    async with asyncio.timeout(DEADLINE * 3):
        await sender.idle()
    assert time.monotonic() - started < DEADLINE * 3  # the deadline held the slow request, not its reads
    assert [r.json["data"]["n"] for r in receiver.received] == [0, 1, 2]  # once each, in order
    async with sessionmaker() as session:
        rows = (await session.execute(select(WebhookDelivery.endpoint_id, WebhookDelivery.status))).all()
    assert sorted(set(rows)) == [(healthy, "succeeded")]


async def test_a_slow_receiver_is_a_failure_that_backs_off_and_ends_disabled(
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    slow: TricklingReceiver,
    sender: Sender,
    clock: None,
) -> None:
    stalled = await _endpoint(sessionmaker, slow.url)
    await _emit(sessionmaker, 2)
    first_try = utc_now()
    sender.nudge([stalled])
    async with asyncio.timeout(DEADLINE * 3):
        await sender.idle()
    async with sessionmaker() as session:
        deliveries = (await session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.seq))).all()
        endpoint = await session.get(WebhookEndpoint, stalled)
    assert [(d.status, d.attempts) for d in deliveries] == [("pending", 1), ("pending", 0)]  # the second waits
    assert deliveries[0].last_error == f"no complete answer within {DEADLINE:g} s"
    assert deliveries[0].next_attempt_at is not None
    assert timedelta(seconds=3) < deliveries[0].next_attempt_at - first_try < timedelta(seconds=7)
    assert endpoint is not None and endpoint.active and endpoint.failing_since is not None

    sender.nudge([stalled])  # not due yet: nothing is sent
    async with asyncio.timeout(DEADLINE * 3):
        await sender.idle()
    assert slow.requests == 1

    freeze(utc_now() + timedelta(hours=2))  # still failing two hours on (the limit is one): disabled
    sender.nudge([stalled])
    async with asyncio.timeout(DEADLINE * 3):
        await sender.idle()
    async with sessionmaker() as session:
        endpoint = await session.get(WebhookEndpoint, stalled)
        first = await session.get(WebhookDelivery, deliveries[0].id)
    assert slow.requests == 2
    assert endpoint is not None and not endpoint.active
    assert endpoint.disabled_reason and "no complete answer" in endpoint.disabled_reason
    assert first is not None and first.attempts == 2
