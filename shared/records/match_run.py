"""Match runs requested by changes: a commitment or program edit asks for a scoped run.

Requests that arrive while a change-triggered run is still queued fold into it (a debounce
held in the database, not in memory), and the job is enqueued only after the commit.
"""

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.config import get_settings
from shared.db.after_commit import after_commit
from shared.enums import RunStatus
from shared.jobs import enqueue_match_run
from shared.models import MatchRun


def _merge(scope: dict[str, Any], key: str, ids: Iterable[uuid.UUID]) -> dict[str, Any]:
    merged = list(dict.fromkeys([*scope.get(key, []), *(str(i) for i in ids)]))
    return {**scope, key: merged}


async def request_scoped_run(
    session: AsyncSession,
    *,
    commitment_ids: Iterable[uuid.UUID] = (),
    program_ids: Iterable[uuid.UUID] = (),
    requested_by: str | None = None,
) -> MatchRun:
    commitment_ids, program_ids = list(commitment_ids), list(program_ids)
    pending = await session.scalar(
        select(MatchRun)
        .where(MatchRun.status == RunStatus.QUEUED.value, MatchRun.trigger == "change")
        .order_by(MatchRun.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if pending is not None:
        scope = _merge(pending.scope, "commitment_ids", commitment_ids)
        pending.scope = _merge(scope, "program_ids", program_ids)
        await session.flush()
        return pending
    run = MatchRun(
        id=uuid.uuid4(),
        scope=_merge(_merge({}, "commitment_ids", commitment_ids), "program_ids", program_ids),
        trigger="change",
        status=RunStatus.QUEUED.value,
        requested_by=requested_by,
    )
    session.add(run)
    await session.flush()
    run_id = str(run.id)
    delay = get_settings().matcher_debounce_seconds

    async def enqueue(redis: Any) -> None:
        await enqueue_match_run(redis, run_id, defer_seconds=delay)

    after_commit(session, enqueue)
    return run
