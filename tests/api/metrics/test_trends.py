"""GET /v1/metrics/trends: zero-filled series, the splitting rule, replacement, stocks, scoping, bad input."""

from typing import Any

import httpx
import pytest

from tests.api.conftest import Keys, assert_problem
from tests.api.metrics.conftest import Programme, post_report

Q = {"interval": "quarter", "from": "2024-01-01", "to": "2024-06-30"}


async def _series(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, list[float]]:
    response = await client.get("/v1/metrics/trends", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    for series in body["series"]:
        assert [p["period_start"] for p in series["points"]] == body["periods"]
        assert series["total"] == sum(p["value"] for p in series["points"])
    return {s["group"]: [p["value"] for p in s["points"]] for s in body["series"]}


async def test_by_country_splits_multi_country_commitments(
    client: httpx.AsyncClient, keys: Keys, programme: Programme
) -> None:
    response = await client.get("/v1/metrics/trends", params={**Q, "group_by": "country"}, headers=keys.admin)
    body = response.json()
    assert body["periods"] == ["2024-01-01", "2024-04-01"]
    assert body["metric"] == "investment_deployed_usd"
    series = await _series(client, keys.admin, **Q, group_by="country")
    # C2 (GT and HN) counts half in each; C4 has no country; C1's replaced first report never counts
    assert series == {
        "GT": [100_000 + 200_000, 150_000 + 100_000],
        "SV": [50_000, 0],
        "HN": [200_000, 100_000],
        "unspecified": [10_000, 0],
    }
    assert sum(sum(v) for v in series.values()) == 910_000


async def test_by_focus_area_zero_fills_every_area(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    series = await _series(client, keys.admin, **Q, group_by="focus_area")
    assert series == {
        "reform_agenda": [0, 0],
        "digital_financial_inclusion": [50_000, 0],
        "food_security_agriculture": [300_000, 250_000],
        "climate_clean_energy": [200_000, 100_000],
        "education_workforce": [0, 0],
        "public_health": [0, 0],
        "unspecified": [10_000, 0],
    }


async def test_monthly_jobs_by_initiative(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    series = await _series(
        client,
        keys.admin,
        group_by="initiative",
        interval="month",
        metric="jobs_created",
        **{"from": "2024-01-01", "to": "2024-06-30"},
    )
    assert series == {
        "call_to_action": [0, 0, 10, 0, 0, 5],
        "central_america_forward": [0, 3, 20, 0, 0, 0],
    }


async def test_stock_indicator_takes_each_commitments_largest_value(
    client: httpx.AsyncClient, keys: Keys, programme: Programme
) -> None:
    series = await _series(client, keys.admin, **Q, group_by="initiative", metric="hectares_climate_smart")
    # C1 reports 80 (quarter) and 70 (April) in Q2: its stock is 80, not 150
    assert series == {"call_to_action": [50, 80], "central_america_forward": [10, 0]}


async def test_committed_dollars_by_announcement(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    series = await _series(
        client,
        keys.admin,
        group_by="country",
        metric="committed_usd",
        **{"from": "2021-10-01", "to": "2023-06-30"},
    )
    assert series == {
        "GT": [1_000_000, 0, 0, 0, 0, 1_000_000, 0],
        "SV": [0, 0, 0, 0, 0, 0, 500_000],
        "HN": [0, 0, 0, 0, 0, 1_000_000, 0],
    }


async def test_later_report_replaces_in_trends(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    await post_report(
        client,
        keys.admin,
        programme.commitments["C3"],
        "2024-02-01",
        "2024-02-29",
        investment_deployed_usd=70_000,
    )
    series = await _series(client, keys.admin, **Q, group_by="country")
    assert series["SV"] == [70_000, 0]


async def test_scoping(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    assert await _series(client, keys.business.headers, **Q, group_by="country") == {
        "GT": [300_000, 250_000],
        "SV": [0, 0],
        "HN": [200_000, 100_000],
    }
    assert await _series(client, keys.partner.headers, **Q, group_by="initiative") == {
        "call_to_action": [0, 0],
        "central_america_forward": [0, 0],
    }
    viewer = await _series(client, keys.viewer, **Q, group_by="initiative")
    assert viewer["call_to_action"] == [100_000, 150_000]


async def test_filters_apply(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    series = await _series(client, keys.admin, **Q, group_by="country", focus_area="climate_clean_energy")
    assert series == {"GT": [200_000, 100_000], "SV": [0, 0], "HN": [200_000, 100_000]}


async def test_empty_database_default_window(client: httpx.AsyncClient, keys: Keys) -> None:
    response = await client.get("/v1/metrics/trends", params={"group_by": "initiative"}, headers=keys.admin)
    assert response.status_code == 200
    body = response.json()
    # today is frozen at 2025-01-15: the eight quarters up to it
    assert body["periods"] == [
        "2023-04-01",
        "2023-07-01",
        "2023-10-01",
        "2024-01-01",
        "2024-04-01",
        "2024-07-01",
        "2024-10-01",
        "2025-01-01",
    ]
    assert body["interval"] == "quarter"
    assert [(s["group"], s["total"]) for s in body["series"]] == [
        ("call_to_action", 0),
        ("central_america_forward", 0),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "query.group_by"),
        ({"group_by": "sector"}, "query.group_by"),
        ({"group_by": "country", "interval": "week"}, "query.interval"),
        ({"group_by": "country", "metric": "happiness"}, "query.metric"),
        ({"group_by": "country", "from": "2024-05-01", "to": "2024-01-01"}, "query.from"),
        (
            {"group_by": "country", "interval": "month", "from": "1990-01-01", "to": "2024-01-01"},
            "query.from",
        ),
        ({"group_by": "country", "country": "ZZ"}, "query.country"),
        ({"group_by": "country", "to": "soon"}, "query.to"),
    ],
)
async def test_bad_parameters(client: httpx.AsyncClient, keys: Keys, params: dict[str, str], field: str) -> None:
    problem = assert_problem(await client.get("/v1/metrics/trends", params=params, headers=keys.admin), 422)
    assert field in [e["field"] for e in problem["errors"]]  # type: ignore[attr-defined]
