"""/v1/commitments: create, list with filters, read, update (If-Match), delete."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import AdminCaller, RecordReads, require
from services.api.commitments import repository, service
from services.api.commitments.schemas import CommitmentCreate, CommitmentFilters, CommitmentRead, CommitmentUpdate
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from shared.actor import Actor
from shared.enums import Role
from shared.models import Commitment

router = APIRouter(
    prefix="/v1/commitments", tags=["commitments"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS
)

#: A business key writes its own business's commitments only; scoping makes any other answer 404.
Editor = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.BUSINESS))]

_EFFECTS = (
    " Emits `{event}` to webhook subscribers; a change to title, description, focus areas, countries,"
    " amount, needs or status also asks the matcher for a run scoped to this commitment."
)


@router.post(
    "",
    status_code=201,
    summary="Create a commitment",
    description=(
        "Admin, coordinator, integrator, or a business key for its own business (`business_id` may then"
        " be left out)." + _EFFECTS.format(event="commitment.created")
    ),
    responses=problem_responses(404),
)
async def create_commitment(
    body: CommitmentCreate, response: Response, session: DbSession, caller: Editor, _idem: IdempotentPost
) -> CommitmentRead:
    commitment = await service.create_commitment(session, body, caller)
    set_etag(response, commitment.version)
    response.headers["Location"] = f"/v1/commitments/{commitment.id}"
    return CommitmentRead.model_validate(commitment)


@router.get(
    "",
    summary="List commitments",
    description="Oldest first. A business key sees only its own commitments; a partner key sees none.",
)
async def list_commitments(
    reads: RecordReads,
    page: Pagination,
    filters: Annotated[CommitmentFilters, Depends(query(CommitmentFilters))],
) -> Page[CommitmentRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    return Page(items=[CommitmentRead.model_validate(c) for c in rows], next_cursor=cursor)


@router.get("/{commitment_id}", summary="Read a commitment", responses=problem_responses(404))
async def get_commitment(commitment_id: uuid.UUID, response: Response, reads: RecordReads) -> CommitmentRead:
    commitment = await reads.visible(Commitment, commitment_id)
    set_etag(response, commitment["version"])
    return CommitmentRead.model_validate(commitment)


@router.patch(
    "/{commitment_id}",
    summary="Change a commitment",
    description="Only the fields sent change; sending the current values changes nothing and emits nothing."
    + _EFFECTS.format(event="commitment.updated"),
    responses=problem_responses(404, 409, 412),
)
async def update_commitment(
    commitment_id: uuid.UUID,
    body: CommitmentUpdate,
    response: Response,
    session: DbSession,
    _caller: Editor,
    if_match: IfMatch,
) -> CommitmentRead:
    commitment = await service.update_commitment(session, commitment_id, body, if_match)
    set_etag(response, commitment.version)
    return CommitmentRead.model_validate(commitment)


@router.delete(
    "/{commitment_id}",
    status_code=204,
    summary="Delete a commitment, its reports and its matches",
    description="Admin only. A commitment that will not go ahead is better kept with status `withdrawn`.",
    responses=problem_responses(404, 412),
)
async def delete_commitment(
    commitment_id: uuid.UUID, session: DbSession, _caller: AdminCaller, if_match: IfMatch
) -> None:
    await service.delete_commitment(session, commitment_id, if_match)
