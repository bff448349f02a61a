"""GET /v1/metrics/attention: stalled candidates with their reasons, thresholds, scoping, paging, bad input.

Today is frozen at 2025-01-15, so with the default 6 months the cut-off is 2024-07-15.
"""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import Business, Commitment
from tests import factories
from tests.api.conftest import Keys, assert_problem
from tests.api.metrics.conftest import post_report


async def _commitments(keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]) -> dict[str, Commitment]:
    async with sessionmaker() as session:
        a = await session.get_one(Business, keys.business.id)
        b = await session.get_one(Business, keys.other_business.id)
        made = {
            # reported, but nothing since June 2024; on pace (250k of 618,206.71 expected)
            "stale": await factories.create_commitment(
                session, a, title="stale", amount_usd=Decimal("1000000"), announced_on=date(2021, 12, 13)
            ),
            # never reported, a year old: both silent and behind
            "silent": await factories.create_commitment(
                session, a, title="silent", amount_usd=Decimal("1200000"), announced_on=date(2024, 1, 10)
            ),
            # reports recently, but far below the pace of its 400k investment target
            "slow": await factories.create_commitment(
                session,
                b,
                title="slow",
                amount_usd=Decimal("10000000"),
                announced_on=date(2022, 1, 1),
                targets={"investment_deployed_usd": 400000},
            ),
            # healthy: recent and on pace
            "healthy": await factories.create_commitment(
                session, b, title="healthy", amount_usd=Decimal("100000"), announced_on=date(2023, 1, 1)
            ),
            # too new to be behind, and not expected to have reported yet
            "new": await factories.create_commitment(
                session, b, title="new", status="announced", announced_on=date(2024, 12, 1)
            ),
            # finished or withdrawn commitments are not followed up
            "done": await factories.create_commitment(
                session, b, title="done", status="completed", announced_on=date(2020, 1, 1)
            ),
        }
        await session.commit()
    return made


async def _seed(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> dict[str, Commitment]:
    made = await _commitments(keys, sessionmaker)
    await post_report(client, keys.admin, made["stale"], "2024-01-01", "2024-03-31", investment_deployed_usd=100000)
    await post_report(client, keys.admin, made["stale"], "2024-04-01", "2024-06-30", investment_deployed_usd=150000)
    await post_report(client, keys.admin, made["slow"], "2024-10-01", "2024-12-31", investment_deployed_usd=50000)
    await post_report(client, keys.admin, made["healthy"], "2024-10-01", "2024-12-31", investment_deployed_usd=90000)
    return made


async def _attention(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/v1/metrics/attention", params=params, headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_flags_with_reasons(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    made = await _seed(client, keys, sessionmaker)
    items = await _attention(client, keys.coordinator)
    by_title = {i["title"]: i for i in items}
    assert set(by_title) == {"stale", "silent", "slow"}
    assert by_title["stale"]["reasons"] == ["stale_reports"]
    assert by_title["stale"]["last_period_end"] == "2024-06-30"
    assert by_title["stale"]["deployed_usd"] == 250000
    assert by_title["stale"]["expected_deployed_usd"] == 618206.71
    assert by_title["silent"]["reasons"] == ["no_report", "below_pace"]
    assert by_title["silent"]["last_period_end"] is None
    assert by_title["silent"]["expected_deployed_usd"] == 243778.23
    assert by_title["silent"]["detail"] == (
        "no report since it was announced on 2024-01-10; deployed $0, 0% of the $243,778 a steady pace"
        " would have reached by now (flagged under 25%)"
    )
    assert by_title["slow"]["reasons"] == ["below_pace"]
    assert by_title["slow"]["expected_deployed_usd"] == 243121.15
    assert by_title["slow"]["commitment_id"] == str(made["slow"].id)
    assert by_title["slow"]["business_id"] == str(keys.other_business.id)


async def test_thresholds_are_parameters(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(client, keys, sessionmaker)
    # 12 months (cut-off 2024-01-15): June 2024 is recent enough, so `stale` is no longer flagged
    yearly = await _attention(client, keys.admin, months=12)
    assert {i["title"]: i["reasons"] for i in yearly} == {
        "silent": ["no_report", "below_pace"],
        "slow": ["below_pace"],
    }
    # a stricter pace flags `stale` as behind (250k < 0.5 * 618,206.71)
    strict = await _attention(client, keys.admin, months=12, pace_ratio=0.5)
    assert {i["title"]: i["reasons"] for i in strict}["stale"] == ["below_pace"]
    # a 20-year horizon lowers the pace: `slow` (50k of 60,780.29 expected) is no longer behind
    relaxed = await _attention(client, keys.admin, horizon_months=240)
    assert {i["title"]: i["reasons"] for i in relaxed} == {
        "stale": ["stale_reports"],
        "silent": ["no_report", "below_pace"],
    }


async def test_scoping_filters_and_paging(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _seed(client, keys, sessionmaker)
    assert {i["title"] for i in await _attention(client, keys.business.headers)} == {"stale", "silent"}
    assert {i["title"] for i in await _attention(client, keys.other_business.headers)} == {"slow"}
    assert await _attention(client, keys.partner.headers) == []
    assert await _attention(client, keys.admin, country="HN") == []
    assert_problem(await client.get("/v1/metrics/attention", headers=keys.viewer), 403)
    first = (await client.get("/v1/metrics/attention", params={"limit": 2}, headers=keys.admin)).json()
    second = (
        await client.get(
            "/v1/metrics/attention", params={"limit": 2, "cursor": first["next_cursor"]}, headers=keys.admin
        )
    ).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert second["next_cursor"] is None
    assert {i["title"] for i in first["items"] + second["items"]} == {"stale", "silent", "slow"}


async def test_empty_database(client: httpx.AsyncClient, keys: Keys) -> None:
    assert await _attention(client, keys.admin) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"months": 0}, "query.months"),
        ({"months": "six"}, "query.months"),
        ({"pace_ratio": 2}, "query.pace_ratio"),
        ({"horizon_months": 0}, "query.horizon_months"),
        ({"limit": 0}, "query.limit"),
        ({"cursor": "garbage"}, "query.cursor"),
        ({"focus_area": "nope"}, "query.focus_area"),
    ],
)
async def test_bad_parameters(client: httpx.AsyncClient, keys: Keys, params: dict[str, Any], field: str) -> None:
    problem = assert_problem(await client.get("/v1/metrics/attention", params=params, headers=keys.admin), 422)
    assert field in [e["field"] for e in problem["errors"]]  # type: ignore[attr-defined]


async def test_unknown_caller(client: httpx.AsyncClient) -> None:
    assert_problem(
        await client.get("/v1/metrics/attention", headers={"Authorization": f"Bearer pk_{uuid.uuid4().hex}"}),
        401,
    )
