"""Work to do once the current transaction has committed (enqueue a job, nudge a delivery).

Jobs queued here run only after a successful commit, so a worker never sees a change that
was rolled back; if sending them fails, the database row stays the source of truth and the
worker's sweepers pick it up.
"""

from collections.abc import Awaitable, Callable

from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

AfterCommitJob = Callable[[ArqRedis], Awaitable[None]]
AFTER_COMMIT_KEY = "after_commit"


def after_commit(session: AsyncSession, job: AfterCommitJob) -> None:
    session.info.setdefault(AFTER_COMMIT_KEY, []).append(job)


def take_after_commit_jobs(session: AsyncSession) -> list[AfterCommitJob]:
    jobs: list[AfterCommitJob] = session.info.pop(AFTER_COMMIT_KEY, [])
    return jobs
