"""Cron: the nightly full run, the sweeper that re-nudges runs a lost enqueue or a dead worker left,
and the learning job that refits the weights once enough decisions exist.

arq gives each cron firing a deterministic job id, so with several worker processes each
firing runs once; the jobs themselves are idempotent in any case.
"""

import time
import uuid
from datetime import timedelta
from typing import Any

import structlog
from arq.cron import CronJob, cron

from services.matcher import repository
from services.matcher.learning import learn
from shared.clock import utc_now
from shared.config import get_settings
from shared.enums import RunStatus
from shared.jobs import MATCHER_QUEUE, RUN_MATCHES, enqueue_match_run
from shared.models import MatchRun
from shared.worker import context

log = structlog.get_logger(__name__)

#: A run still queued this long after its creation lost its nudge (the debounce is 0.1 s by default).
QUEUED_GRACE = timedelta(seconds=60)


async def full_run(ctx: dict[str, Any]) -> str:
    """Queue the scheduled full run and nudge the worker once it is committed."""
    worker = context(ctx)
    async with worker["sessionmaker"]() as session:
        run = MatchRun(
            id=uuid.uuid4(),
            scope={"all": True},
            trigger="schedule",
            status=RunStatus.QUEUED.value,
            requested_by="schedule",
        )
        session.add(run)
        await session.commit()
    await enqueue_match_run(worker["redis"], str(run.id))
    return f"queued full run {run.id}"


async def sweep_runs(ctx: dict[str, Any]) -> str:
    """Re-nudge runs left queued (lost enqueue) or running with no live worker (crash).

    The re-nudge uses its own job id: the run's original `match-run:{id}` job may still exist or
    have a stored result, which would make a same-id enqueue a silent no-op. A duplicate nudge is
    harmless: the run lock and the conditional claim let one job do the work.
    """
    worker = context(ctx)
    async with worker["sessionmaker"]() as session:
        run_ids = await repository.runs_to_sweep(session, utc_now(), QUEUED_GRACE)
        await session.commit()  # ends the probe's transaction-scoped locks
    stamp = int(time.time() // 60)
    for run_id in run_ids:
        await worker["redis"].enqueue_job(
            RUN_MATCHES, str(run_id), _job_id=f"match-run:{run_id}:sweep:{stamp}", _queue_name=MATCHER_QUEUE
        )
    if run_ids:
        log.warning("re-enqueued match runs", run_ids=[str(r) for r in run_ids])
    return f"re-enqueued {len(run_ids)}"


async def learn_weights(ctx: dict[str, Any]) -> str:
    """Refit the component weights on decisions; an accepted fit becomes the active model."""
    worker = context(ctx)
    async with worker["sessionmaker"]() as session:
        outcome = await learn(session, worker["settings"], apply=True)
        await session.commit()
    log.info("learning pass", stored=outcome.stored, note=outcome.note)
    return outcome.note


def cron_jobs() -> list[CronJob]:
    settings = get_settings()
    return [
        cron(full_run, name="matcher-full-run", hour={settings.matcher_full_run_hour}, minute={0}),
        cron(sweep_runs, name="matcher-sweep-runs"),
        cron(learn_weights, name="matcher-learn-weights", minute={17}, timeout=600),
    ]
