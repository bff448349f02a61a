"""arq worker settings: one worker per queue (matcher scoring, webhooks), runnable together.

`puente worker` runs both queues in one process; `arq services.matcher.worker.MatcherWorker`
and `arq services.matcher.worker.WebhooksWorker` run them as separate processes, so webhook
deliveries can never be starved by a long scoring run.
"""

import asyncio
from typing import Any, ClassVar

from arq import Worker
from arq.connections import RedisSettings
from arq.cron import CronJob
from arq.typing import WorkerCoroutine
from arq.worker import Function, func

from services.matcher.context import shutdown, startup
from services.matcher.jobs import deliveries as webhook_deliveries
from services.matcher.jobs import inbound as webhook_inbound
from services.matcher.jobs import schedule as matcher_schedule
from services.matcher.jobs.match_run import run_matches
from shared.config import Settings, get_settings
from shared.jobs import MATCHER_QUEUE, RUN_MATCHES, WEBHOOKS_QUEUE
from shared.redis import arq_redis_settings

# Each queue's jobs and schedules; job modules register themselves here.
MATCHER_FUNCTIONS: list[Function | WorkerCoroutine] = []
MATCHER_CRON: list[CronJob] = []
WEBHOOK_FUNCTIONS: list[Function | WorkerCoroutine] = []
WEBHOOK_CRON: list[CronJob] = []

# matcher: one job per run (ids only; the run row is the truth) and its schedules
MATCHER_FUNCTIONS.append(func(run_matches, name=RUN_MATCHES, max_tries=3, timeout=1800, keep_result=600))
MATCHER_CRON.extend(matcher_schedule.cron_jobs())

# webhooks: per-endpoint delivery drains, inbound event processing, and the sweeper behind both
WEBHOOK_FUNCTIONS.extend([*webhook_deliveries.functions(), *webhook_inbound.functions()])
WEBHOOK_CRON.extend(webhook_deliveries.cron_jobs())


def _redis_settings() -> RedisSettings | None:
    settings = get_settings()
    return arq_redis_settings(settings) if settings.redis_url else None


class MatcherWorker:
    functions: ClassVar[list[Function | WorkerCoroutine]] = MATCHER_FUNCTIONS
    cron_jobs: ClassVar[list[CronJob]] = MATCHER_CRON
    queue_name = MATCHER_QUEUE
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = _redis_settings()
    max_jobs = 4
    health_check_interval = 10
    job_timeout = 1800
    # A change's scoped run should start within ~10 ms of being due (it is most of the latency budget
    # left after scoring); an idle poll is one cheap Redis call.
    poll_delay = 0.01


class WebhooksWorker:
    functions: ClassVar[list[Function | WorkerCoroutine]] = WEBHOOK_FUNCTIONS
    cron_jobs: ClassVar[list[CronJob]] = WEBHOOK_CRON
    queue_name = WEBHOOKS_QUEUE
    on_startup = startup
    on_shutdown = shutdown
    redis_settings = _redis_settings()
    max_jobs = 20
    health_check_interval = 10
    job_timeout = 120
    poll_delay = 0.05


def build_workers(
    settings: Settings, *, burst: bool = False, queues: tuple[str, ...] = ("matcher", "webhooks")
) -> list[Worker]:
    """Workers for the chosen queues, sharing nothing but Redis and the database."""
    chosen: dict[str, type[MatcherWorker] | type[WebhooksWorker]] = {
        "matcher": MatcherWorker,
        "webhooks": WebhooksWorker,
    }
    workers = []
    for name in queues:
        cls = chosen[name]
        ctx: dict[str, Any] = {"settings": settings}
        workers.append(
            Worker(
                functions=cls.functions,
                cron_jobs=cls.cron_jobs or None,
                queue_name=cls.queue_name,
                redis_settings=arq_redis_settings(settings),
                on_startup=startup,
                on_shutdown=shutdown,
                ctx=ctx,
                burst=burst,
                max_jobs=settings.matcher_max_jobs if name == "matcher" else cls.max_jobs,
                health_check_interval=cls.health_check_interval,
                job_timeout=cls.job_timeout,
                handle_signals=False,
                poll_delay=cls.poll_delay,
            )
        )
    return workers


async def run_workers(workers: list[Worker]) -> None:
    try:
        await asyncio.gather(*(worker.async_run() for worker in workers))
    finally:
        await asyncio.gather(*(worker.close() for worker in workers), return_exceptions=True)
