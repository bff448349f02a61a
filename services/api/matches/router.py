"""/v1/matches: review proposed introductions (filter, sort, page), read one, decide it (If-Match)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import RecordReader, require
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.matches import repository, service
from services.api.matches.repository import MatchFilters
from services.api.matches.schemas import (
    MatchDecisionCreate,
    MatchDecisionRead,
    MatchDetail,
    MatchQuery,
    MatchRead,
    MatchSort,
    SortOrder,
)
from shared.actor import Actor
from shared.enums import Role
from shared.models import Match, MatchDecision

router = APIRouter(prefix="/v1/matches", tags=["matches"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: Coordinators and admins take every decision; a partner key may decline its own organisation's matches.
Decider = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.PARTNER))]


def _filters(selection: MatchQuery) -> MatchFilters:
    return MatchFilters(
        statuses=tuple(s.value for s in selection.status or ()),
        partner_id=selection.partner_id,
        business_id=selection.business_id,
        commitment_id=selection.commitment_id,
        program_id=selection.program_id,
        run_id=selection.run_id,
        min_score=selection.min_score,
    )


def _detail(match: Match, decisions: list[MatchDecision]) -> MatchDetail:
    read = MatchRead.model_validate(match)
    return MatchDetail(**read.model_dump(), decisions=[MatchDecisionRead.model_validate(d) for d in decisions])


@router.get("", summary="List matches (best first by default)")
async def list_matches(
    session: DbSession,
    _caller: RecordReader,
    page: Pagination,
    selection: Annotated[MatchQuery, Depends(query(MatchQuery))],
) -> Page[MatchRead]:
    descending = selection.order is SortOrder.DESC
    column = Match.score if selection.sort is MatchSort.SCORE else Match.created_at
    rows, cursor = await paginate(
        session,
        repository.listing(_filters(selection)),
        page,
        [SortKey(column, descending=descending), SortKey(Match.id, descending=descending)],
    )
    return Page(items=[MatchRead.model_validate(m) for m in rows], next_cursor=cursor)


@router.get(
    "/{match_id}",
    summary="Read a match with its components, reasons and decisions",
    responses=problem_responses(404),
)
async def get_match(match_id: uuid.UUID, response: Response, session: DbSession, _caller: RecordReader) -> MatchDetail:
    match, decisions = await service.get_with_decisions(session, match_id)
    set_etag(response, match.version)
    return _detail(match, decisions)


@router.get(
    "/{match_id}/decisions",
    summary="The decisions taken on a match, oldest first",
    responses=problem_responses(404),
)
async def list_decisions(
    match_id: uuid.UUID, session: DbSession, _caller: RecordReader, page: Pagination
) -> Page[MatchDecisionRead]:
    match = await service.get_match(session, match_id)
    rows, cursor = await paginate(
        session,
        repository.decisions_of(match.id),
        page,
        [SortKey(MatchDecision.created_at), SortKey(MatchDecision.id)],
    )
    return Page(items=[MatchDecisionRead.model_validate(d) for d in rows], next_cursor=cursor)


@router.post(
    "/{match_id}/decisions",
    summary="Decide a match: approve, decline (with a reason), introduce, record_outcome",
    responses=problem_responses(404, 409, 412),
)
async def decide_match(
    match_id: uuid.UUID,
    body: MatchDecisionCreate,
    response: Response,
    session: DbSession,
    caller: Decider,
    if_match: IfMatch,
    _idem: IdempotentPost,
) -> MatchDetail:
    match, decisions = await service.decide(session, match_id, body, caller, if_match)
    set_etag(response, match.version)
    response.headers["Location"] = f"/v1/matches/{match.id}"
    return _detail(match, decisions)
