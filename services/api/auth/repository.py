"""Queries on API keys."""

import uuid
from datetime import datetime

from sqlalchemy import Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import ApiKey


async def find_active_by_hash(session: AsyncSession, key_hash: str) -> ApiKey | None:
    key: ApiKey | None = await session.scalar(
        select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
    )
    return key


async def touch(session: AsyncSession, key_id: uuid.UUID, at: datetime) -> None:
    """Record use without going through the ORM, so it is neither audited nor versioned."""
    await session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at))


def listing() -> Select[ApiKey]:
    return select(ApiKey)
