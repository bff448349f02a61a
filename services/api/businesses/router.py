"""/v1/businesses: create, list with filters, read, update (If-Match), delete."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import AdminCaller, RecordReads, require
from services.api.businesses import repository, service
from services.api.businesses.schemas import BusinessCreate, BusinessFilters, BusinessRead, BusinessUpdate
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from shared.actor import Actor
from shared.enums import Role
from shared.models import Business

router = APIRouter(
    prefix="/v1/businesses", tags=["businesses"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS
)

Writer = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR))]
Editor = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.BUSINESS))]


@router.post("", status_code=201, summary="Create a business")
async def create_business(
    body: BusinessCreate, response: Response, session: DbSession, _caller: Writer, _idem: IdempotentPost
) -> BusinessRead:
    business = await service.create_business(session, body)
    set_etag(response, business.version)
    response.headers["Location"] = f"/v1/businesses/{business.id}"
    return BusinessRead.model_validate(business)


@router.get("", summary="List businesses")
async def list_businesses(
    reads: RecordReads,
    page: Pagination,
    filters: Annotated[BusinessFilters, Depends(query(BusinessFilters))],
) -> Page[BusinessRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    return Page(items=[BusinessRead.model_validate(b) for b in rows], next_cursor=cursor)


@router.get("/{business_id}", summary="Read a business", responses=problem_responses(404))
async def get_business(business_id: uuid.UUID, response: Response, reads: RecordReads) -> BusinessRead:
    business = await reads.visible(Business, business_id)
    set_etag(response, business["version"])
    return BusinessRead.model_validate(business)


@router.patch("/{business_id}", summary="Change a business", responses=problem_responses(404, 409, 412))
async def update_business(
    business_id: uuid.UUID,
    body: BusinessUpdate,
    response: Response,
    session: DbSession,
    _caller: Editor,
    if_match: IfMatch,
) -> BusinessRead:
    business = await service.update_business(session, business_id, body, if_match)
    set_etag(response, business.version)
    return BusinessRead.model_validate(business)


@router.delete(
    "/{business_id}",
    status_code=204,
    summary="Delete a business and its commitments",
    responses=problem_responses(404, 412),
)
async def delete_business(business_id: uuid.UUID, session: DbSession, _caller: AdminCaller, if_match: IfMatch) -> None:
    await service.delete_business(session, business_id, if_match)
