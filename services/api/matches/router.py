"""/v1/matches: review proposed introductions (filter, sort, page), read one, decide it (If-Match)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import RecordReader, RecordReads, require
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.matches import repository, service
from services.api.matches.schemas import (
    MatchDecisionCreate,
    MatchDecisionRead,
    MatchDetail,
    MatchQuery,
    MatchRead,
    PartnerAnswerCreate,
    match_read,
)
from shared.actor import Actor
from shared.enums import Role
from shared.models import MatchDecision

router = APIRouter(prefix="/v1/matches", tags=["matches"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: Coordinators and admins take every decision; a partner key may decline its own organisation's matches.
Decider = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.PARTNER))]


#: A partner key answers its own organisation's proposals; an admin may answer on its behalf.
Answerer = Annotated[Actor, Depends(require(Role.ADMIN, Role.PARTNER))]


def _detail(row: dict[str, object], decisions: list[MatchDecision]) -> MatchDetail:
    read = match_read(row)
    return MatchDetail(**read.model_dump(), decisions=[MatchDecisionRead.model_validate(d) for d in decisions])


@router.get("", summary="List matches (best first by default), each with the names of what it connects")
async def list_matches(
    reads: RecordReads,
    page: Pagination,
    selection: Annotated[MatchQuery, Depends(query(MatchQuery))],
) -> Page[MatchRead]:
    rows, cursor = await service.match_page(reads, selection, page)
    return Page(items=[match_read(row) for row in rows], next_cursor=cursor)


@router.get(
    "/{match_id}",
    summary="Read a match with its components, reasons and decisions",
    responses=problem_responses(404),
)
async def get_match(match_id: uuid.UUID, response: Response, reads: RecordReads, session: DbSession) -> MatchDetail:
    row = await service.read_match(reads, match_id)
    set_etag(response, row["version"])
    return _detail(row, await service.decisions(session, match_id))


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
    return _detail(await service.as_row(session, match), decisions)


@router.put(
    "/{match_id}/answer",
    summary="The partner's answer to a proposal: interested, or not interested with a reason",
    responses=problem_responses(404, 409, 412),
)
async def answer_match(
    match_id: uuid.UUID,
    body: PartnerAnswerCreate,
    response: Response,
    session: DbSession,
    caller: Answerer,
    if_match: IfMatch,
) -> MatchRead:
    match = await service.answer(session, match_id, body, caller, if_match)
    set_etag(response, match.version)
    return match_read(await service.as_row(session, match))
