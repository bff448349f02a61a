"""The matcher worker: match runs on their own queue, the nightly full run, the run sweeper, learning.

`puente worker matcher` runs it alone; `puente worker` runs it beside the webhooks worker in one
process. Its queue is its own, so a long scoring run never holds up a webhook delivery.
"""

from arq.worker import func

from services.matcher.jobs import schedule
from services.matcher.jobs.match_run import run_matches
from shared.config import Settings
from shared.jobs import MATCHER_QUEUE, RUN_MATCHES
from shared.worker import WorkerSpec


def _max_jobs(settings: Settings) -> int:
    return settings.matcher_max_jobs


def spec() -> WorkerSpec:
    return WorkerSpec(
        name="matcher",
        queue=MATCHER_QUEUE,
        # one job per run (ids only; the run row is the truth)
        functions=[func(run_matches, name=RUN_MATCHES, max_tries=3, timeout=1800, keep_result=600)],
        cron_jobs=schedule.cron_jobs(),
        job_timeout=1800,
        # A change's scoped run should start within ~10 ms of being due (it is most of the latency
        # budget left after scoring); an idle poll is one cheap Redis call.
        poll_delay=0.01,
        max_jobs_setting=_max_jobs,
    )
