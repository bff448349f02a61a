"""/v1/maps/{subject}.svg: valid SVG, one path per unit, gaps drawn as gaps, legend and source line;
and /v1/regions/figures: results set against the need where they landed."""

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from lxml import etree
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.maps.render import MapText, MapUnit, Scale, quantile_breaks, render_svg
from shared.models import Business, Commitment
from shared.records.impact_report import ReportCreate, ReportSource, record_report
from tests import factories
from tests.api.conftest import Keys, assert_problem

pytestmark = pytest.mark.usefixtures("reference_data")

SVG = "{http://www.w3.org/2000/svg}"
#: The map the README shows, rendered by the test that checks it.
README_MAP = Path(__file__).resolve().parents[3] / "docs" / "maps" / "need_GT_municipality.svg"


def _parse(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    return etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))


def _units(svg: Any) -> dict[str, Any]:
    return {path.get("data-region"): path for path in svg.iter(f"{SVG}path") if path.get("data-region")}


def _text(svg: Any) -> str:
    return " ".join("".join(node.itertext()) for node in svg.iter(f"{SVG}text"))


async def test_need_map_of_guatemalas_municipalities(client: httpx.AsyncClient, keys: Keys) -> None:
    response = await client.get(
        "/v1/maps/need.svg", params={"country": "GT", "level": "municipality"}, headers=keys.viewer
    )
    svg = _parse(response)
    units = _units(svg)
    assert len(units) == 340 and all(len(path.get("d")) > 20 for path in units.values())
    colours = {path.get("fill") for path in units.values()}
    assert "url(#no-data)" not in colours and len(colours) >= 4
    text = _text(svg)
    assert "Need index by municipality, Guatemala" in text
    assert "segeplan_sae2023" in text and "ine_gt_censo2018" in text  # the source line
    assert "no data (0)" in text
    assert "Colotenango" in "".join(units["GT-1319"].itertext())
    README_MAP.parent.mkdir(parents=True, exist_ok=True)
    README_MAP.write_bytes(response.content)


async def test_salvador_departments_are_drawn_as_gaps_in_spanish(client: httpx.AsyncClient, keys: Keys) -> None:
    response = await client.get(
        "/v1/maps/need.svg",
        params={"country": "SV", "level": "department"},
        headers={**keys.business.headers, "Accept-Language": "es-SV,es;q=0.9"},
    )
    svg = _parse(response)
    units = _units(svg)
    assert len(units) == 14 and {path.get("fill") for path in units.values()} == {"url(#no-data)"}
    text = _text(svg)
    assert "Índice de necesidad por departamento, El Salvador" in text
    assert "sin datos (14)" in text and "desconocido, no cero" in text
    assert response.headers["content-language"] == "es"


async def _commitment(
    sessionmaker: async_sessionmaker[AsyncSession], business_id: uuid.UUID, regions: list[str], **fields: Any
) -> Commitment:
    async with sessionmaker() as session:
        business = await session.get_one(Business, business_id)
        commitment = await factories.create_commitment(session, business, regions=regions, **fields)
        await session.commit()
    return commitment


async def _report(sessionmaker: async_sessionmaker[AsyncSession], commitment: Commitment, **metrics: float) -> None:
    async with sessionmaker() as session:
        row = await session.get_one(Commitment, commitment.id)
        data = ReportCreate.model_validate(
            {"period_start": "2024-01-01", "period_end": "2024-03-31", "metrics": metrics}
        )
        await record_report(session, row, data, source=ReportSource.API, reported_by="test")
        await session.commit()


async def test_commitments_dollars_and_results_land_where_they_say(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    # Colotenango (GT-1319) is the highest-need municipality; Guatemala City (GT-0101) among the lowest
    high = await _commitment(sessionmaker, keys.business.id, ["GT-1319"], amount_usd=3_000_000)
    split = await _commitment(sessionmaker, keys.business.id, ["GT-1319", "GT-0101"], amount_usd=2_000_000)
    await _commitment(sessionmaker, keys.other_business.id, ["GT-13"], amount_usd=5_000_000)  # department only
    await _commitment(sessionmaker, keys.business.id, ["GT-0101"], amount_usd=9, status="withdrawn")
    await _report(sessionmaker, high, people_reached=600)
    await _report(sessionmaker, split, people_reached=400)

    params = {"country": "GT", "level": "municipality", "metric": "people_reached"}
    figures = (await client.get("/v1/regions/figures", params=params, headers=keys.admin)).json()
    by_unit = {unit["region_id"]: unit for unit in figures["units"]}
    assert (by_unit["GT-1319"]["commitments"], by_unit["GT-1319"]["committed_usd"]) == (2, 4_000_000)
    assert (by_unit["GT-0101"]["commitments"], by_unit["GT-0101"]["committed_usd"]) == (1, 1_000_000)
    assert (by_unit["GT-1319"]["results"], by_unit["GT-0101"]["results"]) == (800, 200)
    assert figures["not_placed"] == {"commitments": 1, "committed_usd": 5_000_000, "results": 0}
    served = figures["need_served"]
    high_need, low_need = by_unit["GT-1319"]["need"]["index"], by_unit["GT-0101"]["need"]["index"]
    assert served["mean_need_where_results_landed"] == pytest.approx((800 * high_need + 200 * low_need) / 1000, abs=0.1)
    assert served["share_of_results_in_highest_need_fifth"] == 0.8 and by_unit["GT-1319"]["highest_need"]
    assert served["mean_need_where_people_live"] < served["mean_need_where_results_landed"]

    dollars = _parse(await client.get("/v1/maps/committed_usd.svg", params=params, headers=keys.admin))
    units = _units(dollars)
    assert len(units) == 340 and units["GT-0102"].get("fill") == "#f7f7f2"  # none committed: zero, not a gap
    assert "5,000,000 USD" in _text(dollars)  # the department-only commitment is said, not drawn

    results = _parse(await client.get("/v1/maps/results.svg", params=params, headers=keys.admin))
    outlined = list(results.iter(f"{SVG}path"))
    assert len(_units(results)) == 340 and len(outlined) == 340 + 68  # the highest-need fifth outlined
    assert "80 %" in _text(results)

    # a business key's map counts its own commitments only
    own = (await client.get("/v1/regions/figures", params=params, headers=keys.other_business.headers)).json()
    assert sum(unit["commitments"] for unit in own["units"]) == 0 and own["not_placed"]["commitments"] == 1
    counted = _parse(await client.get("/v1/maps/commitments.svg", params=params, headers=keys.business.headers))
    assert "".join(_units(counted)["GT-1319"].itertext()).endswith(": 2")


async def test_department_maps_and_levels_without_boundaries(client: httpx.AsyncClient, keys: Keys) -> None:
    departments = _parse(
        await client.get(
            "/v1/maps/commitments.svg", params={"country": "GT", "level": "department"}, headers=keys.admin
        )
    )
    assert len(_units(departments)) == 22
    for params in ({"country": "HN", "level": "department"}, {"country": "SV", "level": "municipality"}):
        problem = assert_problem(await client.get("/v1/maps/need.svg", params=params, headers=keys.admin), 404)
        assert "no boundaries" in str(problem["detail"])


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/v1/maps/poverty.svg", {"country": "GT", "level": "department"}, 422),
        ("/v1/maps/need.svg", {"level": "department"}, 422),
        ("/v1/maps/need.svg", {"country": "GT", "level": "province"}, 422),
        ("/v1/maps/results.svg", {"country": "GT", "level": "department", "metric": "smiles"}, 422),
        ("/v1/regions/figures", {"country": "ZZ", "level": "department"}, 422),
    ],
)
async def test_bad_map_requests(
    client: httpx.AsyncClient, keys: Keys, path: str, params: dict[str, str], status: int
) -> None:
    assert_problem(await client.get(path, params=params, headers=keys.admin), status)
    assert_problem(await client.get(path, params=params), 401)


def _square(x: float, y: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]}


def test_render_is_pure_escapes_text_and_hatches_gaps() -> None:
    units = [
        MapUnit("XX-01", "<script>alert(1)</script>", _square(0, 0), 10.0, "10"),
        MapUnit(
            "XX-02",
            "Dos & Tres",
            {"type": "MultiPolygon", "coordinates": [[_square(1, 0)["coordinates"][0]]]},
            None,
            "—",
        ),
        MapUnit("XX-03", "Cuatro", _square(2, 0), 0.0, "0", outlined=True),
    ]
    scale = Scale((10.0, 20.0), ("10 to 20",), zero_label="none")
    text = MapText("T <b>", "S", "no data", "source: x", notes=("a note",), outline="top")
    svg = etree.fromstring(render_svg(units, scale, text).encode())
    paths = {p.get("data-region"): p for p in svg.iter(f"{SVG}path") if p.get("data-region")}
    assert set(paths) == {"XX-01", "XX-02", "XX-03"}
    assert paths["XX-02"].get("fill") == "url(#no-data)" and paths["XX-03"].get("fill") == "#f7f7f2"
    assert not list(svg.iter(f"{SVG}script"))
    assert "<script>alert(1)</script>" in "".join(str(part) for part in paths["XX-01"].itertext())
    assert "no data (1)" in _text(svg) and "top" in _text(svg) and "source: x" in _text(svg)
    with pytest.raises(ValueError):
        render_svg([], scale, text)


def test_quantile_breaks_skip_zeros_and_merge_ties() -> None:
    assert quantile_breaks([0, 0, 0]) == ()
    assert quantile_breaks([5, 5, 5]) == (5, 5)
    assert quantile_breaks([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == (1, 3, 5, 7, 9, 10)
