"""/v1/partners: create, list with filters, read, update (If-Match), delete."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import AdminCaller, RecordReads, require
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.partners import repository, service
from services.api.partners.schemas import PartnerCreate, PartnerFilters, PartnerRead, PartnerUpdate
from shared.actor import Actor
from shared.enums import Role
from shared.models import Partner

router = APIRouter(prefix="/v1/partners", tags=["partners"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

Writer = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR))]
#: A partner key may change its own partner; scoping makes any other answer 404.
Editor = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.PARTNER))]


@router.post(
    "",
    status_code=201,
    summary="Create a partner",
    description="Admin, coordinator and integrator keys. The answer's `ETag` is the new partner's version.",
)
async def create_partner(
    body: PartnerCreate, response: Response, session: DbSession, _caller: Writer, _idem: IdempotentPost
) -> PartnerRead:
    partner = await service.create_partner(session, body)
    set_etag(response, partner.version)
    response.headers["Location"] = f"/v1/partners/{partner.id}"
    return PartnerRead.model_validate(partner)


@router.get(
    "",
    summary="List partners",
    description="Oldest first. A partner key sees only its own partner; a business key sees none.",
)
async def list_partners(
    reads: RecordReads,
    page: Pagination,
    filters: Annotated[PartnerFilters, Depends(query(PartnerFilters))],
) -> Page[PartnerRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    return Page(items=[PartnerRead.model_validate(p) for p in rows], next_cursor=cursor)


@router.get("/{partner_id}", summary="Read a partner", responses=problem_responses(404))
async def get_partner(partner_id: uuid.UUID, response: Response, reads: RecordReads) -> PartnerRead:
    partner = await reads.visible(Partner, partner_id)
    set_etag(response, partner["version"])
    return PartnerRead.model_validate(partner)


@router.patch(
    "/{partner_id}",
    summary="Change a partner",
    description="Only the fields sent change. A partner key may change its own partner only.",
    responses=problem_responses(404, 409, 412),
)
async def update_partner(
    partner_id: uuid.UUID,
    body: PartnerUpdate,
    response: Response,
    session: DbSession,
    _caller: Editor,
    if_match: IfMatch,
) -> PartnerRead:
    partner = await service.update_partner(session, partner_id, body, if_match)
    set_etag(response, partner.version)
    return PartnerRead.model_validate(partner)


@router.delete(
    "/{partner_id}",
    status_code=204,
    summary="Delete a partner, its programs and their matches",
    responses=problem_responses(404, 412),
)
async def delete_partner(partner_id: uuid.UUID, session: DbSession, _caller: AdminCaller, if_match: IfMatch) -> None:
    await service.delete_partner(session, partner_id, if_match)
