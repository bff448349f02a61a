"""HTTP contract of /v1/partners: CRUD, filters, paging, ETags, idempotency, scoping, bad input."""

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import AuditEntry, Partner, Program
from tests import factories
from tests.api.conftest import Keys, assert_problem

NEW: dict[str, Any] = {
    "name": "Inter-American Development Bank",
    "partner_type": "mdb",
    "agency_code": "IDB",
    "description": "Financiamiento para el desarrollo de América Latina y el Caribe.",
    "website": "https://www.iadb.org",
    "countries": ["gt", "SV", "HN", "GT"],
}


async def _names(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    response = await client.get("/v1/partners", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [p["name"] for p in response.json()["items"]]


async def _count(sessionmaker: async_sessionmaker[AsyncSession]) -> int:
    async with sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Partner)) or 0)


async def test_create_read_update_delete(client: httpx.AsyncClient, keys: Keys) -> None:
    created = await client.post("/v1/partners", json=NEW, headers=keys.coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "id": body["id"],
        "name": "Inter-American Development Bank",
        "partner_type": "mdb",
        "agency_code": "IDB",
        "description": NEW["description"],
        "website": "https://www.iadb.org",
        "countries": ["GT", "SV", "HN"],
        "external_id": None,
        "version": 1,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }
    assert body["created_at"].endswith("Z")
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/partners/{body['id']}"

    read = await client.get(f"/v1/partners/{body['id']}", headers=keys.integrator)
    assert read.status_code == 200
    assert read.json() == body
    assert read.headers["etag"] == '"1"'

    patched = await client.patch(
        f"/v1/partners/{body['id']}",
        json={"countries": ["GT"], "agency_code": None},
        headers={**keys.admin, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["countries"] == ["GT"]
    assert patched.json()["agency_code"] is None
    assert patched.json()["version"] == 2
    assert patched.headers["etag"] == '"2"'

    stale = await client.patch(
        f"/v1/partners/{body['id']}", json={"name": "IDB Invest"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert assert_problem(stale, 412)["current_version"] == 2
    assert (await client.get(f"/v1/partners/{body['id']}", headers=keys.admin)).json()["name"] == NEW["name"]

    assert_problem(await client.delete(f"/v1/partners/{body['id']}", headers={**keys.admin, "If-Match": '"1"'}), 412)
    deleted = await client.delete(f"/v1/partners/{body['id']}", headers={**keys.admin, "If-Match": '"2"'})
    assert deleted.status_code == 204
    assert_problem(await client.get(f"/v1/partners/{body['id']}", headers=keys.admin), 404)
    assert_problem(await client.delete(f"/v1/partners/{body['id']}", headers=keys.admin), 404)


async def test_unchanged_patch_keeps_the_version(client: httpx.AsyncClient, keys: Keys) -> None:
    response = await client.patch(f"/v1/partners/{keys.partner.id}", json={"name": "USAID"}, headers=keys.coordinator)
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 1


async def test_delete_takes_the_partners_programs_along(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        partner = await session.get_one(Partner, keys.other_partner.id)
        program = await factories.create_program(session, partner)
        await session.commit()
    assert (await client.delete(f"/v1/partners/{partner.id}", headers=keys.admin)).status_code == 204
    assert_problem(await client.get(f"/v1/programs/{program.id}", headers=keys.admin), 404)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(Program)) == 0


async def test_writes_are_audited_with_before_and_after(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = (await client.post("/v1/partners", json=NEW, headers=keys.integrator)).json()
    await client.patch(f"/v1/partners/{created['id']}", json={"name": "BID"}, headers=keys.coordinator)
    await client.delete(f"/v1/partners/{created['id']}", headers=keys.admin)
    async with sessionmaker() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(created["id"])).order_by(AuditEntry.at)
            )
        ).all()
    assert [(e.action, e.actor_role, e.entity_type) for e in entries] == [
        ("create", "integrator", "partners"),
        ("update", "coordinator", "partners"),
        ("delete", "admin", "partners"),
    ]
    assert entries[0].after is not None and entries[0].after["agency_code"] == "IDB"
    assert entries[1].before == {"name": "Inter-American Development Bank"}
    assert entries[1].after == {"name": "BID"}


async def test_every_filter(client: httpx.AsyncClient, keys: Keys) -> None:
    # the keys fixture made USAID (us_agency, GT/SV/HN) and DFC (us_agency, agency code DFC, GT/SV/HN)
    await client.post("/v1/partners", json=NEW, headers=keys.admin)
    await client.post(
        "/v1/partners",
        json={
            "name": "Fundación Para el Desarrollo",
            "partner_type": "foundation",
            "description": "Becas técnicas para jóvenes hondureños.",
            "countries": ["HN", "US"],
        },
        headers=keys.admin,
    )
    admin = keys.admin
    assert await _names(client, admin) == ["USAID", "DFC", NEW["name"], "Fundación Para el Desarrollo"]
    assert await _names(client, admin, partner_type="us_agency") == ["USAID", "DFC"]
    assert await _names(client, admin, partner_type="foundation") == ["Fundación Para el Desarrollo"]
    assert await _names(client, admin, country="US") == ["Fundación Para el Desarrollo"]
    assert await _names(client, admin, country="sv") == ["USAID", "DFC", NEW["name"]]
    assert await _names(client, admin, agency_code="dfc") == ["DFC"]
    assert await _names(client, admin, agency_code="idb") == [NEW["name"]]
    assert await _names(client, admin, q="becas jóvenes") == ["Fundación Para el Desarrollo"]
    assert await _names(client, admin, q="dfc") == ["DFC"]
    assert await _names(client, admin, q="desarrollo") == [NEW["name"], "Fundación Para el Desarrollo"]
    assert await _names(client, admin, q="zzzunknown") == []
    assert await _names(client, admin, partner_type="mdb", country="HN", agency_code="IDB") == [NEW["name"]]
    assert await _names(client, admin, partner_type="mdb", country="US") == []


async def test_cursor_paging_visits_each_partner_once(client: httpx.AsyncClient, keys: Keys) -> None:
    for i in range(5):
        payload = {**NEW, "name": f"Bank {i}", "countries": ["HN"] if i % 2 else ["SV"]}
        assert (await client.post("/v1/partners", json=payload, headers=keys.admin)).status_code == 201
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2, "partner_type": "mdb", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/partners", params=params, headers=keys.admin)).json()
        pages += 1
        seen += [p["name"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"Bank {i}" for i in range(5)]
    assert pages == 3


async def test_idempotent_post_creates_once(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.coordinator, "Idempotency-Key": "idb-2024-01"}
    first = await client.post("/v1/partners", json=NEW, headers=headers)
    second = await client.post("/v1/partners", json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["location"] == first.headers["location"]
    assert await _count(sessionmaker) == 3
    reused = await client.post("/v1/partners", json={**NEW, "name": "Other"}, headers=headers)
    assert_problem(reused, 422)
    assert await _count(sessionmaker) == 3


async def test_partner_key_sees_and_edits_only_itself(client: httpx.AsyncClient, keys: Keys) -> None:
    mine = keys.partner.headers
    own = await client.get(f"/v1/partners/{keys.partner.id}", headers=mine)
    assert own.status_code == 200
    assert_problem(await client.get(f"/v1/partners/{keys.other_partner.id}", headers=mine), 404)
    assert await _names(client, mine) == ["USAID"]
    assert await _names(client, mine, agency_code="DFC") == []

    edited = await client.patch(
        f"/v1/partners/{keys.partner.id}",
        json={"description": "Agencia de los Estados Unidos para el Desarrollo Internacional"},
        headers={**mine, "If-Match": '"1"'},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    foreign = await client.patch(f"/v1/partners/{keys.other_partner.id}", json={"name": "hijacked"}, headers=mine)
    assert_problem(foreign, 404)
    assert (await client.get(f"/v1/partners/{keys.other_partner.id}", headers=keys.admin)).json()["name"] == "DFC"

    assert_problem(await client.post("/v1/partners", json=NEW, headers=mine), 403)
    assert_problem(await client.delete(f"/v1/partners/{keys.partner.id}", headers=mine), 403)
    assert_problem(await client.delete(f"/v1/partners/{keys.other_partner.id}", headers=mine), 403)


async def test_other_roles(client: httpx.AsyncClient, keys: Keys) -> None:
    business = keys.business.headers
    assert await _names(client, business) == []
    assert_problem(await client.get(f"/v1/partners/{keys.partner.id}", headers=business), 404)
    assert_problem(await client.patch(f"/v1/partners/{keys.partner.id}", json={"name": "x"}, headers=business), 403)
    assert_problem(await client.post("/v1/partners", json=NEW, headers=business), 403)
    assert_problem(await client.get("/v1/partners", headers=keys.viewer), 403)
    assert_problem(await client.get(f"/v1/partners/{keys.partner.id}", headers=keys.viewer), 403)
    assert_problem(await client.post("/v1/partners", json=NEW, headers=keys.viewer), 403)
    assert_problem(await client.delete(f"/v1/partners/{keys.partner.id}", headers=keys.coordinator), 403)
    assert_problem(await client.delete(f"/v1/partners/{keys.partner.id}", headers=keys.integrator), 403)


async def test_bad_input_answers_problem_and_changes_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    admin = keys.admin
    cases: list[dict[str, Any]] = [
        {**NEW, "name": 42},
        {**NEW, "name": ""},
        {**NEW, "name": "IDB\u0000"},
        {**NEW, "description": "nul \u0000 inside"},
        {**NEW, "partner_type": "bank"},
        {**NEW, "partner_type": None},
        {**NEW, "countries": ["XX"]},
        {**NEW, "countries": "GT"},
        {**NEW, "agency_code": "I\tDB"},
        {**NEW, "agency_code": ""},
        {**NEW, "agency_code": "X" * 31},
        {**NEW, "website": "javascript:alert(1)"},
        {**NEW, "unknown_field": 1},
        {k: v for k, v in NEW.items() if k != "name"},
        {k: v for k, v in NEW.items() if k != "partner_type"},
    ]
    for payload in cases:
        body = assert_problem(await client.post("/v1/partners", json=payload, headers=admin), 422)
        assert body["errors"], payload
    json_headers = {**admin, "content-type": "application/json"}
    assert_problem(await client.post("/v1/partners", content=b"{not json", headers=json_headers), 422)
    assert_problem(await client.post("/v1/partners", content=b"[]", headers=json_headers), 422)
    form = {**admin, "content-type": "application/x-www-form-urlencoded"}
    assert_problem(await client.post("/v1/partners", content=b"name=x", headers=form), 415)
    huge = {**NEW, "description": "x" * 2_000_000}
    assert_problem(await client.post("/v1/partners", json=huge, headers=admin), 413)

    url = f"/v1/partners/{keys.partner.id}"
    for changes in (
        {"partner_type": "bank"},
        {"name": None},
        {"partner_type": None},
        {"countries": None},
        {"countries": ["ZZ"]},
        {"version": 7},
    ):
        body = assert_problem(await client.patch(url, json=changes, headers=admin), 422)
        assert body["errors"], changes
    assert_problem(await client.patch(url, json={"name": "x"}, headers={**admin, "If-Match": "garbage"}), 422)
    assert_problem(await client.patch(f"/v1/partners/{uuid.uuid4()}", json={"name": "x"}, headers=admin), 404)
    assert_problem(await client.patch("/v1/partners/not-a-uuid", json={"name": "x"}, headers=admin), 422)
    assert_problem(await client.delete(f"/v1/partners/{uuid.uuid4()}", headers=admin), 404)

    assert_problem(await client.get("/v1/partners/not-a-uuid", headers=admin), 422)
    assert_problem(await client.get(f"/v1/partners/{uuid.uuid4()}", headers=admin), 404)
    for params in (
        {"partner_type": "bank"},
        {"country": "Guatemala"},
        {"country": "XX"},
        {"agency_code": "X" * 31},
        {"q": "x" * 201},
        {"q": "desarrollo\u0000"},
        {"agency_code": "D\u0000FC"},
        {"limit": 100000},
        {"limit": 0},
        {"cursor": "garbage"},
    ):
        assert_problem(await client.get("/v1/partners", params=params, headers=admin), 422)
    assert_problem(await client.get("/v1/partners"), 401)
    assert_problem(await client.get("/v1/partners", headers={"Authorization": "Bearer nope"}), 401)

    assert await _count(sessionmaker) == 2  # only the two tenants from the keys fixture
    read = (await client.get(url, headers=admin)).json()
    assert (read["name"], read["partner_type"], read["version"]) == ("USAID", "us_agency", 1)
