"""HTTP contract of programs: CRUD, money, filters, paging, ETags, idempotency, scoped runs, scoping,
bad input."""

import uuid
from typing import Any

import httpx
import redis.asyncio as aioredis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.jobs import MATCHER_QUEUE
from shared.models import AuditEntry, MatchRun, Partner, Program
from tests import factories
from tests.api.conftest import Keys, assert_problem

NEW: dict[str, Any] = {
    "name": "Central America Coffee Resilience Facility",
    "description": "Préstamos y garantías para exportadores de café que renuevan cafetales.",
    "instruments": ["loan", "guarantee", "loan"],
    "focus_areas": ["food_security_agriculture", "climate_clean_energy"],
    "countries": ["gt", "HN"],
    "sectors": ["coffee", "agriculture"],
    "min_ticket_usd": 500000,
    "max_ticket_usd": 25000000.5,
    "eligible_sizes": ["medium", "large"],
    "capacity_per_month": 8,
    "active": True,
}


def _url(partner_id: uuid.UUID | str) -> str:
    return f"/v1/partners/{partner_id}/programs"


async def _names(
    client: httpx.AsyncClient, headers: dict[str, str], url: str = "/v1/programs", **params: Any
) -> list[str]:
    response = await client.get(url, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["items"]]


async def _runs(sessionmaker: async_sessionmaker[AsyncSession]) -> list[MatchRun]:
    async with sessionmaker() as session:
        return list((await session.scalars(select(MatchRun).order_by(MatchRun.created_at))).all())


async def _program_count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Program)) or 0)


async def _program(
    sessionmaker: async_sessionmaker[AsyncSession],
    partner_id: uuid.UUID,
    name: str = "Coffee credit",
    **overrides: Any,
) -> Program:
    async with sessionmaker() as session:
        partner = await session.get_one(Partner, partner_id)
        program = await factories.create_program(session, partner, name=name, **overrides)
        await session.commit()
    return program


async def test_create_read_update_delete(client: httpx.AsyncClient, keys: Keys) -> None:
    created = await client.post(_url(keys.partner.id), json=NEW, headers=keys.coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "id": body["id"],
        "partner_id": str(keys.partner.id),
        "name": NEW["name"],
        "description": NEW["description"],
        "instruments": ["loan", "guarantee"],
        "focus_areas": ["food_security_agriculture", "climate_clean_energy"],
        "countries": ["GT", "HN"],
        "regions": [],
        "sectors": ["coffee", "agriculture"],
        "min_ticket_usd": 500000.0,
        "max_ticket_usd": 25000000.5,
        "eligible_sizes": ["medium", "large"],
        "capacity_per_month": 8,
        "active": True,
        "external_id": None,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/programs/{body['id']}"

    read = await client.get(f"/v1/programs/{body['id']}", headers=keys.partner.headers)
    assert read.status_code == 200
    assert read.json() == body
    assert read.headers["etag"] == '"1"'

    patched = await client.patch(
        f"/v1/programs/{body['id']}",
        json={"active": False, "max_ticket_usd": None, "capacity_per_month": 0},
        headers={**keys.admin, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert (
        patched.json()["active"],
        patched.json()["max_ticket_usd"],
        patched.json()["capacity_per_month"],
    ) == (
        False,
        None,
        0,
    )
    assert patched.json()["version"] == 2
    assert patched.headers["etag"] == '"2"'

    stale = await client.patch(
        f"/v1/programs/{body['id']}", json={"active": True}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    assert (await client.get(f"/v1/programs/{body['id']}", headers=keys.admin)).json()["active"] is False

    assert_problem(await client.delete(f"/v1/programs/{body['id']}", headers={**keys.admin, "If-Match": '"1"'}), 412)
    assert (await client.delete(f"/v1/programs/{body['id']}", headers=keys.admin)).status_code == 204
    assert_problem(await client.get(f"/v1/programs/{body['id']}", headers=keys.admin), 404)


async def test_money_is_a_json_number_rounded_to_cents(client: httpx.AsyncClient, keys: Keys) -> None:
    payload = {**NEW, "min_ticket_usd": 1234.565, "max_ticket_usd": 10_000_000_000_000}
    body = (await client.post(_url(keys.partner.id), json=payload, headers=keys.admin)).json()
    assert body["min_ticket_usd"] == 1234.57
    assert body["max_ticket_usd"] == 1e13
    bare = await client.post(_url(keys.partner.id), json={"name": "Open window"}, headers=keys.admin)
    assert bare.status_code == 201, bare.text
    assert {k: bare.json()[k] for k in ("min_ticket_usd", "max_ticket_usd", "capacity_per_month", "active")} == {
        "min_ticket_usd": None,
        "max_ticket_usd": None,
        "capacity_per_month": 5,
        "active": True,
    }


async def test_ticket_range_must_stay_ordered(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    body = assert_problem(
        await client.post(
            _url(keys.partner.id),
            json={**NEW, "min_ticket_usd": 2000000, "max_ticket_usd": 1000000},
            headers=keys.admin,
        ),
        422,
    )
    assert body["errors"] == [
        {
            "field": "body.max_ticket_usd",
            "message": "Value error, max_ticket_usd (1000000.00) is less than min_ticket_usd (2000000.00)",
            "type": "value_error",
        }
    ]
    program = await _program(sessionmaker, keys.partner.id)  # 100,000 .. 5,000,000
    url = f"/v1/programs/{program.id}"
    raised = assert_problem(await client.patch(url, json={"min_ticket_usd": 6000000}, headers=keys.admin), 422)
    assert raised["errors"] == [
        {
            "field": "body.min_ticket_usd",
            "message": "min_ticket_usd (6000000.00) would be more than max_ticket_usd (5000000.00)",
            "type": "validation-failed",
        }
    ]
    lowered = assert_problem(await client.patch(url, json={"max_ticket_usd": 99999.99}, headers=keys.admin), 422)
    assert lowered["errors"][0]["field"] == "body.max_ticket_usd"  # type: ignore[index]
    both = await client.patch(url, json={"min_ticket_usd": 6000000, "max_ticket_usd": 9000000}, headers=keys.admin)
    assert both.status_code == 200, both.text
    assert (both.json()["min_ticket_usd"], both.json()["max_ticket_usd"]) == (6000000.0, 9000000.0)
    assert await _program_count(sessionmaker) == 1


async def test_create_and_change_ask_for_one_scoped_run(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: "aioredis.Redis[bytes]",
) -> None:
    first = (await client.post(_url(keys.partner.id), json=NEW, headers=keys.partner.headers)).json()
    runs = await _runs(sessionmaker)
    assert [(r.status, r.trigger, r.scope) for r in runs] == [
        ("queued", "change", {"commitment_ids": [], "program_ids": [first["id"]]})
    ]
    assert [j.decode() for j in await redis.zrange(MATCHER_QUEUE, 0, -1)] == [f"match-run:{runs[0].id}"]

    other = await _program(sessionmaker, keys.other_partner.id, name="Trade finance")
    changed = await client.patch(f"/v1/programs/{other.id}", json={"countries": ["SV"]}, headers=keys.coordinator)
    assert changed.status_code == 200, changed.text
    runs = await _runs(sessionmaker)
    assert [(r.status, r.scope) for r in runs] == [
        ("queued", {"commitment_ids": [], "program_ids": [first["id"], str(other.id)]})
    ]
    assert await redis.zcard(MATCHER_QUEUE) == 1

    same = await client.patch(f"/v1/programs/{other.id}", json={"countries": ["SV"]}, headers=keys.coordinator)
    assert same.json()["version"] == 2
    assert [r.scope for r in await _runs(sessionmaker)] == [runs[0].scope]


async def test_a_run_already_started_gets_a_new_queued_one(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        await factories.create_match_run(session, trigger="change", status="running", scope={"program_ids": []})
        await session.commit()
    created = (await client.post(_url(keys.partner.id), json=NEW, headers=keys.admin)).json()
    runs = await _runs(sessionmaker)
    assert [(r.status, r.scope) for r in runs] == [
        ("running", {"program_ids": []}),
        ("queued", {"commitment_ids": [], "program_ids": [created["id"]]}),
    ]


async def test_writes_are_audited(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = (await client.post(_url(keys.partner.id), json=NEW, headers=keys.partner.headers)).json()
    await client.patch(f"/v1/programs/{created['id']}", json={"capacity_per_month": 3}, headers=keys.partner.headers)
    await client.delete(f"/v1/programs/{created['id']}", headers=keys.admin)
    async with sessionmaker() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(created["id"])).order_by(AuditEntry.at)
            )
        ).all()
    assert [(e.action, e.actor_role) for e in entries] == [
        ("create", "partner"),
        ("update", "partner"),
        ("delete", "admin"),
    ]
    assert entries[0].after is not None
    assert entries[0].after["min_ticket_usd"] == "500000.00"
    assert entries[1].before == {"capacity_per_month": 8}
    assert entries[1].after == {"capacity_per_month": 3}


async def test_every_filter(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _program(sessionmaker, keys.partner.id, name="Coffee credit")  # loan+TA, food, GT/HN, active
    await _program(
        sessionmaker,
        keys.partner.id,
        name="Digital wallets",
        description="Garantías para billeteras móviles y pagos digitales.",
        instruments=["guarantee"],
        focus_areas=["digital_financial_inclusion"],
        countries=["SV"],
        active=False,
    )
    await _program(
        sessionmaker,
        keys.other_partner.id,
        name="Solar for schools",
        description="Grants for rooftop solar on rural schools.",
        instruments=["grant"],
        focus_areas=["climate_clean_energy", "education_workforce"],
        countries=["HN"],
    )
    admin = keys.admin
    assert await _names(client, admin) == ["Coffee credit", "Digital wallets", "Solar for schools"]
    assert await _names(client, admin, partner_id=str(keys.other_partner.id)) == ["Solar for schools"]
    assert await _names(client, admin, focus_area="climate_clean_energy") == ["Solar for schools"]
    assert await _names(client, admin, country="hn") == ["Coffee credit", "Solar for schools"]
    assert await _names(client, admin, instrument="guarantee") == ["Digital wallets"]
    assert await _names(client, admin, active="false") == ["Digital wallets"]
    assert await _names(client, admin, active="true") == ["Coffee credit", "Solar for schools"]
    assert await _names(client, admin, q="billeteras") == ["Digital wallets"]
    assert await _names(client, admin, q="zzzunknown") == []
    assert await _names(client, admin, country="HN", instrument="grant", active="true") == ["Solar for schools"]

    nested = _url(keys.partner.id)
    assert await _names(client, admin, nested) == ["Coffee credit", "Digital wallets"]
    assert await _names(client, admin, nested, active="true") == ["Coffee credit"]
    assert await _names(client, admin, nested, country="HN", focus_area="food_security_agriculture") == [
        "Coffee credit"
    ]
    assert await _names(client, admin, _url(keys.other_partner.id), instrument="loan") == []


async def test_cursor_paging(client: httpx.AsyncClient, keys: Keys) -> None:
    for i in range(5):
        payload = {**NEW, "name": f"Window {i}", "countries": ["GT"] if i % 2 else ["SV"]}
        assert (await client.post(_url(keys.partner.id), json=payload, headers=keys.admin)).status_code == 201
    for url in ("/v1/programs", _url(keys.partner.id)):
        seen: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2, "country": "SV", **({"cursor": cursor} if cursor else {})}
            page = (await client.get(url, params=params, headers=keys.admin)).json()
            seen += [p["name"] for p in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["Window 0", "Window 2", "Window 4"]


async def test_idempotent_post_creates_once(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.partner.headers, "Idempotency-Key": "coffee-facility-1"}
    first = await client.post(_url(keys.partner.id), json=NEW, headers=headers)
    second = await client.post(_url(keys.partner.id), json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert await _program_count(sessionmaker) == 1
    assert len(await _runs(sessionmaker)) == 1
    assert_problem(await client.post(_url(keys.partner.id), json={**NEW, "name": "Other"}, headers=headers), 422)
    assert await _program_count(sessionmaker) == 1


async def test_partner_key_reaches_only_its_own_programs(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    own = await _program(sessionmaker, keys.partner.id, name="Own program")
    foreign = await _program(sessionmaker, keys.other_partner.id, name="Foreign program")
    mine = keys.partner.headers

    assert (await client.get(f"/v1/programs/{own.id}", headers=mine)).status_code == 200
    assert_problem(await client.get(f"/v1/programs/{foreign.id}", headers=mine), 404)
    assert await _names(client, mine) == ["Own program"]
    assert await _names(client, mine, partner_id=str(keys.other_partner.id)) == []
    assert await _names(client, mine, _url(keys.partner.id)) == ["Own program"]
    assert_problem(await client.get(_url(keys.other_partner.id), headers=mine), 404)

    edited = await client.patch(f"/v1/programs/{own.id}", json={"capacity_per_month": 2}, headers=mine)
    assert edited.status_code == 200, edited.text
    assert_problem(await client.patch(f"/v1/programs/{foreign.id}", json={"active": False}, headers=mine), 404)
    assert_problem(await client.post(_url(keys.other_partner.id), json=NEW, headers=mine), 404)
    assert_problem(await client.delete(f"/v1/programs/{own.id}", headers=mine), 403)
    assert_problem(await client.delete(f"/v1/programs/{foreign.id}", headers=mine), 403)

    # the other tenant, the other way round
    theirs = keys.other_partner.headers
    assert_problem(await client.get(f"/v1/programs/{own.id}", headers=theirs), 404)
    assert_problem(await client.patch(f"/v1/programs/{own.id}", json={"active": False}, headers=theirs), 404)
    assert_problem(await client.post(_url(keys.partner.id), json=NEW, headers=theirs), 404)
    assert await _names(client, theirs) == ["Foreign program"]

    async with sessionmaker() as session:
        names = (await session.scalars(select(Program.name).order_by(Program.created_at))).all()
        assert names == ["Own program", "Foreign program"]
        assert (await session.get_one(Program, foreign.id)).active is True
        assert (await session.get_one(Program, own.id)).active is True


async def test_other_roles(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    program = await _program(sessionmaker, keys.partner.id)
    business = keys.business.headers
    assert await _names(client, business) == []
    assert_problem(await client.get(f"/v1/programs/{program.id}", headers=business), 404)
    assert_problem(await client.get(_url(keys.partner.id), headers=business), 404)
    assert_problem(await client.post(_url(keys.partner.id), json=NEW, headers=business), 403)
    assert_problem(await client.patch(f"/v1/programs/{program.id}", json={"active": False}, headers=business), 403)
    for request in (
        client.get("/v1/programs", headers=keys.viewer),
        client.get(f"/v1/programs/{program.id}", headers=keys.viewer),
        client.get(_url(keys.partner.id), headers=keys.viewer),
        client.post(_url(keys.partner.id), json=NEW, headers=keys.viewer),
        client.patch(f"/v1/programs/{program.id}", json={"active": False}, headers=keys.viewer),
        client.delete(f"/v1/programs/{program.id}", headers=keys.coordinator),
    ):
        assert_problem(await request, 403)
    integrator = await client.post(_url(keys.other_partner.id), json=NEW, headers=keys.integrator)
    assert integrator.status_code == 201


async def test_bad_input_answers_problem_and_changes_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = keys.admin
    url = _url(keys.partner.id)
    cases: list[dict[str, Any]] = [
        {**NEW, "name": 42},
        {**NEW, "sectors": ["coffee\u0000"]},
        {**NEW, "instruments": ["bribe"]},
        {**NEW, "instruments": "loan"},
        {**NEW, "focus_areas": ["space"]},
        {**NEW, "eligible_sizes": ["gigantic"]},
        {**NEW, "countries": ["XX"]},
        {**NEW, "min_ticket_usd": "500000"},
        {**NEW, "min_ticket_usd": True},
        {**NEW, "min_ticket_usd": -1},
        {**NEW, "max_ticket_usd": 1e13 + 1},
        {**NEW, "max_ticket_usd": 1e300},
        {**NEW, "capacity_per_month": 1001},
        {**NEW, "capacity_per_month": -1},
        {**NEW, "capacity_per_month": "5"},
        {**NEW, "capacity_per_month": 2.5},
        {**NEW, "active": "yes"},
        {**NEW, "partner_id": str(keys.other_partner.id)},
        {**NEW, "unknown_field": 1},
        {k: v for k, v in NEW.items() if k != "name"},
    ]
    for payload in cases:
        body = assert_problem(await client.post(url, json=payload, headers=admin), 422)
        assert body["errors"], payload
    json_headers = {**admin, "content-type": "application/json"}
    assert_problem(await client.post(url, content=b"{not json", headers=json_headers), 422)
    form = {**admin, "content-type": "application/x-www-form-urlencoded"}
    assert_problem(await client.post(url, content=b"name=x", headers=form), 415)
    assert_problem(await client.post(url, json={**NEW, "description": "x" * 2_000_000}, headers=admin), 413)
    assert_problem(await client.post(_url(uuid.uuid4()), json=NEW, headers=admin), 404)
    assert_problem(await client.post(_url("not-a-uuid"), json=NEW, headers=admin), 422)

    program = await _program(sessionmaker, keys.partner.id)
    program_url = f"/v1/programs/{program.id}"
    for changes in (
        {"name": None},
        {"instruments": None},
        {"active": None},
        {"capacity_per_month": None},
        {"instruments": ["bribe"]},
        {"capacity_per_month": 5000},
        {"min_ticket_usd": "1"},
        {"partner_id": str(keys.other_partner.id)},
    ):
        body = assert_problem(await client.patch(program_url, json=changes, headers=admin), 422)
        assert body["errors"], changes
    assert_problem(await client.patch(program_url, json={"active": False}, headers={**admin, "If-Match": "x"}), 422)
    assert_problem(await client.patch(f"/v1/programs/{uuid.uuid4()}", json={"active": False}, headers=admin), 404)
    assert_problem(await client.delete(f"/v1/programs/{uuid.uuid4()}", headers=admin), 404)

    assert_problem(await client.get("/v1/programs/not-a-uuid", headers=admin), 422)
    assert_problem(await client.get(f"/v1/programs/{uuid.uuid4()}", headers=admin), 404)
    assert_problem(await client.get(_url(uuid.uuid4()), headers=admin), 404)
    for params in (
        {"focus_area": "space"},
        {"instrument": "bribe"},
        {"country": "XX"},
        {"active": "perhaps"},
        {"partner_id": "not-a-uuid"},
        {"q": "x" * 201},
        {"q": "caf\u0000e"},
        {"limit": 100000},
        {"cursor": "garbage"},
    ):
        assert_problem(await client.get("/v1/programs", params=params, headers=admin), 422)
    assert_problem(await client.get(url, params={"instrument": "bribe"}, headers=admin), 422)
    assert_problem(await client.get("/v1/programs"), 401)

    assert await _program_count(sessionmaker) == 1
    stored = (await client.get(program_url, headers=admin)).json()
    assert (stored["version"], stored["capacity_per_month"], stored["instruments"]) == (
        1,
        5,
        ["loan", "technical_assistance"],
    )
    assert await _runs(sessionmaker) == []
