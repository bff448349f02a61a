"""Businesses as the API serves them: reads and deletes here, writes through shared.records."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import check_version, get_visible
from shared.models import Business
from shared.records.business import create_business, update_business

__all__ = ["create_business", "delete_business", "get_business", "update_business"]


async def get_business(session: AsyncSession, business_id: uuid.UUID) -> Business:
    return await get_visible(session, Business, business_id)


async def delete_business(session: AsyncSession, business_id: uuid.UUID, expected_version: int | None) -> None:
    business = await get_business(session, business_id)
    check_version(expected_version, business.version)
    await session.delete(business)
    await session.flush()
