"""Running arq workers: what every job receives, riding out Redis outages, and the worker's own port.

Each worker room (`services.matcher`, `services.webhooks`) describes itself as a `WorkerSpec`: its
queue, jobs, schedules and what it adds to the job context. `serve()` runs one or more of them in
one process around a context built once (settings, database engine, sessionmaker; `redis` is the
current arq pool). Each room's arq worker is supervised: when Redis goes away (refused, reset, or
silent past the socket timeout) the worker is dropped and built again after a backoff, for as long
as it takes; the database rows are the truth, so nothing is lost meanwhile (the sweepers re-send
what waited). The process also answers on `worker_metrics_port`: `/metrics` (Prometheus),
`/healthz` (the event loop answers) and `/readyz` (every worker polls its queue).
"""

import asyncio
import contextlib
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, cast

import structlog
import uvicorn
from arq import ArqRedis, Worker
from arq.cron import CronJob
from arq.worker import Function
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, generate_latest
from redis.asyncio import ConnectionPool
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from shared.config import Settings
from shared.db.engine import create_engine, create_sessionmaker
from shared.logging import configure_logging

log = structlog.get_logger(__name__)

#: A Redis call unanswered this long (seconds) counts as an outage (a hung or paused server).
REDIS_SOCKET_TIMEOUT = 5.0
REDIS_CONNECT_TIMEOUT = 2.0
#: Waits between reconnection attempts: doubling from the first to the last, with jitter.
BACKOFF_FIRST = 0.5
BACKOFF_LAST = 15.0
#: A worker that polled this long since its last outage starts the next backoff from the first wait.
HEALTHY_AFTER = 30.0
#: How often the queue-depth gauges are refreshed (seconds).
QUEUE_DEPTH_EVERY = 5.0

REDIS_OUTAGES = Counter(
    "puente_worker_redis_outages_total", "Times a worker lost Redis and started reconnecting.", ["worker"]
)
WORKER_CONNECTED = Gauge(
    "puente_worker_connected", "1 while the worker polls its queue, 0 during an outage.", ["worker"]
)
QUEUE_DEPTH = Gauge("puente_queue_depth", "Jobs waiting in a queue (due now or deferred).", ["queue"])


class WorkerContext(TypedDict):
    """What every job receives (arq's `ctx`); rooms add their own keys (see their `context()`)."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: ArqRedis


def context(ctx: dict[str, Any]) -> WorkerContext:
    return cast(WorkerContext, ctx)


Hook = Callable[[dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class WorkerSpec:
    """One worker room: its queue, its jobs and schedules, and how it runs."""

    name: str
    queue: str
    functions: Sequence[Function]
    cron_jobs: Sequence[CronJob] = ()
    max_jobs: int = 10
    job_timeout: int = 300
    poll_delay: float = 0.05
    #: Adds the room's own things to the context once per process (an HTTP client, a sender pool).
    startup: Hook | None = None
    shutdown: Hook | None = None
    #: max_jobs from the settings, when the room has a setting for it.
    max_jobs_setting: Callable[[Settings], int] | None = field(default=None)


def redis_pool(settings: Settings) -> ArqRedis:
    """An arq pool whose calls give up after REDIS_SOCKET_TIMEOUT: a hung Redis is an outage, not a hang."""
    if not settings.redis_url:
        raise RuntimeError("no Redis configured; call shared.embedded.ensure_services first")
    connections: ConnectionPool[Any] = ConnectionPool.from_url(
        settings.redis_url, socket_timeout=REDIS_SOCKET_TIMEOUT, socket_connect_timeout=REDIS_CONNECT_TIMEOUT
    )
    return ArqRedis(connection_pool=connections)


async def open_context(settings: Settings, specs: Sequence[WorkerSpec], service: str) -> dict[str, Any]:
    configure_logging(service, level=settings.log_level, json=settings.log_json)
    engine = create_engine(settings, f"puente-{service}")
    ctx: dict[str, Any] = {"settings": settings, "engine": engine, "sessionmaker": create_sessionmaker(engine)}
    for spec in specs:
        if spec.startup is not None:
            await spec.startup(ctx)
    return ctx


async def close_context(ctx: dict[str, Any], specs: Sequence[WorkerSpec]) -> None:
    for spec in specs:
        if spec.shutdown is not None:
            with contextlib.suppress(Exception):
                await spec.shutdown(ctx)
    await ctx["engine"].dispose()


def build_worker(spec: WorkerSpec, settings: Settings, ctx: dict[str, Any], *, burst: bool = False) -> Worker:
    """An arq worker for `spec` on a fresh Redis pool, sharing `ctx` (arq sets ctx["redis"] to its pool)."""
    return Worker(
        functions=list(spec.functions),
        cron_jobs=list(spec.cron_jobs) or None,
        queue_name=spec.queue,
        redis_pool=redis_pool(settings),
        ctx=ctx,
        burst=burst,
        max_jobs=spec.max_jobs_setting(settings) if spec.max_jobs_setting else spec.max_jobs,
        health_check_interval=5,
        job_timeout=spec.job_timeout,
        handle_signals=False,
        poll_delay=spec.poll_delay,
    )


async def drop_worker(worker: Worker) -> None:
    """Forget a worker without asking Redis anything (it may be away); its running jobs finish on
    their own, and a job whose result cannot be recorded is run again (every job is idempotent)."""
    with contextlib.suppress(Exception):
        await worker.pool.close(close_connection_pool=True)


class Supervised:
    """One room's arq worker, rebuilt after every Redis outage (backoff with jitter) until stopped."""

    def __init__(self, spec: WorkerSpec, settings: Settings, ctx: dict[str, Any]) -> None:
        self.spec = spec
        self.settings = settings
        self.ctx = dict(ctx)  # its own `redis`; the engine, clients and the rest are shared
        self.worker: Worker | None = None
        self.outages = 0

    async def run(self) -> None:
        wait = BACKOFF_FIRST
        while True:
            worker = self.worker = build_worker(self.spec, self.settings, self.ctx)
            started = time.monotonic()
            try:
                WORKER_CONNECTED.labels(self.spec.name).set(1)
                await worker.main()
                return
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                self.outages += 1
                REDIS_OUTAGES.labels(self.spec.name).inc()
                if time.monotonic() - started > HEALTHY_AFTER:
                    wait = BACKOFF_FIRST
                pause = wait * (0.8 + 0.4 * random.random())
                log.warning(
                    "lost Redis; reconnecting", worker=self.spec.name, error=f"{type(exc).__name__}: {exc}",
                    retry_in_seconds=round(pause, 2),
                )  # fmt: skip
                wait = min(BACKOFF_LAST, wait * 2)
            finally:
                WORKER_CONNECTED.labels(self.spec.name).set(0)
                await drop_worker(worker)
                self.worker = None
            await asyncio.sleep(pause)

    async def ready(self) -> bool:
        """The worker polls its queue: its health key, refreshed every few seconds, is in Redis."""
        worker = self.worker
        if worker is None or worker._pool is None:
            return False
        try:
            return bool(await asyncio.wait_for(worker.pool.exists(worker.health_check_key), 2))
        except Exception:
            return False


async def refresh_queue_depths(supervised: Sequence[Supervised]) -> None:
    """Set each queue's depth gauge every QUEUE_DEPTH_EVERY seconds while this process runs."""
    while True:
        for s in supervised:
            redis: ArqRedis | None = s.ctx.get("redis") if s.worker is not None else None
            if redis is not None:
                with contextlib.suppress(Exception):  # Redis away: the last value stays
                    QUEUE_DEPTH.labels(s.spec.queue).set(await asyncio.wait_for(redis.zcard(s.spec.queue), 2))
        await asyncio.sleep(QUEUE_DEPTH_EVERY)


class _StatusServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the process's owner decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def status_app(supervised: Sequence[Supervised]) -> Callable[..., Awaitable[None]]:
    """The worker's own port: /metrics, /healthz (the loop answers), /readyz (every worker polls)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        status, body, content_type = 404, b"not found\n", b"text/plain"
        if path == "/metrics":
            status, body, content_type = 200, generate_latest(), CONTENT_TYPE_LATEST.encode()
        elif path == "/healthz":
            status, body = 200, b"ok\n"
        elif path == "/readyz":
            states = [(s.spec.name, await s.ready()) for s in supervised]
            ready = all(up for _, up in states)
            status = 200 if ready else 503
            body = ("\n".join(f"{name}: {'polling' if up else 'not polling'}" for name, up in states) + "\n").encode()
        await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
        await send({"type": "http.response.body", "body": body})

    return app


async def serve(settings: Settings, specs: Sequence[WorkerSpec], *, metrics_port: int | None = None) -> None:
    """Run the rooms' workers in this process until cancelled; each rides out Redis outages."""
    service = "worker-" + "+".join(spec.name for spec in specs)
    ctx = await open_context(settings, specs, service)
    supervised = [Supervised(spec, settings, ctx) for spec in specs]
    port = settings.worker_metrics_port if metrics_port is None else metrics_port
    tasks = [asyncio.create_task(s.run(), name=f"worker:{s.spec.name}") for s in supervised]
    tasks.append(asyncio.create_task(refresh_queue_depths(supervised)))
    server: uvicorn.Server | None = None
    if port:
        config = uvicorn.Config(
            status_app(supervised), host=settings.worker_metrics_host, port=port, log_level="warning",
            lifespan="off", access_log=False,
        )  # fmt: skip
        server = _StatusServer(config)
        tasks.append(asyncio.create_task(server.serve(), name="worker:status"))
    try:
        await asyncio.gather(*tasks)
    finally:
        if server is not None:
            server.should_exit = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for s in supervised:
            if s.worker is not None:
                await drop_worker(s.worker)
        await close_context(ctx, specs)


async def run_burst(settings: Settings, specs: Sequence[WorkerSpec], ctx: dict[str, Any] | None = None) -> None:
    """Run each room's queued jobs until its queue is empty, then return (tests, one-off drains)."""
    own = ctx is None
    context_ = ctx if ctx is not None else await open_context(settings, specs, "worker-burst")
    try:
        for spec in specs:
            worker = build_worker(spec, settings, context_, burst=True)
            worker.cron_jobs = []  # schedules run when asked for, not on the wall clock
            try:
                await worker.main()
            finally:
                await drop_worker(worker)
    finally:
        if own:
            await close_context(context_, specs)
