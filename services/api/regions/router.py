"""/v1/regions: the reference regions, their need figures, latest indicators and coverage."""

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import reads_for
from services.api.deps import AppSettings, CallerReads, DbSession
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.regions import repository, service
from services.api.regions.language import Language
from services.api.regions.schemas import (
    CoverageRead,
    FiguresQuery,
    LevelFiguresRead,
    RegionDetail,
    RegionFilters,
    RegionRead,
)
from shared.enums import Role

router = APIRouter(prefix="/v1/regions", tags=["regions"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: Reference data: every key reads the same regions and need figures.
RegionReads = Annotated[CallerReads, Depends(reads_for(*Role))]

NEED_NOTE = (
    " Each region's `need` is its need index among the regions of the same country and level, with"
    " its coverage and the indicators it rests on; a region without data is `unknown`, never 0."
)


@router.get(
    "",
    summary="List regions",
    description="Departments, municipalities and El Salvador's districts, ordered by id." + NEED_NOTE,
)
async def list_regions(
    reads: RegionReads,
    session: DbSession,
    settings: AppSettings,
    page: Pagination,
    filters: Annotated[RegionFilters, Depends(query(RegionFilters))],
) -> Page[RegionRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    need = await service.layer(session, settings)
    return Page(items=[service.region_read(row, need) for row in rows], next_cursor=cursor)


@router.get(
    "/coverage",
    summary="Where need data exists and where it is missing",
    description="Per country and level: regions with a known need index, partial and unknown ones, regions"
    " with a boundary, and the regions each indicator covers. Notes follow Accept-Language (es or en).",
)
async def get_coverage(
    _reads: RegionReads, session: DbSession, settings: AppSettings, language: Language, response: Response
) -> list[CoverageRead]:
    response.headers["Content-Language"] = language
    return await service.coverage(session, settings, language)


@router.get(
    "/figures",
    summary="Commitments, dollars and results by place, set against the need there",
    description="Every department or municipality of a country with the commitments landing there, the dollars"
    " committed and the results reported (`metric`), beside its need index; and `need_served`: the mean need"
    " where the results landed, against the mean need where people live (the baseline), and the share of"
    " results in the highest-need fifth. A commitment in n places counts 1/n in each; one naming only larger"
    " places is counted under `not_placed`. A scoped key's figures are its own commitments'.",
)
async def get_figures(
    _reads: RegionReads,
    session: DbSession,
    settings: AppSettings,
    language: Language,
    query_: Annotated[FiguresQuery, Depends(query(FiguresQuery))],
) -> LevelFiguresRead:
    found, _, note = await service.figures(session, settings, query_, language, with_boundaries=False)
    return service.figures_read(found, query_, note)


@router.get(
    "/{region_id}",
    summary="Read a region",
    description="The region, its parent and children, its boundary where known, the latest current value of"
    " each indicator with its source and release, and its need index with every component." + NEED_NOTE,
    responses=problem_responses(404),
)
async def get_region(region_id: str, reads: RegionReads, session: DbSession, settings: AppSettings) -> RegionDetail:
    return await service.region_detail(reads, session, settings, region_id)
