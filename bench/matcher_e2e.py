"""Matcher end to end: a full run (read, score, assign, write) at 10,000 commitments x 2,000 programs,
and the latency from a commitment's change to its new proposals through the real worker process.

Each figure is printed beside a baseline from the same run: a plain SELECT of the same rows, and the
engine alone on rows already in memory. Loopback only, one throwaway database, a Redis database of
its own (PUENTE_BENCH_REDIS_DB, default 14), bounded sample counts.
Targets: full run < 30 s on two cores; scoped run p50 < 300 ms from commit to proposals written
(debounce included).
"""

import asyncio
import os
import statistics
import sys
import time
import uuid
from typing import Any

from sqlalchemy import text

from bench.harness import fresh_database, services, table
from bench.synthetic import generate
from services.matcher import repository
from services.matcher.jobs.match_run import execute_run
from services.matcher.pipeline import engine as scoring
from services.matcher.pipeline.model import DEFAULT_MODEL
from shared.clock import utc_now
from shared.config import Settings, get_settings
from shared.db.after_commit import take_after_commit_jobs
from shared.db.engine import create_engine, create_sessionmaker
from shared.models import Commitment, MatchRun
from shared.records.match_run import request_scoped_run
from shared.redis import create_arq_pool, with_database

N_COMMITMENTS = int(os.environ.get("BENCH_COMMITMENTS", "10000"))
N_PROGRAMS = int(os.environ.get("BENCH_PROGRAMS", "2000"))
SCOPED_SAMPLES = int(os.environ.get("BENCH_SCOPED_SAMPLES", "15"))
REDIS_DB = int(os.environ.get("PUENTE_BENCH_REDIS_DB", "14"))
#: The scoped-run latency includes the debounce window a change waits before its run starts: the
#: configured default unless BENCH_DEBOUNCE says otherwise (BENCH_DEBOUNCE=0 measures the work alone).
DEBOUNCE = float(os.environ.get("BENCH_DEBOUNCE", Settings.model_fields["matcher_debounce_seconds"].default))


async def _seed(settings: Settings) -> None:
    """Businesses, partners, programs and commitments from the engine's seeded synthetic generator."""
    data = generate(N_COMMITMENTS, N_PROGRAMS, with_truth=False)
    partners = sorted({p.partner_name for p in data.programs})
    partner_ids = {name: str(uuid.uuid4()) for name in partners}
    engine = create_engine(settings, "bench-seed")
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    """INSERT INTO partners
                           (id, name, partner_type, countries, version, created_at, updated_at)
                       SELECT id, name, 'us_agency', ARRAY['GT','SV','HN'], 1, now(), now()
                       FROM unnest(CAST(:ids AS uuid[]), CAST(:names AS text[])) AS u(id, name)"""
                ),
                {"ids": list(partner_ids.values()), "names": partners},
            )
            p = data.programs
            await connection.execute(
                text(
                    """INSERT INTO programs (id, partner_id, name, description, instruments, focus_areas,
                           countries, sectors, min_ticket_usd, max_ticket_usd, eligible_sizes,
                           capacity_per_month, active,
                           version, created_at, updated_at)
                       SELECT gen_random_uuid(), partner_id, 'Program ' || n, description,
                              string_to_array(instruments, ','), string_to_array(focus, ','),
                              string_to_array(countries, ','), string_to_array(sectors, ','), lo, hi,
                              string_to_array(sizes, ','), capacity, active, 1, now(), now()
                       FROM unnest(CAST(:partner AS uuid[]), CAST(:n AS int[]), CAST(:description AS text[]),
                                   CAST(:instruments AS text[]), CAST(:focus AS text[]),
                                   CAST(:countries AS text[]),
                                   CAST(:sectors AS text[]), CAST(:lo AS numeric[]), CAST(:hi AS numeric[]),
                                   CAST(:sizes AS text[]), CAST(:capacity AS int[]), CAST(:active AS bool[]))
                            AS u(partner_id, n, description, instruments, focus, countries, sectors, lo, hi,
                                 sizes, capacity, active)"""
                ),
                {
                    "partner": [partner_ids[r.partner_name] for r in p],
                    "n": list(range(len(p))),
                    "description": [r.text for r in p],
                    "instruments": [",".join(r.instruments) for r in p],
                    "focus": [",".join(r.focus_areas) for r in p],
                    "countries": [",".join(r.countries) for r in p],
                    "sectors": [",".join(r.sectors) for r in p],
                    "lo": [r.min_ticket_usd for r in p],
                    "hi": [r.max_ticket_usd for r in p],
                    "sizes": [",".join(r.eligible_sizes) for r in p],
                    "capacity": [r.capacity_remaining for r in p],
                    "active": [r.active for r in p],
                },
            )
            c = data.commitments
            business_ids = [str(uuid.uuid4()) for _ in c]
            await connection.execute(
                text(
                    """INSERT INTO businesses (id, name, hq_country, countries, sectors, size, women_led,
                           indigenous_led, aliases, version, created_at, updated_at)
                       SELECT id, 'Business ' || n, hq, string_to_array(countries, ','),
                              string_to_array(sectors, ','), size, women, indigenous, '{}', 1, now(), now()
                       FROM unnest(CAST(:ids AS uuid[]), CAST(:n AS int[]), CAST(:hq AS text[]),
                                   CAST(:countries AS text[]), CAST(:sectors AS text[]),
                                   CAST(:size AS text[]),
                                   CAST(:women AS bool[]), CAST(:indigenous AS bool[]))
                            AS u(id, n, hq, countries, sectors, size, women, indigenous)"""
                ),
                {
                    "ids": business_ids,
                    "n": list(range(len(c))),
                    "hq": [r.business_hq_country for r in c],
                    "countries": [",".join(r.countries) for r in c],
                    "sectors": [",".join(r.business_sectors) for r in c],
                    "size": [r.business_size for r in c],
                    "women": [r.women_led for r in c],
                    "indigenous": [r.indigenous_led for r in c],
                },
            )
            await connection.execute(
                text(
                    """INSERT INTO commitments (id, business_id, title, description, focus_areas, countries,
                           amount_usd, needs, status, targets, baselines, version, created_at, updated_at)
                       SELECT gen_random_uuid(), business_id, 'Commitment ' || n, description,
                              string_to_array(focus, ','), string_to_array(countries, ','), amount,
                              string_to_array(needs, ','), 'in_progress', '{}', '{}', 1, now(), now()
                       FROM unnest(CAST(:business AS uuid[]), CAST(:n AS int[]), CAST(:description AS text[]),
                                   CAST(:focus AS text[]), CAST(:countries AS text[]),
                                   CAST(:amount AS numeric[]),
                                   CAST(:needs AS text[]))
                            AS u(business_id, n, description, focus, countries, amount, needs)"""
                ),
                {
                    "business": business_ids,
                    "n": list(range(len(c))),
                    "description": [r.text for r in c],
                    "focus": [",".join(r.focus_areas) for r in c],
                    "countries": [",".join(r.countries) for r in c],
                    "amount": [r.amount_usd for r in c],
                    "needs": [",".join(r.needs) for r in c],
                },
            )
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def _baselines(settings: Settings) -> dict[str, float]:
    """A plain SELECT of the same rows, then the repository's chunked reads, then the engine alone."""
    engine = create_engine(settings, "bench")
    try:
        started = time.perf_counter()
        async with engine.connect() as connection:
            await connection.execute(
                text("SELECT c.*, b.size, b.sectors FROM commitments c JOIN businesses b ON b.id = c.business_id")
            )
            await connection.execute(
                text("SELECT p.*, pa.name FROM programs p JOIN partners pa ON pa.id = p.partner_id")
            )
        plain = time.perf_counter() - started
        async with create_sessionmaker(engine)() as session:
            started = time.perf_counter()
            commitments = await repository.load_commitments(session, ids=None, chunk_size=settings.matcher_chunk_size)
            programs = await repository.load_programs(
                session,
                ids=None,
                recomputed=None,
                now=utc_now(),
                chunk_size=settings.matcher_chunk_size,
            )
            read = time.perf_counter() - started
        started = time.perf_counter()
        proposals = scoring.score(
            commitments,
            programs.rows,
            DEFAULT_MODEL,
            top_k=settings.matcher_top_k,
            candidates_per_commitment=settings.matcher_candidates_per_commitment,
            chunk_size=settings.matcher_chunk_size,
        )
        engine_only = time.perf_counter() - started
        return {
            "plain_select": plain,
            "repository_read": read,
            "engine_only": engine_only,
            "engine_chosen": float(proposals.chosen),
        }
    finally:
        await engine.dispose()


async def _full_run(settings: Settings) -> tuple[float, dict[str, Any]]:
    engine = create_engine(settings, "bench")
    try:
        async with create_sessionmaker(engine)() as session:
            run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="bench", status="queued")
            session.add(run)
            await session.commit()
        started = time.perf_counter()
        outcome = await execute_run(engine, settings, run.id)
        elapsed = time.perf_counter() - started
        async with create_sessionmaker(engine)() as session:
            done = await session.get(MatchRun, run.id)
            assert done is not None and done.status == "succeeded", outcome
            return elapsed, dict(done.counts)
    finally:
        await engine.dispose()


async def _scoped_latencies(settings: Settings) -> list[float]:
    """Change one commitment, commit (which enqueues the scoped run), wait for its proposals."""
    engine = create_engine(settings, "bench")
    pool = await create_arq_pool(settings)
    latencies: list[float] = []
    try:
        maker = create_sessionmaker(engine)
        async with maker() as session:
            ids = list(
                (
                    await session.scalars(
                        text("SELECT id FROM commitments ORDER BY id LIMIT :n"), {"n": SCOPED_SAMPLES + 3}
                    )
                ).all()
            )
        for i, commitment_id in enumerate(ids):
            async with maker() as session:
                commitment = await session.get(Commitment, commitment_id)
                assert commitment is not None
                commitment.description = f"{commitment.description} (revision {i}: drip irrigation and solar pumps)"
                run = await request_scoped_run(session, commitment_ids=[commitment_id])
                await session.commit()
                started = time.perf_counter()
                for job in take_after_commit_jobs(session):
                    await job(pool)
            async with engine.connect() as connection:
                deadline = started + 30
                while time.perf_counter() < deadline:
                    status = await connection.scalar(
                        text("SELECT status FROM match_runs WHERE id = :id"), {"id": run.id}
                    )
                    await connection.commit()
                    if status in ("succeeded", "failed"):
                        break
                    await asyncio.sleep(0.002)
                assert status == "succeeded", status
            if i >= 3:  # the first few warm the worker (imports, pools, caches)
                latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await pool.aclose()  # type: ignore[attr-defined]  # types-redis predates aclose()
        await engine.dispose()
    return latencies


def main() -> None:
    import subprocess

    with services() as (base, _):
        assert base.redis_url
        redis_url = with_database(base.redis_url, REDIS_DB)
        with fresh_database(base, "matcher") as url:
            settings = base.model_copy(
                update={
                    "database_url": url,
                    "redis_url": redis_url,
                    "matcher_debounce_seconds": DEBOUNCE,
                    "log_json": False,
                }
            )
            os.environ["PUENTE_MATCHER_DEBOUNCE_SECONDS"] = str(DEBOUNCE)
            get_settings.cache_clear()
            started = time.perf_counter()
            asyncio.run(_seed(settings))
            print(
                f"seeded {N_COMMITMENTS} commitments x {N_PROGRAMS} programs in {time.perf_counter() - started:.1f} s"
            )
            base_figures = asyncio.run(_baselines(settings))
            full, counts = asyncio.run(_full_run(settings))
            rerun, rerun_counts = asyncio.run(_full_run(settings))
            env = {
                **os.environ,
                "DATABASE_URL": url,
                "REDIS_URL": redis_url,
                "PUENTE_LOG_LEVEL": "WARNING",
                "PUENTE_MATCHER_DEBOUNCE_SECONDS": str(DEBOUNCE),
            }
            worker = subprocess.Popen(
                [sys.executable, "-m", "services.cli.main", "worker", "--queues", "matcher"], env=env
            )
            try:
                time.sleep(2.0)
                latencies = asyncio.run(_scoped_latencies(settings))
            finally:
                worker.terminate()
                worker.wait(15)
    rows = [
        ["plain SELECT of the rows (baseline)", f"{base_figures['plain_select']:.2f} s", ""],
        ["repository chunked read", f"{base_figures['repository_read']:.2f} s", ""],
        [
            "engine only (rows in memory)",
            f"{base_figures['engine_only']:.2f} s",
            f"{int(base_figures['engine_chosen'])} chosen",
        ],
        ["full run end to end (first)", f"{full:.2f} s", f"proposed {counts['proposed']}, target < 30 s"],
        [
            "full run again (nothing changed)",
            f"{rerun:.2f} s",
            f"proposed {rerun_counts['proposed']}, kept {rerun_counts['kept']},"
            f" superseded {rerun_counts['superseded']}",
        ],
        [
            "scoped run, change → proposals p50",
            f"{statistics.median(latencies):.0f} ms",
            f"p90 {sorted(latencies)[int(0.9 * (len(latencies) - 1))]:.0f} ms,"
            f" n={len(latencies)}, debounce {DEBOUNCE * 1000:.0f} ms included, target < 300 ms",
        ],
    ]
    print(
        table(
            f"matcher end to end ({N_COMMITMENTS} x {N_PROGRAMS}, {os.cpu_count()} cpus)",
            ["what", "time", "notes"],
            rows,
        )
    )


if __name__ == "__main__":
    main()
