"""HTTP contract of /v1/match-runs: 202 + queued row + job enqueued after commit, reads, roles, bad input."""

import uuid

import httpx
import redis.asyncio as aioredis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.jobs import MATCHER_QUEUE
from shared.models import MatchRun, Partner
from tests import factories
from tests.api.conftest import Keys, assert_problem


async def _queued_job_ids(redis: aioredis.Redis) -> list[str]:
    return [j.decode() for j in await redis.zrange(MATCHER_QUEUE, 0, -1)]


async def test_full_run_is_queued_and_enqueued(client: httpx.AsyncClient, keys: Keys, redis: aioredis.Redis) -> None:
    response = await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)
    assert response.status_code == 202, response.text
    body = response.json()
    assert body["scope"] == {"all": True}
    assert body["status"] == "queued"
    assert body["trigger"] == "api"
    assert body["counts"] == {}
    assert body["started_at"] is None
    assert body["version"] == 1
    assert response.headers["location"] == f"/v1/match-runs/{body['id']}"
    assert await _queued_job_ids(redis) == [f"match-run:{body['id']}"]

    read = await client.get(f"/v1/match-runs/{body['id']}", headers=keys.admin)
    assert read.status_code == 200
    assert read.json() == body
    assert read.headers["etag"] == '"1"'


async def test_scoped_run_names_its_records(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: aioredis.Redis,
) -> None:
    async with sessionmaker() as session:
        business = await factories.create_business(session, name="Scoped Co")
        commitment = await factories.create_commitment(session, business)
        partner = await session.get(Partner, keys.partner.id)
        assert partner is not None
        program = await factories.create_program(session, partner)
        await session.commit()
    payload = {"commitment_ids": [str(commitment.id), str(commitment.id)], "program_ids": [str(program.id)]}
    response = await client.post("/v1/match-runs", json=payload, headers=keys.admin)
    assert response.status_code == 202, response.text
    assert response.json()["scope"] == {
        "commitment_ids": [str(commitment.id)],
        "program_ids": [str(program.id)],
    }
    only_programs = await client.post("/v1/match-runs", json={"program_ids": [str(program.id)]}, headers=keys.admin)
    assert only_programs.json()["scope"] == {"commitment_ids": [], "program_ids": [str(program.id)]}
    assert len(await _queued_job_ids(redis)) == 2


async def test_unknown_ids_answer_404_and_create_nothing(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: aioredis.Redis,
) -> None:
    ghost = uuid.uuid4()
    response = await client.post("/v1/match-runs", json={"commitment_ids": [str(ghost)]}, headers=keys.admin)
    body = assert_problem(response, 404)
    assert body["missing"] == [f"commitment {ghost}"]
    ghost_program = await client.post("/v1/match-runs", json={"program_ids": [str(ghost)]}, headers=keys.admin)
    assert_problem(ghost_program, 404)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(MatchRun)) == 0
    assert await _queued_job_ids(redis) == []


async def test_bad_bodies_answer_422(client: httpx.AsyncClient, keys: Keys) -> None:
    some_id = str(uuid.uuid4())
    for payload in (
        {},
        {"scope": "some"},
        {"scope": "all", "commitment_ids": [some_id]},
        {"commitment_ids": [], "program_ids": []},
        {"commitment_ids": ["not-a-uuid"]},
        {"commitment_ids": some_id},
        {"scope": "all", "colour": "blue"},
        {"scope": 3},
    ):
        assert_problem(await client.post("/v1/match-runs", json=payload, headers=keys.admin), 422)
    assert_problem(
        await client.post("/v1/match-runs", content=b"[", headers={**keys.admin, "Content-Type": "application/json"}),
        422,
    )


async def test_only_coordinators_and_admins(client: httpx.AsyncClient, keys: Keys) -> None:
    for headers in (keys.partner.headers, keys.business.headers, keys.viewer, keys.integrator):
        assert_problem(await client.post("/v1/match-runs", json={"scope": "all"}, headers=headers), 403)
        assert_problem(await client.get("/v1/match-runs", headers=headers), 403)
    assert_problem(await client.post("/v1/match-runs", json={"scope": "all"}), 401)
    created = (await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.coordinator)).json()
    assert_problem(await client.get(f"/v1/match-runs/{created['id']}", headers=keys.partner.headers), 403)


async def test_read_unknown_and_malformed_ids(client: httpx.AsyncClient, keys: Keys) -> None:
    assert_problem(await client.get(f"/v1/match-runs/{uuid.uuid4()}", headers=keys.admin), 404)
    assert_problem(await client.get("/v1/match-runs/nope", headers=keys.admin), 422)


async def test_list_newest_first_with_filters_and_paging(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    ids = [
        (await client.post("/v1/match-runs", json={"scope": "all"}, headers=keys.admin)).json()["id"] for _ in range(3)
    ]
    async with sessionmaker() as session:
        done = await factories.create_match_run(session, status="succeeded", trigger="schedule")
        await session.commit()
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/match-runs", params=params, headers=keys.admin)).json()
        seen += [r["id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [str(done.id), *reversed(ids)]
    queued = (await client.get("/v1/match-runs", params={"status": "queued"}, headers=keys.admin)).json()
    assert [r["id"] for r in queued["items"]] == list(reversed(ids))
    scheduled = (await client.get("/v1/match-runs", params={"trigger": "schedule"}, headers=keys.admin)).json()
    assert [r["id"] for r in scheduled["items"]] == [str(done.id)]
    assert_problem(await client.get("/v1/match-runs", params={"status": "paused"}, headers=keys.admin), 422)
    assert_problem(await client.get("/v1/match-runs", params={"cursor": "zzz"}, headers=keys.admin), 422)
    assert_problem(await client.get("/v1/match-runs", params={"limit": 0}, headers=keys.admin), 422)


async def test_idempotent_request_creates_one_run(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: aioredis.Redis,
) -> None:
    headers = {**keys.coordinator, "Idempotency-Key": "nightly-2025-01-01"}
    first = await client.post("/v1/match-runs", json={"scope": "all"}, headers=headers)
    second = await client.post("/v1/match-runs", json={"scope": "all"}, headers=headers)
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(MatchRun)) == 1
    assert len(await _queued_job_ids(redis)) == 1
