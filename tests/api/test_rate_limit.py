"""Requests per key per minute: exact for one process, shared through Redis between processes, 429 problem+json."""

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from arq import ArqRedis
from fastapi import FastAPI

from services.api.kit.ratelimit import RateLimiter
from shared.config import Settings
from shared.errors import RateLimited
from shared.redis import create_arq_pool
from tests.api.conftest import Keys, assert_problem


@pytest.fixture(autouse=True)
async def _same_minute() -> None:
    """Counts start afresh each minute: begin far enough from its end to finish inside it."""
    into_minute = time.time() % 60
    if into_minute > 50:
        await asyncio.sleep(60.5 - into_minute)


@pytest.fixture
async def arq(settings: Settings, redis: object) -> AsyncIterator[ArqRedis]:
    pool = await create_arq_pool(settings)
    yield pool
    await pool.aclose()


async def test_one_process_admits_exactly_the_limit(arq: ArqRedis) -> None:
    limiter = RateLimiter(arq, 120)
    key = uuid.uuid4()
    for _ in range(120):
        await limiter.hit(key)
    with pytest.raises(RateLimited) as refused:
        await limiter.hit(key)
    assert 0 < refused.value.extra["retry_after"] <= 60
    await limiter.hit(uuid.uuid4())  # another key has its own allowance


async def test_processes_share_the_allowance_through_redis(arq: ArqRedis) -> None:
    first, second = RateLimiter(arq, 100, batch=10), RateLimiter(arq, 100, batch=10)
    key = uuid.uuid4()
    for _ in range(60):
        await first.hit(key)
    admitted = 0
    with pytest.raises(RateLimited):
        for _ in range(100):
            await second.hit(key)
            admitted += 1
    # the first process's synced batches count against the second; its unsynced tail (under one
    # batch) is the most the two can admit beyond the limit together
    assert 40 <= admitted < 40 + 10


async def test_zero_means_off(arq: ArqRedis) -> None:
    limiter = RateLimiter(arq, 0)
    for _ in range(50):
        await limiter.hit(uuid.uuid4())
    assert await arq.keys("puente:ratelimit:*") == []


async def test_api_answers_429_problem_with_retry_after(client: httpx.AsyncClient, keys: Keys, app: FastAPI) -> None:
    default = app.state.rate_limiter
    app.state.rate_limiter = RateLimiter(app.state.arq, 3)
    try:
        for _ in range(3):
            assert (await client.get("/v1/businesses", headers=keys.coordinator)).status_code == 200
        refused = await client.get("/v1/businesses", headers=keys.coordinator)
        assert_problem(refused, 429)
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        # counted per key: another caller is unaffected
        assert (await client.get("/v1/businesses", headers=keys.admin)).status_code == 200
    finally:
        app.state.rate_limiter = default


async def test_a_request_counts_once_however_many_dependencies_ask_who_calls(
    client: httpx.AsyncClient, keys: Keys, app: FastAPI
) -> None:
    """An idempotent POST asks for the caller twice (the role check and the idempotency key)."""
    default = app.state.rate_limiter
    app.state.rate_limiter = RateLimiter(app.state.arq, 2)
    try:
        for n in range(2):
            created = await client.post(
                "/v1/businesses",
                json={"name": f"Counted once {n}", "hq_country": "GT", "countries": ["GT"]},
                headers={**keys.coordinator, "Idempotency-Key": f"count-once-{n}"},
            )
            assert created.status_code == 201, created.text
        assert_problem(await client.get("/v1/businesses", headers=keys.coordinator), 429)
    finally:
        app.state.rate_limiter = default
