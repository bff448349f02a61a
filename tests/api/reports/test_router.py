"""HTTP contract of impact reports: create, replace, list with history, read, scoping, roles, bad input."""

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.clock import utc_now
from shared.models import Business, Commitment, ImpactReport, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem

Q1 = {
    "period_start": "2024-01-01",
    "period_end": "2024-03-31",
    "metrics": {
        "investment_deployed_usd": 250000,
        "jobs_created": 40,
        "people_reached": 1200,
        "women_reached": 700,
    },
    "breakdowns": {"jobs_created": {"sex": {"female": 22, "male": 18}, "country": {"GT": 30}}},
    "notes": "First quarter.",
}


async def _commitment(
    sessionmaker: async_sessionmaker[AsyncSession], business_id: uuid.UUID, **overrides: Any
) -> Commitment:
    async with sessionmaker() as session:
        business = await session.get_one(Business, business_id)
        commitment = await factories.create_commitment(session, business, **overrides)
        await session.commit()
    return commitment


async def test_report_then_replace_then_history(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    url = f"/v1/commitments/{commitment.id}/reports"

    first = await client.post(url, json=Q1, headers=keys.business.headers)
    assert first.status_code == 201, first.text
    body = first.json()
    assert first.headers["location"] == f"/v1/reports/{body['id']}"
    assert body["commitment_id"] == str(commitment.id)
    assert body["business_id"] == str(keys.business.id)
    assert body["metrics"] == Q1["metrics"]
    assert body["breakdowns"] == Q1["breakdowns"]
    assert body["source"] == "api"
    assert body["reported_by"].startswith("business key [business key ")
    assert body["replaced_at"] is None

    corrected = {**Q1, "metrics": {"investment_deployed_usd": 300000, "jobs_created": 45}, "breakdowns": {}}
    second = await client.post(url, json=corrected, headers=keys.coordinator)
    assert second.status_code == 201, second.text

    current = (await client.get(url, headers=keys.admin)).json()
    assert [r["id"] for r in current["items"]] == [second.json()["id"]]
    assert current["items"][0]["metrics"] == {"investment_deployed_usd": 300000, "jobs_created": 45}

    history = (await client.get(url, params={"include_replaced": "true"}, headers=keys.admin)).json()
    assert [r["id"] for r in history["items"]] == [body["id"], second.json()["id"]]
    assert history["items"][0]["replaced_at"] is not None
    assert history["items"][1]["replaced_at"] is None

    old = await client.get(f"/v1/reports/{body['id']}", headers=keys.business.headers)
    assert old.status_code == 200
    assert old.json()["replaced_at"] is not None

    async with sessionmaker() as session:
        events = (
            await session.scalars(
                select(WebhookEvent)
                .where(WebhookEvent.event_type == "report.created")
                .order_by(WebhookEvent.created_at)
            )
        ).all()
    assert [e.payload["id"] for e in events] == [body["id"], second.json()["id"]]
    assert events[0].payload["replaces"] is None
    assert events[1].payload["replaces"] == body["id"]
    assert events[1].payload["metrics"] == {"investment_deployed_usd": 300000, "jobs_created": 45}


async def test_other_period_does_not_replace(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    url = f"/v1/commitments/{commitment.id}/reports"
    assert (await client.post(url, json=Q1, headers=keys.admin)).status_code == 201
    q2 = {**Q1, "period_start": "2024-04-01", "period_end": "2024-06-30"}
    assert (await client.post(url, json=q2, headers=keys.admin)).status_code == 201
    listing = (await client.get(url, headers=keys.admin)).json()
    assert [r["period_start"] for r in listing["items"]] == ["2024-01-01", "2024-04-01"]


async def test_paging(client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    url = f"/v1/commitments/{commitment.id}/reports"
    for month in range(1, 6):
        period = {"period_start": f"2024-{month:02d}-01", "period_end": f"2024-{month:02d}-28"}
        assert (
            await client.post(url, json={**period, "metrics": {"jobs_created": month}}, headers=keys.admin)
        ).status_code == 201
    seen: list[float] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(url, params=params, headers=keys.admin)).json()
        seen += [r["metrics"]["jobs_created"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [1, 2, 3, 4, 5]


async def test_idempotent_post(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    headers = {**keys.integrator, "Idempotency-Key": "report-1"}
    url = f"/v1/commitments/{commitment.id}/reports"
    first = await client.post(url, json=Q1, headers=headers)
    again = await client.post(url, json=Q1, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(ImpactReport))
    assert count == 1


async def test_scoping_and_roles(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    mine = await _commitment(sessionmaker, keys.business.id)
    theirs = await _commitment(sessionmaker, keys.other_business.id)
    created = await client.post(f"/v1/commitments/{theirs.id}/reports", json=Q1, headers=keys.admin)
    report_id = created.json()["id"]

    assert_problem(
        await client.post(f"/v1/commitments/{theirs.id}/reports", json=Q1, headers=keys.business.headers), 404
    )
    assert_problem(await client.get(f"/v1/commitments/{theirs.id}/reports", headers=keys.business.headers), 404)
    assert_problem(await client.get(f"/v1/reports/{report_id}", headers=keys.business.headers), 404)
    assert_problem(await client.get(f"/v1/reports/{report_id}", headers=keys.partner.headers), 404)
    assert (await client.get(f"/v1/reports/{report_id}", headers=keys.other_business.headers)).status_code == 200

    assert_problem(await client.post(f"/v1/commitments/{mine.id}/reports", json=Q1, headers=keys.partner.headers), 403)
    assert_problem(await client.post(f"/v1/commitments/{mine.id}/reports", json=Q1, headers=keys.viewer), 403)
    assert_problem(await client.get(f"/v1/commitments/{mine.id}/reports", headers=keys.viewer), 403)
    assert_problem(await client.get(f"/v1/commitments/{mine.id}/reports"), 401)
    assert (
        await client.post(f"/v1/commitments/{mine.id}/reports", json=Q1, headers=keys.business.headers)
    ).status_code == 201


async def test_unknown_ids(client: httpx.AsyncClient, keys: Keys) -> None:
    missing = uuid.uuid4()
    assert_problem(await client.post(f"/v1/commitments/{missing}/reports", json=Q1, headers=keys.admin), 404)
    assert_problem(await client.get(f"/v1/commitments/{missing}/reports", headers=keys.admin), 404)
    assert_problem(await client.get(f"/v1/reports/{missing}", headers=keys.admin), 404)
    assert_problem(await client.get("/v1/reports/not-a-uuid", headers=keys.admin), 422)
    assert_problem(await client.post("/v1/commitments/not-a-uuid/reports", json=Q1, headers=keys.admin), 422)


def _tomorrow() -> str:
    return (utc_now().date() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"metrics": {"jobs_created": 1, "unicorns_sighted": 3, "alpacas": 1}}, "alpacas, unicorns_sighted"),
        ({"metrics": {"jobs_created": -1}}, "greater than or equal to 0"),
        ({"metrics": {"jobs_created": "many"}}, "body.metrics.jobs_created"),
        ({"metrics": {}}, "body.metrics"),
        ({"period_start": "2024-04-01"}, "period_start must be on or before period_end"),
        ({"period_end": "2024-02-30"}, "body.period_end"),
        ({"period_start": "2024-01-01", "period_end": None}, "body.period_end"),
        ({"breakdowns": {"people_trained": {"sex": {"female": 1}}}}, "breakdown of 'people_trained'"),
        (
            {"breakdowns": {"jobs_created": {"sex": {"female": 30, "male": 11}}}},
            "adds up to 41, more than 40",
        ),
        ({"breakdowns": {"jobs_created": {"religion": {"x": 1}}}}, "unknown breakdown dimension 'religion'"),
        ({"breakdowns": {"jobs_created": {"sex": {"woman": 1}}}}, "'woman' is not a valid sex label"),
        ({"breakdowns": {"jobs_created": {"country": {"XX": 1}}}}, "'XX' is not a valid country label"),
        (
            {"breakdowns": {"jobs_created": {"age_band": {"30-15": 1}}}},
            "'30-15' is not a valid age_band label",
        ),
        (
            {"metrics": {"people_reached": 10, "women_reached": 11}},
            "women_reached (11) exceeds people_reached (10)",
        ),
        ({"surprise": 1}, "body.surprise"),
    ],
)
async def test_bad_input(
    client: httpx.AsyncClient,
    keys: Keys,
    sessionmaker: async_sessionmaker[AsyncSession],
    change: dict[str, Any],
    needle: str,
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    body = {**Q1, **change}
    if "metrics" in change and "breakdowns" not in change:
        body["breakdowns"] = {}
    problem = assert_problem(
        await client.post(f"/v1/commitments/{commitment.id}/reports", json=body, headers=keys.admin), 422
    )
    assert needle in str(problem), problem


async def test_future_period_refused(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    body = {**Q1, "period_end": _tomorrow()}
    problem = assert_problem(
        await client.post(f"/v1/commitments/{commitment.id}/reports", json=body, headers=keys.admin), 422
    )
    assert "is in the future" in str(problem)


async def test_age_bands_and_today_accepted(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _commitment(sessionmaker, keys.business.id)
    body = {
        "period_start": "2024-01-01",
        "period_end": utc_now().date().isoformat(),
        "metrics": {"people_trained": 10},
        "breakdowns": {"people_trained": {"age_band": {"15-29": 6, "65+": 1, "unknown": 3}}},
    }
    created = await client.post(f"/v1/commitments/{commitment.id}/reports", json=body, headers=keys.admin)
    assert created.status_code == 201, created.text
    assert created.json()["breakdowns"] == body["breakdowns"]
