"""The real webhooks worker run in-process in burst mode, and fixtures for webhook tests."""

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from arq import ArqRedis

from services.webhooks.jobs.deliveries import SWEEP_WEBHOOKS
from services.webhooks.worker import spec as webhooks_spec
from shared.clock import freeze
from shared.config import Settings
from shared.jobs import WEBHOOKS_QUEUE
from shared.redis import create_arq_pool
from shared.worker import run_burst
from tests.webhook_receiver import Receiver, free_port


async def run_webhooks_worker(settings: Settings, *, sweep: bool = False, pool: ArqRedis | None = None) -> None:
    """Run queued webhook jobs until the queue is empty and their drains are done (optionally sweep first)."""
    if sweep:
        assert pool is not None
        await pool.enqueue_job(SWEEP_WEBHOOKS, _queue_name=WEBHOOKS_QUEUE)
    await run_burst(settings, [webhooks_spec()])  # drains finish before it returns


@pytest.fixture
async def arq_pool(settings: Settings, redis: Any) -> AsyncIterator[ArqRedis]:
    """An arq pool on the test Redis database (flushed by the `redis` fixture)."""
    pool = await create_arq_pool(settings)
    yield pool
    await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A receiver on a free loopback port, not yet started (call .start())."""
    found = Receiver(port=free_port())
    yield found
    found.stop()


@pytest.fixture
def clock() -> Iterator[None]:
    """Tests that move time with shared.clock.freeze get it released afterwards."""
    yield
    freeze(None)
