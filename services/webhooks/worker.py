"""The webhooks worker: outbound deliveries and inbound events on their own queue, and their sweeper.

`puente worker webhooks` runs it alone; `puente worker` runs it beside the matcher in one process.
Its jobs are short (a delivery job hands endpoints to the sender and returns), so a receiver that
answers slowly, or not at all, never holds a job slot.
"""

from services.webhooks import context
from services.webhooks.jobs import deliveries, inbound
from shared.jobs import WEBHOOKS_QUEUE
from shared.worker import WorkerSpec


def spec() -> WorkerSpec:
    return WorkerSpec(
        name="webhooks",
        queue=WEBHOOKS_QUEUE,
        functions=[*deliveries.functions(), *inbound.functions()],
        cron_jobs=deliveries.cron_jobs(),
        max_jobs=20,
        job_timeout=120,
        poll_delay=0.02,
        startup=context.startup,
        shutdown=context.shutdown,
    )
