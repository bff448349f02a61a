"""HTTP contract of /v1/integrations and POST /v1/inbound/{id}: admin CRUD, secrets once, signatures."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import orjson
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from standardwebhooks.webhooks import Webhook

from shared.models import InboundEvent, Integration
from tests.api.conftest import Keys, assert_problem

EVENT = {
    "type": "business.upserted",
    "timestamp": "2024-05-01T12:00:00Z",
    "data": {"external_id": "crm-1", "name": "Maya Textiles"},
}


def signed(secret: str, body: bytes, *, msg_id: str | None = None, at: datetime | None = None) -> dict[str, str]:
    """Headers an integrator's Standard Webhooks library produces (not our signer)."""
    msg_id = msg_id or f"msg_{uuid.uuid4().hex}"
    moment = at or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, moment, body.decode())
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": signature,
    }


async def _integration(client: httpx.AsyncClient, keys: Keys, name: str = "CRM") -> dict[str, Any]:
    created = await client.post("/v1/integrations", json={"name": name}, headers=keys.admin)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


async def test_admin_creates_reads_updates_rotates_and_deletes(client: httpx.AsyncClient, keys: Keys) -> None:
    body = await _integration(client, keys)
    assert body["secret"].startswith("whsec_")
    assert body["inbound_url"] == f"/v1/inbound/{body['id']}"
    assert body["active"] is True and body["version"] == 1
    read = await client.get(f"/v1/integrations/{body['id']}", headers=keys.admin)
    assert read.status_code == 200 and body["secret"] not in read.text
    assert read.headers["etag"] == '"1"'
    listing = (await client.get("/v1/integrations", headers=keys.admin)).json()
    assert [i["name"] for i in listing["items"]] == ["CRM"] and body["secret"] not in str(listing)

    renamed = await client.patch(
        f"/v1/integrations/{body['id']}", json={"name": "CRM 2"}, headers={**keys.admin, "If-Match": '"1"'}
    )
    assert renamed.json()["name"] == "CRM 2" and renamed.json()["version"] == 2
    assert_problem(
        await client.patch(
            f"/v1/integrations/{body['id']}", json={"name": "x"}, headers={**keys.admin, "If-Match": '"1"'}
        ),
        412,
    )
    rotated = await client.post(f"/v1/integrations/{body['id']}/rotate-secret", headers=keys.admin)
    assert rotated.status_code == 200
    assert rotated.json()["secret"] != body["secret"] and rotated.json()["previous_secret_expires_at"]
    assert (await client.delete(f"/v1/integrations/{body['id']}", headers=keys.admin)).status_code == 204
    assert_problem(await client.get(f"/v1/integrations/{body['id']}", headers=keys.admin), 404)


async def test_only_admins_manage_integrations(client: httpx.AsyncClient, keys: Keys) -> None:
    body = await _integration(client, keys)
    for headers in (
        keys.integrator,
        keys.coordinator,
        keys.viewer,
        keys.partner.headers,
        keys.business.headers,
    ):
        assert_problem(await client.post("/v1/integrations", json={"name": "x"}, headers=headers), 403)
        assert_problem(await client.get("/v1/integrations", headers=headers), 403)
        assert_problem(await client.get(f"/v1/integrations/{body['id']}/events", headers=headers), 403)
    assert_problem(await client.get("/v1/integrations"), 401)


async def test_bad_input_on_integrations(client: httpx.AsyncClient, keys: Keys) -> None:
    for payload in ({}, {"name": ""}, {"name": 42}, {"name": "x", "secret": "mine"}, {"name": "x" * 301}):
        assert assert_problem(await client.post("/v1/integrations", json=payload, headers=keys.admin), 422)["errors"]
    assert_problem(await client.get("/v1/integrations/not-a-uuid", headers=keys.admin), 422)
    missing = uuid.uuid4()
    assert_problem(await client.get(f"/v1/integrations/{missing}", headers=keys.admin), 404)
    assert_problem(await client.patch(f"/v1/integrations/{missing}", json={"name": "x"}, headers=keys.admin), 404)
    assert_problem(await client.get(f"/v1/integrations/{missing}/events", headers=keys.admin), 404)
    assert_problem(
        await client.post(f"/v1/integrations/{missing}/events/{uuid.uuid4()}/retry", headers=keys.admin), 404
    )
    body = await _integration(client, keys)
    assert_problem(
        await client.patch(f"/v1/integrations/{body['id']}", json={"active": "perhaps"}, headers=keys.admin),
        422,
    )
    assert_problem(
        await client.get(f"/v1/integrations/{body['id']}/events", params={"status": "lost"}, headers=keys.admin),
        422,
    )


async def test_signed_event_is_stored_before_202_and_a_repeat_is_not_stored_twice(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    integration = await _integration(client, keys)
    # exact bytes matter: odd spacing and non-ASCII text are signed and stored as sent
    body = (
        b'{"type": "business.upserted",  "timestamp": "2024-05-01T12:00:00Z",'
        b' "data": {"external_id": "crm-1",'
        b' "name": "Caf\xc3\xa9 Ixil"}}'
    )
    headers = signed(integration["secret"], body, msg_id="msg_1")
    first = await client.post(f"/v1/inbound/{integration['id']}", content=body, headers=headers)
    assert first.status_code == 202, first.text
    assert first.json()["duplicate"] is False and first.json()["status"] == "received"
    assert first.json()["webhook_id"] == "msg_1"
    again = await client.post(
        f"/v1/inbound/{integration['id']}",
        content=body,
        headers=signed(integration["secret"], body, msg_id="msg_1"),
    )
    assert again.status_code == 202
    assert again.json() == {**first.json(), "duplicate": True}
    async with sessionmaker() as session:
        stored = (await session.scalars(select(InboundEvent))).all()
    assert len(stored) == 1
    assert stored[0].body == body.decode() and stored[0].status == "received"
    events = (await client.get(f"/v1/integrations/{integration['id']}/events", headers=keys.admin)).json()
    assert [(e["webhook_id"], e["status"], e["body"]) for e in events["items"]] == [
        ("msg_1", "received", body.decode())
    ]


async def test_bad_signatures_and_stale_timestamps_answer_401_and_store_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    integration = await _integration(client, keys)
    other = await _integration(client, keys, name="Other")
    url = f"/v1/inbound/{integration['id']}"
    body = orjson.dumps(EVENT)
    now = datetime.now(UTC)
    tampered = signed(integration["secret"], body)
    cases = [
        ("wrong secret", body, signed(other["secret"], body)),
        ("body changed after signing", body + b" ", tampered),
        ("ten minutes old", body, signed(integration["secret"], body, at=now - timedelta(minutes=10))),
        ("ten minutes ahead", body, signed(integration["secret"], body, at=now + timedelta(minutes=10))),
        ("no signature", body, {k: v for k, v in tampered.items() if k != "webhook-signature"}),
        ("no timestamp", body, {k: v for k, v in tampered.items() if k != "webhook-timestamp"}),
        ("timestamp not a number", body, {**tampered, "webhook-timestamp": "yesterday"}),
        ("signature junk", body, {**tampered, "webhook-signature": "v1,!!!"}),
        ("no headers", body, {}),
    ]
    for label, content, headers in cases:
        response = await client.post(url, content=content, headers=headers)
        problem = assert_problem(response, 401)
        assert problem["type"] == "urn:puente:problem:bad-signature", label
    assert_problem(
        await client.post(f"/v1/inbound/{uuid.uuid4()}", content=body, headers=signed(integration["secret"], body)),
        404,
    )
    assert_problem(
        await client.post("/v1/inbound/not-a-uuid", content=body, headers=signed(integration["secret"], body)),
        422,
    )
    long_id = signed(integration["secret"], body, msg_id="m" * 201)
    assert_problem(await client.post(url, content=body, headers=long_id), 422)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(InboundEvent)) == 0
        await session.execute(
            update(Integration).where(Integration.id == uuid.UUID(integration["id"])).values(active=False)
        )
        await session.commit()
    assert_problem(await client.post(url, content=body, headers=signed(integration["secret"], body)), 403)


async def test_previous_secret_is_accepted_during_the_overlap_only(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    integration = await _integration(client, keys)
    url = f"/v1/inbound/{integration['id']}"
    body = orjson.dumps(EVENT)
    new = (await client.post(f"/v1/integrations/{integration['id']}/rotate-secret", headers=keys.admin)).json()
    assert (await client.post(url, content=body, headers=signed(integration["secret"], body))).status_code == 202
    assert (await client.post(url, content=body, headers=signed(new["secret"], body))).status_code == 202
    async with sessionmaker() as session:
        await session.execute(
            update(Integration)
            .where(Integration.id == uuid.UUID(integration["id"]))
            .values(previous_secret_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await session.commit()
    assert_problem(await client.post(url, content=body, headers=signed(integration["secret"], body)), 401)
    assert (await client.post(url, content=body, headers=signed(new["secret"], body))).status_code == 202
