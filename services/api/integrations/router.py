"""/v1/integrations (admin: create, list, read, change, rotate the secret, delete, received events)
and POST /v1/inbound/{integration_id} (signed by the integration; 202 once stored)."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from services.api.auth.dependencies import AdminCaller
from services.api.deps import AppSettings, DbSession
from services.api.integrations import repository, service
from services.api.integrations.schemas import (
    InboundAccepted,
    InboundEventRead,
    IntegrationCreate,
    IntegrationCreated,
    IntegrationRead,
    IntegrationUpdate,
    SecretRotated,
    SecretRotation,
)
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.routing import TransactionalRoute
from shared.domain.inbound import InboundStatus
from shared.models import InboundEvent, Integration

router = APIRouter(
    prefix="/v1/integrations",
    tags=["inbound webhooks"],
    route_class=TransactionalRoute,
    responses=COMMON_PROBLEMS,
)
inbound_router = APIRouter(prefix="/v1/inbound", tags=["inbound webhooks"], route_class=TransactionalRoute)


def _read(integration: Integration) -> IntegrationRead:
    return IntegrationRead.model_validate(
        {
            **{c: getattr(integration, c) for c in IntegrationRead.model_fields if c != "inbound_url"},
            "inbound_url": service.inbound_url(integration),
        }
    )


@router.post("", status_code=201, summary="Create an integration (the secret is shown once)")
async def create_integration(
    body: IntegrationCreate,
    response: Response,
    session: DbSession,
    _caller: AdminCaller,
    _idem: IdempotentPost,
) -> IntegrationCreated:
    integration, secret = await service.create_integration(session, body)
    set_etag(response, integration.version)
    response.headers["Location"] = f"/v1/integrations/{integration.id}"
    return IntegrationCreated(**_read(integration).model_dump(), secret=secret)


@router.get("", summary="List integrations")
async def list_integrations(
    session: DbSession,
    _caller: AdminCaller,
    page: Pagination,
    active: Annotated[bool | None, Query(description="Only active (true) or disabled (false) ones.")] = None,
) -> Page[IntegrationRead]:
    rows, cursor = await paginate(
        session,
        repository.integrations(active=active),
        page,
        [SortKey(Integration.created_at), SortKey(Integration.id)],
    )
    return Page(items=[_read(i) for i in rows], next_cursor=cursor)


@router.get("/{integration_id}", summary="Read an integration", responses=problem_responses(404))
async def get_integration(
    integration_id: uuid.UUID, response: Response, session: DbSession, _caller: AdminCaller
) -> IntegrationRead:
    integration = await service.get_integration(session, integration_id)
    set_etag(response, integration.version)
    return _read(integration)


@router.patch(
    "/{integration_id}",
    summary="Rename, disable or re-enable an integration",
    responses=problem_responses(404, 412),
)
async def update_integration(
    integration_id: uuid.UUID,
    body: IntegrationUpdate,
    response: Response,
    session: DbSession,
    _caller: AdminCaller,
    if_match: IfMatch,
) -> IntegrationRead:
    integration = await service.update_integration(session, integration_id, body, if_match)
    set_etag(response, integration.version)
    return _read(integration)


@router.delete(
    "/{integration_id}",
    status_code=204,
    summary="Delete an integration and its received events",
    responses=problem_responses(404, 412),
)
async def delete_integration(
    integration_id: uuid.UUID, session: DbSession, _caller: AdminCaller, if_match: IfMatch
) -> None:
    await service.delete_integration(session, integration_id, if_match)


@router.post(
    "/{integration_id}/rotate-secret",
    summary="Rotate the signing secret (the new one is shown once)",
    description="Signatures by the previous secret stay accepted until `previous_secret_expires_at`.",
    responses=problem_responses(404, 412),
)
async def rotate_secret(
    integration_id: uuid.UUID,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    _caller: AdminCaller,
    if_match: IfMatch,
    _idem: IdempotentPost,
    body: SecretRotation | None = None,
) -> SecretRotated:
    integration, secret = await service.rotate_secret(
        session,
        integration_id,
        settings,
        overlap_hours=body.overlap_hours if body else None,
        expected_version=if_match,
    )
    set_etag(response, integration.version)
    return SecretRotated(
        id=integration.id,
        secret=secret,
        previous_secret_expires_at=integration.previous_secret_expires_at,
        version=integration.version,
    )


@router.get(
    "/{integration_id}/events",
    summary="Events received from an integration, newest first",
    description="Failed events are kept with their `error`; nothing of a failed event was applied.",
    responses=problem_responses(404),
)
async def list_events(
    integration_id: uuid.UUID,
    session: DbSession,
    _caller: AdminCaller,
    page: Pagination,
    status: Annotated[InboundStatus | None, Query(description="received, processed or failed.")] = None,
) -> Page[InboundEventRead]:
    await service.get_integration(session, integration_id)
    rows, cursor = await paginate(
        session,
        repository.events(integration_id, status=status.value if status else None),
        page,
        [SortKey(InboundEvent.created_at, descending=True), SortKey(InboundEvent.id, descending=True)],
    )
    return Page(items=[InboundEventRead.model_validate(e) for e in rows], next_cursor=cursor)


@router.post(
    "/{integration_id}/events/{event_id}/retry",
    status_code=202,
    summary="Process a failed event again",
    responses=problem_responses(404, 409),
)
async def retry_event(
    integration_id: uuid.UUID, event_id: uuid.UUID, session: DbSession, _caller: AdminCaller
) -> InboundEventRead:
    return InboundEventRead.model_validate(await service.retry_event(session, integration_id, event_id))


async def _signed_by(
    integration_id: uuid.UUID,
    request: Request,
    session: DbSession,
    settings: AppSettings,
    webhook_id: Annotated[str | None, Header(alias="webhook-id", description="Unique per message.")] = None,
    webhook_timestamp: Annotated[
        str | None,
        Header(alias="webhook-timestamp", description="Unix seconds; within the tolerance window."),
    ] = None,
    webhook_signature: Annotated[
        str | None,
        Header(alias="webhook-signature", description="`v1,<base64 HMAC-SHA256>`, space-separated."),
    ] = None,
) -> Integration:
    """The caller of the inbound route is the integration whose secret signed the raw body."""
    del webhook_id, webhook_timestamp, webhook_signature  # documented here, verified on the raw request
    return await service.verified_sender(session, integration_id, dict(request.headers), await request.body(), settings)


SignedBy = Annotated[Integration, Depends(_signed_by)]


@inbound_router.post(
    "/{integration_id}",
    status_code=202,
    summary="Receive a signed event from an integration (Standard Webhooks)",
    description=(
        "The signature (`webhook-signature`, HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`) is"
        " checked against the exact bytes sent, and the timestamp against a tolerance window (401 otherwise)."
        " The event is stored before the 202; a repeated `webhook-id` answers 202 again and is not processed"
        ' twice. Body: `{"type": …, "timestamp": …, "data": {…}}`; types: commitment.progress_reported,'
        " business.upserted, partner.upserted, program.upserted, commitment.upserted."
    ),
    responses=problem_responses(401, 403, 404, 413, 422, 429),
)
async def receive(request: Request, session: DbSession, integration: SignedBy) -> InboundAccepted:
    body = await request.body()
    stored, duplicate = await service.receive_event(session, integration, dict(request.headers), body)
    return InboundAccepted(id=stored.id, webhook_id=stored.webhook_id, status=stored.status, duplicate=duplicate)
