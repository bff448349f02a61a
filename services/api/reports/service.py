"""Impact reports as the API serves them: the write rule lives in shared.records.impact_report."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from shared.actor import Actor
from shared.db.repository import get_visible
from shared.models import Commitment, ImpactReport
from shared.records.impact_report import ReportCreate, ReportSource, record_report


def reporter(actor: Actor) -> str:
    """Who reported, as stored in `reported_by`: the key's (or the signed-in person's) name, role and id."""
    if actor.user_id is not None:
        return f"{actor.label} [{actor.role.value} user {actor.user_id}]"[:200]
    return f"{actor.label} [{actor.role.value} key {actor.key_id}]"[:200]


async def create_report(
    session: AsyncSession, commitment_id: uuid.UUID, data: ReportCreate, actor: Actor
) -> ImpactReport:
    commitment = await get_visible(session, Commitment, commitment_id)
    return await record_report(session, commitment, data, source=ReportSource.API, reported_by=reporter(actor))
