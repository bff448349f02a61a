"""Queries on matches and their decisions."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.models import Match, MatchDecision


@dataclass(frozen=True)
class MatchFilters:
    statuses: Sequence[str] = field(default_factory=tuple)
    partner_id: uuid.UUID | None = None
    business_id: uuid.UUID | None = None
    commitment_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    run_id: uuid.UUID | None = None
    min_score: float | None = None


def listing(filters: MatchFilters) -> Select[Match]:
    """Matches the filters select; organisation scoping is added by the session itself."""
    statement = select(Match)
    if filters.statuses:
        statement = statement.where(Match.status.in_(list(filters.statuses)))
    if filters.partner_id:
        statement = statement.where(Match.partner_id == filters.partner_id)
    if filters.business_id:
        statement = statement.where(Match.business_id == filters.business_id)
    if filters.commitment_id:
        statement = statement.where(Match.commitment_id == filters.commitment_id)
    if filters.program_id:
        statement = statement.where(Match.program_id == filters.program_id)
    if filters.run_id:
        statement = statement.where(Match.run_id == filters.run_id)
    if filters.min_score is not None:
        statement = statement.where(Match.score >= filters.min_score)
    return statement


def decisions_of(match_id: uuid.UUID) -> Select[MatchDecision]:
    return select(MatchDecision).where(MatchDecision.match_id == match_id)


async def all_decisions(session: AsyncSession, match_id: uuid.UUID) -> list[MatchDecision]:
    statement = decisions_of(match_id).order_by(MatchDecision.created_at, MatchDecision.id)
    return list((await session.scalars(statement)).all())
