"""HTTP contract of /v1/businesses: CRUD, filters, paging, ETags, idempotency, scoping, bad input."""

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import AuditEntry, Business
from tests.api.conftest import Keys, assert_problem

NEW = {
    "name": "Maya Textiles Cooperative",
    "aliases": ["Maya Tex"],
    "description": "Cooperativa de tejedoras indígenas en Sololá.",
    "website": "https://mayatex.example.org",
    "hq_country": "gt",
    "countries": ["GT", "HN", "GT"],
    "sectors": ["textiles"],
    "size": "small",
    "women_led": True,
    "indigenous_led": True,
}


async def test_create_read_update_delete(client: httpx.AsyncClient, keys: Keys) -> None:
    created = await client.post("/v1/businesses", json=NEW, headers=keys.coordinator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["hq_country"] == "GT"
    assert body["countries"] == ["GT", "HN"]
    assert body["version"] == 1
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/businesses/{body['id']}"

    read = await client.get(f"/v1/businesses/{body['id']}", headers=keys.admin)
    assert read.json()["name"] == NEW["name"]

    patched = await client.patch(
        f"/v1/businesses/{body['id']}", json={"size": "medium"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["size"] == "medium"
    assert patched.json()["version"] == 2
    assert patched.headers["etag"] == '"2"'

    stale = await client.patch(
        f"/v1/businesses/{body['id']}", json={"size": "large"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert_problem(stale, 412)
    assert (await client.get(f"/v1/businesses/{body['id']}", headers=keys.admin)).json()["size"] == "medium"

    deleted = await client.delete(f"/v1/businesses/{body['id']}", headers=keys.admin)
    assert deleted.status_code == 204
    assert_problem(await client.get(f"/v1/businesses/{body['id']}", headers=keys.admin), 404)


async def test_writes_are_audited_with_before_and_after(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = (await client.post("/v1/businesses", json=NEW, headers=keys.coordinator)).json()
    await client.patch(f"/v1/businesses/{created['id']}", json={"name": "Maya Tex"}, headers=keys.admin)
    async with sessionmaker() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(created["id"])).order_by(AuditEntry.at)
            )
        ).all()
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor_role == "coordinator"
    assert entries[1].before == {"name": "Maya Textiles Cooperative"}
    assert entries[1].after == {"name": "Maya Tex"}


async def test_filters_and_cursor_paging(client: httpx.AsyncClient, keys: Keys) -> None:
    for i in range(5):
        payload = {**NEW, "name": f"Coop {i}", "countries": ["SV"] if i % 2 else ["HN"], "women_led": i == 3}
        assert (await client.post("/v1/businesses", json=payload, headers=keys.admin)).status_code == 201
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, "country": "HN", **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/businesses", params=params, headers=keys.admin)).json()
        seen += [b["name"] for b in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Coop 0", "Coop 2", "Coop 4"]
    women = (await client.get("/v1/businesses", params={"women_led": "true"}, headers=keys.admin)).json()
    assert [b["name"] for b in women["items"]] == ["Coop 3"]
    text = (await client.get("/v1/businesses", params={"q": "tejedoras"}, headers=keys.admin)).json()
    assert {b["name"] for b in text["items"]} == {f"Coop {i}" for i in range(5)}
    none = (await client.get("/v1/businesses", params={"q": "zzzunknown"}, headers=keys.admin)).json()
    assert none["items"] == []


async def _names(client: httpx.AsyncClient, keys: Keys, **params: Any) -> list[str]:
    response = await client.get("/v1/businesses", params=params, headers=keys.admin)
    assert response.status_code == 200, response.text
    return [b["name"] for b in response.json()["items"]]


async def test_every_filter(client: httpx.AsyncClient, keys: Keys) -> None:
    # the keys fixture made Cafetalera Los Altos (coffee) and Istmo Digital Payments (fintech): medium, GT
    await client.post("/v1/businesses", json=NEW, headers=keys.admin)
    hn = {**NEW, "name": "Honduras Agro", "aliases": [], "description": "Granos básicos.", "hq_country": "HN"}
    await client.post(
        "/v1/businesses",
        json={**hn, "countries": ["HN"], "sectors": ["agro"], "size": "large", "women_led": False},
        headers=keys.admin,
    )
    mine = [NEW["name"], "Honduras Agro"]
    fixture = ["Cafetalera Los Altos", "Istmo Digital Payments"]
    assert await _names(client, keys) == fixture + mine
    assert await _names(client, keys, country="hn") == mine
    assert await _names(client, keys, hq_country="HN") == ["Honduras Agro"]
    assert await _names(client, keys, hq_country="GT") == [*fixture, NEW["name"]]
    assert await _names(client, keys, size="large") == ["Honduras Agro"]
    assert await _names(client, keys, sector="fintech") == ["Istmo Digital Payments"]
    assert await _names(client, keys, sector="textiles") == [NEW["name"]]
    assert await _names(client, keys, women_led="true") == [NEW["name"]]
    assert await _names(client, keys, indigenous_led="true") == mine
    assert await _names(client, keys, indigenous_led="false") == fixture
    assert await _names(client, keys, q="Maya Tex") == [NEW["name"]]
    assert await _names(client, keys, q="sololá") == [NEW["name"]]
    assert await _names(client, keys, country="HN", sector="agro", women_led="false") == ["Honduras Agro"]
    # the same shape of query with other values finds other rows
    assert await _names(client, keys, country="GT", sector="coffee", women_led="false") == ["Cafetalera Los Altos"]
    assert await _names(client, keys, country="SV") == []


async def test_idempotent_post_creates_once(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.admin, "Idempotency-Key": "abc-123"}
    first = await client.post("/v1/businesses", json=NEW, headers=headers)
    second = await client.post("/v1/businesses", json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(Business).where(Business.name == NEW["name"]))
    assert count == 1
    reused = await client.post("/v1/businesses", json={**NEW, "name": "Other"}, headers=headers)
    assert_problem(reused, 422)


async def test_business_key_sees_and_edits_only_itself(client: httpx.AsyncClient, keys: Keys) -> None:
    own = await client.get(f"/v1/businesses/{keys.business.id}", headers=keys.business.headers)
    assert own.status_code == 200
    other = await client.get(f"/v1/businesses/{keys.other_business.id}", headers=keys.business.headers)
    assert_problem(other, 404)
    listing = (await client.get("/v1/businesses", headers=keys.business.headers)).json()
    assert [b["id"] for b in listing["items"]] == [str(keys.business.id)]
    foreign_edit = await client.patch(
        f"/v1/businesses/{keys.other_business.id}", json={"name": "hijacked"}, headers=keys.business.headers
    )
    assert_problem(foreign_edit, 404)
    partner_view = (await client.get("/v1/businesses", headers=keys.partner.headers)).json()
    assert partner_view["items"] == []
    assert_problem(await client.post("/v1/businesses", json=NEW, headers=keys.business.headers), 403)
    assert_problem(await client.get("/v1/businesses", headers=keys.viewer), 403)


async def test_bad_input_answers_problem_and_changes_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    cases = [
        {**NEW, "name": 42},
        {**NEW, "size": "gigantic"},
        {**NEW, "countries": ["XX"]},
        {**NEW, "hq_country": "Guatemala"},
        {**NEW, "unknown_field": 1},
        {k: v for k, v in NEW.items() if k != "name"},
        {**NEW, "website": "javascript:alert(1)"},
        {**NEW, "women_led": "perhaps"},
    ]
    for payload in cases:
        body = assert_problem(await client.post("/v1/businesses", json=payload, headers=keys.admin), 422)
        assert body["errors"], payload
    assert_problem(
        await client.post(
            "/v1/businesses", content=b"{not json", headers={**keys.admin, "content-type": "application/json"}
        ),
        422,
    )
    assert_problem(
        await client.post(
            "/v1/businesses",
            content=b"name=x",
            headers={**keys.admin, "content-type": "application/x-www-form-urlencoded"},
        ),
        415,
    )
    huge = {**NEW, "description": "x" * 2_000_000}
    assert_problem(await client.post("/v1/businesses", json=huge, headers=keys.admin), 413)
    assert_problem(await client.get("/v1/businesses/not-a-uuid", headers=keys.admin), 422)
    assert_problem(await client.get(f"/v1/businesses/{uuid.uuid4()}", headers=keys.admin), 404)
    assert_problem(await client.get("/v1/businesses", params={"limit": 100000}, headers=keys.admin), 422)
    assert_problem(await client.get("/v1/businesses", params={"cursor": "garbage"}, headers=keys.admin), 422)
    assert_problem(await client.get("/v1/businesses"), 401)
    assert_problem(await client.get("/v1/businesses", headers={"Authorization": "Bearer nope"}), 401)
    assert_problem(
        await client.patch(
            f"/v1/businesses/{keys.business.id}",
            json={"name": "x"},
            headers={**keys.admin, "If-Match": "garbage"},
        ),
        422,
    )
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(Business))
    assert count == 2  # only the two tenants from the keys fixture


async def test_patch_cannot_null_a_required_field(client: httpx.AsyncClient, keys: Keys) -> None:
    created = (await client.post("/v1/businesses", json=NEW, headers=keys.admin)).json()
    body = assert_problem(
        await client.patch(f"/v1/businesses/{created['id']}", json={"name": None}, headers=keys.admin), 422
    )
    assert body["errors"] == [{"field": "body.name", "message": "name cannot be null", "type": "validation-failed"}]
    cleared = await client.patch(f"/v1/businesses/{created['id']}", json={"website": None}, headers=keys.admin)
    assert cleared.json()["website"] is None
    assert_problem(await client.get("/v1/businesses", params={"q": "a\x00b"}, headers=keys.admin), 422)
