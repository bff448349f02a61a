"""Commitments as the API serves them: reads and deletes here, writes through shared.records."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shared.actor import Actor
from shared.db.repository import check_version, get_visible
from shared.enums import Role
from shared.models import Commitment
from shared.records import commitment as records
from shared.records.commitment import CommitmentCreate, update_commitment

__all__ = ["create_commitment", "delete_commitment", "get_commitment", "update_commitment"]


async def create_commitment(session: AsyncSession, data: CommitmentCreate, actor: Actor) -> Commitment:
    """A business key's commitment defaults to its own business; naming another answers NotFound."""
    if data.business_id is None and actor.role is Role.BUSINESS and actor.organization_id is not None:
        data = data.model_copy(update={"business_id": actor.organization_id})
    return await records.create_commitment(session, data)


async def get_commitment(session: AsyncSession, commitment_id: uuid.UUID) -> Commitment:
    """The commitment if the caller may see it (a business key: its own only); NotFound otherwise."""
    return await get_visible(session, Commitment, commitment_id)


async def delete_commitment(session: AsyncSession, commitment_id: uuid.UUID, expected_version: int | None) -> None:
    """Deleting a commitment deletes its reports and matches (the database cascades)."""
    commitment = await get_commitment(session, commitment_id)
    check_version(expected_version, commitment.version)
    await session.delete(commitment)
    await session.flush()
