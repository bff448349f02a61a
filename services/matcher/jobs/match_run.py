"""run_matches(ctx, run_id): the arq entry point of a match run (services.matcher.runs does the work)."""

import uuid
from typing import Any

from services.matcher.runs import execute_run
from shared.worker import context


async def run_matches(ctx: dict[str, Any], run_id: str) -> str:
    """Ids in, a one-line outcome out (kept as the job's result)."""
    worker = context(ctx)
    return await execute_run(worker["engine"], worker["settings"], uuid.UUID(run_id), worker["redis"])
