"""/v1/api-keys: issue (shown once), list, revoke. Admin only."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request

from services.api.auth import repository, service
from services.api.auth.dependencies import AdminCaller
from services.api.auth.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from services.api.deps import DbSession
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.routing import TransactionalRoute
from shared.models import ApiKey

router = APIRouter(prefix="/v1/api-keys", tags=["api keys"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)


@router.post("", status_code=201, summary="Issue an API key (the key is shown once)", responses=problem_responses(404))
async def create_api_key(
    body: ApiKeyCreate, session: DbSession, caller: AdminCaller, _idem: IdempotentPost
) -> ApiKeyCreated:
    key, raw = await service.issue_key(
        session, name=body.name, role=body.role, organization_id=body.organization_id, created_by=caller
    )
    return ApiKeyCreated.model_validate({**ApiKeyRead.model_validate(key).model_dump(), "key": raw})


@router.get("", summary="List API keys (never the keys themselves)")
async def list_api_keys(session: DbSession, _caller: AdminCaller, page: Pagination) -> Page[ApiKeyRead]:
    keys, cursor = await paginate(session, repository.listing(), page, [SortKey(ApiKey.created_at), SortKey(ApiKey.id)])
    return Page(items=[ApiKeyRead.model_validate(k) for k in keys], next_cursor=cursor)


@router.delete("/{key_id}", summary="Revoke an API key", responses=problem_responses(404))
async def revoke_api_key(
    key_id: Annotated[uuid.UUID, Path()], request: Request, session: DbSession, _caller: AdminCaller
) -> ApiKeyRead:
    return ApiKeyRead.model_validate(await service.revoke_key(session, key_id, request.app.state.key_cache))
