"""Inbound events end to end: signed POST → stored → the real worker applies them through shared.records,
or keeps them failed with their error; nothing is applied twice or by halves."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
from arq import ArqRedis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.config import Settings
from shared.models import Business, ImpactReport, WebhookEvent
from tests import factories
from tests.api.conftest import Keys
from tests.api.integrations.test_router import signed
from tests.webhook_worker import run_webhooks_worker


async def _integration(client: httpx.AsyncClient, keys: Keys) -> dict[str, str]:
    body: dict[str, str] = (
        await client.post("/v1/integrations", json={"name": "Grants CRM"}, headers=keys.admin)
    ).json()
    return body


async def _send(
    client: httpx.AsyncClient, integration: dict[str, str], event: Any, *, msg_id: str | None = None
) -> httpx.Response:
    body = event if isinstance(event, bytes) else orjson.dumps(event)
    response = await client.post(
        f"/v1/inbound/{integration['id']}",
        content=body,
        headers=signed(integration["secret"], body, msg_id=msg_id),
    )
    assert response.status_code == 202, response.text
    return response


async def _events(client: httpx.AsyncClient, keys: Keys, integration: dict[str, str]) -> list[dict[str, Any]]:
    page = await client.get(f"/v1/integrations/{integration['id']}/events", headers=keys.admin)
    items: list[dict[str, Any]] = page.json()["items"]
    return items


def _progress(commitment_id: uuid.UUID | str, jobs: int, **data: Any) -> dict[str, Any]:
    return {
        "type": "commitment.progress_reported",
        "timestamp": datetime.now(UTC).isoformat(),
        "data": {
            "commitment_id": str(commitment_id),
            "period_start": "2024-01-01",
            "period_end": "2024-06-30",
            "metrics": {"jobs_created": jobs},
            **data,
        },
    }


async def test_progress_report_creates_an_impact_report_once_and_a_later_one_replaces_it(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    integration = await _integration(client, keys)
    async with sessionmaker() as session:
        commitment = await factories.create_commitment(session, await factories.create_business(session))
        await session.commit()
    await _send(client, integration, _progress(commitment.id, 40), msg_id="p-1")
    await _send(client, integration, _progress(commitment.id, 40), msg_id="p-1")  # a redelivery
    await run_webhooks_worker(settings)
    async with sessionmaker() as session:
        reports = (await session.scalars(select(ImpactReport))).all()
        outbound = (await session.scalars(select(WebhookEvent.event_type))).all()
    assert [(r.metrics, r.source, r.reported_by) for r in reports] == [
        ({"jobs_created": 40}, "webhook", "integration:Grants CRM")
    ]
    assert outbound == ["report.created"]
    (stored,) = await _events(client, keys, integration)
    assert (stored["status"], stored["event_type"], stored["error"], stored["attempts"]) == (
        "processed",
        "commitment.progress_reported",
        None,
        1,
    )
    assert stored["payload"]["data"]["metrics"] == {"jobs_created": 40}

    await _send(client, integration, _progress(commitment.id, 55), msg_id="p-2")
    await run_webhooks_worker(settings)
    async with sessionmaker() as session:
        current = (await session.scalars(select(ImpactReport).where(ImpactReport.replaced_at.is_(None)))).all()
        total = await session.scalar(select(func.count()).select_from(ImpactReport))
    assert [r.metrics for r in current] == [{"jobs_created": 55}] and total == 2


async def test_business_upserts_by_external_id(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    integration = await _integration(client, keys)
    event: dict[str, Any] = {
        "type": "business.upserted",
        "data": {"external_id": "crm-77", "name": "Maya Textiles", "countries": ["GT"], "size": "small"},
    }
    await _send(client, integration, event)
    await _send(client, integration, {**event, "data": {**event["data"], "name": "Maya Textiles Coop"}})
    await run_webhooks_worker(settings)
    async with sessionmaker() as session:
        rows = (await session.scalars(select(Business).where(Business.external_id == "crm-77"))).all()
    assert [(b.name, b.size, b.countries) for b in rows] == [("Maya Textiles Coop", "small", ["GT"])]
    assert [e["status"] for e in await _events(client, keys, integration)] == ["processed", "processed"]


async def test_malformed_unknown_and_invalid_events_are_kept_with_their_error_and_change_nothing(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    integration = await _integration(client, keys)
    async with sessionmaker() as session:
        commitment = await factories.create_commitment(session, await factories.create_business(session))
        await session.commit()
    cases = {
        "not-json": b'{"type": "business.upserted", "data": ',
        "not-an-object": b'["business.upserted"]',
        "no-data": orjson.dumps({"type": "business.upserted"}),
        "unknown-type": orjson.dumps({"type": "commitment.deleted", "data": {"id": "x"}}),
        "unknown-metric": orjson.dumps(_progress(commitment.id, 5, metrics={"happiness": 3})),
        "unknown-commitment": orjson.dumps(_progress(uuid.uuid4(), 5)),
        "bad-commitment-id": orjson.dumps(_progress("not-a-uuid", 5)),
        "no-external-id": orjson.dumps({"type": "business.upserted", "data": {"name": "Anonymous"}}),
        "bad-business": orjson.dumps(
            {"type": "business.upserted", "data": {"external_id": "b-1", "name": "X", "size": "gigantic"}}
        ),
        "nul": b'{"type": "business.upserted", "data": {"external_id": "n-1", "name": "A\\u0000B"}}',
    }
    for msg_id, body in cases.items():
        await _send(client, integration, body, msg_id=msg_id)
    await run_webhooks_worker(settings)
    errors = {e["webhook_id"]: (e["status"], e["error"]) for e in await _events(client, keys, integration)}
    assert {k: v[0] for k, v in errors.items()} == {k: "failed" for k in cases}
    assert errors["not-json"][1].startswith("the body is not valid JSON")
    assert errors["not-an-object"][1] == "the body must be a JSON object with type, timestamp and data"
    assert errors["no-data"][1] == "not a webhook envelope: data: Field required"
    assert errors["unknown-type"][1].startswith("unknown event type 'commitment.deleted'; accepted:")
    assert "unknown indicator codes: happiness" in errors["unknown-metric"][1]
    assert (
        errors["unknown-commitment"][1].startswith("commitment ")
        and "does not exist" in errors["unknown-commitment"][1]
    )
    assert errors["bad-commitment-id"][1] == "data.commitment_id 'not-a-uuid' is not a UUID"
    assert errors["no-external-id"][1].startswith("business upserts need data.external_id")
    assert errors["bad-business"][1].startswith("size: Input should be")
    assert errors["nul"][1] == "the body contains NUL characters (\\u0000), which cannot be stored"
    failed = await client.get(
        f"/v1/integrations/{integration['id']}/events", params={"status": "failed"}, headers=keys.admin
    )
    assert len(failed.json()["items"]) == len(cases)
    async with sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(ImpactReport)) == 0
        assert (
            await session.scalar(select(func.count()).select_from(Business).where(Business.external_id.is_not(None)))
            == 0
        )


async def test_a_failed_event_can_be_processed_again_once_the_cause_is_fixed(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    integration = await _integration(client, keys)
    event = _progress(uuid.uuid4(), 9, commitment_external_id="crm-c-1")
    del event["data"]["commitment_id"]
    await _send(client, integration, event)
    await run_webhooks_worker(settings)
    (failed,) = await _events(client, keys, integration)
    assert failed["error"] == "no commitment with external_id 'crm-c-1'"
    async with sessionmaker() as session:
        await factories.create_commitment(session, await factories.create_business(session), external_id="crm-c-1")
        await session.commit()
    retried = await client.post(f"/v1/integrations/{integration['id']}/events/{failed['id']}/retry", headers=keys.admin)
    assert retried.status_code == 202 and retried.json()["status"] == "received"
    await run_webhooks_worker(settings)
    (done,) = await _events(client, keys, integration)
    assert (done["status"], done["error"], done["attempts"]) == ("processed", None, 2)
    again = await client.post(f"/v1/integrations/{integration['id']}/events/{failed['id']}/retry", headers=keys.admin)
    assert again.status_code == 409


async def test_partner_program_and_commitment_upserts_link_by_external_ids_in_arrival_order(
    client: httpx.AsyncClient,
    keys: Keys,
    settings: Settings,
    arq_pool: ArqRedis,
    sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    integration = await _integration(client, keys)
    events = [
        {
            "type": "partner.upserted",
            "data": {
                "external_id": "p-1",
                "name": "Banco Rural",
                "partner_type": "private",
                "countries": ["HN"],
            },
        },
        {
            "type": "program.upserted",
            "data": {
                "external_id": "g-1",
                "partner_external_id": "p-1",
                "name": "Agro credit",
                "instruments": ["loan"],
                "focus_areas": ["food_security_agriculture"],
                "countries": ["HN"],
            },
        },
        {
            "type": "business.upserted",
            "data": {"external_id": "b-1", "name": "Finca Copán", "countries": ["HN"]},
        },
        {
            "type": "commitment.upserted",
            "data": {
                "external_id": "c-1",
                "business_external_id": "b-1",
                "title": "Irrigation for 300 farms",
                "countries": ["HN"],
                "focus_areas": ["food_security_agriculture"],
            },
        },
        {
            "type": "commitment.upserted",
            "data": {
                "external_id": "c-1",
                "business_external_id": "b-1",
                "title": "Irrigation for 450 farms",
            },
        },
        {
            "type": "program.upserted",
            "data": {"external_id": "g-2", "partner_external_id": "p-unknown", "name": "Orphan"},
        },
    ]
    for event in events:
        await _send(client, integration, event)
    await run_webhooks_worker(settings)
    stored = list(reversed(await _events(client, keys, integration)))
    assert [e["status"] for e in stored] == ["processed"] * 5 + ["failed"]
    assert stored[-1]["error"] == "no partner with external_id 'p-unknown'"
    partners = (await client.get("/v1/partners", headers=keys.admin)).json()["items"]
    banco = next(p for p in partners if p["name"] == "Banco Rural")
    async with sessionmaker() as session:
        from shared.models import Commitment, Program

        program = await session.scalar(select(Program).where(Program.external_id == "g-1"))
        commitments = (await session.scalars(select(Commitment).where(Commitment.external_id == "c-1"))).all()
        outbound = (await session.scalars(select(WebhookEvent.event_type).order_by(WebhookEvent.created_at))).all()
    assert program is not None and str(program.partner_id) == banco["id"]
    assert [(c.title, c.countries) for c in commitments] == [("Irrigation for 450 farms", ["HN"])]
    assert outbound == ["commitment.created", "commitment.updated"]
