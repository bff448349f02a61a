"""The matcher through the real worker: arq in burst mode on Redis, committed data in PostgreSQL."""

import asyncio
import time
import uuid
from decimal import Decimal
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from arq import ArqRedis
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.matcher import repository
from services.matcher.jobs.schedule import learn_weights, sweep_runs
from services.matcher.learning import learn
from services.matcher.pipeline.model import DEFAULT_MODEL
from services.matcher.runs import execute_run, write_run
from services.matcher.worker import spec as matcher_spec
from shared.clock import utc_now
from shared.config import Settings
from shared.db.after_commit import take_after_commit_jobs
from shared.jobs import WEBHOOKS_QUEUE, enqueue_match_run
from shared.models import (
    Commitment,
    Match,
    MatchRun,
    Program,
    ScoringModelRecord,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from shared.records.match_run import request_scoped_run
from shared.redis import create_arq_pool
from shared.worker import run_burst
from tests import factories
from tests.api.conftest import Keys, app, client, keys  # noqa: F401 - fixtures

COFFEE_ES = (
    "Crédito y asistencia técnica para pequeños productores de café en Huehuetenango; "
    "caficultores y cooperativas cafetaleras."
)


@pytest.fixture(autouse=True)
async def _clean_slate(clean_db: None, redis: aioredis.Redis) -> None:
    """Every test starts with empty tables and an empty Redis database."""


async def drain(settings: Settings, **overrides: Any) -> None:
    """Run a burst matcher worker until the queue is empty."""
    await run_burst(settings.model_copy(update=overrides), [matcher_spec()])


async def _world(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Any]:
    """Two coffee programs (one small), one unrelated; three coffee commitments and a fintech one."""
    async with sessionmaker() as session:
        usaid = await factories.create_partner(session, name="USAID")
        idb = await factories.create_partner(session, name="IDB Invest", partner_type="mdb", agency_code=None)
        coffee = await factories.create_program(
            session,
            usaid,
            name="Coffee credit",
            description="Loans and technical assistance for coffee smallholders.",
        )
        small = await factories.create_program(
            session,
            idb,
            name="Cooperative finance",
            description="Working capital for agricultural cooperatives and coffee exporters.",
            capacity_per_month=1,
        )
        payments = await factories.create_program(
            session,
            idb,
            name="Digital payments",
            description="Guarantees for fintech lenders and mobile wallets.",
            instruments=["guarantee"],
            focus_areas=["digital_financial_inclusion"],
            countries=["SV"],
            sectors=["fintech"],
        )
        businesses = [await factories.create_business(session, name=f"Finca {i}") for i in range(3)]
        commitments = [
            await factories.create_commitment(session, b, title=f"Coffee resilience {i}")
            for i, b in enumerate(businesses)
        ]
        wallet_co = await factories.create_business(session, name="Billetera SV", countries=["SV"], sectors=["fintech"])
        wallet = await factories.create_commitment(
            session,
            wallet_co,
            title="Mobile wallets for the unbanked",
            description="Digital payments for rural families in El Salvador.",
            focus_areas=["digital_financial_inclusion"],
            countries=["SV"],
        )
        await session.commit()
    return {
        "coffee": coffee,
        "small": small,
        "payments": payments,
        "commitments": commitments,
        "wallet": wallet,
    }


async def _open_matches(sessionmaker: async_sessionmaker[AsyncSession]) -> list[Match]:
    async with sessionmaker() as session:
        statement = select(Match).where(Match.status == "proposed").order_by(Match.commitment_id, Match.score.desc())
        return list((await session.scalars(statement)).all())


async def _events(sessionmaker: async_sessionmaker[AsyncSession], event_type: str) -> list[WebhookEvent]:
    async with sessionmaker() as session:
        statement = select(WebhookEvent).where(WebhookEvent.event_type == event_type)
        return list((await session.scalars(statement)).all())


async def test_api_run_through_worker_proposes_with_reasons_and_respects_capacity(
    client: httpx.AsyncClient,  # noqa: F811
    keys: Keys,  # noqa: F811
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: aioredis.Redis,
) -> None:
    world = await _world(sessionmaker)
    queued = await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)
    assert queued.status_code == 202
    await drain(settings)

    run = (await client.get(f"/v1/match-runs/{queued.json()['id']}", headers=keys.coordinator)).json()
    assert run["status"] == "succeeded", run
    assert run["model_version"] == DEFAULT_MODEL.version
    assert run["attempts"] == 1
    assert run["duration_ms"] >= 0
    assert run["counts"]["commitments"] == 4
    assert run["counts"]["programs"] == 3
    assert run["counts"]["superseded"] == 0

    listed = (await client.get("/v1/matches", params={"run_id": run["id"]}, headers=keys.coordinator)).json()
    matches = listed["items"]
    assert len(matches) == run["counts"]["proposed"]
    per_program: dict[str, int] = {}
    for m in matches:
        per_program[m["program_id"]] = per_program.get(m["program_id"], 0) + 1
        assert m["status"] == "proposed"
        assert m["reasons"] and all(isinstance(r, str) and r for r in m["reasons"])
        assert set(m["components"]) >= {"focus", "geography", "text"}
        assert all(0.0 <= v <= 1.0 for v in m["components"].values())
        assert 0.0 < m["score"] <= 1.0
    assert per_program[str(world["small"].id)] == 1  # capacity_per_month = 1
    assert per_program[str(world["coffee"].id)] == 3
    wallet_matches = [m["program_id"] for m in matches if m["commitment_id"] == str(world["wallet"].id)]
    assert wallet_matches == [str(world["payments"].id)]
    assert len(await _events(sessionmaker, "match.proposed")) == len(matches)
    completed = await _events(sessionmaker, "match_run.completed")
    assert [e.payload["status"] for e in completed] == ["succeeded"]
    assert completed[0].payload["run_id"] == run["id"]


async def test_same_run_twice_changes_nothing_and_declined_stays_declined(
    client: httpx.AsyncClient,  # noqa: F811
    keys: Keys,  # noqa: F811
    settings: Settings,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: aioredis.Redis,
) -> None:
    world = await _world(sessionmaker)
    await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)
    await drain(settings)
    first = {(m.id, m.version) for m in await _open_matches(sessionmaker)}

    second = (await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)).json()
    await drain(settings)
    assert {(m.id, m.version) for m in await _open_matches(sessionmaker)} == first
    run = (await client.get(f"/v1/match-runs/{second['id']}", headers=keys.admin)).json()
    assert (run["counts"]["proposed"], run["counts"]["superseded"], run["counts"]["kept"]) == (
        0,
        0,
        len(first),
    )

    target = next(m for m in await _open_matches(sessionmaker) if m.program_id == world["coffee"].id)
    declined = await client.post(
        f"/v1/matches/{target.id}/decisions",
        json={"action": "decline", "reason": "Already financed"},
        headers=keys.coordinator,
    )
    assert declined.status_code == 200
    await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)
    await drain(settings)
    async with sessionmaker() as session:
        pair = (Match.commitment_id == target.commitment_id) & (Match.program_id == target.program_id)
        statuses = (await session.scalars(select(Match.status).where(pair))).all()
        assert statuses == ["declined"]
        # the declined match itself was not touched by the runs
        assert (await session.get(Match, target.id)).version == 2  # type: ignore[union-attr]

        # a material change to the commitment: the pair may be proposed again
        commitment = await session.get(Commitment, target.commitment_id)
        assert commitment is not None
        commitment.amount_usd = Decimal("2500000")
        await request_scoped_run(session, commitment_ids=[commitment.id])
        await session.commit()
    await client.post("/v1/match-runs", json={"commitment_ids": [str(target.commitment_id)]}, headers=keys.admin)
    await drain(settings)
    async with sessionmaker() as session:
        statuses = sorted((await session.scalars(select(Match.status).where(pair))).all())
    assert statuses == ["declined", "proposed"]


async def test_scoped_trigger_on_update_replaces_only_that_commitments_proposals(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    world = await _world(sessionmaker)
    async with sessionmaker() as session:
        session.add(MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued"))
        await session.commit()
        run_id = (await session.scalars(select(MatchRun.id))).one()
    await execute_run(await _engine(sessionmaker), settings, run_id)
    before = {m.id: m for m in await _open_matches(sessionmaker)}
    changed = world["commitments"][0]

    pool = await create_arq_pool(settings)
    try:
        async with sessionmaker() as session:
            commitment = await session.get(Commitment, changed.id)
            assert commitment is not None
            commitment.description = "Solar irrigation pumps for coffee farms"
            commitment.needs = ["financing", "technical_assistance"]
            scoped = await request_scoped_run(session, commitment_ids=[commitment.id])
            # a second change in the same window folds into the same queued run
            again = await request_scoped_run(session, commitment_ids=[world["wallet"].id])
            assert again.id == scoped.id
            await session.commit()
            jobs = take_after_commit_jobs(session)
        assert len(jobs) == 1
        for job in jobs:
            await job(pool)
    finally:
        await pool.aclose()
    await drain(settings)

    after = {m.id: m for m in await _open_matches(sessionmaker)}
    async with sessionmaker() as session:
        scoped_run = await session.get(MatchRun, scoped.id)
    assert scoped_run is not None and scoped_run.status == "succeeded"
    assert scoped_run.scope == {
        "commitment_ids": [str(changed.id), str(world["wallet"].id)],
        "program_ids": [],
    }
    untouched = {i: (m.version, m.run_id) for i, m in before.items() if m.commitment_id not in {changed.id}}
    assert {i: (m.version, m.run_id) for i, m in after.items() if m.commitment_id != changed.id} == untouched
    new_for_changed = [m for m in after.values() if m.commitment_id == changed.id]
    assert new_for_changed and all(m.run_id == scoped.id for m in new_for_changed)
    async with sessionmaker() as session:
        superseded = (await session.scalars(select(Match).where(Match.status == "superseded"))).all()
    assert {m.commitment_id for m in superseded} == {changed.id}
    assert scoped_run.counts["superseded"] == len(superseded)


async def test_program_change_rescores_the_commitments_it_reaches(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    world = await _world(sessionmaker)
    async with sessionmaker() as session:
        full = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add(full)
        await session.commit()
    await execute_run(await _engine(sessionmaker), settings, full.id)
    assert any(m.program_id == world["coffee"].id for m in await _open_matches(sessionmaker))
    async with sessionmaker() as session:
        program = await session.get(Program, world["coffee"].id)
        assert program is not None
        program.active = False
        run = await request_scoped_run(session, program_ids=[program.id])
        await session.commit()
    await execute_run(await _engine(sessionmaker), settings, run.id)
    async with sessionmaker() as session:
        done = await session.get(MatchRun, run.id)
    assert done is not None and done.status == "succeeded"
    assert done.counts["commitments"] == 3  # the coffee commitments the program reached; not the wallet
    assert done.counts["superseded"] == 3
    assert all(m.program_id != world["coffee"].id for m in await _open_matches(sessionmaker))


async def test_killed_mid_run_leaves_nothing_and_the_sweeper_completes_it(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    await _world(sessionmaker)
    engine = await _engine(sessionmaker)
    async with sessionmaker() as session:
        run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add(run)
        await session.commit()

    # a worker claims the run and writes everything, then dies before committing
    connection = await engine.connect()
    doomed = AsyncSession(bind=connection)
    assert await repository.try_lock_run(doomed, run.id)
    await doomed.commit()
    claimed = await repository.claim_run(doomed, run.id, utc_now())
    await doomed.commit()
    assert claimed is not None
    await repository.lock_match_writes(doomed)
    counts = await write_run(doomed, settings, claimed, DEFAULT_MODEL, utc_now())
    assert counts["proposed"] > 0

    # while it lives, another worker skips the run and the sweeper leaves it alone
    assert await execute_run(engine, settings, run.id) == "skipped: another worker holds it"
    ctx = {"settings": settings, "sessionmaker": sessionmaker, "redis": ArqRedis.from_url(settings.redis_url)}
    try:
        assert await sweep_runs(ctx) == "re-enqueued 0"
        await connection.invalidate()  # the process is killed: its connection (and lock) go away
        await doomed.close()
        async with sessionmaker() as session:
            assert await session.scalar(select(func.count()).select_from(Match)) == 0
            assert (await session.get(MatchRun, run.id)).status == "running"  # type: ignore[union-attr]
        assert await sweep_runs(ctx) == "re-enqueued 1"
    finally:
        await ctx["redis"].aclose()
    await drain(settings)
    async with sessionmaker() as session:
        finished = await session.get(MatchRun, run.id)
        assert finished is not None and finished.status == "succeeded"
        assert finished.attempts == 2
        assert finished.counts["proposed"] == counts["proposed"]
        total = await session.scalar(select(func.count()).select_from(Match))
        distinct = await session.scalar(text("SELECT count(DISTINCT (commitment_id, program_id)) FROM matches"))
    assert total == distinct == counts["proposed"]


async def test_several_workers_share_the_queue_without_doing_the_same_work(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    await _world(sessionmaker)
    pool = await create_arq_pool(settings)
    try:
        async with sessionmaker() as session:
            runs = [MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued") for _ in range(4)]
            session.add_all(runs)
            await session.commit()
        for r in runs:
            await enqueue_match_run(pool, str(r.id))
            await enqueue_match_run(pool, str(r.id))  # a repeat nudge while it waits is the same job
    finally:
        await pool.aclose()
    await asyncio.gather(run_burst(settings, [matcher_spec()]), run_burst(settings, [matcher_spec()]))
    async with sessionmaker() as session:
        finished = (await session.scalars(select(MatchRun).order_by(MatchRun.finished_at))).all()
        open_pairs = await session.scalar(
            text("SELECT count(*) - count(DISTINCT (commitment_id, program_id)) FROM matches WHERE status = 'proposed'")
        )
    assert [r.status for r in finished] == ["succeeded"] * 4
    assert [r.attempts for r in finished] == [1] * 4
    assert sum(r.counts["proposed"] for r in finished) == finished[0].counts["proposed"]
    assert open_pairs == 0


async def test_bilingual_pairs_are_found(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    async with sessionmaker() as session:
        partner = await factories.create_partner(session)
        common: dict[str, Any] = {
            "instruments": ["loan"],
            "focus_areas": ["food_security_agriculture"],
            "sectors": [],
        }
        coffee = await factories.create_program(
            session,
            partner,
            name="Smallholder coffee finance",
            description="Credit and technical assistance for small coffee producers and their cooperatives.",
            **common,
        )
        await factories.create_program(
            session,
            partner,
            name="Cybersecurity for banks",
            description="Software audits and cloud security for financial institutions.",
            **common,
        )
        business = await factories.create_business(session, name="Cooperativa Cafetalera", sectors=[])
        commitment = await factories.create_commitment(
            session, business, title="Café sostenible", description=COFFEE_ES
        )
        run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add(run)
        await session.commit()
    await execute_run(await _engine(sessionmaker), settings.model_copy(update={"matcher_top_k": 1}), run.id)
    matches = await _open_matches(sessionmaker)
    assert [(m.commitment_id, m.program_id) for m in matches] == [(commitment.id, coffee.id)]
    assert matches[0].components["text"] > 0


async def test_learning_from_decisions_stores_a_not_worse_model(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        partner = await factories.create_partner(session)
        program = await factories.create_program(session, partner)
        business = await factories.create_business(session)
        for i in range(60):
            commitment = await factories.create_commitment(session, business, title=f"C{i}")
            taken = i % 2 == 0
            text_value = 0.8 if taken else 0.1
            await factories.create_match(
                session,
                commitment,
                program,
                status="approved" if taken else "declined",
                components={
                    "focus": 1.0,
                    "geography": 0.5,
                    "need_instrument": 1.0,
                    "ticket_fit": 1.0,
                    "text": text_value + (i % 7) / 100,
                    "sector": 0.5,
                    "inclusion": 0.5,
                    "partner_history": 0.5,
                },
            )
        await session.commit()
    learn_settings = settings.model_copy(update={"matcher_min_decisions_to_learn": 30})
    async with sessionmaker() as session:
        preview = await learn(session, learn_settings, apply=False)
    assert preview.report is not None and preview.report.n_decisions == 60
    assert "held-out" in str(preview)

    note = await learn_weights({"settings": learn_settings, "sessionmaker": sessionmaker})
    async with sessionmaker() as session:
        stored = (await session.scalars(select(ScoringModelRecord))).all()
    assert [s.active for s in stored] == [True]
    assert note == f"stored and activated {stored[0].model_version}"
    assert stored[0].evaluation["n_decisions"] == 60
    assert stored[0].evaluation["candidate"]["log_loss"] <= stored[0].evaluation["previous"]["log_loss"]
    again = await learn_weights({"settings": learn_settings, "sessionmaker": sessionmaker})
    assert again == "the active model was already fitted on these 60 decisions"

    too_few = settings.model_copy(update={"matcher_min_decisions_to_learn": 100})
    async with sessionmaker() as session:
        assert (await learn(session, too_few, apply=True)).note == "60 decisions so far; learning starts at 100"


async def _engine(sessionmaker: async_sessionmaker[AsyncSession]) -> AsyncEngine:
    bind: AsyncEngine = sessionmaker.kw["bind"]
    return bind


async def test_a_runs_events_leave_by_the_outbox_at_commit_and_nudge_the_webhooks_worker(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], redis: aioredis.Redis
) -> None:
    """No sweeper involved: a run's events get their deliveries in its transaction, and a nudge after it."""
    await _world(sessionmaker)
    async with sessionmaker() as session:
        endpoint = WebhookEndpoint(
            id=uuid.uuid4(), url="http://127.0.0.1:9/hook", secret="whsec_x", event_types=["match.proposed"]
        )
        everything = WebhookEndpoint(id=uuid.uuid4(), url="http://127.0.0.1:9/all", secret="whsec_y", event_types=[])
        run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add_all([endpoint, everything, run])
        await session.commit()
    pool = await create_arq_pool(settings)
    try:
        outcome = await execute_run(await _engine(sessionmaker), settings, run.id, pool)
    finally:
        await pool.aclose()
    assert outcome.startswith("succeeded")
    proposed = await _events(sessionmaker, "match.proposed")
    completed = await _events(sessionmaker, "match_run.completed")
    assert proposed and len(completed) == 1
    assert all(e.fanned_out for e in [*proposed, *completed])
    async with sessionmaker() as session:
        rows = (await session.execute(select(WebhookDelivery.endpoint_id, WebhookDelivery.event_id))).all()
    expected = {(endpoint.id, e.id) for e in proposed} | {(everything.id, e.id) for e in [*proposed, *completed]}
    assert set(rows) == expected and len(rows) == len(expected)
    queued = await redis.zrange(WEBHOOKS_QUEUE, 0, -1)
    assert queued, "the webhooks worker was not nudged after the commit"


async def test_scoring_runs_off_the_event_loop(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long scoring call leaves the worker's loop free for Redis, health checks and other jobs."""
    from services.matcher import runs
    from services.matcher.pipeline import engine as scoring

    shortlist = scoring.shortlist

    def slow_shortlist(*args: Any, **kwargs: Any) -> Any:
        ends = time.perf_counter() + 1.0  # a second of CPU, as a large run's scoring takes
        while time.perf_counter() < ends:
            sum(range(1000))
        return shortlist(*args, **kwargs)

    monkeypatch.setattr(runs.scoring, "shortlist", slow_shortlist)
    await _world(sessionmaker)
    async with sessionmaker() as session:
        run = MatchRun(id=uuid.uuid4(), scope={"all": True}, trigger="api", status="queued")
        session.add(run)
        await session.commit()
    gaps: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    try:
        outcome = await execute_run(await _engine(sessionmaker), settings, run.id)
    finally:
        done.set()
        await ticking
    assert outcome.startswith("succeeded")
    assert max(gaps) < 0.5, f"the event loop stood still for {max(gaps):.2f} s"
