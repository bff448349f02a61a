"""/v1/commitments: create, list with filters, read, update (If-Match), delete."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from services.api.auth.dependencies import AdminCaller, RecordReads, require
from services.api.commitments import repository, service
from services.api.commitments.repository import CommitmentFilters
from services.api.commitments.schemas import CommitmentCreate, CommitmentRead, CommitmentUpdate
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.routing import TransactionalRoute
from shared.actor import Actor
from shared.enums import CommitmentStatus, FocusArea, Initiative, Need, Role
from shared.errors import ValidationFailed
from shared.models import Commitment
from shared.validation import MAX_USD, NO_NUL_PATTERN, CountryCode

router = APIRouter(
    prefix="/v1/commitments", tags=["commitments"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS
)

#: A business key writes its own business's commitments only; scoping makes any other answer 404.
Editor = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR, Role.BUSINESS))]

_EFFECTS = (
    " Emits `{event}` to webhook subscribers; a change to title, description, focus areas, countries,"
    " amount, needs or status also asks the matcher for a run scoped to this commitment."
)


async def _filters(
    business_id: Annotated[uuid.UUID | None, Query(description="Only this business's commitments.")] = None,
    status: Annotated[CommitmentStatus | None, Query()] = None,
    initiative: Annotated[Initiative | None, Query()] = None,
    focus_area: Annotated[FocusArea | None, Query(description="Covers this focus area.")] = None,
    country: Annotated[CountryCode | None, Query(description="In this country.")] = None,
    need: Annotated[Need | None, Query(description="States this need.")] = None,
    announced_from: Annotated[date | None, Query(description="Announced on or after this day.")] = None,
    announced_to: Annotated[date | None, Query(description="Announced on or before this day.")] = None,
    min_amount: Annotated[
        Decimal | None,
        Query(ge=0, le=MAX_USD, allow_inf_nan=False, description="At least this many US dollars."),
    ] = None,
    max_amount: Annotated[
        Decimal | None,
        Query(ge=0, le=MAX_USD, allow_inf_nan=False, description="At most this many US dollars."),
    ] = None,
    q: Annotated[
        str | None,
        Query(pattern=NO_NUL_PATTERN, max_length=200, description="Words in the title or description."),
    ] = None,
) -> CommitmentFilters:
    if announced_from and announced_to and announced_from > announced_to:
        raise ValidationFailed("announced_from is after announced_to", extra={"field": "query.announced_from"})
    if min_amount is not None and max_amount is not None and min_amount > max_amount:
        raise ValidationFailed("min_amount is more than max_amount", extra={"field": "query.min_amount"})
    return CommitmentFilters(
        business_id=business_id,
        status=status.value if status else None,
        initiative=initiative.value if initiative else None,
        focus_area=focus_area.value if focus_area else None,
        country=country,
        need=need.value if need else None,
        announced_from=announced_from,
        announced_to=announced_to,
        min_amount=min_amount,
        max_amount=max_amount,
        q=q,
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
    filters: Annotated[CommitmentFilters, Depends(_filters)],
) -> Page[CommitmentRead]:
    rows, cursor = await paginate_reads(
        reads, repository.listing(filters), page, [SortKey(Commitment.created_at), SortKey(Commitment.id)]
    )
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
