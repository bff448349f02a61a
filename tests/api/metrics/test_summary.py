"""GET /v1/metrics/summary: hand-computed totals, filters, funnel, replacement, scoping, empty data, 422s."""

from typing import Any

import httpx
import pytest

from tests.api.conftest import Keys, assert_problem
from tests.api.metrics.conftest import Programme

ZERO_STATUSES = {"announced": 0, "in_progress": 0, "completed": 0, "stalled": 0, "withdrawn": 0}


async def _summary(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    response = await client.get("/v1/metrics/summary", params=params, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_totals_are_the_hand_computed_sums(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    body = await _summary(client, keys.coordinator, all_indicators="true")
    assert body["totals"] == {
        "commitments": 4,
        "commitments_by_status": {**ZERO_STATUSES, "in_progress": 2, "completed": 1, "withdrawn": 1},
        "committed_usd": 3_600_000.0,
        # 100k + 150k (C1) + 400k + 200k (C2) + 50k (C3) + 10k (C4); C1's replaced 999,999 never counts
        "deployed_usd": 910_000.0,
        "deployment_rate": 0.252778,
        "businesses": 2,
        "partners": 2,
        "programs": 2,
        "jobs_created": 38.0,
        "people_trained": 37.0,
        "people_reached": 1100.0,
        "women_reached": 560.0,
        "reports": 7,
        "reporting_commitments": 4,
    }
    indicators = body["indicators"]
    # a stock: C1's largest value (80, not 50 + 80 + 70) plus C2's 10
    assert indicators["hectares_climate_smart"] == 90.0
    assert indicators["investment_deployed_usd"] == 910_000.0
    assert indicators["clean_energy_mw"] == 0.0
    catalogue = (await client.get("/v1/metrics/indicators", headers=keys.viewer)).json()
    assert set(indicators) == {i["code"] for i in catalogue}


async def test_funnel(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    funnel = (await _summary(client, keys.admin))["funnel"]
    assert funnel == {
        "stages": [
            {"stage": "proposed", "count": 5, "conversion_rate": None, "median_days_from_previous": None},
            {"stage": "approved", "count": 3, "conversion_rate": 0.6, "median_days_from_previous": 2.0},
            {
                "stage": "introduced",
                "count": 2,
                "conversion_rate": 0.666667,
                "median_days_from_previous": 2.5,
            },
            {
                "stage": "partnership_formed",
                "count": 1,
                "conversion_rate": 0.5,
                "median_days_from_previous": 10.0,
            },
        ],
        "overall_conversion_rate": 0.2,
        "declined": 2,
        "no_partnership": 0,
    }


@pytest.mark.parametrize(
    ("params", "commitments", "committed", "deployed", "jobs", "hectares", "reports"),
    [
        ({"country": "GT"}, 2, 3_000_000.0, 850_000.0, 35.0, 90.0, 5),
        ({"country": "gt"}, 2, 3_000_000.0, 850_000.0, 35.0, 90.0, 5),
        ({"focus_area": "climate_clean_energy"}, 1, 2_000_000.0, 600_000.0, 20.0, 10.0, 2),
        ({"initiative": "central_america_forward"}, 2, 2_500_000.0, 650_000.0, 23.0, 10.0, 3),
        ({"from": "2024-04-01", "to": "2024-12-31"}, 4, 3_600_000.0, 350_000.0, 5.0, 80.0, 3),
        ({"to": "2022-12-31"}, 2, 1_100_000.0, 0.0, 0.0, 0.0, 0),
        ({"country": "MX"}, 0, 0.0, 0.0, 0.0, 0.0, 0),
    ],
)
async def test_filters(
    client: httpx.AsyncClient,
    keys: Keys,
    programme: Programme,
    params: dict[str, str],
    commitments: int,
    committed: float,
    deployed: float,
    jobs: float,
    hectares: float,
    reports: int,
) -> None:
    body = await _summary(client, keys.admin, all_indicators="true", **params)
    totals = body["totals"]
    assert (
        totals["commitments"],
        totals["committed_usd"],
        totals["deployed_usd"],
        totals["jobs_created"],
    ) == (
        commitments,
        committed,
        deployed,
        jobs,
    )
    assert body["indicators"]["hectares_climate_smart"] == hectares
    assert totals["reports"] == reports


async def test_organisation_filters(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    totals = (await _summary(client, keys.admin, focus_area="digital_financial_inclusion"))["totals"]
    assert (totals["partners"], totals["programs"]) == (2, 0)
    totals = (await _summary(client, keys.admin, country="SV"))["totals"]
    assert (totals["partners"], totals["programs"]) == (2, 0)


async def test_funnel_window(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    before = (await _summary(client, keys.admin, to="2023-12-31"))["funnel"]
    assert [s["count"] for s in before["stages"]] == [0, 0, 0, 0]
    assert before["overall_conversion_rate"] is None
    during = (await _summary(client, keys.admin, **{"from": "2024-01-10", "to": "2024-01-10"}))["funnel"]
    assert [s["count"] for s in during["stages"]] == [5, 3, 2, 1]


async def test_scoping(client: httpx.AsyncClient, keys: Keys, programme: Programme) -> None:
    mine = await _summary(client, keys.business.headers)
    assert mine["totals"]["commitments"] == 2
    assert mine["totals"]["committed_usd"] == 3_000_000.0
    assert mine["totals"]["deployed_usd"] == 850_000.0
    assert mine["totals"]["businesses"] == 1
    assert (mine["totals"]["partners"], mine["totals"]["programs"]) == (0, 0)
    assert [s["count"] for s in mine["funnel"]["stages"]] == [3, 2, 2, 1]

    theirs = await _summary(client, keys.other_business.headers)
    assert (theirs["totals"]["committed_usd"], theirs["totals"]["deployed_usd"]) == (600_000.0, 60_000.0)

    partner = await _summary(client, keys.partner.headers)
    assert partner["totals"]["commitments"] == 0
    assert partner["totals"]["deployed_usd"] == 0.0
    assert (partner["totals"]["partners"], partner["totals"]["programs"]) == (1, 1)
    assert [s["count"] for s in partner["funnel"]["stages"]] == [3, 2, 2, 1]
    # commitment filters narrow the partner's own matches: only M2's commitment is in Honduras
    in_honduras = await _summary(client, keys.partner.headers, country="HN")
    assert [s["count"] for s in in_honduras["funnel"]["stages"]] == [1, 1, 1, 0]

    viewer = await _summary(client, keys.viewer)
    assert viewer["totals"]["deployed_usd"] == 910_000.0
    assert_problem(await client.get("/v1/metrics/summary"), 401)


async def test_empty_database(client: httpx.AsyncClient, keys: Keys) -> None:
    body = await _summary(client, keys.admin)
    assert body["totals"] == {
        "commitments": 0,
        "commitments_by_status": ZERO_STATUSES,
        "committed_usd": 0.0,
        "deployed_usd": 0.0,
        "deployment_rate": None,
        "businesses": 0,
        "partners": 2,
        "programs": 0,
        "jobs_created": 0.0,
        "people_trained": 0.0,
        "people_reached": 0.0,
        "women_reached": 0.0,
        "reports": 0,
        "reporting_commitments": 0,
    }
    assert body["indicators"] == {
        "investment_deployed_usd": 0.0,
        "jobs_created": 0.0,
        "people_trained": 0.0,
        "people_reached": 0.0,
        "women_reached": 0.0,
    }
    assert body["funnel"]["stages"][1] == {
        "stage": "approved",
        "count": 0,
        "conversion_rate": None,
        "median_days_from_previous": None,
    }
    assert body["filters"] == {
        "focus_area": None,
        "country": None,
        "region": None,
        "initiative": None,
        "from": None,
        "to": None,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"focus_area": "space_tourism"}, "query.focus_area"),
        ({"country": "XX"}, "query.country"),
        ({"country": "GTM"}, "query.country"),
        ({"initiative": "alliance"}, "query.initiative"),
        ({"from": "yesterday"}, "query.from"),
        ({"to": "2024-02-30"}, "query.to"),
        ({"from": "2024-05-01", "to": "2024-04-01"}, "query.from"),
    ],
)
async def test_bad_parameters(client: httpx.AsyncClient, keys: Keys, params: dict[str, str], field: str) -> None:
    problem = assert_problem(await client.get("/v1/metrics/summary", params=params, headers=keys.admin), 422)
    assert field in [e["field"] for e in problem["errors"]]  # type: ignore[attr-defined]
