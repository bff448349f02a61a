"""/v1/commitments/{id}/reports (report progress, list) and /v1/reports/{id}."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import RecordReads, require
from services.api.deps import DbSession
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.reports import repository, service
from services.api.reports.schemas import ReportCreate, ReportListing, ReportRead
from shared.actor import Actor
from shared.enums import Role
from shared.models import Commitment, ImpactReport

router = APIRouter(tags=["impact reports"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

Reporter = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.BUSINESS))]


@router.post(
    "/v1/commitments/{commitment_id}/reports",
    status_code=201,
    summary="Report a commitment's results for a period",
    description=(
        "Values per indicator code for one period. A later report for the same commitment and the same"
        " period replaces the earlier one: the earlier is kept as history (`replaced_at` set) and no longer"
        " counts in figures. A business key may report on its own commitments only."
    ),
    responses=problem_responses(404),
)
async def create_report(
    commitment_id: uuid.UUID,
    body: ReportCreate,
    response: Response,
    session: DbSession,
    caller: Reporter,
    _idem: IdempotentPost,
) -> ReportRead:
    report = await service.create_report(session, commitment_id, body, caller)
    response.headers["Location"] = f"/v1/reports/{report.id}"
    return ReportRead.model_validate(report)


@router.get(
    "/v1/commitments/{commitment_id}/reports",
    summary="List a commitment's reports",
    responses=problem_responses(404),
)
async def list_reports(
    commitment_id: uuid.UUID,
    reads: RecordReads,
    page: Pagination,
    listing: Annotated[ReportListing, Depends(query(ReportListing))],
) -> Page[ReportRead]:
    await reads.visible(Commitment, commitment_id)
    filters = repository.listing_filters(commitment_id, include_replaced=listing.include_replaced)
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters, page)
    return Page(items=[ReportRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/v1/reports/{report_id}", summary="Read a report", responses=problem_responses(404))
async def get_report(report_id: uuid.UUID, reads: RecordReads) -> ReportRead:
    return ReportRead.model_validate(await reads.visible(ImpactReport, report_id, label="report"))
