"""run_matches(ctx, run_id): claim the run, score its scope, write proposals in one transaction.

Several worker processes can share one Redis and one database:
- the arq job id is `match-run:{run_id}`, so a run enqueued twice while waiting runs once;
- the worker holds a session-level advisory lock on the run for the whole job, so a duplicate job
  (a sweeper's re-nudge, arq's retry) skips it, and a `running` run whose lock is free has lost its
  worker (Postgres drops the lock with the dead connection) and may be reclaimed;
- queued → running is a conditional UPDATE; everything the run writes (supersede, insert, events,
  the run's final status) is ONE transaction behind a second advisory lock that makes runs write one
  at a time: a worker killed mid-run leaves no half-written run, the rerun starts from the same
  state, and the open-pair unique index makes a duplicate proposal impossible anyway.
"""

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import numpy as np
import structlog
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.matcher import repository
from services.matcher.context import context
from services.matcher.evaluate import current_model
from services.matcher.pipeline import engine as scoring
from services.matcher.pipeline.frames import CommitmentRow, ProgramFrame, ProgramRow
from services.matcher.pipeline.model import ScoringModel
from services.matcher.repository import ClaimedRun, KnownMatch, NewProposal
from shared.clock import utc_now
from shared.config import Settings
from shared.enums import MatchStatus, RunStatus
from shared.events import EventType

log = structlog.get_logger(__name__)

DECIDED_OPEN = frozenset({MatchStatus.APPROVED.value, MatchStatus.INTRODUCED.value})
#: Decided statuses whose pair is proposed again only once its data changed (a new fingerprint).
REPROPOSABLE_WHEN_CHANGED = frozenset({MatchStatus.DECLINED.value, MatchStatus.NO_PARTNERSHIP.value})


async def run_matches(ctx: dict[str, Any], run_id: str) -> str:
    """arq entry point: ids in, a one-line outcome out (kept as the job's result)."""
    worker = context(ctx)
    return await execute_run(worker["engine"], worker["settings"], uuid.UUID(run_id))


async def execute_run(engine: AsyncEngine, settings: Settings, run_id: uuid.UUID) -> str:
    """Claim and execute one run; safe to call any number of times, from any number of processes."""
    async with engine.connect() as connection:
        session = AsyncSession(bind=connection, expire_on_commit=False, autoflush=False)
        try:
            locked = await repository.try_lock_run(session, run_id)
            await session.commit()
            if not locked:
                log.info("match run held by another worker; skipping", run_id=str(run_id))
                return "skipped: another worker holds it"
            try:
                return await _claimed(session, settings, run_id)
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


async def _claimed(session: AsyncSession, settings: Settings, run_id: uuid.UUID) -> str:
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
            await repository.emit_many(session, EventType.MATCH_RUN_COMPLETED.value, [_run_event(finished)], utc_now())
        await session.commit()
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
            await repository.emit_many(session, EventType.MATCH_RUN_COMPLETED.value, [_run_event(finished)], utc_now())
        await session.commit()
        return f"failed: {error}"
    log.info("match run succeeded", run_id=str(run_id), **{k: v for k, v in counts.items() if k != "seconds"})
    return "succeeded: " + ", ".join(f"{k} {v}" for k, v in counts.items())


def _run_event(finished: dict[str, Any]) -> dict[str, Any]:
    return {
        "run_id": str(finished["id"]),
        "status": finished["status"],
        "scope": finished["scope"],
        "trigger": finished["trigger"],
        "counts": finished["counts"],
        "duration_ms": finished["duration_ms"],
        "model_version": finished["model_version"],
        "error": finished["error"],
    }


@dataclass
class Plan:
    """What a run decided, before it is written."""

    insert: list[NewProposal] = field(default_factory=list)
    supersede: list[uuid.UUID] = field(default_factory=list)
    kept: int = 0
    skipped_declined: int = 0
    engine_counts: dict[str, int] = field(default_factory=dict)


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
            affected |= {uuid.UUID(i) for i in scoring_candidates(everyone, changed.rows, model)}
        recomputed = sorted(affected)
    commitments = await repository.load_commitments(session, ids=recomputed, chunk_size=chunk)
    catalogue = await program_catalogue(session, chunk)
    programs = catalogue.with_acceptance(await repository.partner_acceptance(session))
    known = await repository.known_matches(session, commitment_ids=recomputed)
    planner = Planner(commitments, catalogue.rows, known, settings)
    prepared = scoring.prepare(commitments, programs)
    candidates = scoring.shortlist(
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
    plan = planner.writes(scoring.choose(prepared, candidates, model, capacity=capacity), model)
    superseded = await repository.supersede(session, plan.supersede, now)
    inserted = await repository.insert_proposals(
        session, plan.insert, run_id=claimed.id, model_version=model.version, now=now
    )
    await repository.emit_many(
        session,
        EventType.MATCH_PROPOSED.value,
        [_proposed_event(match_id, p, claimed.id, model.version) for match_id, p in inserted],
        now,
    )
    return {
        **plan.engine_counts,
        "commitments": len(commitments),
        "programs": len(programs),
        "proposed": len(inserted),
        "kept": plan.kept,
        "superseded": len(superseded),
        "skipped_declined": plan.skipped_declined,
    }


def _proposed_event(match_id: uuid.UUID, p: NewProposal, run_id: uuid.UUID, model_version: str) -> dict[str, Any]:
    return {
        "match_id": str(match_id),
        "commitment_id": p.commitment_id,
        "program_id": p.program_id,
        "partner_id": p.partner_id,
        "business_id": p.business_id,
        "score": p.score,
        "status": MatchStatus.PROPOSED.value,
        "run_id": str(run_id),
        "model_version": model_version,
        "version": 1,
        "reasons": p.reasons,
    }


class Planner:
    """The rules that always hold, around the engine's choice:
    decided matches are never touched; an open pair is never duplicated (kept when chosen again
    with the same data and model); a declined pair is proposed again only when its data changed;
    a proposal not chosen again is superseded."""

    def __init__(
        self,
        commitments: list[CommitmentRow],
        programs: repository.ProgramRows,
        known: list[KnownMatch],
        settings: Settings,
    ) -> None:
        self._program_digest = programs.digests
        self._commitment_digest = {c.id: c.fingerprint for c in commitments}
        self._business_of = {c.id: c.business_id for c in commitments}
        self.excluded: set[tuple[str, str]] = set()
        self.proposed: dict[tuple[str, str], KnownMatch] = {}
        decided_open: Counter[str] = Counter()
        for m in known:
            pair = (m.commitment_id, m.program_id)
            if m.status == MatchStatus.PROPOSED.value:
                self.proposed[pair] = m
            elif m.status in DECIDED_OPEN:
                self.excluded.add(pair)
                decided_open[m.commitment_id] += 1
            elif m.status in REPROPOSABLE_WHEN_CHANGED:
                if m.fingerprint == self.fingerprint(*pair):
                    self.excluded.add(pair)
            else:  # partnership_formed: that introduction already happened
                self.excluded.add(pair)
        self.skipped_declined = sum(
            1
            for m in known
            if m.status in REPROPOSABLE_WHEN_CHANGED and (m.commitment_id, m.program_id) in self.excluded
        )
        self.open_slots = np.array([settings.matcher_top_k - decided_open[c.id] for c in commitments], dtype=np.intp)

    def fingerprint(self, commitment_id: str, program_id: str) -> str | None:
        c_digest = self._commitment_digest.get(commitment_id)
        p_digest = self._program_digest.get(program_id)
        if c_digest is None or p_digest is None:
            return None  # the program is inactive now: nothing to re-propose anyway
        return repository.pair_fingerprint(c_digest, p_digest)

    def writes(self, chosen: scoring.Proposals, model: ScoringModel) -> Plan:
        """The engine's choice turned into inserts and supersedes."""
        plan = Plan(skipped_declined=self.skipped_declined, engine_counts=chosen.counts())
        chosen_pairs: set[tuple[str, str]] = set()
        names = chosen.component_names
        components = [[round(v, 6) for v in row] for row in chosen.component_matrix.tolist()]
        scores = [round(v, 6) for v in chosen.scores.tolist()]
        for k, pair in enumerate(zip(chosen.commitment_ids, chosen.program_ids, strict=True)):
            chosen_pairs.add(pair)
            pair_fingerprint = self.fingerprint(*pair) or ""
            existing = self.proposed.get(pair)
            if (
                existing is not None
                and existing.fingerprint == pair_fingerprint
                and existing.model_version == model.version
            ):
                plan.kept += 1
                continue
            if existing is not None:
                plan.supersede.append(existing.id)
            plan.insert.append(
                NewProposal(
                    commitment_id=pair[0],
                    program_id=pair[1],
                    partner_id=chosen.partner_ids[k],
                    business_id=self._business_of[pair[0]],
                    score=scores[k],
                    components=dict(zip(names, components[k], strict=True)),
                    reasons=chosen.reasons[k],
                    fingerprint=pair_fingerprint,
                )
            )
        plan.supersede.extend(m.id for pair, m in self.proposed.items() if pair not in chosen_pairs)
        return plan


@dataclass(frozen=True, eq=False)
class ProgramCatalogue:
    """The active programs' rows and frame, reused while `version` (repository.programs_version) holds.

    Building the frame tokenises every program text, which would dominate a scoped run; the facts
    that change from run to run (capacity left, partner acceptance) are applied per run.
    """

    version: str
    rows: repository.ProgramRows
    frame: ProgramFrame
    capacity_per_month: NDArray[np.int64]

    def with_acceptance(self, acceptance: dict[str, float]) -> ProgramFrame:
        """The frame with each program's partner acceptance (NaN without decisions)."""
        values = np.array([acceptance.get(p, np.nan) for p in self.frame.partner_ids], dtype=np.float64)
        if np.array_equal(values, self.frame.acceptance, equal_nan=True):
            return self.frame
        return replace(self.frame, acceptance=values)


_CATALOGUE: dict[str, ProgramCatalogue] = {}


async def program_catalogue(session: AsyncSession, chunk_size: int) -> ProgramCatalogue:
    """The cached catalogue when no program or partner row changed since it was read, else a new one.

    The version is read before the rows, so a catalogue is never older than its version (a write in
    between only costs one more reload). Concurrent runs of one process share it read-only.
    """
    version = await repository.programs_version(session)
    cached = _CATALOGUE.get("programs")
    if cached is not None and cached.version == version:
        return cached
    rows = await repository.load_program_catalogue(session, ids=None, chunk_size=chunk_size)
    frame = ProgramFrame.from_rows(rows.rows)
    catalogue = ProgramCatalogue(
        version=version,
        rows=rows,
        frame=frame,
        capacity_per_month=np.array([r.capacity_remaining for r in rows.rows], dtype=np.int64),
    )
    _CATALOGUE["programs"] = catalogue
    return catalogue


def scoring_candidates(commitments: list[CommitmentRow], programs: list[ProgramRow], model: ScoringModel) -> set[str]:
    """Commitments for which one of `programs` passes the hard filters (a changed program's reach)."""
    if not commitments or not programs:
        return set()
    ok, _ = scoring.score_matrix(commitments, programs, model)
    return {commitments[i].id for i in np.flatnonzero(ok.any(axis=1))}
