"""/v1/match-runs: request a run (202, queued for the worker), read one, list them."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import CoordinatorCaller
from services.api.deps import DbSession
from services.api.kit.etag import set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.match_runs import repository, service
from services.api.match_runs.schemas import MatchRunCreate, MatchRunFilters, MatchRunRead
from shared.models import MatchRun

router = APIRouter(
    prefix="/v1/match-runs", tags=["match runs"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS
)


@router.post(
    "",
    status_code=202,
    summary="Request a match run (queued for the worker)",
    responses=problem_responses(404),
)
async def request_run(
    body: MatchRunCreate,
    response: Response,
    session: DbSession,
    caller: CoordinatorCaller,
    _idem: IdempotentPost,
) -> MatchRunRead:
    run = await service.request_run(session, body, caller)
    set_etag(response, run.version)
    response.headers["Location"] = f"/v1/match-runs/{run.id}"
    return MatchRunRead.model_validate(run)


@router.get("", summary="List match runs, newest first")
async def list_runs(
    session: DbSession,
    _caller: CoordinatorCaller,
    page: Pagination,
    filters: Annotated[MatchRunFilters, Depends(query(MatchRunFilters))],
) -> Page[MatchRunRead]:
    rows, cursor = await paginate(
        session,
        repository.listing(filters),
        page,
        [SortKey(MatchRun.created_at, descending=True), SortKey(MatchRun.id, descending=True)],
    )
    return Page(items=[MatchRunRead.model_validate(r) for r in rows], next_cursor=cursor)


@router.get("/{run_id}", summary="Read a match run", responses=problem_responses(404))
async def get_run(
    run_id: uuid.UUID, response: Response, session: DbSession, _caller: CoordinatorCaller
) -> MatchRunRead:
    run = await service.get_run(session, run_id)
    set_etag(response, run.version)
    return MatchRunRead.model_validate(run)
