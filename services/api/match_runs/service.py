"""Match runs: create one queued and nudge the worker after the commit; read them back."""

import uuid

from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.match_runs import repository
from services.api.match_runs.schemas import MatchRunCreate
from shared.actor import Actor
from shared.db.after_commit import after_commit
from shared.db.repository import get_visible
from shared.enums import RunStatus
from shared.errors import NotFound
from shared.jobs import enqueue_match_run
from shared.models import MatchRun


async def request_run(session: AsyncSession, data: MatchRunCreate, actor: Actor) -> MatchRun:
    """A queued run; the worker is nudged only once the row is committed (the row is the truth:
    if the nudge is lost, the worker's sweeper finds the run still queued and enqueues it)."""
    missing = [
        *(f"commitment {i}" for i in await repository.missing_commitments(session, data.commitment_ids)),
        *(f"program {i}" for i in await repository.missing_programs(session, data.program_ids)),
    ]
    if missing:
        raise NotFound(f"{', '.join(missing)} does not exist", extra={"missing": missing})
    run = MatchRun(
        id=uuid.uuid4(),
        scope=data.scope_document(),
        trigger="api",
        status=RunStatus.QUEUED.value,
        requested_by=actor.label or actor.role.value,
    )
    session.add(run)
    await session.flush()
    run_id = str(run.id)

    async def enqueue(redis: ArqRedis) -> None:
        await enqueue_match_run(redis, run_id)

    after_commit(session, enqueue)
    return run


async def get_run(session: AsyncSession, run_id: uuid.UUID) -> MatchRun:
    return await get_visible(session, MatchRun, run_id, label="match run")
