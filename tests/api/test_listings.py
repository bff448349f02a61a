"""List endpoints: filters bind by name into statements built once per shape, and are documented."""

from typing import Any

import httpx
import pytest
from sqlalchemy import bindparam

from services.api.businesses import repository as businesses
from services.api.businesses.schemas import BusinessFilters
from services.api.commitments import repository as commitments
from services.api.commitments.schemas import CommitmentFilters
from services.api.exports.schemas import CommitmentFilters as CommitmentExport
from services.api.exports.schemas import MatchFilters as MatchExport
from services.api.exports.schemas import ReportFilters as ReportExport
from services.api.kit.pagination import Listing, PageParams, SortKey
from services.api.kit.query import QueryModel
from services.api.main import create_app
from services.api.match_runs.schemas import MatchRunFilters
from services.api.matches.schemas import MatchQuery
from services.api.metrics.schemas import MetricQuery
from services.api.partners import repository as partners
from services.api.partners.schemas import PartnerFilters
from services.api.programs import repository as programs
from services.api.programs.schemas import ProgramFilters, ProgramSearch
from services.api.regions import repository as regions
from services.api.regions.schemas import FiguresQuery, RegionFilters
from services.api.reports import repository as reports
from services.api.reports.schemas import ReportListing
from shared.models import Business
from tests.api.conftest import Keys, assert_problem

LISTINGS: list[tuple[Listing, type[QueryModel]]] = [
    (businesses.LISTING, BusinessFilters),
    (partners.LISTING, PartnerFilters),
    (programs.LISTING, ProgramSearch),
    (commitments.LISTING, CommitmentFilters),
    (regions.LISTING, RegionFilters),
]

#: Each list endpoint and the query models it reads.
DOCUMENTED: list[tuple[str, list[type[QueryModel]]]] = [
    ("/v1/businesses", [PageParams, BusinessFilters]),
    ("/v1/partners", [PageParams, PartnerFilters]),
    ("/v1/partners/{partner_id}/programs", [PageParams, ProgramFilters]),
    ("/v1/programs", [PageParams, ProgramSearch]),
    ("/v1/commitments", [PageParams, CommitmentFilters]),
    ("/v1/commitments/{commitment_id}/reports", [PageParams, ReportListing]),
    ("/v1/matches", [PageParams, MatchQuery]),
    ("/v1/match-runs", [PageParams, MatchRunFilters]),
    ("/v1/metrics/summary", [MetricQuery]),
    ("/v1/regions", [PageParams, RegionFilters]),
    ("/v1/regions/figures", [FiguresQuery]),
    ("/v1/exports/commitments.csv", [CommitmentExport]),
    ("/v1/exports/matches.csv", [MatchExport]),
    ("/v1/exports/reports.csv", [ReportExport]),
]


@pytest.mark.parametrize(("listing", "filters"), LISTINGS, ids=lambda v: getattr(v, "__name__", ""))
def test_every_filter_has_its_condition(listing: Listing, filters: type[QueryModel]) -> None:
    assert set(listing.conditions) == set(filters.model_fields)


def test_report_filters_name_its_conditions() -> None:
    assert set(reports.listing_filters(commitment_id=None, include_replaced=False)) == set(reports.LISTING.conditions)  # type: ignore[arg-type]


def test_a_condition_binds_only_its_own_filter() -> None:
    with pytest.raises(ValueError, match="may bind only 'country'"):
        Listing(
            businesses.LISTING.rows,
            [SortKey(Business.id)],
            {"country": Business.hq_country == bindparam("hq_country")},
        )


@pytest.mark.parametrize(("listing", "filters"), LISTINGS, ids=lambda v: getattr(v, "__name__", ""))
def test_a_shape_carries_no_values(listing: Listing, filters: type[QueryModel]) -> None:
    """Everything a statement binds is named, or a constant of the listing itself (a text-search config)."""
    statement = listing.statement(frozenset(listing.conditions), after_cursor=True)
    cache_key = statement._generate_cache_key()
    assert cache_key is not None
    constants = {bind.value for bind in cache_key.bindparams if not bind.required}
    assert constants <= {"simple"}


@pytest.mark.parametrize(("path", "models"), DOCUMENTED)
def test_the_openapi_document_lists_each_query_models_fields(path: str, models: list[type[QueryModel]]) -> None:
    operation = create_app().openapi()["paths"][path]["get"]
    documented = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
    fields = [field.alias or name for model in models for name, field in model.model_fields.items()]
    assert [name for name in documented if name in fields] == fields
    assert len(documented) == len(set(documented))


async def test_query_parameters_are_read_as_fastapi_reads_them(client: httpx.AsyncClient, keys: Keys) -> None:
    async def names(query: str) -> Any:
        response = await client.get(f"/v1/businesses?{query}", headers=keys.admin)
        assert response.status_code == 200, response.text
        return [b["name"] for b in response.json()["items"]]

    everyone = await names("")
    assert everyone == ["Cafetalera Los Altos", "Istmo Digital Payments"]
    assert await names("sector=coffee&unknown=1") == ["Cafetalera Los Altos"]  # unknown parameters are ignored
    assert await names("sector=nothing&sector=fintech") == ["Istmo Digital Payments"]  # the last one counts
    assert await names("limit=1&women_led=0") == ["Cafetalera Los Altos"]


async def test_a_bad_query_parameter_is_a_problem_naming_it(client: httpx.AsyncClient, keys: Keys) -> None:
    for query, field in (
        ("country=XX", "query.country"),
        ("women_led=maybe", "query.women_led"),
        ("limit=0", "query.limit"),
        ("limit=ten", "query.limit"),
        ("size=huge", "query.size"),
        ("limit=100000", "query.limit"),
    ):
        response = await client.get(f"/v1/businesses?{query}", headers=keys.admin)
        assert_problem(response, 422)
        assert [e["field"] for e in response.json()["errors"]] == [field], query
    commitments_problem = await client.get("/v1/commitments?min_amount=5&max_amount=1", headers=keys.admin)
    assert_problem(commitments_problem, 422)
    assert commitments_problem.json()["errors"][0]["field"] == "query.min_amount"
