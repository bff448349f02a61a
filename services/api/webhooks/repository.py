"""Queries on webhook endpoints, their deliveries and attempts."""

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.actor import Actor
from shared.enums import Role
from shared.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent


def sees_all(caller: Actor) -> bool:
    """Admins see every endpoint; an integrator key sees the endpoints it created."""
    return caller.role is Role.ADMIN


def endpoints(caller: Actor, *, active: bool | None = None) -> Select[WebhookEndpoint]:
    statement = select(WebhookEndpoint)
    if not sees_all(caller):
        statement = statement.where(WebhookEndpoint.owner_key_id == caller.key_id)
    if active is not None:
        statement = statement.where(WebhookEndpoint.active.is_(active))
    return statement


async def endpoint(
    session: AsyncSession, caller: Actor, endpoint_id: uuid.UUID, *, for_update: bool = False
) -> WebhookEndpoint | None:
    statement = endpoints(caller).where(WebhookEndpoint.id == endpoint_id).execution_options(populate_existing=True)
    if for_update:
        statement = statement.with_for_update()
    found: WebhookEndpoint | None = await session.scalar(statement)
    return found


def deliveries(endpoint_id: uuid.UUID, *, status: str | None = None) -> Select[WebhookDelivery]:
    statement = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    return statement


async def delivery(
    session: AsyncSession, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, *, for_update: bool = False
) -> WebhookDelivery | None:
    statement = select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint_id
    )
    if for_update:
        statement = statement.with_for_update()
    found: WebhookDelivery | None = await session.scalar(statement.execution_options(populate_existing=True))
    return found


async def events_by_id(session: AsyncSession, event_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, WebhookEvent]:
    if not event_ids:
        return {}
    rows = await session.scalars(select(WebhookEvent).where(WebhookEvent.id.in_(set(event_ids))))
    return {row.id: row for row in rows}


async def attempts_by_delivery(
    session: AsyncSession, delivery_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[WebhookAttempt]]:
    found: dict[uuid.UUID, list[WebhookAttempt]] = {d: [] for d in delivery_ids}
    if not delivery_ids:
        return found
    rows = await session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.created_at, WebhookAttempt.id)
    )
    for row in rows:
        found[row.delivery_id].append(row)
    return found
