"""Programs as the API serves them: reads and deletes here, writes through shared.records."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import check_version, get_visible
from shared.models import Program
from shared.records.program import create_program, update_program

__all__ = ["create_program", "delete_program", "get_program", "update_program"]


async def get_program(session: AsyncSession, program_id: uuid.UUID) -> Program:
    """The program if the caller may see it (a partner key: its own partner's only); NotFound otherwise."""
    return await get_visible(session, Program, program_id)


async def delete_program(session: AsyncSession, program_id: uuid.UUID, expected_version: int | None) -> None:
    """Deleting a program deletes its matches (the database cascades); to retire one, set active false."""
    program = await get_program(session, program_id)
    check_version(expected_version, program.version)
    await session.delete(program)
    await session.flush()
