"""/v1/partners/{id}/programs (create, list) and /v1/programs (list, read, update with If-Match, delete)."""

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
from services.api.programs import repository, service
from services.api.programs.schemas import ProgramCreate, ProgramFilters, ProgramRead, ProgramSearch, ProgramUpdate
from shared.actor import Actor
from shared.enums import Role
from shared.models import Partner, Program

router = APIRouter(tags=["programs"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: A partner key may create and change its own partner's programs; scoping makes any other answer 404.
Editor = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.PARTNER))]

_RUN_NOTE = " A change asks the matcher for a run scoped to this program."


@router.post(
    "/v1/partners/{partner_id}/programs",
    status_code=201,
    summary="Create a program under a partner",
    description="Admin, coordinator, integrator, or the partner's own key." + _RUN_NOTE,
    responses=problem_responses(404),
)
async def create_program(
    partner_id: uuid.UUID,
    body: ProgramCreate,
    response: Response,
    session: DbSession,
    _caller: Editor,
    _idem: IdempotentPost,
) -> ProgramRead:
    program = await service.create_program(session, partner_id, body)
    set_etag(response, program.version)
    response.headers["Location"] = f"/v1/programs/{program.id}"
    return ProgramRead.model_validate(program)


@router.get(
    "/v1/partners/{partner_id}/programs",
    summary="List a partner's programs",
    responses=problem_responses(404),
)
async def list_partner_programs(
    partner_id: uuid.UUID,
    reads: RecordReads,
    page: Pagination,
    filters: Annotated[ProgramFilters, Depends(query(ProgramFilters))],
) -> Page[ProgramRead]:
    partner = await reads.visible(Partner, partner_id)
    rows, cursor = await paginate_reads(
        reads, repository.LISTING, {**filters.given(), "partner_id": partner["id"]}, page
    )
    return Page(items=[ProgramRead.model_validate(p) for p in rows], next_cursor=cursor)


@router.get(
    "/v1/programs",
    summary="List programs",
    description="Oldest first. A partner key sees only its own partner's programs; a business key sees none.",
)
async def list_programs(
    reads: RecordReads,
    page: Pagination,
    filters: Annotated[ProgramSearch, Depends(query(ProgramSearch))],
) -> Page[ProgramRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    return Page(items=[ProgramRead.model_validate(p) for p in rows], next_cursor=cursor)


@router.get("/v1/programs/{program_id}", summary="Read a program", responses=problem_responses(404))
async def get_program(program_id: uuid.UUID, response: Response, reads: RecordReads) -> ProgramRead:
    program = await reads.visible(Program, program_id)
    set_etag(response, program["version"])
    return ProgramRead.model_validate(program)


@router.patch(
    "/v1/programs/{program_id}",
    summary="Change a program",
    description="Only the fields sent change; the ticket range must stay ordered." + _RUN_NOTE,
    responses=problem_responses(404, 409, 412),
)
async def update_program(
    program_id: uuid.UUID,
    body: ProgramUpdate,
    response: Response,
    session: DbSession,
    _caller: Editor,
    if_match: IfMatch,
) -> ProgramRead:
    program = await service.update_program(session, program_id, body, if_match)
    set_etag(response, program.version)
    return ProgramRead.model_validate(program)


@router.delete(
    "/v1/programs/{program_id}",
    status_code=204,
    summary="Delete a program and its matches",
    description="Admin only. To stop new proposals but keep the history, set `active` to false instead.",
    responses=problem_responses(404, 412),
)
async def delete_program(program_id: uuid.UUID, session: DbSession, _caller: AdminCaller, if_match: IfMatch) -> None:
    await service.delete_program(session, program_id, if_match)
