"""Queries on integrations and the events they sent."""

import uuid

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import InboundEvent, Integration


def integrations(*, active: bool | None = None) -> Select[Integration]:
    statement = select(Integration)
    if active is not None:
        statement = statement.where(Integration.active.is_(active))
    return statement


def events(integration_id: uuid.UUID, *, status: str | None = None) -> Select[InboundEvent]:
    statement = select(InboundEvent).where(InboundEvent.integration_id == integration_id)
    if status is not None:
        statement = statement.where(InboundEvent.status == status)
    return statement


async def event(
    session: AsyncSession, integration_id: uuid.UUID, event_id: uuid.UUID, *, for_update: bool = False
) -> InboundEvent | None:
    statement = select(InboundEvent).where(InboundEvent.id == event_id, InboundEvent.integration_id == integration_id)
    if for_update:
        statement = statement.with_for_update()
    return await session.scalar(statement.execution_options(populate_existing=True))


async def insert_event_once(session: AsyncSession, values: dict[str, object]) -> uuid.UUID | None:
    """Store a received event unless its webhook-id is already stored for this integration; its id or None."""
    inserted: uuid.UUID | None = await session.scalar(
        insert(InboundEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[InboundEvent.integration_id, InboundEvent.webhook_id])
        .returning(InboundEvent.id)
    )
    return inserted


async def event_by_webhook_id(session: AsyncSession, integration_id: uuid.UUID, webhook_id: str) -> InboundEvent:
    found = await session.scalar(
        select(InboundEvent).where(InboundEvent.integration_id == integration_id, InboundEvent.webhook_id == webhook_id)
    )
    assert found is not None  # the conflict that brought us here names it
    return found
