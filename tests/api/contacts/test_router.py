"""/v1/contacts: people at an organisation, kept by its own callers and coordinators, scoped like its records."""

import httpx

from tests.api.conftest import Keys, assert_problem


async def test_contacts_crud_and_scoping(client: httpx.AsyncClient, keys: Keys) -> None:
    body = {
        "name": "Ana Lucía Pérez",
        "role": "Investment officer",
        "email": "Ana@Example.org",
        "languages": ["es", "en"],
    }
    own = await client.post("/v1/contacts", json=body, headers=keys.partner.headers)
    assert own.status_code == 201, own.text
    contact = own.json()
    assert contact["partner_id"] == str(keys.partner.id) and contact["email"] == "ana@example.org"
    by_coordinator = await client.post(
        "/v1/contacts", json={"name": "María", "business_id": str(keys.business.id)}, headers=keys.coordinator
    )
    assert by_coordinator.status_code == 201

    listed = await client.get(f"/v1/contacts?partner_id={keys.partner.id}", headers=keys.coordinator)
    assert [c["name"] for c in listed.json()["items"]] == ["Ana Lucía Pérez"]
    assert (await client.get("/v1/contacts", headers=keys.other_partner.headers)).json()["items"] == []
    assert (await client.get("/v1/contacts", headers=keys.business.headers)).json()["items"][0]["name"] == "María"
    assert_problem(await client.get(f"/v1/contacts/{contact['id']}", headers=keys.other_partner.headers), 404)
    assert_problem(
        await client.post(
            "/v1/contacts", json={"name": "X", "partner_id": str(keys.partner.id)}, headers=keys.other_partner.headers
        ),
        404,
    )

    changed = await client.patch(
        f"/v1/contacts/{contact['id']}",
        json={"phone": "+502 5555 0101"},
        headers={**keys.partner.headers, "If-Match": '"1"'},
    )
    assert changed.status_code == 200 and changed.json()["phone"] == "+502 5555 0101"
    assert_problem(
        await client.patch(
            f"/v1/contacts/{contact['id']}", json={"phone": "1"}, headers={**keys.partner.headers, "If-Match": '"1"'}
        ),
        412,
    )
    assert_problem(await client.delete(f"/v1/contacts/{contact['id']}", headers=keys.other_partner.headers), 404)
    assert (await client.delete(f"/v1/contacts/{contact['id']}", headers=keys.partner.headers)).status_code == 204


async def test_contacts_refuse_bad_input(client: httpx.AsyncClient, keys: Keys) -> None:
    for body in (
        {},
        {"name": ""},
        {"name": "A", "email": "not an email"},
        {"name": "A", "languages": ["fr"]},
        {"name": "A", "phone": "call me"},
        {"name": "A", "partner_id": str(keys.partner.id), "business_id": str(keys.business.id)},
        {"name": "A", "unknown": 1},
        {"name": 5},
    ):
        assert_problem(await client.post("/v1/contacts", json=body, headers=keys.coordinator), 422)
    assert_problem(await client.post("/v1/contacts", json={"name": "A"}, headers=keys.coordinator), 422)
    assert_problem(await client.post("/v1/contacts", json={"name": "A"}, headers=keys.viewer), 403)
    assert_problem(await client.get("/v1/contacts/not-a-uuid", headers=keys.coordinator), 422)
