"""A worker rides out Redis going away and hanging, and answers on its own port meanwhile."""

import asyncio
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.webhooks.worker import spec as webhooks_spec
from shared.config import Settings
from shared.db.after_commit import send_after_commit_jobs
from shared.events import EventType, emit
from shared.models import WebhookEndpoint
from shared.redis import create_arq_pool
from shared.webhooks import generate_secret
from shared.worker import REDIS_OUTAGES, serve
from tests.own_redis import OwnRedis
from tests.webhook_receiver import Receiver, free_port
from tests.webhook_worker import receiver

__all__ = ["receiver"]


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process is not None:
        server.resume()
    server.stop()


async def _deliver_one(sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, n: int) -> None:
    """A change committed with its event, and the nudge sent through (a possibly absent) Redis."""
    async with sessionmaker() as session:
        emit(session, EventType.MATCH_PROPOSED, {"n": n})
        await session.commit()
        try:
            pool = await create_arq_pool(settings)
        except Exception:
            return  # Redis away: the sweeper finds the delivery later
        try:
            await send_after_commit_jobs(session, pool)
        finally:
            await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5


async def _until(check: object, seconds: float) -> float:
    started = time.monotonic()
    while not await check():  # type: ignore[operator]
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not within {seconds} s")
        await asyncio.sleep(0.1)
    return time.monotonic() - started


async def test_the_worker_rides_out_redis_stopping_and_hanging(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    receiver: Receiver,
    own_redis: OwnRedis,
) -> None:
    receiver.start()
    secret = generate_secret()
    receiver.secrets.append(secret)
    async with sessionmaker() as session:
        session.add(WebhookEndpoint(id=uuid.uuid4(), url=receiver.url, secret=secret, event_types=[]))
        await session.commit()
    ours = settings.model_copy(update={"redis_url": own_redis.url})
    port = free_port()
    outages_before = REDIS_OUTAGES.labels("webhooks")._value.get()
    worker = asyncio.create_task(serve(ours, [webhooks_spec()], metrics_port=port))
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=3)

    async def ready() -> bool:
        try:
            return (await http.get("/readyz")).status_code == 200
        except httpx.HTTPError:
            return False

    async def received(count: int) -> bool:
        return len(receiver.received) >= count

    try:
        await _until(ready, 30)
        await _deliver_one(sessionmaker, ours, 0)
        await _until(lambda: received(1), 10)

        own_redis.stop()  # Redis goes away, and everything it held with it
        await _until(lambda: _not(ready), 15)
        assert (await http.get("/healthz")).status_code == 200  # the process itself is fine
        await _deliver_one(sessionmaker, ours, 1)  # committed while Redis is down
        await asyncio.sleep(1)
        assert not worker.done(), "the worker died with Redis"
        own_redis.start()  # back, empty
        await _until(ready, 30)
        await _until(lambda: received(2), 15)  # the sweeper found what waited

        own_redis.pause()  # Redis hangs: connections open, no answers
        await _until(lambda: _not(ready), 20)
        own_redis.resume()
        await _until(ready, 30)
        await _deliver_one(sessionmaker, ours, 2)
        await _until(lambda: received(3), 15)
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        await http.aclose()
    assert [r.json["data"]["n"] for r in receiver.received] == [0, 1, 2]
    assert REDIS_OUTAGES.labels("webhooks")._value.get() - outages_before >= 2


async def _not(check: object) -> bool:
    return not await check()  # type: ignore[operator]


def _sample(text: str, name: str, **labels: str) -> float:
    """A sample's value from a Prometheus text page (0 when absent)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


async def test_the_worker_port_serves_run_delivery_inbound_and_queue_metrics(
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    clean_db: None,
    receiver: Receiver,
    redis: object,
) -> None:
    from services.matcher.worker import spec as matcher_spec
    from shared.jobs import enqueue_match_run
    from shared.models import MatchRun
    from tests import factories

    receiver.start()
    secret = generate_secret()
    async with sessionmaker() as session:
        session.add(
            WebhookEndpoint(id=uuid.uuid4(), url=receiver.url, secret=secret, event_types=["match_run.completed"])
        )
        business = await factories.create_business(session)
        await factories.create_commitment(session, business)
        await factories.create_program(session, await factories.create_partner(session))
        run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add(run)
        await session.commit()
    port = free_port()
    worker = asyncio.create_task(serve(settings, [matcher_spec(), webhooks_spec()], metrics_port=port))
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=3)

    async def page() -> str:
        try:
            return (await http.get("/metrics")).text
        except httpx.HTTPError:
            return ""

    before = await _scrape_when_up(page)
    pool = await create_arq_pool(settings)
    try:
        await enqueue_match_run(pool, str(run.id))

        async def delivered() -> bool:
            return len(receiver.received) == 1

        await _until(delivered, 60)  # the run ran, its match_run.completed event was delivered
        await asyncio.sleep(5.5)  # a sweep and a queue-depth refresh have run since
        after = await page()
    finally:
        await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        await http.aclose()

    def grew(name: str, **labels: str) -> float:
        return _sample(after, name, **labels) - _sample(before, name, **labels)

    assert grew("puente_match_runs_total", trigger="api", status="succeeded") == 1
    assert grew("puente_match_run_duration_seconds_count", trigger="api") == 1
    assert grew("puente_match_proposals_total") >= 1
    assert grew("puente_webhook_tries_total", result="ok") == 1
    assert grew("puente_webhook_deliveries_total", status="succeeded") == 1
    waiting = ("deliveries_pending", "retry_backlog", "oldest_pending_age_seconds")
    for gauge in [f"puente_webhook_{name}" for name in waiting] + ["puente_inbound_events_waiting"]:
        assert f"\n{gauge} 0.0" in "\n" + after, gauge  # everything delivered: nothing waits
    assert "puente_inbound_events_total" in after
    assert _sample(after, "puente_queue_depth", queue="puente:matcher") == 0
    assert 'puente_queue_depth{queue="puente:webhooks"}' in after
    assert _sample(after, "puente_worker_connected", worker="matcher") == 1


async def _scrape_when_up(page: object) -> str:
    started = time.monotonic()
    while time.monotonic() - started < 30:
        text = await page()  # type: ignore[operator]
        if text:
            return str(text)
        await asyncio.sleep(0.1)
    raise AssertionError("the worker's port did not answer")
