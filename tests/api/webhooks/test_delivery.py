"""Outbound webhooks end to end: the API's change → outbox → the real worker → a real receiver verifying
signatures with the standardwebhooks library. Retries, disabling, rotation and SSRF at send time."""

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from arq import ArqRedis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import freeze, utc_now
from shared.config import Settings
from shared.db.after_commit import take_after_commit_jobs
from shared.events import EventType, emit
from shared.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.api.conftest import Keys
from tests.webhook_receiver import Receiver
from tests.webhook_worker import run_webhooks_worker


async def _endpoint(client: httpx.AsyncClient, keys: Keys, receiver: Receiver, **fields: object) -> dict[str, str]:
    created = await client.post("/v1/webhook-endpoints", json={"url": receiver.url, **fields}, headers=keys.integrator)
    assert created.status_code == 201, created.text
    body: dict[str, str] = created.json()
    receiver.secrets.append(body["secret"])
    return body


async def _emit(sessionmaker: async_sessionmaker[AsyncSession], pool: ArqRedis, *payloads: dict[str, Any]) -> None:
    """Events written and committed as any service does, then the after-commit nudges sent."""
    async with sessionmaker() as session:
        for payload in payloads:
            emit(session, EventType.COMMITMENT_UPDATED, payload)
        await session.commit()
        jobs = take_after_commit_jobs(session)
    for job in jobs:
        await job(pool)


async def _deliveries(client: httpx.AsyncClient, keys: Keys, endpoint: dict[str, str]) -> list[dict[str, Any]]:
    page = await client.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries", headers=keys.integrator)
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def test_a_change_made_through_the_api_is_delivered_signed_and_logged(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.start()
    endpoint = await _endpoint(client, keys, receiver, event_types=["report.created"])
    async with sessionmaker() as session:
        business = await factories.create_business(session)
        commitment = await factories.create_commitment(session, business)
        await session.commit()
    report = await client.post(
        f"/v1/commitments/{commitment.id}/reports",
        json={"period_start": "2024-01-01", "period_end": "2024-03-31", "metrics": {"jobs_created": 12}},
        headers=keys.admin,
    )
    assert report.status_code == 201, report.text
    await run_webhooks_worker(settings)  # the API's after-commit nudge is all it needs

    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.verified_by == [endpoint["secret"]]
    assert got.json["type"] == "report.created"
    assert got.json["data"]["id"] == report.json()["id"]
    assert got.json["data"]["metrics"] == {"jobs_created": 12}
    assert got.headers["content-type"] == "application/json"
    (delivery,) = await _deliveries(client, keys, endpoint)
    assert got.headers["webhook-id"] == delivery["event_id"]
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 1
    assert delivery["last_status_code"] == 200 and delivery["delivered_at"] is not None
    (attempt,) = delivery["attempts"]
    assert attempt["status_code"] == 200 and attempt["error"] is None
    assert isinstance(attempt["latency_ms"], int) and 0 <= attempt["latency_ms"] < 5000
    assert date.fromisoformat(str(delivery["created_at"])[:10]) == utc_now().date()


async def test_events_arrive_in_order_and_each_endpoint_gets_its_own(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.start()
    first = await _endpoint(client, keys, receiver)
    second = await _endpoint(client, keys, receiver)
    await _emit(sessionmaker, arq_pool, *({"n": n} for n in range(6)))
    await _emit(sessionmaker, arq_pool, {"n": 6})
    await run_webhooks_worker(settings)
    for endpoint in (first, second):
        mine = receiver.verified(endpoint["secret"])
        assert [r.json["data"]["n"] for r in mine] == list(range(7))
    assert len(receiver.received) == 14


async def test_retry_after_the_receiver_was_down(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: None,
) -> None:
    endpoint = await _endpoint(client, keys, receiver)  # nothing listens on the port yet
    await _emit(sessionmaker, arq_pool, {"n": 1}, {"n": 2})
    await run_webhooks_worker(settings)
    deliveries = await _deliveries(client, keys, endpoint)
    assert [(d["status"], d["attempt_count"]) for d in deliveries] == [("pending", 0), ("pending", 1)]
    failed = deliveries[1]
    (attempt,) = failed["attempts"]
    assert attempt["status_code"] is None and "ConnectError" in attempt["error"]
    retry_at = utc_now().fromisoformat(str(failed["next_attempt_at"]).replace("Z", "+00:00"))
    assert timedelta(seconds=3.9) <= retry_at - utc_now() <= timedelta(seconds=6.1)  # 5 s ± 20 % jitter
    read = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=keys.integrator)).json()
    assert read["failing_since"] is not None and read["active"] is True

    receiver.start()
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)  # not due yet: nothing is sent
    assert receiver.received == []
    freeze(utc_now() + timedelta(seconds=7))
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)
    assert [r.json["data"]["n"] for r in receiver.received] == [1, 2]
    assert all(r.verified_by == [endpoint["secret"]] for r in receiver.received)
    deliveries = await _deliveries(client, keys, endpoint)
    assert [(d["status"], d["attempt_count"]) for d in deliveries] == [("succeeded", 1), ("succeeded", 2)]
    assert [a["status_code"] for a in deliveries[1]["attempts"]] == [None, 200]
    read = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=keys.integrator)).json()
    assert read["failing_since"] is None


async def test_non_2xx_is_retried_until_exhausted_then_failed_and_can_be_retried_by_hand(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.status = 503
    receiver.start()
    endpoint = await _endpoint(client, keys, receiver)
    await _emit(sessionmaker, arq_pool, {"n": 1})
    for _ in range(8):  # the first try and seven scheduled retries, each made due at once
        async with sessionmaker() as session:
            await session.execute(update(WebhookDelivery).values(next_attempt_at=utc_now()))
            await session.commit()
        await run_webhooks_worker(settings, sweep=True, pool=arq_pool)
    (delivery,) = await _deliveries(client, keys, endpoint)
    assert delivery["status"] == "failed" and delivery["attempt_count"] == 8
    assert delivery["next_attempt_at"] is None
    assert delivery["last_error"] == "HTTP 503: receiver says no"
    assert len(receiver.received) == 8
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)
    assert len(receiver.received) == 8  # failed means no more tries

    receiver.status = 204
    retried = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/deliveries/{delivery['id']}/retry", headers=keys.integrator
    )
    assert retried.status_code == 202, retried.text
    assert retried.json()["status"] == "pending"
    await run_webhooks_worker(settings)  # nudged after the API's commit
    (delivery,) = await _deliveries(client, keys, endpoint)
    assert delivery["status"] == "succeeded" and delivery["attempt_count"] == 9
    assert len(receiver.received) == 9


async def test_an_endpoint_failing_for_days_is_disabled_and_its_owner_sees_why(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.status = 500
    receiver.start()
    endpoint = await _endpoint(client, keys, receiver)
    async with sessionmaker() as session:
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == uuid.UUID(endpoint["id"]))
            .values(failing_since=utc_now() - timedelta(days=4))
        )
        await session.commit()
    await _emit(sessionmaker, arq_pool, {"n": 1})
    await run_webhooks_worker(settings)
    read = (await client.get(f"/v1/webhook-endpoints/{endpoint['id']}", headers=keys.integrator)).json()
    assert read["active"] is False
    assert read["disabled_reason"].startswith("disabled automatically: every delivery has failed since")
    assert read["disabled_reason"].endswith("last error: HTTP 500: receiver says no")
    assert read["disabled_at"] is not None and read["version"] == 2

    receiver.status = 200
    await _emit(sessionmaker, arq_pool, {"n": 2})  # a disabled endpoint is not subscribed any more
    async with sessionmaker() as session:
        await session.execute(update(WebhookDelivery).values(next_attempt_at=utc_now()))
        await session.commit()
    await run_webhooks_worker(settings, sweep=True, pool=arq_pool)
    assert len(receiver.received) == 1
    (waiting,) = await _deliveries(client, keys, endpoint)
    assert waiting["status"] == "pending"
    retry = await client.post(
        f"/v1/webhook-endpoints/{endpoint['id']}/deliveries/{waiting['id']}/retry", headers=keys.integrator
    )
    assert retry.status_code == 409

    enabled = await client.patch(
        f"/v1/webhook-endpoints/{endpoint['id']}",
        json={"active": True},
        headers={**keys.integrator, "If-Match": '"2"'},
    )
    assert enabled.status_code == 200, enabled.text
    await run_webhooks_worker(settings)  # re-enabling resumes the backlog
    assert [r.json["data"]["n"] for r in receiver.received] == [1, 1]
    assert [d["status"] for d in await _deliveries(client, keys, endpoint)] == ["succeeded"]


async def test_rotated_secret_signs_beside_the_old_one_during_the_overlap(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.start()
    endpoint = await _endpoint(client, keys, receiver)
    old = endpoint["secret"]
    rotated = await client.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", headers=keys.integrator)
    new = rotated.json()["secret"]
    receiver.secrets.append(new)
    await _emit(sessionmaker, arq_pool, {"n": 1})
    await run_webhooks_worker(settings)
    assert receiver.received[0].verified_by == [old, new]
    assert len(receiver.received[0].headers["webhook-signature"].split(" ")) == 2

    async with sessionmaker() as session:
        await session.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == uuid.UUID(endpoint["id"]))
            .values(previous_secret_expires_at=utc_now() - timedelta(seconds=1))
        )
        await session.commit()
    await _emit(sessionmaker, arq_pool, {"n": 2})
    await run_webhooks_worker(settings)
    assert receiver.received[1].verified_by == [new]


async def test_private_targets_are_refused_at_send_time_after_dns(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    receiver: Receiver,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    receiver.start()
    by_ip = await _endpoint(client, keys, receiver)
    by_name = await _endpoint(client, keys, receiver)
    async with sessionmaker() as session:  # as if the rules had been looser when they were created
        for endpoint, host in ((by_ip, "127.0.0.1"), (by_name, "localhost")):  # a name resolving to loopback
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == uuid.UUID(endpoint["id"]))
                .values(url=f"https://{host}:{receiver.port}/hooks")
            )
        await session.commit()
    await _emit(sessionmaker, arq_pool, {"n": 1})
    strict = settings.model_copy(update={"webhooks_allow_private_targets": False})
    await run_webhooks_worker(strict)
    assert receiver.received == []
    for endpoint, shown in ((by_ip, "127.0.0.1"), (by_name, "localhost (127.0.0.1)")):
        (delivery,) = await _deliveries(client, keys, endpoint)
        (attempt,) = delivery["attempts"]
        assert (
            attempt["error"] == f"refused: webhook target {shown} is a loopback address; private targets are"
            " not allowed here"
        )
        assert delivery["status"] == "pending" and attempt["status_code"] is None
    async with sessionmaker() as session:
        attempts = (await session.scalars(select(WebhookAttempt))).all()
    assert len(attempts) == 2
