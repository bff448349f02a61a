"""Exports: CSV contents, filters, formula-safe cells, scoping, streaming, IATI 2.03 validity, bad input."""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from lxml import etree
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.exports import repository, service
from shared.actor import Actor
from shared.enums import Role
from shared.indicators import INDICATORS
from shared.models import Business, Commitment, Match, Partner
from shared.records.impact_report import ReportCreate, record_report
from tests import factories
from tests.api.conftest import Keys, assert_problem

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "services/api/exports/iati-2.03/iati-activities-schema.xsd"


@dataclass
class Data:
    mine: Commitment
    formula: Commitment
    theirs: Commitment
    match: Match


@pytest.fixture
async def data(keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]) -> Data:
    async with sessionmaker() as session:
        a = await session.get_one(Business, keys.business.id)
        b = await session.get_one(Business, keys.other_business.id)
        mine = await factories.create_commitment(
            session,
            a,
            title="Coffee resilience",
            countries=["GT", "HN", "SV"],
            focus_areas=["food_security_agriculture", "climate_clean_energy"],
            amount_usd=Decimal("1000000.50"),
            description='Capital de trabajo, "semillas" y formación; 2,000 productores.',
        )
        formula = await factories.create_commitment(
            session,
            a,
            title='=HYPERLINK("http://evil.example")',
            description="-2+3",
            status="stalled",
            announced_on=None,
        )
        theirs = await factories.create_commitment(
            session,
            b,
            title="Digital wallets",
            focus_areas=["digital_financial_inclusion"],
            countries=["SV"],
            initiative="central_america_forward",
            status="withdrawn",
        )
        partner = await session.get_one(Partner, keys.partner.id)
        program = await factories.create_program(session, partner)
        match = Match(
            id=uuid.uuid4(),
            commitment_id=mine.id,
            program_id=program.id,
            partner_id=partner.id,
            business_id=a.id,
            score=0.75,
            components={"focus_areas": 1.0, "geography": 0.5},
            reasons=["shares a focus area", "@both work in Guatemala"],
            status="proposed",
            model_version="v1",
        )
        session.add(match)
        await session.flush()
        period = {"period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)}
        await record_report(
            session,
            mine,
            ReportCreate(**period, metrics={"investment_deployed_usd": 1, "jobs_created": 1}),
            source="api",
            reported_by="first",
        )
        await record_report(
            session,
            mine,
            ReportCreate(
                **period,
                metrics={"investment_deployed_usd": 250000.25, "jobs_created": 40},
                breakdowns={"jobs_created": {"sex": {"female": 22, "male": 18}}},
                notes="=SUM(A1:A9)",
            ),
            source="webhook",
            reported_by="second",
        )
        await record_report(
            session,
            theirs,
            ReportCreate(period_start=date(2024, 4, 1), period_end=date(2024, 6, 30), metrics={"people_reached": 9}),
            source="api",
            reported_by="x",
        )
        await session.commit()
    return Data(mine, formula, theirs, match)


def _rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_commitments_csv(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    rows = _rows(await client.get("/v1/exports/commitments.csv", headers=keys.coordinator))
    by_id = {r["id"]: r for r in rows}
    assert set(by_id) == {str(data.mine.id), str(data.formula.id), str(data.theirs.id)}
    mine = by_id[str(data.mine.id)]
    assert mine["business_name"] == "Cafetalera Los Altos"
    assert mine["countries"] == "GT;HN;SV"
    assert mine["focus_areas"] == "food_security_agriculture;climate_clean_energy"
    assert mine["amount_usd"] == "1000000.50"
    assert mine["description"] == 'Capital de trabajo, "semillas" y formación; 2,000 productores.'
    assert mine["targets"] == '{"jobs_created": 200}'
    assert mine["announced_on"] == "2021-12-13"
    formula = by_id[str(data.formula.id)]
    assert formula["title"] == '\'=HYPERLINK("http://evil.example")'
    assert formula["description"] == "'-2+3"
    assert formula["announced_on"] == ""


async def test_commitments_csv_filters_and_scoping(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    def ids(response: httpx.Response) -> set[str]:
        return {r["id"] for r in _rows(response)}

    get = client.get
    assert ids(await get("/v1/exports/commitments.csv", params={"country": "SV"}, headers=keys.admin)) == {
        str(data.mine.id),
        str(data.theirs.id),
    }
    assert ids(await get("/v1/exports/commitments.csv", params={"status": "stalled"}, headers=keys.admin)) == {
        str(data.formula.id)
    }
    assert ids(
        await get(
            "/v1/exports/commitments.csv",
            params={"initiative": "central_america_forward"},
            headers=keys.admin,
        )
    ) == {str(data.theirs.id)}
    assert ids(await get("/v1/exports/commitments.csv", headers=keys.business.headers)) == {
        str(data.mine.id),
        str(data.formula.id),
    }
    other = {"business_id": str(keys.other_business.id)}
    assert ids(await get("/v1/exports/commitments.csv", params=other, headers=keys.business.headers)) == set()
    empty = await get("/v1/exports/commitments.csv", headers=keys.partner.headers)
    assert _rows(empty) == []
    assert empty.text.splitlines()[0] == ",".join(service.COMMITMENT_COLUMNS)


async def test_matches_csv_has_component_columns(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    response = await client.get("/v1/exports/matches.csv", headers=keys.admin)
    rows = _rows(response)
    assert response.text.splitlines()[0].endswith(",component_focus_areas,component_geography")
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(data.match.id)
    assert (row["score"], row["component_focus_areas"], row["component_geography"]) == ("0.75", "1.0", "0.5")
    assert row["reasons"] == "shares a focus area | @both work in Guatemala"
    assert row["status"] == "proposed"
    assert _rows(await client.get("/v1/exports/matches.csv", headers=keys.partner.headers))[0]["id"] == str(
        data.match.id
    )
    assert _rows(await client.get("/v1/exports/matches.csv", headers=keys.other_partner.headers)) == []
    assert _rows(await client.get("/v1/exports/matches.csv", params={"min_score": 0.8}, headers=keys.admin)) == []
    assert _rows(await client.get("/v1/exports/matches.csv", params={"status": "declined"}, headers=keys.admin)) == []


async def test_reports_csv(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    response = await client.get("/v1/exports/reports.csv", headers=keys.admin)
    assert response.text.splitlines()[0] == ",".join(service.REPORT_COLUMNS)
    rows = _rows(response)
    assert [(r["commitment_id"], r["period_start"]) for r in rows] == sorted(
        [(str(data.mine.id), "2024-01-01"), (str(data.theirs.id), "2024-04-01")]
    )
    mine = next(r for r in rows if r["commitment_id"] == str(data.mine.id))
    assert mine["investment_deployed_usd"] == "250000.25"
    assert mine["jobs_created"] == "40"
    assert mine["people_reached"] == ""
    assert mine["breakdowns"] == '{"jobs_created": {"sex": {"female": 22, "male": 18}}}'
    assert mine["notes"] == "'=SUM(A1:A9)"
    assert mine["source"] == "webhook"
    assert set(INDICATORS) <= set(mine)

    history = _rows(
        await client.get("/v1/exports/reports.csv", params={"include_replaced": "true"}, headers=keys.admin)
    )
    assert sorted(r["reported_by"] for r in history) == ["first", "second", "x"]
    window = {"from": "2024-04-01", "to": "2024-12-31"}
    assert [
        r["reported_by"] for r in _rows(await client.get("/v1/exports/reports.csv", params=window, headers=keys.admin))
    ] == ["x"]
    assert [
        r["reported_by"] for r in _rows(await client.get("/v1/exports/reports.csv", headers=keys.business.headers))
    ] == ["second"]


async def test_streams_in_chunks(
    client: httpx.AsyncClient, keys: Keys, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    async with sessionmaker() as session:
        business = await session.get_one(Business, keys.business.id)
        for i in range(5):
            session.add(
                Commitment(
                    id=uuid.uuid4(),
                    business_id=business.id,
                    title=f"C{i}",
                    focus_areas=[],
                    countries=[],
                    needs=[],
                )
            )
        await session.commit()
    response = await client.get("/v1/exports/commitments.csv", headers=keys.admin)
    assert len(_rows(response)) == 5
    # the generator itself: a header, then one piece per cursor chunk (ASGITransport buffers the body)
    pieces = [
        piece
        async for piece in service.stream(
            sessionmaker,
            Actor(role=Role.BUSINESS, organization_id=keys.business.id),
            repository.commitments(repository.CommitmentFilters()),
            service.commitment_rows,
            head="head\r\n",
            chunk_rows=2,
        )
    ]
    assert pieces[0] == "head\r\n"
    assert [piece.count("\r\n") for piece in pieces[1:]] == [2, 2, 1]


def _schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


async def test_iati_xml_is_valid_2_03(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    response = await client.get("/v1/exports/commitments.iati.xml", headers=keys.admin)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/xml"
    document = etree.fromstring(response.content)
    schema = _schema()
    assert schema.validate(document), schema.error_log
    assert document.get("version") == "2.03"
    activities = document.findall("iati-activity")
    assert len(activities) == 3
    mine = next(a for a in activities if a.findtext("iati-identifier", "").endswith(str(data.mine.id)))
    assert [c.get("percentage") for c in mine.findall("recipient-country")] == ["33.33", "33.33", "33.34"]
    assert [s.get("code") for s in mine.findall("sector")] == [
        "food_security_agriculture",
        "climate_clean_energy",
    ]
    assert mine.find("activity-status").get("code") == "2"  # type: ignore[union-attr]
    transactions = [
        (t.find("transaction-type").get("code"), t.findtext("value"))  # type: ignore[union-attr]
        for t in mine.findall("transaction")
    ]
    # the pledge, then the current report's dollars deployed (the replaced report's 1 USD is not there)
    assert transactions == [("2", "1000000.50"), ("3", "250000.25")]
    assert mine.findtext("participating-org/narrative") == "Cafetalera Los Altos"
    statuses = {a.findtext("title/narrative"): a.find("activity-status").get("code") for a in activities}  # type: ignore[union-attr]
    assert statuses == {
        "Coffee resilience": "2",
        '=HYPERLINK("http://evil.example")': "6",
        "Digital wallets": "5",
    }


async def test_iati_xml_scoped_and_filtered(client: httpx.AsyncClient, keys: Keys, data: Data) -> None:
    response = await client.get(
        "/v1/exports/commitments.iati.xml",
        params={"status": "withdrawn"},
        headers=keys.other_business.headers,
    )
    document = etree.fromstring(response.content)
    assert _schema().validate(document)
    assert [a.findtext("title/narrative") for a in document.findall("iati-activity")] == ["Digital wallets"]
    empty = await client.get("/v1/exports/commitments.iati.xml", headers=keys.partner.headers)
    assert etree.fromstring(empty.content).findall("iati-activity") == []


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/v1/exports/commitments.csv", {"focus_area": "astrology"}, "query.focus_area"),
        ("/v1/exports/commitments.csv", {"country": "QQ"}, "query.country"),
        ("/v1/exports/commitments.csv", {"status": "paused"}, "query.status"),
        ("/v1/exports/commitments.csv", {"business_id": "nope"}, "query.business_id"),
        ("/v1/exports/matches.csv", {"min_score": 2}, "query.min_score"),
        ("/v1/exports/matches.csv", {"status": "maybe"}, "query.status"),
        ("/v1/exports/matches.csv", {"partner_id": "1"}, "query.partner_id"),
        ("/v1/exports/reports.csv", {"from": "2024-13-01"}, "query.from"),
        ("/v1/exports/reports.csv", {"from": "2024-05-01", "to": "2024-01-01"}, "query.from"),
        ("/v1/exports/reports.csv", {"include_replaced": "perhaps"}, "query.include_replaced"),
        ("/v1/exports/commitments.iati.xml", {"initiative": "x"}, "query.initiative"),
    ],
)
async def test_bad_parameters(
    client: httpx.AsyncClient, keys: Keys, path: str, params: dict[str, str], field: str
) -> None:
    problem = assert_problem(await client.get(path, params=params, headers=keys.admin), 422)
    assert field in [e["field"] for e in problem["errors"]]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/exports/commitments.csv",
        "/v1/exports/matches.csv",
        "/v1/exports/reports.csv",
        "/v1/exports/commitments.iati.xml",
    ],
)
async def test_roles(client: httpx.AsyncClient, keys: Keys, path: str) -> None:
    assert_problem(await client.get(path, headers=keys.viewer), 403)
    assert_problem(await client.get(path), 401)
    assert (await client.get(path, headers=keys.integrator)).status_code == 200
