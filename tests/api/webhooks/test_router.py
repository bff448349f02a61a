"""HTTP contract of /v1/webhook-endpoints: CRUD, secrets once, rotation, scoping, SSRF refusals, bad input."""

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.main import create_app
from shared.clock import utc_now
from shared.config import Settings
from shared.enums import Role
from shared.events import EventType, emit
from shared.models import AuditEntry, WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem, bearer

NEW = {
    "url": "https://127.0.0.1:9/hooks",
    "description": "CRM",
    "event_types": ["match.approved", "report.created"],
}


async def _second_integrator(sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    async with sessionmaker() as session:
        key = await factories.create_key(session, Role.INTEGRATOR, name="second integrator")
        await session.commit()
    return bearer(key)


async def test_create_read_update_delete_and_secret_shown_once(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = await client.post("/v1/webhook-endpoints", json=NEW, headers=keys.integrator)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["url"] == NEW["url"]
    assert body["event_types"] == ["match.approved", "report.created"]
    assert body["active"] is True
    assert body["disabled_reason"] is None and body["failing_since"] is None
    assert body["version"] == 1
    assert created.headers["etag"] == '"1"'
    assert created.headers["location"] == f"/v1/webhook-endpoints/{body['id']}"

    read = await client.get(f"/v1/webhook-endpoints/{body['id']}", headers=keys.integrator)
    assert read.status_code == 200
    assert "secret" not in read.json() and "previous_secret" not in read.json()
    assert body["secret"] not in read.text
    listing = (await client.get("/v1/webhook-endpoints", headers=keys.integrator)).json()
    assert [e["id"] for e in listing["items"]] == [body["id"]]
    assert body["secret"] not in str(listing)

    patched = await client.patch(
        f"/v1/webhook-endpoints/{body['id']}",
        json={"event_types": [], "description": "all events"},
        headers={**keys.integrator, "If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["event_types"] == []
    assert patched.json()["version"] == 2
    stale = await client.patch(
        f"/v1/webhook-endpoints/{body['id']}",
        json={"active": False},
        headers={**keys.integrator, "If-Match": '"1"'},
    )
    assert_problem(stale, 412)

    disabled = await client.patch(f"/v1/webhook-endpoints/{body['id']}", json={"active": False}, headers=keys.admin)
    assert disabled.json()["active"] is False
    assert disabled.json()["disabled_reason"] == "disabled by its owner"
    enabled = await client.patch(f"/v1/webhook-endpoints/{body['id']}", json={"active": True}, headers=keys.admin)
    assert enabled.json()["active"] is True
    assert enabled.json()["disabled_reason"] is None and enabled.json()["disabled_at"] is None

    async with sessionmaker() as session:
        audit = (await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == uuid.UUID(body["id"])))).all()
    assert audit and all(body["secret"] not in str(e.after) + str(e.before) for e in audit)

    assert (await client.delete(f"/v1/webhook-endpoints/{body['id']}", headers=keys.integrator)).status_code == 204
    assert_problem(await client.get(f"/v1/webhook-endpoints/{body['id']}", headers=keys.integrator), 404)


async def test_rotation_returns_the_new_secret_once_with_an_overlap(client: httpx.AsyncClient, keys: Keys) -> None:
    created = (await client.post("/v1/webhook-endpoints", json=NEW, headers=keys.integrator)).json()
    before = utc_now()
    rotated = await client.post(f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers=keys.integrator)
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert body["secret"].startswith("whsec_") and body["secret"] != created["secret"]
    assert body["version"] == 2
    expires = body["previous_secret_expires_at"]
    assert expires is not None
    from datetime import datetime

    moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
    assert before + timedelta(hours=24) <= moment <= utc_now() + timedelta(hours=24)
    read = await client.get(f"/v1/webhook-endpoints/{created['id']}", headers=keys.integrator)
    assert body["secret"] not in read.text and created["secret"] not in read.text
    assert read.json()["previous_secret_expires_at"] == expires

    now_only = await client.post(
        f"/v1/webhook-endpoints/{created['id']}/rotate-secret",
        json={"overlap_hours": 0},
        headers={**keys.integrator, "If-Match": '"2"'},
    )
    assert now_only.json()["previous_secret_expires_at"] is None
    stale = await client.post(
        f"/v1/webhook-endpoints/{created['id']}/rotate-secret", headers={**keys.integrator, "If-Match": '"2"'}
    )
    assert_problem(stale, 412)
    bad = await client.post(
        f"/v1/webhook-endpoints/{created['id']}/rotate-secret",
        json={"overlap_hours": -1},
        headers=keys.integrator,
    )
    assert_problem(bad, 422)


async def test_integrator_sees_only_its_own_endpoints_and_admin_sees_all(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    other = await _second_integrator(sessionmaker)
    mine = (await client.post("/v1/webhook-endpoints", json=NEW, headers=keys.integrator)).json()
    theirs = (await client.post("/v1/webhook-endpoints", json=NEW, headers=other)).json()
    listing = (await client.get("/v1/webhook-endpoints", headers=keys.integrator)).json()
    assert [e["id"] for e in listing["items"]] == [mine["id"]]
    everything = (await client.get("/v1/webhook-endpoints", headers=keys.admin)).json()
    assert {e["id"] for e in everything["items"]} == {mine["id"], theirs["id"]}
    path = f"/v1/webhook-endpoints/{theirs['id']}"
    assert_problem(await client.get(path, headers=keys.integrator), 404)
    assert_problem(await client.patch(path, json={"active": False}, headers=keys.integrator), 404)
    assert_problem(await client.delete(path, headers=keys.integrator), 404)
    assert_problem(await client.post(f"{path}/rotate-secret", headers=keys.integrator), 404)
    assert_problem(await client.get(f"{path}/deliveries", headers=keys.integrator), 404)
    assert_problem(await client.post(f"{path}/deliveries/{uuid.uuid4()}/retry", headers=keys.integrator), 404)
    for role_headers in (keys.coordinator, keys.viewer, keys.partner.headers, keys.business.headers):
        assert_problem(await client.get("/v1/webhook-endpoints", headers=role_headers), 403)
        assert_problem(await client.post("/v1/webhook-endpoints", json=NEW, headers=role_headers), 403)
    assert_problem(await client.get("/v1/webhook-endpoints"), 401)


async def test_bad_input_answers_problem_and_creates_nothing(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    cases = [
        {**NEW, "url": 42},
        {k: v for k, v in NEW.items() if k != "url"},
        {**NEW, "event_types": ["match.exploded"]},
        {**NEW, "event_types": "match.approved"},
        {**NEW, "active": "perhaps"},
        {**NEW, "unknown": 1},
        {**NEW, "url": "ftp://example.org/hooks"},
        {**NEW, "url": "javascript:alert(1)"},
        {**NEW, "description": "x" * 2001},
    ]
    for payload in cases:
        body = assert_problem(await client.post("/v1/webhook-endpoints", json=payload, headers=keys.admin), 422)
        assert body["errors"], payload
    assert_problem(await client.get("/v1/webhook-endpoints/not-a-uuid", headers=keys.admin), 422)
    assert_problem(await client.get(f"/v1/webhook-endpoints/{uuid.uuid4()}", headers=keys.admin), 404)
    assert_problem(await client.patch(f"/v1/webhook-endpoints/{uuid.uuid4()}", json={}, headers=keys.admin), 404)
    assert_problem(await client.get("/v1/webhook-endpoints", params={"active": "maybe"}, headers=keys.admin), 422)
    created = (await client.post("/v1/webhook-endpoints", json=NEW, headers=keys.admin)).json()
    path = f"/v1/webhook-endpoints/{created['id']}"
    assert_problem(await client.patch(path, json={"event_types": ["nope"]}, headers=keys.admin), 422)
    assert_problem(await client.patch(path, json={"url": "http://169.254.169.254/latest"}, headers=keys.admin), 422)
    assert_problem(await client.get(f"{path}/deliveries", params={"status": "lost"}, headers=keys.admin), 422)
    assert_problem(await client.get(f"{path}/deliveries/{uuid.uuid4()}", headers=keys.admin), 404)
    assert_problem(await client.post(f"{path}/deliveries/{uuid.uuid4()}/retry", headers=keys.admin), 404)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 1


async def test_idempotent_create_makes_one_endpoint(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    headers = {**keys.integrator, "Idempotency-Key": "hook-1"}
    first = await client.post("/v1/webhook-endpoints", json=NEW, headers=headers)
    second = await client.post("/v1/webhook-endpoints", json=NEW, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 1


@pytest.fixture(scope="module")
async def strict_app(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The API as deployed: private webhook targets refused."""
    application = create_app(settings.model_copy(update={"webhooks_allow_private_targets": False}))
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield http


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hooks",  # not https, and loopback
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",  # refused after DNS resolution
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hooks",
        "https://[fe80::1]/hooks",
        "https://0x7f.1/hooks",
        "https://2130706433/hooks",
        "https://user:pw@example.org/hooks",
    ],
)
async def test_unsafe_targets_are_refused_at_creation(
    strict_app: httpx.AsyncClient, client: httpx.AsyncClient, keys: Keys, url: str
) -> None:
    body = assert_problem(await strict_app.post("/v1/webhook-endpoints", json={"url": url}, headers=keys.admin), 422)
    assert body["type"] == "urn:puente:problem:unsafe-target"


async def test_metadata_addresses_are_refused_even_where_private_targets_are_allowed(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    for url in ("http://169.254.169.254/latest", "http://[fd00:ec2::254]/", "http://100.100.100.200/"):
        body = assert_problem(await client.post("/v1/webhook-endpoints", json={"url": url}, headers=keys.admin), 422)
        assert body["type"] == "urn:puente:problem:unsafe-target"
    ok = await client.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hooks"}, headers=keys.admin)
    assert ok.status_code == 201


async def test_events_fan_out_to_subscribed_active_endpoints_in_their_transaction(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    reports_only = (
        await client.post(
            "/v1/webhook-endpoints", json={**NEW, "event_types": ["report.created"]}, headers=keys.integrator
        )
    ).json()
    everything = (
        await client.post("/v1/webhook-endpoints", json={**NEW, "event_types": []}, headers=keys.integrator)
    ).json()
    inactive = (
        await client.post("/v1/webhook-endpoints", json={**NEW, "active": False}, headers=keys.integrator)
    ).json()
    async with sessionmaker() as session:
        emit(session, EventType.REPORT_CREATED, {"id": "r1"})
        emit(session, EventType.MATCH_PROPOSED, {"id": "m1"})
        await session.commit()
    async with sessionmaker() as session:
        emit(session, EventType.COMMITMENT_UPDATED, {"id": "never"})
        await session.flush()
        await session.rollback()
        await session.commit()  # nothing of the rolled-back transaction may leave with a later commit
        rows = (
            await session.execute(
                select(WebhookDelivery.endpoint_id, WebhookEvent.event_type)
                .join(WebhookEvent, WebhookEvent.id == WebhookDelivery.event_id)
                .order_by(WebhookDelivery.seq)
            )
        ).all()
        events = (await session.scalars(select(WebhookEvent.event_type).order_by(WebhookEvent.created_at))).all()
    assert events == ["report.created", "match.proposed"]
    assert [(str(e), t) for e, t in rows] == [
        (reports_only["id"], "report.created"),
        (everything["id"], "report.created"),
        (everything["id"], "match.proposed"),
    ]
    assert inactive["id"] not in {str(e) for e, _ in rows}

    page = await client.get(f"/v1/webhook-endpoints/{everything['id']}/deliveries", headers=keys.integrator)
    assert page.status_code == 200, page.text
    items = page.json()["items"]
    assert [(d["event_type"], d["status"], d["attempt_count"], d["attempts"]) for d in items] == [
        ("match.proposed", "pending", 0, []),
        ("report.created", "pending", 0, []),
    ]
    assert items[1]["payload"] == {"id": "r1"}
    pending = await client.get(
        f"/v1/webhook-endpoints/{everything['id']}/deliveries",
        params={"status": "failed"},
        headers=keys.integrator,
    )
    assert pending.json()["items"] == []
    one = await client.get(
        f"/v1/webhook-endpoints/{everything['id']}/deliveries/{items[0]['id']}", headers=keys.integrator
    )
    assert one.json()["id"] == items[0]["id"]
    assert_problem(
        await client.get(
            f"/v1/webhook-endpoints/{reports_only['id']}/deliveries/{items[0]['id']}", headers=keys.integrator
        ),
        404,
    )
