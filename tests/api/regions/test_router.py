"""/v1/regions on the real reference data: filters, accent-insensitive search, pages, one region, coverage."""

import httpx
import pytest

from tests.api.conftest import Keys, assert_problem

pytestmark = pytest.mark.usefixtures("reference_data")


async def _all(client: httpx.AsyncClient, headers: dict[str, str], **params: str) -> list[dict[str, object]]:
    items: list[dict[str, object]] = []
    cursor: str | None = None
    while True:
        query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
        response = await client.get("/v1/regions", params=query, headers=headers)
        assert response.status_code == 200, response.text
        page = response.json()
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items


async def test_every_unit_of_the_shared_file_by_country_and_level(client: httpx.AsyncClient, keys: Keys) -> None:
    counts = {
        ("GT", "department"): 22,
        ("GT", "municipality"): 340,
        ("HN", "department"): 18,
        ("HN", "municipality"): 298,
        ("SV", "department"): 14,
        ("SV", "municipality"): 44,
        ("SV", "district"): 262,
    }
    for (country, level), expected in counts.items():
        items = await _all(client, keys.viewer, country=country, level=level)
        assert len(items) == expected, (country, level)
        assert {item["country"] for item in items} == {country}
        ids = [str(item["id"]) for item in items]
        assert ids == sorted(ids) and len(set(ids)) == expected


async def test_parent_filter_lists_a_departments_municipalities(client: httpx.AsyncClient, keys: Keys) -> None:
    items = await _all(client, keys.business.headers, parent="gt-13")
    assert len(items) == 33  # Huehuetenango's municipalities
    assert all(item["parent_id"] == "GT-13" and str(item["id"]).startswith("GT-13") for item in items)


@pytest.mark.parametrize(
    ("q", "expected"),
    [("quiche", "GT-14"), ("QUICHÉ", "GT-14"), ("sololá", "GT-07"), ("santa eulalia", "GT-1317")],
)
async def test_search_ignores_accents_and_case(client: httpx.AsyncClient, keys: Keys, q: str, expected: str) -> None:
    items = await _all(client, keys.admin, q=q)
    assert expected in {item["id"] for item in items}


async def test_search_takes_like_wildcards_literally(client: httpx.AsyncClient, keys: Keys) -> None:
    assert await _all(client, keys.admin, q="%") == []
    assert await _all(client, keys.admin, q="_") == []


async def test_list_items_carry_their_need_or_say_it_is_unknown(client: httpx.AsyncClient, keys: Keys) -> None:
    guatemala = await _all(client, keys.admin, country="GT", level="municipality")
    assert all(item["need"]["status"] == "known" for item in guatemala)  # type: ignore[index]
    top = min(guatemala, key=lambda item: item["need"]["rank"])  # type: ignore[index]
    assert top["need"]["index"] > 80 and top["need"]["peers"] == 340  # type: ignore[index]
    assert "poverty_headcount" in top["need"]["rests_on"]  # type: ignore[index]
    assert top["need"]["missing"] == ["homicide_rate"]  # type: ignore[index]

    salvador = await _all(client, keys.admin, country="SV", level="municipality")
    assert {item["need"]["status"] for item in salvador} == {"unknown"}  # type: ignore[index]
    assert {item["need"]["index"] for item in salvador} == {None}  # type: ignore[index]
    honduras = await _all(client, keys.admin, country="HN", level="department")
    assert {item["need"]["status"] for item in honduras} == {"partial"}  # type: ignore[index]
    assert all(item["need"]["rests_on"] == ["homicide_rate"] for item in honduras)  # type: ignore[index]


async def test_one_region_with_values_sources_need_components_and_boundary(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    response = await client.get("/v1/regions/gt-1319", headers=keys.partner.headers)
    assert response.status_code == 200, response.text
    region = response.json()
    assert region["name"] == "Colotenango" and region["parent"] == {
        "id": "GT-13",
        "name": "Huehuetenango",
        "level": "department",
    }
    assert region["boundary"]["type"] in ("Polygon", "MultiPolygon")
    values = {value["indicator"]: value for value in region["indicators"]}
    assert values["poverty_headcount"]["year"] == 2023 and values["poverty_headcount"]["unit"] == "%"
    assert values["poverty_headcount"]["source_id"] == "segeplan_sae2023"
    assert values["poverty_headcount"]["label_es"] == "Población en pobreza"
    assert values["population_total"]["direction"] == "context"
    need = region["need"]
    assert need["status"] == "known" and need["coverage"] == 0.85
    used = {component["used"] for component in need["components"]}
    assert used == set(need["rests_on"]) and "homicide_rate" in need["method"]["weights"]


async def test_department_uses_the_survey_estimate_in_place_of_the_model(client: httpx.AsyncClient, keys: Keys) -> None:
    region = (await client.get("/v1/regions/GT-13", headers=keys.admin)).json()
    poverty = next(c for c in region["need"]["components"] if c["indicator"] == "poverty_headcount")
    assert poverty["used"] == "poverty_headcount_direct" and poverty["year"] == 2023
    assert len(region["children"]) == 33


async def test_salvador_district_is_a_former_municipality_inside_its_2024_municipality(
    client: httpx.AsyncClient, keys: Keys
) -> None:
    district = (await client.get("/v1/regions/SV-0614", headers=keys.admin)).json()
    assert district["level"] == "district" and district["name"] == "San Salvador"
    assert district["parent"]["level"] == "municipality"
    municipality = (await client.get(f"/v1/regions/{district['parent']['id']}", headers=keys.admin)).json()
    assert "SV-0614" in {child["id"] for child in municipality["children"]}
    assert municipality["parent"]["id"] == "SV-06"
    assert district["need"]["status"] == "unknown" and district["indicators"] == []


async def test_coverage_says_where_data_is_missing(client: httpx.AsyncClient, keys: Keys) -> None:
    response = await client.get("/v1/regions/coverage", headers={**keys.viewer, "Accept-Language": "es"})
    assert response.status_code == 200 and response.headers["content-language"] == "es"
    by_group = {(c["country"], c["level"]): c for c in response.json()}
    assert by_group[("GT", "municipality")]["need_known"] == 340
    assert by_group[("HN", "municipality")]["need_unknown"] == 298
    assert by_group[("HN", "municipality")]["indicators"] == []
    assert "no cero" in by_group[("SV", "municipality")]["note"]
    assert by_group[("SV", "department")]["with_boundary"] == 14
    assert by_group[("HN", "department")]["with_boundary"] == 0


@pytest.mark.parametrize("region_id", ["GT-99", "XX-01", "not-a-region", "GT-" + "1" * 300])
async def test_unknown_region_is_404(client: httpx.AsyncClient, keys: Keys, region_id: str) -> None:
    assert_problem(await client.get(f"/v1/regions/{region_id}", headers=keys.admin), 404)


@pytest.mark.parametrize(
    "params",
    [{"level": "province"}, {"country": "XX"}, {"parent": "13"}, {"q": ""}, {"q": "x" * 101}, {"limit": "0"}],
)
async def test_bad_filters_are_422(client: httpx.AsyncClient, keys: Keys, params: dict[str, str]) -> None:
    assert_problem(await client.get("/v1/regions", params=params, headers=keys.admin), 422)


async def test_regions_need_a_key(client: httpx.AsyncClient) -> None:
    assert_problem(await client.get("/v1/regions"), 401)
