"""`regions` on commitments and programmes: checked against the reference regions and the countries,
the crosswalk for El Salvador's districts, and the region filter on lists, metrics and exports."""

import csv
import io
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import Business, WebhookEvent
from tests import factories
from tests.api.conftest import Keys, assert_problem

pytestmark = pytest.mark.usefixtures("reference_data")


def _commitment(business_id: uuid.UUID, title: str, **changes: Any) -> dict[str, Any]:
    return {
        "business_id": str(business_id),
        "title": title,
        "focus_areas": ["food_security_agriculture"],
        "amount_usd": 1_000_000,
        **changes,
    }


async def _create(client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/v1/commitments", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _titles(client: httpx.AsyncClient, headers: dict[str, str], path: str, **params: str) -> set[str]:
    response = await client.get(path, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return {item.get("title") or item["name"] for item in response.json()["items"]}


async def test_regions_are_kept_upper_cased_and_fill_empty_countries(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    created = await _create(
        client, keys.coordinator, _commitment(keys.business.id, "Soloma coffee", regions=["gt-1319", " GT-13 "])
    )
    assert created["regions"] == ["GT-1319", "GT-13"] and created["countries"] == ["GT"]
    read = await client.get(f"/v1/commitments/{created['id']}", headers=keys.business.headers)
    assert read.json()["regions"] == ["GT-1319", "GT-13"]
    async with sessionmaker() as session:
        event = await session.scalar(select(WebhookEvent).order_by(WebhookEvent.created_at.desc()))
    assert event is not None and event.payload["regions"] == ["GT-1319", "GT-13"]


async def test_unknown_regions_and_regions_outside_the_countries_are_refused(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    unknown = await client.post(
        "/v1/commitments",
        json=_commitment(keys.business.id, "x", regions=["GT-9999", "GT-13", "HN-9901"]),
        headers=keys.admin,
    )
    assert "GT-9999, HN-9901" in str(assert_problem(unknown, 422)["detail"])
    outside = await client.post(
        "/v1/commitments",
        json=_commitment(keys.business.id, "x", countries=["GT"], regions=["HN-0801"]),
        headers=keys.admin,
    )
    assert "HN-0801 (HN)" in str(assert_problem(outside, 422)["detail"])
    for bad in (["Huehuetenango"], ["GT13"], "GT-13", [13], ["GT-13"] * 101):
        response = await client.post(
            "/v1/commitments", json=_commitment(keys.business.id, "x", regions=bad), headers=keys.admin
        )
        assert_problem(response, 422)
    listing = await client.get("/v1/commitments", headers=keys.admin)
    assert listing.json()["items"] == []


async def test_a_change_keeps_regions_and_countries_consistent(client: httpx.AsyncClient, keys: Keys) -> None:
    created = await _create(client, keys.admin, _commitment(keys.business.id, "x", regions=["GT-1301"]))
    url, etag = f"/v1/commitments/{created['id']}", {"If-Match": '"1"'}
    away = await client.patch(url, json={"countries": ["HN"]}, headers={**keys.admin, **etag})
    assert "GT-1301 (GT)" in str(assert_problem(away, 422)["detail"])
    both = await client.patch(url, json={"countries": ["HN"], "regions": ["HN-0801"]}, headers={**keys.admin, **etag})
    assert both.status_code == 200, both.text
    assert (both.json()["regions"], both.json()["countries"]) == (["HN-0801"], ["HN"])
    cleared = await client.patch(url, json={"regions": []}, headers={**keys.admin, "If-Match": '"2"'})
    assert cleared.json()["regions"] == [] and cleared.json()["countries"] == ["HN"]
    assert_problem(await client.patch(url, json={"regions": None}, headers={**keys.admin, "If-Match": '"3"'}), 422)


async def test_region_filter_finds_places_inside_and_salvador_districts_through_the_crosswalk(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    await _create(client, keys.admin, _commitment(keys.business.id, "In Colotenango", regions=["GT-1319"]))
    await _create(client, keys.admin, _commitment(keys.business.id, "In Huehuetenango", regions=["GT-13"]))
    await _create(client, keys.admin, _commitment(keys.business.id, "In old San Salvador", regions=["SV-0614"]))
    await _create(client, keys.admin, _commitment(keys.other_business.id, "Theirs", regions=["GT-1301"]))
    district = (await client.get("/v1/regions/SV-0614", headers=keys.admin)).json()

    assert await _titles(client, keys.admin, "/v1/commitments", region="GT-13") == {
        "In Colotenango",
        "In Huehuetenango",
        "Theirs",
    }
    assert await _titles(client, keys.admin, "/v1/commitments", region="gt-1319") == {"In Colotenango"}
    assert await _titles(client, keys.admin, "/v1/commitments", region="GT-14") == set()
    assert await _titles(client, keys.admin, "/v1/commitments", region=district["parent"]["id"]) == {
        "In old San Salvador"
    }
    assert await _titles(client, keys.admin, "/v1/commitments", region="SV-06") == {"In old San Salvador"}
    assert await _titles(client, keys.admin, "/v1/commitments", region="GT-99") == set()
    # scoping: a business key's filter still sees only its own commitments
    assert await _titles(client, keys.other_business.headers, "/v1/commitments", region="GT-13") == {"Theirs"}
    assert await _titles(client, keys.partner.headers, "/v1/commitments", region="GT-13") == set()
    assert_problem(await client.get("/v1/commitments", params={"region": "Huehue"}, headers=keys.admin), 422)


async def test_programmes_carry_regions_and_filter_by_them(client: httpx.AsyncClient, keys: Keys) -> None:
    url = f"/v1/partners/{keys.partner.id}/programs"
    body = {"name": "Western Highlands grants", "focus_areas": ["food_security_agriculture"], "regions": ["GT-13"]}
    created = await client.post(url, json=body, headers=keys.partner.headers)
    assert created.status_code == 201, created.text
    assert created.json()["regions"] == ["GT-13"] and created.json()["countries"] == ["GT"]
    bad = await client.post(url, json={**body, "countries": ["SV"]}, headers=keys.partner.headers)
    assert_problem(bad, 422)
    assert await _titles(client, keys.admin, "/v1/programs", region="GT-13") == {"Western Highlands grants"}
    assert await _titles(client, keys.admin, "/v1/programs", region="GT-1319") == set()


async def test_metrics_and_exports_filter_by_region(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    await _create(
        client, keys.admin, _commitment(keys.business.id, "Colotenango", regions=["GT-1319"], amount_usd=2_000_000)
    )
    await _create(client, keys.admin, _commitment(keys.business.id, "Guatemala City", regions=["GT-0101"]))
    async with sessionmaker() as session:
        business = await session.get_one(Business, keys.other_business.id)
        await factories.create_commitment(session, business, title="Theirs", regions=["GT-1302"])
        await session.commit()

    summary = await client.get("/v1/metrics/summary", params={"region": "GT-13"}, headers=keys.viewer)
    assert summary.status_code == 200, summary.text
    totals = summary.json()["totals"]
    assert (totals["commitments"], totals["committed_usd"]) == (2, 3_000_000)
    assert summary.json()["filters"]["region"] == "GT-13"
    mine = await client.get("/v1/metrics/summary", params={"region": "GT-13"}, headers=keys.business.headers)
    assert mine.json()["totals"]["commitments"] == 1

    export = await client.get("/v1/exports/commitments.csv", params={"region": "GT-13"}, headers=keys.admin)
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert {row["title"] for row in rows} == {"Colotenango", "Theirs"}
    assert {row["regions"] for row in rows} == {"GT-1319", "GT-1302"}
    own = await client.get("/v1/exports/commitments.csv", params={"region": "GT"}, headers=keys.admin)
    assert_problem(own, 422)
