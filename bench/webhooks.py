"""Outbound webhook delivery: deliveries/s and event-to-receipt latency at 1, 10 and 100 endpoints,
beside arq's own no-op job rate measured in the same run.

Everything runs on loopback: a receiver (bare ASGI, its own uvicorn process) answers 204 at once;
events are written through `shared.events.emit` (outbox + fan-out in the writer's transaction, then
the after-commit nudges), and one in-process webhooks worker (`puente worker webhooks` with the
production settings) delivers them, signed. Two phases per endpoint count:
- throughput: a backlog of about 3,000 deliveries committed at once, timed from the commit until the
  last is received;
- latency: events written one per transaction at a steady rate well below that throughput for a few
  seconds, timed from the event's timestamp to its receipt.
Targets: deliveries/s at least half the no-op job rate; p95 latency under 500 ms.

Redis: the configured server's database BENCH_REDIS_DB (default 15), never flushed (job ids are
unique per run); PostgreSQL: a throwaway database. `python -m bench.webhooks` from the repo root.
"""

import asyncio
import os
import time
import uuid
from typing import Any

import httpx
from arq import Worker
from arq.worker import func
from sqlalchemy import text

from bench.harness import free_port, fresh_database, server, services, table
from services.webhooks.worker import spec as webhooks_spec
from shared.config import Settings
from shared.db.after_commit import take_after_commit_jobs
from shared.db.engine import create_engine, create_sessionmaker
from shared.events import EventType, emit
from shared.models import WebhookEndpoint
from shared.redis import arq_redis_settings, create_arq_pool, with_database
from shared.webhooks import generate_secret
from shared.worker import serve

ENDPOINT_COUNTS = (1, 10, 100)
BACKLOG_DELIVERIES = 3_000
NOOP_JOBS = 3_000
LATENCY_SECONDS = 3.0
#: The latency phase offers this share of the measured throughput (a receiver that keeps up).
LATENCY_LOAD = 0.3
DEADLINE_SECONDS = 300.0


async def _noop(ctx: dict[Any, Any], *_args: Any, **_kwargs: Any) -> None:
    return None


async def noop_rate(settings: Settings) -> float:
    """Jobs/s of an arq worker shaped like the webhooks worker, running jobs that do nothing."""
    shape = webhooks_spec()
    queue = f"bench:noop:{uuid.uuid4().hex[:8]}"
    pool = await create_arq_pool(settings)
    try:
        for start in range(0, NOOP_JOBS, 500):
            await asyncio.gather(*(pool.enqueue_job("noop", _queue_name=queue) for _ in range(start, start + 500)))
        worker = Worker(
            functions=[func(_noop, name="noop", keep_result=0)],
            queue_name=queue,
            redis_settings=arq_redis_settings(settings),
            burst=True,
            max_jobs=shape.max_jobs,
            poll_delay=shape.poll_delay,
            handle_signals=False,
        )
        started = time.perf_counter()
        await worker.main()
        elapsed = time.perf_counter() - started
        await worker.close()
    finally:
        await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5
    return NOOP_JOBS / elapsed


async def _stats(http: httpx.AsyncClient, port: int, *, reset: bool = False) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}/{'reset' if reset else 'stats'}"
    try:
        response = await http.get(url)
    except httpx.TransportError:  # a keep-alive connection the receiver closed meanwhile: once more
        response = await http.get(url)
    data: dict[str, Any] = response.json()
    return data


async def _wait_for(http: httpx.AsyncClient, port: int, count: int) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        stats = await _stats(http, port)
        if stats["count"] >= count:
            return stats
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {stats['count']} of {count} deliveries arrived in {DEADLINE_SECONDS} s")
        await asyncio.sleep(0.02)


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


async def _emit(sessionmaker: Any, pool: Any, count: int) -> float:
    """Write `count` events in one transaction as the API does (outbox + fan-out), commit, nudge;
    returns when the commit was done (perf_counter)."""
    async with sessionmaker() as session:
        for n in range(count):
            emit(session, EventType.MATCH_PROPOSED, {"n": n, "match_id": str(uuid.uuid4()), "score": 0.87})
        await session.commit()
        committed = time.perf_counter()
        jobs = take_after_commit_jobs(session)
    for job in jobs:
        await job(pool)
    return committed


async def measure(settings: Settings, port: int, endpoints: int) -> tuple[float, float, float, int]:
    """(deliveries/s, p50 ms, p95 ms, deliveries in the latency phase) for this many endpoints."""
    engine = create_engine(settings, "bench-webhooks")
    sessionmaker = create_sessionmaker(engine)
    pool = await create_arq_pool(settings)
    worker_task = asyncio.create_task(serve(settings, [webhooks_spec()], metrics_port=0))
    http = httpx.AsyncClient()
    try:
        async with sessionmaker() as session:
            await session.execute(text("TRUNCATE webhook_endpoints, webhook_events CASCADE"))
            for i in range(endpoints):
                session.add(
                    WebhookEndpoint(
                        id=uuid.uuid4(),
                        url=f"http://127.0.0.1:{port}/hook/{i}",
                        secret=generate_secret(),
                        event_types=[],
                    )
                )
            await session.commit()
        await _stats(http, port, reset=True)

        events = max(1, BACKLOG_DELIVERIES // endpoints)
        committed = await _emit(sessionmaker, pool, events)  # timed from the commit: delivery, not writing
        await _wait_for(http, port, events * endpoints)
        throughput = events * endpoints / (time.perf_counter() - committed)

        await _stats(http, port, reset=True)
        per_second = max(1.0, throughput * LATENCY_LOAD / endpoints)  # events/s
        interval = 1.0 / per_second
        sent = 0
        phase_start = time.perf_counter()
        while time.perf_counter() - phase_start < LATENCY_SECONDS:
            await _emit(sessionmaker, pool, 1)
            sent += 1
            await asyncio.sleep(max(0.0, phase_start + sent * interval - time.perf_counter()))
        stats = await _wait_for(http, port, sent * endpoints)
        latencies = stats["latencies_ms"]
        return throughput, _percentile(latencies, 50), _percentile(latencies, 95), len(latencies)
    finally:
        await http.aclose()
        worker_task.cancel()
        await asyncio.gather(worker_task, return_exceptions=True)
        await pool.aclose()  # type: ignore[attr-defined]  # types-redis lags redis 5
        await engine.dispose()


def main() -> None:
    with services() as (base, _), fresh_database(base, "webhooks") as url:
        assert base.redis_url
        settings = base.model_copy(
            update={
                "database_url": url,
                "redis_url": with_database(base.redis_url, int(os.environ.get("BENCH_REDIS_DB", "15"))),
                "webhooks_allow_private_targets": True,  # the receiver is on loopback
                # the receiver always answers; on a busy machine a starved one must not turn into retries
                "webhook_timeout_seconds": 60.0,
                "log_level": "WARNING",
                "log_json": False,
            }
        )
        port = free_port()
        with server(
            [
                "-m",
                "uvicorn",
                "bench.webhook_receiver:app",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            {},
            port,
        ):
            noop = asyncio.run(noop_rate(settings))
            rows = []
            for count in ENDPOINT_COUNTS:
                throughput, p50, p95, samples = asyncio.run(measure(settings, port, count))
                rows.append(
                    [
                        str(count),
                        f"{throughput:,.0f}",
                        f"{throughput / noop:.2f}",
                        f"{p50:.0f}",
                        f"{p95:.0f}",
                        str(samples),
                        "yes" if throughput >= noop / 2 and p95 < 500 else "NO",
                    ]
                )
        print(
            table(
                f"Outbound webhooks on loopback; arq no-op jobs: {noop:,.0f}/s"
                " (target: deliveries/s >= half of that, p95 < 500 ms)",
                [
                    "endpoints",
                    "deliveries/s",
                    "÷ no-op rate",
                    "p50 ms",
                    "p95 ms",
                    "latency samples",
                    "on target",
                ],
                rows,
            )
        )


if __name__ == "__main__":
    main()
