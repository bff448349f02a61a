"""/v1/webhook-endpoints: subscribe, read, change (If-Match), rotate the secret, delete; deliveries, retries.

Admin keys see every endpoint; an integrator key sees only the endpoints it created (others answer 404).
"""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from services.api.auth.dependencies import IntegratorCaller
from services.api.deps import AppSettings, DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, SortKey, paginate
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.routing import TransactionalRoute
from services.api.webhooks import repository, service
from services.api.webhooks.schemas import (
    SecretRotated,
    SecretRotation,
    WebhookDeliveryRead,
    WebhookEndpointCreate,
    WebhookEndpointCreated,
    WebhookEndpointRead,
    WebhookEndpointUpdate,
)
from shared.domain.webhook_delivery import DeliveryStatus
from shared.models import WebhookDelivery, WebhookEndpoint

router = APIRouter(
    prefix="/v1/webhook-endpoints",
    tags=["outbound webhooks"],
    route_class=TransactionalRoute,
    responses=COMMON_PROBLEMS,
)


@router.post(
    "",
    status_code=201,
    summary="Subscribe an endpoint to events (the secret is shown once)",
    description=(
        "Deliveries follow the Standard Webhooks specification: headers `webhook-id`, `webhook-timestamp`,"
        " `webhook-signature` (`v1,<base64 HMAC-SHA256>`, one per active secret). Targets on loopback,"
        " private, link-local or metadata addresses are refused (422)."
    ),
)
async def create_endpoint(
    body: WebhookEndpointCreate,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    caller: IntegratorCaller,
    _idem: IdempotentPost,
) -> WebhookEndpointCreated:
    endpoint, secret = await service.create_endpoint(session, body, caller, settings)
    set_etag(response, endpoint.version)
    response.headers["Location"] = f"/v1/webhook-endpoints/{endpoint.id}"
    read = WebhookEndpointRead.model_validate(endpoint)
    return WebhookEndpointCreated(**read.model_dump(), secret=secret)


@router.get("", summary="List webhook endpoints")
async def list_endpoints(
    session: DbSession,
    caller: IntegratorCaller,
    page: Pagination,
    active: Annotated[bool | None, Query(description="Only active (true) or disabled (false) endpoints.")] = None,
) -> Page[WebhookEndpointRead]:
    rows, cursor = await paginate(
        session,
        repository.endpoints(caller, active=active),
        page,
        [SortKey(WebhookEndpoint.created_at), SortKey(WebhookEndpoint.id)],
    )
    return Page(items=[WebhookEndpointRead.model_validate(e) for e in rows], next_cursor=cursor)


@router.get("/{endpoint_id}", summary="Read a webhook endpoint", responses=problem_responses(404))
async def get_endpoint(
    endpoint_id: uuid.UUID, response: Response, session: DbSession, caller: IntegratorCaller
) -> WebhookEndpointRead:
    endpoint = await service.get_endpoint(session, endpoint_id, caller)
    set_etag(response, endpoint.version)
    return WebhookEndpointRead.model_validate(endpoint)


@router.patch(
    "/{endpoint_id}",
    summary="Change a webhook endpoint (active: true re-enables it)",
    responses=problem_responses(404, 412),
)
async def update_endpoint(
    endpoint_id: uuid.UUID,
    body: WebhookEndpointUpdate,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    caller: IntegratorCaller,
    if_match: IfMatch,
) -> WebhookEndpointRead:
    endpoint = await service.update_endpoint(session, endpoint_id, body, if_match, caller, settings)
    set_etag(response, endpoint.version)
    return WebhookEndpointRead.model_validate(endpoint)


@router.delete(
    "/{endpoint_id}",
    status_code=204,
    summary="Delete a webhook endpoint and its delivery log",
    responses=problem_responses(404, 412),
)
async def delete_endpoint(
    endpoint_id: uuid.UUID, session: DbSession, caller: IntegratorCaller, if_match: IfMatch
) -> None:
    await service.delete_endpoint(session, endpoint_id, if_match, caller)


@router.post(
    "/{endpoint_id}/rotate-secret",
    summary="Rotate the signing secret (the new one is shown once)",
    description="The previous secret keeps signing too until `previous_secret_expires_at`.",
    responses=problem_responses(404, 412),
)
async def rotate_secret(
    endpoint_id: uuid.UUID,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    caller: IntegratorCaller,
    if_match: IfMatch,
    _idem: IdempotentPost,
    body: SecretRotation | None = None,
) -> SecretRotated:
    endpoint, secret = await service.rotate_secret(
        session,
        endpoint_id,
        caller,
        settings,
        overlap_hours=body.overlap_hours if body else None,
        expected_version=if_match,
    )
    set_etag(response, endpoint.version)
    return SecretRotated(
        id=endpoint.id,
        secret=secret,
        previous_secret_expires_at=endpoint.previous_secret_expires_at,
        version=endpoint.version,
    )


@router.get(
    "/{endpoint_id}/deliveries",
    summary="An endpoint's deliveries, newest first, each with every attempt",
    responses=problem_responses(404),
)
async def list_deliveries(
    endpoint_id: uuid.UUID,
    session: DbSession,
    caller: IntegratorCaller,
    page: Pagination,
    status: Annotated[DeliveryStatus | None, Query(description="pending, succeeded or failed.")] = None,
) -> Page[WebhookDeliveryRead]:
    await service.get_endpoint(session, endpoint_id, caller)
    rows, cursor = await paginate(
        session,
        repository.deliveries(endpoint_id, status=status.value if status else None),
        page,
        [SortKey(WebhookDelivery.seq, descending=True)],
    )
    views = await service.delivery_views(session, rows)
    return Page(items=[WebhookDeliveryRead.model_validate(v.as_dict()) for v in views], next_cursor=cursor)


@router.get(
    "/{endpoint_id}/deliveries/{delivery_id}",
    summary="One delivery with every attempt",
    responses=problem_responses(404),
)
async def get_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, session: DbSession, caller: IntegratorCaller
) -> WebhookDeliveryRead:
    view = await service.get_delivery(session, endpoint_id, delivery_id, caller)
    return WebhookDeliveryRead.model_validate(view.as_dict())


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/retry",
    status_code=202,
    summary="Send a delivery again (queued for the worker, in event order)",
    responses=problem_responses(404, 409),
)
async def retry_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, session: DbSession, caller: IntegratorCaller
) -> WebhookDeliveryRead:
    view = await service.retry_delivery(session, endpoint_id, delivery_id, caller)
    return WebhookDeliveryRead.model_validate(view.as_dict())
