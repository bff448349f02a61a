"""Queries on match runs, and the existence checks of a scoped request."""

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.match_runs.schemas import MatchRunFilters
from shared.models import Commitment, MatchRun, Program


def listing(filters: MatchRunFilters) -> Select[MatchRun]:
    statement = select(MatchRun)
    if filters.status:
        statement = statement.where(MatchRun.status == filters.status.value)
    if filters.trigger:
        statement = statement.where(MatchRun.trigger == filters.trigger)
    return statement


async def missing_commitments(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    if not ids:
        return []
    found = set((await session.scalars(select(Commitment.id).where(Commitment.id.in_(ids)))).all())
    return [i for i in ids if i not in found]


async def missing_programs(session: AsyncSession, ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    if not ids:
        return []
    found = set((await session.scalars(select(Program.id).where(Program.id.in_(ids)))).all())
    return [i for i in ids if i not in found]
