"""A match run: claim it, score its scope, write proposals and events in one transaction.

Several worker processes can share one Redis and one database:
- the arq job id is `match-run:{run_id}`, so a run enqueued twice while waiting runs once;
- the worker holds a session-level advisory lock on the run for the whole job, so a duplicate job
  (a sweeper's re-nudge, arq's retry) skips it, and a `running` run whose lock is free has lost its
  worker (Postgres drops the lock with the dead connection) and may be reclaimed;
- queued → running is a conditional UPDATE; everything the run writes (supersede, insert, events,
  the run's final status) is ONE transaction behind a second advisory lock that makes runs write one
  at a time: a worker killed mid-run leaves no half-written run, the rerun starts from the same
  state, and the open-pair unique index makes a duplicate proposal impossible anyway.

Scoring is CPU work: it runs in a thread (`asyncio.to_thread`), so the worker's event loop keeps
answering Redis, its health checks and its metrics port during a long run.
"""

import asyncio
import time
import uuid
from datetime import datetime
from typing import Any

import numpy as np
import structlog
from arq import ArqRedis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.matcher import metrics, repository
from services.matcher.catalogue import program_catalogue
from services.matcher.learning import current_model
from services.matcher.pipeline import engine as scoring
from services.matcher.pipeline.frames import CommitmentRow, ProgramRow
from services.matcher.pipeline.model import ScoringModel
from services.matcher.planning import Planner
from services.matcher.repository import ClaimedRun
from shared.clock import utc_now
from shared.config import Settings
from shared.db.after_commit import send_after_commit_jobs
from shared.enums import RunStatus
from shared.events import EventType, emit_many, match_proposed_data, match_run_completed_data

log = structlog.get_logger(__name__)


async def execute_run(engine: AsyncEngine, settings: Settings, run_id: uuid.UUID, redis: ArqRedis | None = None) -> str:
    """Claim and execute one run; safe to call any number of times, from any number of processes.

    With `redis`, the webhooks worker is nudged once the run's events are committed (without it,
    its sweeper finds them within seconds)."""
    async with engine.connect() as connection:
        session = AsyncSession(bind=connection, expire_on_commit=False, autoflush=False)
        try:
            locked = await repository.try_lock_run(session, run_id)
            await session.commit()
            if not locked:
                log.info("match run held by another worker; skipping", run_id=str(run_id))
                return "skipped: another worker holds it"
            try:
                return await _claimed(session, settings, run_id, redis)
            finally:
                await _release(session, run_id)
        finally:
            await session.close()


async def _release(session: AsyncSession, run_id: uuid.UUID) -> None:
    try:
        await session.rollback()
        await repository.unlock_run(session, run_id)
        await session.commit()
    except Exception:  # a broken connection released the lock already
        log.warning("could not release the run lock; the connection's end releases it", exc_info=True)


async def _claimed(session: AsyncSession, settings: Settings, run_id: uuid.UUID, redis: ArqRedis | None) -> str:
    claimed = await repository.claim_run(session, run_id, utc_now())
    await session.commit()
    if claimed is None:
        return "skipped: already finished or absent"
    started = time.perf_counter()
    try:
        await repository.lock_match_writes(session)
        model = await current_model(session)
        counts = await write_run(session, settings, claimed, model, utc_now())
        counts["seconds"] = round(time.perf_counter() - started, 3)
        finished = await repository.finish_run(
            session,
            run_id,
            status=RunStatus.SUCCEEDED,
            now=utc_now(),
            counts=counts,
            model_version=model.version,
        )
        if finished is not None:
            await emit_many(session, EventType.MATCH_RUN_COMPLETED, [match_run_completed_data(finished)])
        await session.commit()
        await send_after_commit_jobs(session, redis)
    except Exception as exc:
        await session.rollback()
        log.exception("match run failed", run_id=str(run_id))
        error = f"{type(exc).__name__}: {exc}"[:2000]
        finished = await repository.finish_run(
            session,
            run_id,
            status=RunStatus.FAILED,
            now=utc_now(),
            counts={},
            model_version=None,
            error=error,
        )
        if finished is not None:
            await emit_many(session, EventType.MATCH_RUN_COMPLETED, [match_run_completed_data(finished)])
        await session.commit()
        await send_after_commit_jobs(session, redis)
        metrics.run_finished(claimed.trigger, RunStatus.FAILED, time.perf_counter() - started, proposed=0)
        return f"failed: {error}"
    metrics.run_finished(claimed.trigger, RunStatus.SUCCEEDED, time.perf_counter() - started, int(counts["proposed"]))
    log.info("match run succeeded", run_id=str(run_id), **{k: v for k, v in counts.items() if k != "seconds"})
    return "succeeded: " + ", ".join(f"{k} {v}" for k, v in counts.items())


def _ids(values: Any) -> list[uuid.UUID]:
    return [uuid.UUID(str(v)) for v in values or ()]


async def write_run(
    session: AsyncSession, settings: Settings, claimed: ClaimedRun, model: ScoringModel, now: datetime
) -> dict[str, Any]:
    """Read the scope, score it, decide what to insert and supersede, and write it (no commit)."""
    chunk = settings.matcher_chunk_size
    scope = claimed.scope
    recomputed: list[uuid.UUID] | None
    if scope.get("all"):
        recomputed = None
    else:
        affected = set(_ids(scope.get("commitment_ids")))
        changed_programs = _ids(scope.get("program_ids"))
        if changed_programs:
            affected |= {
                uuid.UUID(i) for i in await repository.commitment_ids_with_open_matches(session, changed_programs)
            }
            everyone = await repository.load_commitments(session, ids=None, chunk_size=chunk)
            changed = await repository.load_programs(
                session, ids=changed_programs, recomputed=[], now=now, chunk_size=chunk
            )
            reached = await asyncio.to_thread(scoring_candidates, everyone, changed.rows, model)
            affected |= {uuid.UUID(i) for i in reached}
        recomputed = sorted(affected)
    commitments = await repository.load_commitments(session, ids=recomputed, chunk_size=chunk)
    catalogue = await program_catalogue(session, chunk)
    programs = catalogue.with_acceptance(await repository.partner_acceptance(session))
    known = await repository.known_matches(session, commitment_ids=recomputed)
    planner = Planner(commitments, catalogue.rows, known, settings)
    prepared = await asyncio.to_thread(scoring.prepare, commitments, programs)
    candidates = await asyncio.to_thread(
        scoring.shortlist,
        prepared,
        model,
        top_k=settings.matcher_top_k,
        candidates_per_commitment=settings.matcher_candidates_per_commitment,
        chunk_size=chunk,
        open_slots=planner.open_slots,
        excluded_pairs=planner.excluded,
    )
    # Capacity is read for the candidates' programs only (all of them in a full run): a scoped run
    # counts the open matches of its few candidate programs instead of aggregating every match.
    wanted = None if recomputed is None else [programs.ids[j] for j in candidates.programs()]
    used = await repository.program_usage(session, program_ids=wanted, recomputed=recomputed, now=now)
    capacity = catalogue.capacity_per_month - np.array([used.get(i, 0) for i in programs.ids], dtype=np.int64)
    chosen = await asyncio.to_thread(scoring.choose, prepared, candidates, model, capacity=capacity)
    plan = planner.writes(chosen, model)
    superseded = await repository.supersede(session, plan.supersede, now)
    inserted = await repository.insert_proposals(
        session, plan.insert, run_id=claimed.id, model_version=model.version, now=now
    )
    await emit_many(
        session,
        EventType.MATCH_PROPOSED,
        [
            match_proposed_data(
                match_id=match_id, commitment_id=p.commitment_id, program_id=p.program_id, partner_id=p.partner_id,
                business_id=p.business_id, score=p.score, reasons=p.reasons, run_id=claimed.id,
                model_version=model.version,
            )
            for match_id, p in inserted
        ],
    )  # fmt: skip
    return {
        **plan.engine_counts,
        "commitments": len(commitments),
        "programs": len(programs),
        "proposed": len(inserted),
        "kept": plan.kept,
        "superseded": len(superseded),
        "skipped_declined": plan.skipped_declined,
    }


def scoring_candidates(commitments: list[CommitmentRow], programs: list[ProgramRow], model: ScoringModel) -> set[str]:
    """Commitments for which one of `programs` passes the hard filters (a changed program's reach)."""
    if not commitments or not programs:
        return set()
    ok, _ = scoring.score_matrix(commitments, programs, model)
    return {commitments[i].id for i in np.flatnonzero(ok.any(axis=1))}
