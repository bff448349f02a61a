"""HTTP contract of /v1/commitments: CRUD, events and scoped runs, filters, paging, ETags, idempotency,
scoping, bad input."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import redis.asyncio as aioredis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.jobs import MATCHER_QUEUE
from shared.models import AuditEntry, Business, Commitment, MatchRun, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem

NEW: dict[str, Any] = {
    "title": "Renovate 4,000 hectares of coffee with climate-resilient varieties",
    "description": "Financiamiento y asistencia técnica para 2,000 caficultores de Huehuetenango.",
    "focus_areas": ["food_security_agriculture", "climate_clean_energy", "food_security_agriculture"],
    "countries": ["gt", "HN"],
    "amount_usd": 12500000.255,
    "needs": ["financing", "technical_assistance"],
    "status": "announced",
    "initiative": "central_america_forward",
    "announced_on": "2023-02-06",
    "targets": {"jobs_created": 350, "farmers_supported": 2000, "hectares_climate_smart": 4000.5},
    "baselines": {"jobs_created": 0},
}


def _new(business_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    return {**NEW, "business_id": str(business_id), **changes}


async def _titles(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get("/v1/commitments", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [c["title"] for c in response.json()["items"]]


async def _events(sessionmaker: async_sessionmaker[AsyncSession]) -> list[WebhookEvent]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(WebhookEvent).order_by(WebhookEvent.created_at))).all())


async def _runs(sessionmaker: async_sessionmaker[AsyncSession]) -> list[MatchRun]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(MatchRun).order_by(MatchRun.created_at))).all())


async def _commitment_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Commitment)) or 0)


async def _commitment(
    sessionmaker: async_sessionmaker[AsyncSession],
    business_id: uuid.UUID,
    title: str = "Coffee resilience",
    **overrides: Any,
) -> Commitment:
    async with sessionmaker() as session:
        business = await session.get_one(Business, business_id)
        commitment = await factories.create_commitment(session, business, title=title, **overrides)
        await session.commit()
    return commitment


async def test_create_read_update_delete(client: httpx.AsyncClient, keys: Keys) -> None:
    created = await client.post("/v1/commitments", json=_new(keys.business.id), headers=keys.coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "id": body["id"],
        "business_id": str(keys.business.id),
        "title": NEW["title"],
        "description": NEW["description"],
        "focus_areas": ["food_security_agriculture", "climate_clean_energy"],
        "countries": ["GT", "HN"],
        "regions": [],
        "amount_usd": 12500000.26,
        "needs": ["financing", "technical_assistance"],
        "status": "announced",
        "initiative": "central_america_forward",
        "announced_on": "2023-02-06",
        "targets": {"jobs_created": 350, "farmers_supported": 2000, "hectares_climate_smart": 4000.5},
        "baselines": {"jobs_created": 0},
        "external_id": None,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/commitments/{body['id']}"

    read = await client.get(f"/v1/commitments/{body['id']}", headers=keys.business.headers)
    assert read.status_code == 200
    assert read.json() == body
    assert read.headers["etag"] == '"1"'

    patched = await client.patch(
        f"/v1/commitments/{body['id']}",
        json={"status": "in_progress", "amount_usd": 0, "announced_on": None},
        headers={**keys.admin, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert (patched.json()["status"], patched.json()["amount_usd"], patched.json()["announced_on"]) == (
        "in_progress",
        0.0,
        None,
    )
    assert patched.json()["version"] == 2
    assert patched.headers["etag"] == '"2"'

    stale = await client.patch(
        f"/v1/commitments/{body['id']}", json={"status": "stalled"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    assert (await client.get(f"/v1/commitments/{body['id']}", headers=keys.admin)).json()["status"] == "in_progress"

    assert_problem(await client.delete(f"/v1/commitments/{body['id']}", headers={**keys.admin, "If-Match": '"1"'}), 412)
    assert (await client.delete(f"/v1/commitments/{body['id']}", headers=keys.admin)).status_code == 204
    assert_problem(await client.get(f"/v1/commitments/{body['id']}", headers=keys.admin), 404)


async def test_create_writes_one_event_and_one_queued_run(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: "aioredis.Redis[bytes]",
) -> None:
    response = await client.post("/v1/commitments", json=_new(keys.business.id), headers=keys.integrator)
    assert response.status_code == 201, response.text
    body = response.json()
    events = await _events(sessionmaker)
    assert [(e.event_type, e.payload) for e in events] == [("commitment.created", body)]
    runs = await _runs(sessionmaker)
    assert [(r.status, r.trigger, r.scope) for r in runs] == [
        ("queued", "change", {"commitment_ids": [body["id"]], "program_ids": []})
    ]
    assert [j.decode() for j in await redis.zrange(MATCHER_QUEUE, 0, -1)] == [f"match-run:{runs[0].id}"]


async def test_update_event_carries_the_answer(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    response = await client.patch(
        f"/v1/commitments/{commitment.id}",
        json={"title": "Coffee resilience, phase II"},
        headers=keys.business.headers,
    )
    assert response.status_code == 200, response.text
    assert [(e.event_type, e.payload) for e in await _events(sessionmaker)] == [("commitment.updated", response.json())]
    assert [r.scope for r in await _runs(sessionmaker)] == [{"commitment_ids": [str(commitment.id)], "program_ids": []}]


async def test_only_matching_fields_ask_for_a_run(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    url = f"/v1/commitments/{commitment.id}"
    for changes in (
        {"targets": {"jobs_created": 250}},
        {"baselines": {"jobs_created": 10}},
        {"initiative": "central_america_forward"},
        {"announced_on": "2022-01-01"},
    ):
        response = await client.patch(url, json=changes, headers=keys.admin)
        assert response.status_code == 200, response.text
    assert [e.event_type for e in await _events(sessionmaker)] == ["commitment.updated"] * 4
    assert await _runs(sessionmaker) == []

    unchanged = await client.patch(url, json={"status": "in_progress", "countries": ["GT"]}, headers=keys.admin)
    assert unchanged.json()["version"] == 5
    assert len(await _events(sessionmaker)) == 4
    assert await _runs(sessionmaker) == []

    withdrawn = await client.patch(url, json={"status": "withdrawn"}, headers=keys.admin)
    assert withdrawn.status_code == 200
    events = await _events(sessionmaker)
    assert len(events) == 5
    assert events[-1].payload["status"] == "withdrawn"
    assert events[-1].payload["version"] == 6
    assert [r.scope for r in await _runs(sessionmaker)] == [{"commitment_ids": [str(commitment.id)], "program_ids": []}]
    completed = await client.patch(url, json={"status": "completed"}, headers=keys.admin)
    assert completed.status_code == 200
    assert [e.payload["status"] for e in await _events(sessionmaker)][-1] == "completed"
    assert len(await _runs(sessionmaker)) == 1


async def test_two_quick_updates_fold_into_one_queued_run(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: "aioredis.Redis[bytes]",
) -> None:
    first = await _commitment(sessionmaker, keys.business.id, title="First")
    second = await _commitment(sessionmaker, keys.other_business.id, title="Second")
    for commitment in (first, second):
        response = await client.patch(
            f"/v1/commitments/{commitment.id}", json={"amount_usd": 2500000}, headers=keys.coordinator
        )
        assert response.status_code == 200, response.text
    runs = await _runs(sessionmaker)
    assert [(r.status, r.trigger, r.scope) for r in runs] == [
        ("queued", "change", {"commitment_ids": [str(first.id), str(second.id)], "program_ids": []})
    ]
    assert [j.decode() for j in await redis.zrange(MATCHER_QUEUE, 0, -1)] == [f"match-run:{runs[0].id}"]
    assert [e.event_type for e in await _events(sessionmaker)] == ["commitment.updated"] * 2


async def test_a_refused_request_writes_no_event_and_no_run(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: "aioredis.Redis[bytes]",
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id, external_id="crm-42")
    url = f"/v1/commitments/{commitment.id}"
    assert_problem(await client.patch(url, json={"title": "x"}, headers={**keys.admin, "If-Match": '"7"'}), 412)
    assert_problem(await client.patch(url, json={"title": None}, headers=keys.admin), 422)
    assert_problem(await client.patch(url, json={"targets": {"jobz": 1}}, headers=keys.admin), 422)
    assert_problem(
        await client.post("/v1/commitments", json=_new(keys.business.id, amount_usd=-5), headers=keys.admin),
        422,
    )
    assert_problem(await client.post("/v1/commitments", json=_new(uuid.uuid4()), headers=keys.admin), 404)
    duplicate = _new(keys.business.id, external_id="crm-42")
    assert_problem(await client.post("/v1/commitments", json=duplicate, headers=keys.admin), 409)
    assert await _events(sessionmaker) == []
    assert await _runs(sessionmaker) == []
    assert await redis.zcard(MATCHER_QUEUE) == 0
    assert await _commitment_count(sessionmaker) == 1
    assert (await client.get(url, headers=keys.admin)).json()["version"] == 1


async def test_business_key_writes_only_for_its_own_business(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = keys.business.headers
    implicit = await client.post("/v1/commitments", json=NEW, headers=mine)
    assert implicit.status_code == 201, implicit.text
    assert implicit.json()["business_id"] == str(keys.business.id)
    explicit = await client.post("/v1/commitments", json=_new(keys.business.id, title="Second"), headers=mine)
    assert explicit.status_code == 201, explicit.text
    assert_problem(await client.post("/v1/commitments", json=_new(keys.other_business.id), headers=mine), 404)
    assert_problem(await client.post("/v1/commitments", json=NEW, headers=keys.admin), 422)

    foreign = await _commitment(sessionmaker, keys.other_business.id, title="Foreign")
    assert_problem(await client.get(f"/v1/commitments/{foreign.id}", headers=mine), 404)
    assert_problem(await client.patch(f"/v1/commitments/{foreign.id}", json={"title": "hijacked"}, headers=mine), 404)
    assert await _titles(client, mine) == [NEW["title"], "Second"]
    assert await _titles(client, mine, business_id=str(keys.other_business.id)) == []
    edited = await client.patch(
        f"/v1/commitments/{implicit.json()['id']}", json={"status": "in_progress"}, headers=mine
    )
    assert edited.status_code == 200, edited.text
    assert_problem(await client.delete(f"/v1/commitments/{implicit.json()['id']}", headers=mine), 403)

    # the other tenant, the other way round
    theirs = keys.other_business.headers
    assert await _titles(client, theirs) == ["Foreign"]
    assert_problem(await client.get(f"/v1/commitments/{implicit.json()['id']}", headers=theirs), 404)
    assert_problem(
        await client.patch(f"/v1/commitments/{implicit.json()['id']}", json={"title": "x"}, headers=theirs),
        404,
    )
    assert_problem(await client.post("/v1/commitments", json=_new(keys.business.id), headers=theirs), 404)
    assert (await client.get(f"/v1/commitments/{foreign.id}", headers=keys.admin)).json()["title"] == "Foreign"
    assert await _commitment_count(sessionmaker) == 3


async def test_other_roles(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    partner = keys.partner.headers
    assert await _titles(client, partner) == []
    assert_problem(await client.get(f"/v1/commitments/{commitment.id}", headers=partner), 404)
    assert_problem(await client.post("/v1/commitments", json=_new(keys.business.id), headers=partner), 403)
    assert_problem(await client.patch(f"/v1/commitments/{commitment.id}", json={"title": "x"}, headers=partner), 403)
    for request in (
        client.get("/v1/commitments", headers=keys.viewer),
        client.get(f"/v1/commitments/{commitment.id}", headers=keys.viewer),
        client.post("/v1/commitments", json=_new(keys.business.id), headers=keys.viewer),
        client.patch(f"/v1/commitments/{commitment.id}", json={"title": "x"}, headers=keys.viewer),
        client.delete(f"/v1/commitments/{commitment.id}", headers=keys.coordinator),
        client.delete(f"/v1/commitments/{commitment.id}", headers=keys.integrator),
    ):
        assert_problem(await request, 403)
    assert await _commitment_count(sessionmaker) == 1


async def test_writes_are_audited(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = (await client.post("/v1/commitments", json=NEW, headers=keys.business.headers)).json()
    await client.patch(f"/v1/commitments/{created['id']}", json={"amount_usd": 13000000}, headers=keys.coordinator)
    async with sessionmaker() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(created["id"])).order_by(AuditEntry.at)
            )
        ).all()
    assert [(e.action, e.actor_role, e.entity_type) for e in entries] == [
        ("create", "business", "commitments"),
        ("update", "coordinator", "commitments"),
    ]
    assert entries[1].before == {"amount_usd": "12500000.26"}
    assert entries[1].after == {"amount_usd": "13000000.00"}


async def test_every_filter(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _commitment(sessionmaker, keys.business.id, title="Coffee")  # food, GT, 1M, financing, 2021-12-13
    await _commitment(
        sessionmaker,
        keys.business.id,
        title="Mobile wallets",
        description="Billeteras móviles para remesas.",
        focus_areas=["digital_financial_inclusion"],
        countries=["SV"],
        amount_usd=Decimal("25000000"),
        needs=["government_liaison"],
        status="announced",
        initiative="central_america_forward",
        announced_on=date(2023, 2, 6),
    )
    await _commitment(
        sessionmaker,
        keys.other_business.id,
        title="Solar schools",
        description="Rooftop solar for rural schools.",
        focus_areas=["climate_clean_energy", "education_workforce"],
        countries=["HN", "GT"],
        amount_usd=None,
        needs=["local_partner", "financing"],
        status="stalled",
        initiative=None,
        announced_on=None,
    )
    admin = keys.admin
    assert await _titles(client, admin) == ["Coffee", "Mobile wallets", "Solar schools"]
    assert await _titles(client, admin, business_id=str(keys.other_business.id)) == ["Solar schools"]
    assert await _titles(client, admin, status="announced") == ["Mobile wallets"]
    assert await _titles(client, admin, initiative="call_to_action") == ["Coffee"]
    assert await _titles(client, admin, focus_area="education_workforce") == ["Solar schools"]
    assert await _titles(client, admin, country="gt") == ["Coffee", "Solar schools"]
    assert await _titles(client, admin, need="financing") == ["Coffee", "Solar schools"]
    assert await _titles(client, admin, announced_from="2022-01-01") == ["Mobile wallets"]
    assert await _titles(client, admin, announced_to="2023-02-05") == ["Coffee"]
    assert await _titles(client, admin, announced_from="2021-12-13", announced_to="2023-02-06") == [
        "Coffee",
        "Mobile wallets",
    ]
    assert await _titles(client, admin, min_amount=1000000.01) == ["Mobile wallets"]
    assert await _titles(client, admin, max_amount=1000000) == ["Coffee"]
    assert await _titles(client, admin, min_amount=1, max_amount=1e13) == ["Coffee", "Mobile wallets"]
    assert await _titles(client, admin, q="remesas") == ["Mobile wallets"]
    assert await _titles(client, admin, q="zzzunknown") == []
    assert await _titles(client, admin, country="GT", need="financing", status="stalled") == ["Solar schools"]


async def test_cursor_paging(client: httpx.AsyncClient, keys: Keys) -> None:
    for i in range(5):
        payload = _new(keys.business.id, title=f"Pledge {i}", needs=["training_partner"] if i % 2 else ["financing"])
        assert (await client.post("/v1/commitments", json=payload, headers=keys.admin)).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, "need": "financing", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/commitments", params=params, headers=keys.admin)).json()
        seen += [c["title"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Pledge 0", "Pledge 2", "Pledge 4"]


async def test_idempotent_post_creates_once(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.business.headers, "Idempotency-Key": "pledge-2023-02-06"}
    first = await client.post("/v1/commitments", json=NEW, headers=headers)
    second = await client.post("/v1/commitments", json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await _commitment_count(sessionmaker) == 1
    assert len(await _events(sessionmaker)) == 1
    assert len(await _runs(sessionmaker)) == 1
    assert_problem(await client.post("/v1/commitments", json={**NEW, "title": "Other"}, headers=headers), 422)
    assert await _commitment_count(sessionmaker) == 1


async def test_unknown_indicator_codes_are_named(client: httpx.AsyncClient, keys: Keys) -> None:
    payload = _new(keys.business.id, targets={"jobs_created": 1, "jobz": 2, "happiness": 3})
    body = assert_problem(await client.post("/v1/commitments", json=payload, headers=keys.admin), 422)
    assert body["errors"] == [
        {
            "field": "body.targets",
            "message": "Value error, unknown indicator codes: happiness, jobz (see GET /v1/metrics/indicators)",
            "type": "value_error",
        }
    ]
    baselines = assert_problem(
        await client.post("/v1/commitments", json=_new(keys.business.id, baselines={"x": 1}), headers=keys.admin),
        422,
    )
    assert baselines["errors"][0]["field"] == "body.baselines"  # type: ignore[index]


async def test_bad_input_answers_problem_and_changes_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = keys.admin
    base = _new(keys.business.id)
    cases: list[dict[str, Any]] = [
        {**base, "title": 42},
        {**base, "title": ""},
        {**base, "title": "Coffee\u0000"},
        {**base, "external_id": "crm\u00001"},
        {**base, "business_id": "not-a-uuid"},
        {**base, "focus_areas": ["space"]},
        {**base, "needs": ["money"]},
        {**base, "status": "paused"},
        {**base, "initiative": "alliance"},
        {**base, "countries": ["XX"]},
        {**base, "amount_usd": "1000"},
        {**base, "amount_usd": True},
        {**base, "amount_usd": -0.01},
        {**base, "amount_usd": 1e13 + 1},
        {**base, "announced_on": "last spring"},
        {**base, "announced_on": "2023-02-30"},
        {**base, "targets": {"jobs_created": -1}},
        {**base, "targets": {"jobs_created": "many"}},
        {**base, "targets": {"jobs_created": True}},
        {**base, "targets": ["jobs_created"]},
        {**base, "targets": {"jobs_created": 1e13}},
        {**base, "unknown_field": 1},
        {k: v for k, v in base.items() if k != "title"},
    ]
    for payload in cases:
        body = assert_problem(await client.post("/v1/commitments", json=payload, headers=admin), 422)
        assert body["errors"], payload
    json_headers = {**admin, "content-type": "application/json"}
    assert_problem(await client.post("/v1/commitments", content=b"{not json", headers=json_headers), 422)
    form = {**admin, "content-type": "application/x-www-form-urlencoded"}
    assert_problem(await client.post("/v1/commitments", content=b"title=x", headers=form), 415)
    huge = {**base, "description": "x" * 2_000_000}
    assert_problem(await client.post("/v1/commitments", json=huge, headers=admin), 413)
    assert_problem(await client.post("/v1/commitments", json=_new(uuid.uuid4()), headers=admin), 404)

    commitment = await _commitment(sessionmaker, keys.business.id)
    url = f"/v1/commitments/{commitment.id}"
    for changes in (
        {"title": None},
        {"status": None},
        {"focus_areas": None},
        {"targets": None},
        {"status": "paused"},
        {"amount_usd": "lots"},
        {"business_id": str(keys.other_business.id)},
        {"targets": {"jobz": 1}},
    ):
        body = assert_problem(await client.patch(url, json=changes, headers=admin), 422)
        assert body["errors"], changes
    assert_problem(await client.patch(url, json={"title": "x"}, headers={**admin, "If-Match": "garbage"}), 422)
    assert_problem(await client.patch(f"/v1/commitments/{uuid.uuid4()}", json={"title": "x"}, headers=admin), 404)
    assert_problem(await client.delete(f"/v1/commitments/{uuid.uuid4()}", headers=admin), 404)

    assert_problem(await client.get("/v1/commitments/not-a-uuid", headers=admin), 422)
    assert_problem(await client.get(f"/v1/commitments/{uuid.uuid4()}", headers=admin), 404)
    for params in (
        {"business_id": "nope"},
        {"status": "paused"},
        {"initiative": "alliance"},
        {"focus_area": "space"},
        {"country": "XX"},
        {"need": "money"},
        {"announced_from": "yesterday"},
        {"announced_from": "2024-01-01", "announced_to": "2023-01-01"},
        {"min_amount": "lots"},
        {"min_amount": -1},
        {"max_amount": "NaN"},
        {"min_amount": 10, "max_amount": 5},
        {"q": "x" * 201},
        {"q": "remesas\u0000"},
        {"limit": 100000},
        {"cursor": "garbage"},
    ):
        assert_problem(await client.get("/v1/commitments", params=params, headers=admin), 422)
    assert_problem(await client.get("/v1/commitments"), 401)

    assert await _commitment_count(sessionmaker) == 1
    stored = (await client.get(url, headers=admin)).json()
    assert (stored["version"], stored["title"], stored["targets"]) == (
        1,
        "Coffee resilience",
        {"jobs_created": 200},
    )
    assert await _events(sessionmaker) == []
    assert await _runs(sessionmaker) == []
