"""HTTP contract of /v1/matches: review (filters, sort, paging), detail, decisions with If-Match, scoping."""

import asyncio
import uuid
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import Business as BusinessModel
from shared.models import MatchDecision, Partner, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem


@dataclass
class World:
    """own_best: keys.business's commitment x keys.partner's program; the rest spread over the tenants."""

    own_best: str
    own_other_partner: str
    other_business_own_partner: str
    declined: str
    program_id: str
    other_program_id: str
    commitment_id: str
    other_commitment_id: str
    run_id: str


@pytest.fixture
async def world(keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]) -> World:
    async with sessionmaker() as session:
        partner = await session.get(Partner, keys.partner.id)
        other_partner = await session.get(Partner, keys.other_partner.id)
        business = await session.get(BusinessModel, keys.business.id)
        other_business = await session.get(BusinessModel, keys.other_business.id)
        assert partner and other_partner and business and other_business
        program = await factories.create_program(session, partner, name="Coffee credit")
        other_program = await factories.create_program(session, other_partner, name="Fintech guarantees")
        commitment = await factories.create_commitment(session, business)
        other_commitment = await factories.create_commitment(session, other_business, title="Mobile wallets")
        run = await factories.create_match_run(session, status="succeeded")
        a = await factories.create_match(session, commitment, program, score=0.9, run_id=run.id)
        b = await factories.create_match(session, commitment, other_program, score=0.7)
        c = await factories.create_match(session, other_commitment, program, score=0.5, run_id=run.id)
        d = await factories.create_match(session, other_commitment, other_program, score=0.3, status="declined")
        await session.commit()
    return World(
        own_best=str(a.id),
        own_other_partner=str(b.id),
        other_business_own_partner=str(c.id),
        declined=str(d.id),
        program_id=str(program.id),
        other_program_id=str(other_program.id),
        commitment_id=str(commitment.id),
        other_commitment_id=str(other_commitment.id),
        run_id=str(run.id),
    )


async def _ids(client: httpx.AsyncClient, headers: dict[str, str], **params: object) -> list[str]:
    response = await client.get("/v1/matches", params=params, headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    return [m["id"] for m in response.json()["items"]]


async def test_list_best_first_and_sorts(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    all_best_first = [
        world.own_best,
        world.own_other_partner,
        world.other_business_own_partner,
        world.declined,
    ]
    assert await _ids(client, keys.coordinator) == all_best_first
    assert await _ids(client, keys.coordinator, order="asc") == list(reversed(all_best_first))
    by_creation = await _ids(client, keys.coordinator, sort="created_at", order="asc")
    assert by_creation == all_best_first  # created in that order


async def test_filters(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    h = keys.coordinator
    assert await _ids(client, h, status="declined") == [world.declined]
    assert await _ids(client, h, status=["declined", "proposed"], min_score=0.6) == [
        world.own_best,
        world.own_other_partner,
    ]
    assert await _ids(client, h, partner_id=str(keys.partner.id)) == [
        world.own_best,
        world.other_business_own_partner,
    ]
    assert await _ids(client, h, business_id=str(keys.other_business.id)) == [
        world.other_business_own_partner,
        world.declined,
    ]
    assert await _ids(client, h, commitment_id=world.commitment_id) == [
        world.own_best,
        world.own_other_partner,
    ]
    assert await _ids(client, h, program_id=world.other_program_id) == [
        world.own_other_partner,
        world.declined,
    ]
    assert await _ids(client, h, run_id=world.run_id) == [world.own_best, world.other_business_own_partner]
    assert await _ids(client, h, min_score=0.95) == []
    assert await _ids(client, h, partner_id=str(uuid.uuid4())) == []


async def test_cursor_paging_over_score(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/matches", params=params, headers=keys.admin)).json()  # type: ignore[arg-type]
        seen += [m["id"] for m in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [world.own_best, world.own_other_partner, world.other_business_own_partner, world.declined]


async def test_bad_query_parameters(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    for params in (
        {"status": "maybe"},
        {"min_score": "high"},
        {"min_score": 1.5},
        {"min_score": -0.1},
        {"partner_id": "acme"},
        {"run_id": "1"},
        {"sort": "name"},
        {"order": "sideways"},
        {"cursor": "not-ours"},
        {"limit": 10_000},
    ):
        assert_problem(await client.get("/v1/matches", params=params, headers=keys.admin), 422)


async def test_detail_has_components_reasons_and_etag(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    response = await client.get(f"/v1/matches/{world.own_best}", headers=keys.coordinator)
    assert response.status_code == 200
    body = response.json()
    assert body["components"] == {"focus": 1.0, "geography": 0.5, "text": 0.4}
    assert body["reasons"] == ["Shares the focus area food_security_agriculture", "Both work in GT"]
    assert body["score"] == 0.9
    assert body["status"] == "proposed"
    assert body["partner_id"] == str(keys.partner.id)
    assert body["business_id"] == str(keys.business.id)
    assert body["run_id"] == world.run_id
    assert body["model_version"] == "test-1"
    assert body["decisions"] == []
    assert body["version"] == 1
    assert response.headers["etag"] == '"1"'
    assert_problem(await client.get(f"/v1/matches/{uuid.uuid4()}", headers=keys.admin), 404)
    assert_problem(await client.get("/v1/matches/xyz", headers=keys.admin), 422)
    assert_problem(await client.get(f"/v1/matches/{uuid.uuid4()}/decisions", headers=keys.admin), 404)


async def test_full_lifecycle_keeps_history_and_emits_events(
    client: httpx.AsyncClient, keys: Keys, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    url = f"/v1/matches/{world.own_best}/decisions"
    approved = await client.post(
        url, json={"action": "approve", "reason": "Good fit"}, headers={**keys.coordinator, "If-Match": '"1"'}
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["version"] == 2
    assert approved.headers["etag"] == '"2"'
    introduced = await client.post(url, json={"action": "introduce"}, headers={**keys.admin, "If-Match": '"2"'})
    assert introduced.json()["status"] == "introduced"
    outcome = await client.post(
        url,
        json={"action": "record_outcome", "outcome": "partnership_formed", "reason": "Loan signed"},
        headers={**keys.coordinator, "If-Match": '"3"'},
    )
    assert outcome.status_code == 200, outcome.text
    body = outcome.json()
    assert body["status"] == "partnership_formed"
    assert body["decided_at"] is not None
    assert [
        (d["action"], d["from_status"], d["to_status"], d["reason"], d["outcome"], d["actor_role"])
        for d in body["decisions"]
    ] == [
        ("approve", "proposed", "approved", "Good fit", None, "coordinator"),
        ("introduce", "approved", "introduced", None, None, "admin"),
        (
            "record_outcome",
            "introduced",
            "partnership_formed",
            "Loan signed",
            "partnership_formed",
            "coordinator",
        ),
    ]
    history = (await client.get(f"/v1/matches/{world.own_best}/decisions", headers=keys.business.headers)).json()
    assert [d["action"] for d in history["items"]] == ["approve", "introduce", "record_outcome"]
    assert history["next_cursor"] is None
    async with sessionmaker() as session:
        events = (await session.scalars(select(WebhookEvent).order_by(WebhookEvent.created_at))).all()
    assert [e.event_type for e in events] == ["match.approved", "match.introduced", "match.outcome_recorded"]
    assert events[0].payload["match_id"] == world.own_best
    assert events[0].payload["status"] == "approved"
    assert events[0].payload["reason"] == "Good fit"
    assert events[2].payload["outcome"] == "partnership_formed"
    again = await client.post(url, json={"action": "approve"}, headers=keys.coordinator)
    problem = assert_problem(again, 409)
    assert problem["status"] == 409


async def test_decision_rules(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    url = f"/v1/matches/{world.own_best}/decisions"
    no_reason = await client.post(url, json={"action": "decline"}, headers=keys.coordinator)
    assert_problem(no_reason, 422)
    blank_reason = await client.post(url, json={"action": "decline", "reason": "   "}, headers=keys.coordinator)
    assert_problem(blank_reason, 422)
    assert_problem(await client.post(url, json={"action": "introduce"}, headers=keys.coordinator), 409)
    outcome_too_soon = await client.post(
        url, json={"action": "approve", "outcome": "no_partnership"}, headers=keys.coordinator
    )
    assert_problem(outcome_too_soon, 422)
    for payload in (
        {},
        {"action": "maybe"},
        {"action": "record_outcome", "outcome": "great"},
        {"action": "approve", "reason": 3},
        {"action": "approve", "note": "x"},
        {"action": "decline", "reason": "x" * 2001},
    ):
        assert_problem(await client.post(url, json=payload, headers=keys.coordinator), 422)
    assert_problem(await client.post(url, json={"action": "approve"}, headers={**keys.admin, "If-Match": "abc"}), 422)
    stale = await client.post(url, json={"action": "approve"}, headers={**keys.admin, "If-Match": '"7"'})
    assert_problem(stale, 412)
    missing = await client.post(f"/v1/matches/{uuid.uuid4()}/decisions", json={"action": "approve"}, headers=keys.admin)
    assert_problem(missing, 404)
    declined = await client.post(
        url, json={"action": "decline", "reason": "Outside the programme's window"}, headers=keys.coordinator
    )
    assert declined.json()["status"] == "declined"
    assert_problem(await client.post(url, json={"action": "approve"}, headers=keys.coordinator), 409)
    assert_problem(
        await client.post(f"/v1/matches/{world.declined}/decisions", json={"action": "approve"}, headers=keys.admin),
        409,
    )


async def test_two_coordinators_at_once_one_wins(
    client: httpx.AsyncClient, keys: Keys, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    url = f"/v1/matches/{world.own_best}/decisions"
    approve = client.post(url, json={"action": "approve"}, headers={**keys.coordinator, "If-Match": '"1"'})
    decline = client.post(
        url, json={"action": "decline", "reason": "Duplicate"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    results = await asyncio.gather(approve, decline)
    assert sorted(r.status_code for r in results) == [200, 412]
    loser = next(r for r in results if r.status_code == 412)
    assert_problem(loser, 412)
    async with sessionmaker() as session:
        decisions = (await session.scalars(select(MatchDecision))).all()
    assert len(decisions) == 1
    final = (await client.get(f"/v1/matches/{world.own_best}", headers=keys.admin)).json()
    assert final["version"] == 2
    assert final["status"] == decisions[0].to_status


async def test_racing_without_if_match_still_decides_once(
    client: httpx.AsyncClient, keys: Keys, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    url = f"/v1/matches/{world.own_best}/decisions"
    results = await asyncio.gather(
        *(client.post(url, json={"action": "approve"}, headers=keys.coordinator) for _ in range(4))
    )
    codes = sorted(r.status_code for r in results)
    assert codes.count(200) == 1
    assert set(codes[1:]) <= {409, 412}
    async with sessionmaker() as session:
        assert len((await session.scalars(select(MatchDecision))).all()) == 1


async def test_partner_key_sees_and_declines_only_its_own(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    partner = keys.partner.headers
    assert await _ids(client, partner) == [world.own_best, world.other_business_own_partner]
    assert await _ids(client, partner, partner_id=str(keys.other_partner.id)) == []
    assert_problem(await client.get(f"/v1/matches/{world.own_other_partner}", headers=partner), 404)
    assert_problem(await client.get(f"/v1/matches/{world.own_other_partner}/decisions", headers=partner), 404)
    foreign = await client.post(
        f"/v1/matches/{world.own_other_partner}/decisions",
        json={"action": "decline", "reason": "not ours"},
        headers=partner,
    )
    assert_problem(foreign, 404)
    approve = await client.post(f"/v1/matches/{world.own_best}/decisions", json={"action": "approve"}, headers=partner)
    assert_problem(approve, 403)
    declined = await client.post(
        f"/v1/matches/{world.own_best}/decisions",
        json={"action": "decline", "reason": "Programme closed for this year"},
        headers=partner,
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["decisions"][0]["actor_role"] == "partner"


async def test_business_key_sees_its_own_and_cannot_decide(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    business = keys.business.headers
    assert await _ids(client, business) == [world.own_best, world.own_other_partner]
    assert_problem(await client.get(f"/v1/matches/{world.declined}", headers=business), 404)
    assert (await client.get(f"/v1/matches/{world.own_best}", headers=business)).status_code == 200
    for action in ({"action": "approve"}, {"action": "decline", "reason": "no"}):
        attempt = await client.post(f"/v1/matches/{world.own_best}/decisions", json=action, headers=business)
        assert_problem(attempt, 403)
    for headers in (keys.viewer, keys.integrator):
        decided = await client.post(
            f"/v1/matches/{world.own_best}/decisions", json={"action": "approve"}, headers=headers
        )
        assert_problem(decided, 403)
    assert_problem(await client.get("/v1/matches", headers=keys.viewer), 403)
    assert_problem(await client.get("/v1/matches"), 401)


async def test_idempotent_decision(
    client: httpx.AsyncClient, keys: Keys, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.coordinator, "Idempotency-Key": "approve-once"}
    url = f"/v1/matches/{world.own_best}/decisions"
    first = await client.post(url, json={"action": "approve"}, headers=headers)
    second = await client.post(url, json={"action": "approve"}, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    async with sessionmaker() as session:
        assert len((await session.scalars(select(MatchDecision))).all()) == 1
