"""Work to do once the current transaction has committed (enqueue a job, nudge a delivery).

Jobs queued here run only after a successful commit, so a worker never sees a change that
was rolled back; if sending them fails, the database row stays the source of truth and the
worker's sweepers pick it up.
"""

from collections.abc import Awaitable, Callable

import structlog
from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

AfterCommitJob = Callable[[ArqRedis], Awaitable[None]]
AFTER_COMMIT_KEY = "after_commit"


def after_commit(session: AsyncSession, job: AfterCommitJob) -> None:
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(job)


def take_after_commit_jobs(session: AsyncSession) -> list[AfterCommitJob]:
    jobs: list[AfterCommitJob] = session.info.pop(AFTER_COMMIT_KEY, [])
    return jobs


async def send_after_commit_jobs(session: AsyncSession, redis: ArqRedis | None) -> int:
    """Send the committed transaction's jobs; a failure is logged and left to the sweepers.

    Without Redis at hand (a one-off command) the jobs are dropped: the sweepers find the rows.
    Returns how many were sent.
    """
    jobs = take_after_commit_jobs(session)
    if redis is None:
        return 0
    sent = 0
    for job in jobs:
        try:
            await job(redis)
            sent += 1
        except Exception:  # the committed rows are the truth; a sweeper sends it later
            structlog.get_logger(__name__).warning("after-commit job failed; a sweeper will retry", exc_info=True)
    return sent
