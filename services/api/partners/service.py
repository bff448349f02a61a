"""Partners as the API serves them: reads and deletes here, writes through shared.records."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import check_version, get_visible
from shared.models import Partner
from shared.records.partner import create_partner, update_partner

__all__ = ["create_partner", "delete_partner", "get_partner", "update_partner"]


async def get_partner(session: AsyncSession, partner_id: uuid.UUID) -> Partner:
    """The partner if the caller may see it (a partner key: itself only); NotFound otherwise."""
    return await get_visible(session, Partner, partner_id)


async def delete_partner(session: AsyncSession, partner_id: uuid.UUID, expected_version: int | None) -> None:
    """Deleting a partner deletes its programs and their matches (the database cascades)."""
    partner = await get_partner(session, partner_id)
    check_version(expected_version, partner.version)
    await session.delete(partner)
    await session.flush()
