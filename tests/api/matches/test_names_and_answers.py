"""What frontends need from /v1/matches: names beside ids, new filters, conditional GET, the partner's
answer, and the contacts an introduction put in touch."""

import uuid

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import Contact
from tests.api.conftest import Keys, assert_problem
from tests.api.matches.test_router import World


async def test_reads_embed_names_for_every_caller(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    for headers in (keys.coordinator, keys.partner.headers, keys.business.headers):
        page = await client.get("/v1/matches", headers=headers)
        assert page.status_code == 200
        item = next(m for m in page.json()["items"] if m["id"] == world.own_best)
        assert item["commitment"] == {"id": world.commitment_id, "title": "Coffee resilience"}
        assert item["business"] == {"id": str(keys.business.id), "name": "Cafetalera Los Altos"}
        assert item["partner"] == {"id": str(keys.partner.id), "name": "USAID"}
        assert item["program"] == {"id": world.program_id, "name": "Coffee credit"}
        one = await client.get(f"/v1/matches/{world.own_best}", headers=headers)
        assert one.json()["business"]["name"] == "Cafetalera Los Altos"
        assert one.json()["partner_answer"] is None


async def test_filters_by_country_focus_area_and_folded_text(
    client: httpx.AsyncClient, keys: Keys, world: World
) -> None:
    async def ids(**params: str) -> set[str]:
        answer = await client.get("/v1/matches", params=params, headers=keys.coordinator)
        assert answer.status_code == 200, answer.text
        return {m["id"] for m in answer.json()["items"]}

    everything = await ids()
    assert await ids(q="CAFETALERA") == {world.own_best, world.own_other_partner}
    assert await ids(q="cafétalera los") == {world.own_best, world.own_other_partner}
    assert await ids(q="wallets") == {world.other_business_own_partner, world.declined}
    assert await ids(q="100%_") == set()
    assert await ids(country="GT") == everything
    assert await ids(country="HN") == set()
    assert await ids(focus_area="food_security_agriculture") == everything
    assert await ids(focus_area="public_health") == set()
    assert_problem(await client.get("/v1/matches?focus_area=nope", headers=keys.coordinator), 422)
    assert_problem(await client.get("/v1/matches?country=XX", headers=keys.coordinator), 422)
    assert_problem(await client.get("/v1/matches?q=" + "x" * 201, headers=keys.coordinator), 422)


async def test_conditional_get_answers_304(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    first = await client.get(f"/v1/matches/{world.own_best}", headers=keys.coordinator)
    etag = first.headers["etag"]
    again = await client.get(f"/v1/matches/{world.own_best}", headers={**keys.coordinator, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    weak = await client.get(f"/v1/matches/{world.own_best}", headers={**keys.coordinator, "If-None-Match": f"W/{etag}"})
    assert weak.status_code == 304
    other = await client.get(f"/v1/matches/{world.own_best}", headers={**keys.coordinator, "If-None-Match": '"99"'})
    assert other.status_code == 200
    business = await client.get(f"/v1/businesses/{keys.business.id}", headers=keys.coordinator)
    cached = await client.get(
        f"/v1/businesses/{keys.business.id}", headers={**keys.coordinator, "If-None-Match": business.headers["etag"]}
    )
    assert cached.status_code == 304
    await client.post(
        f"/v1/matches/{world.own_best}/decisions",
        json={"action": "approve"},
        headers={**keys.coordinator, "If-Match": etag},
    )
    changed = await client.get(f"/v1/matches/{world.own_best}", headers={**keys.coordinator, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] == '"2"'


async def test_the_partner_answers_its_own_proposals(client: httpx.AsyncClient, keys: Keys, world: World) -> None:
    url = f"/v1/matches/{world.own_best}/answer"
    assert_problem(await client.put(url, json={"answer": "not_interested"}, headers=keys.partner.headers), 422)
    assert_problem(await client.put(url, json={"answer": "maybe"}, headers=keys.partner.headers), 422)
    assert_problem(await client.put(url, json={"answer": "interested"}, headers=keys.coordinator), 403)
    assert_problem(await client.put(url, json={"answer": "interested"}, headers=keys.other_partner.headers), 404)
    assert_problem(
        await client.put(url, json={"answer": "interested"}, headers={**keys.partner.headers, "If-Match": '"7"'}), 412
    )
    answered = await client.put(
        url, json={"answer": "not_interested", "reason": "No window this year"}, headers=keys.partner.headers
    )
    assert answered.status_code == 200, answered.text
    body = answered.json()
    assert body["partner_answer"] == "not_interested" and body["partner_answer_reason"] == "No window this year"
    assert answered.headers["etag"] == '"2"'
    seen = await client.get(f"/v1/matches/{world.own_best}", headers=keys.coordinator)
    assert seen.json()["partner_answer"] == "not_interested" and seen.json()["status"] == "proposed"
    declined = f"/v1/matches/{world.declined}/answer"
    assert_problem(await client.put(declined, json={"answer": "interested"}, headers=keys.other_partner.headers), 409)


async def test_an_introduction_records_its_contacts(
    client: httpx.AsyncClient, keys: Keys, world: World, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        ours = Contact(id=uuid.uuid4(), business_id=keys.business.id, name="María", languages=["es"])
        theirs = Contact(id=uuid.uuid4(), partner_id=keys.partner.id, name="John", languages=["en"])
        stranger = Contact(id=uuid.uuid4(), partner_id=keys.other_partner.id, name="Other", languages=[])
        session.add_all([ours, theirs, stranger])
        await session.commit()
    url = f"/v1/matches/{world.own_best}/decisions"
    await client.post(url, json={"action": "approve"}, headers=keys.coordinator)
    wrong = await client.post(
        url, json={"action": "introduce", "contact_ids": [str(stranger.id)]}, headers=keys.coordinator
    )
    assert_problem(wrong, 422)
    on_approve = await client.post(
        url, json={"action": "decline", "reason": "x", "contact_ids": [str(ours.id)]}, headers=keys.coordinator
    )
    assert_problem(on_approve, 422)
    done = await client.post(
        url, json={"action": "introduce", "contact_ids": [str(ours.id), str(theirs.id)]}, headers=keys.coordinator
    )
    assert done.status_code == 200, done.text
    last = done.json()["decisions"][-1]
    assert last["contact_ids"] == [str(ours.id), str(theirs.id)]
    assert last["actor_user_id"] is None and last["actor_label"]


async def test_me(client: httpx.AsyncClient, keys: Keys) -> None:
    me = await client.get("/v1/me", headers={**keys.partner.headers, "Accept-Language": "en-GB,en;q=0.9"})
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["kind"] == "api_key" and body["role"] == "partner" and body["language"] == "en"
    assert body["organization"] == {"id": str(keys.partner.id), "kind": "partner", "name": "USAID"}
    admin = (await client.get("/v1/me", headers=keys.admin)).json()
    assert admin["organization"] is None and admin["language"] == "es"
    assert_problem(await client.get("/v1/me"), 401)
