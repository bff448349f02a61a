"""Queries behind the exports; each is streamed in chunks from a server-side cursor."""

from typing import Any

from sqlalchemy import Select, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.exports.schemas import CommitmentFilters, MatchFilters, ReportFilters
from shared.models import Business, Commitment, ImpactReport, Match
from shared.regions.lookup import within

__all__ = ["CommitmentFilters", "MatchFilters", "ReportFilters", "commitments", "matches", "reports"]


def commitments(filters: CommitmentFilters) -> Any:
    """Commitments with their business's name, oldest first."""
    statement = select(Commitment, Business.name).join(Business, Business.id == Commitment.business_id)
    if filters.focus_area:
        statement = statement.where(Commitment.focus_areas.contains([filters.focus_area]))
    if filters.country:
        statement = statement.where(Commitment.countries.contains([filters.country]))
    if filters.initiative:
        statement = statement.where(Commitment.initiative == filters.initiative)
    if filters.region:
        statement = statement.where(within(Commitment.regions, value=filters.region))
    if filters.status:
        statement = statement.where(Commitment.status == filters.status)
    if filters.business_id:
        statement = statement.where(Commitment.business_id == filters.business_id)
    return statement.order_by(Commitment.created_at, Commitment.id)


def with_disbursements(statement: Select[Any]) -> Select[Any]:
    """Add each commitment's current reports' dollars deployed, [[period_end, value], …], in SQL."""
    disbursements = (
        select(
            func.coalesce(
                func.jsonb_agg(
                    func.jsonb_build_array(ImpactReport.period_end, ImpactReport.metrics["investment_deployed_usd"])
                ).filter(ImpactReport.metrics.has_key("investment_deployed_usd")),
                cast(literal("[]"), JSONB),
            )
        )
        .where(ImpactReport.commitment_id == Commitment.id, ImpactReport.replaced_at.is_(None))
        .correlate(Commitment)
        .scalar_subquery()
    )
    return statement.add_columns(disbursements.label("disbursements"))


def matches(filters: MatchFilters) -> Select[Any]:
    statement = select(Match)
    if filters.status:
        statement = statement.where(Match.status == filters.status)
    if filters.partner_id:
        statement = statement.where(Match.partner_id == filters.partner_id)
    if filters.business_id:
        statement = statement.where(Match.business_id == filters.business_id)
    if filters.commitment_id:
        statement = statement.where(Match.commitment_id == filters.commitment_id)
    if filters.program_id:
        statement = statement.where(Match.program_id == filters.program_id)
    if filters.min_score is not None:
        statement = statement.where(Match.score >= filters.min_score)
    return statement.order_by(Match.created_at, Match.id)


async def component_names(session: AsyncSession, filters: MatchFilters) -> list[str]:
    """Every component name the exported matches carry: one column each."""
    inner = matches(filters).order_by(None).subquery()
    statement = select(func.jsonb_object_keys(inner.c.components).label("name")).distinct().order_by("name")
    return list((await session.scalars(statement)).all())


def reports(filters: ReportFilters) -> Select[Any]:
    statement = select(ImpactReport)
    if not filters.include_replaced:
        statement = statement.where(ImpactReport.replaced_at.is_(None))
    if filters.commitment_id:
        statement = statement.where(ImpactReport.commitment_id == filters.commitment_id)
    if filters.business_id:
        statement = statement.where(ImpactReport.business_id == filters.business_id)
    if filters.date_from:
        statement = statement.where(ImpactReport.period_end >= filters.date_from)
    if filters.date_to:
        statement = statement.where(ImpactReport.period_end <= filters.date_to)
    return statement.order_by(ImpactReport.commitment_id, ImpactReport.period_start, ImpactReport.created_at)
