"""shared.records.impact_report.record_report without HTTP: replacement, race safety, the outbox event."""

import asyncio
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.models import Commitment, ImpactReport, WebhookEvent
from shared.records.impact_report import ReportCreate, record_report, record_report_for
from tests import factories

PERIOD = {"period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)}


async def _setup(session: AsyncSession) -> Commitment:
    business = await factories.create_business(session)
    commitment = await factories.create_commitment(session, business)
    await session.commit()
    return commitment


async def test_replacement_keeps_history_and_one_current(session: AsyncSession) -> None:
    commitment = await _setup(session)
    first = await record_report(
        session,
        commitment,
        ReportCreate(**PERIOD, metrics={"jobs_created": 10}),
        source="api",
        reported_by="a",
    )
    second = await record_report(
        session,
        commitment,
        ReportCreate(**PERIOD, metrics={"jobs_created": 12}),
        source="webhook",
        reported_by="b",
    )
    await session.commit()
    rows = (await session.scalars(select(ImpactReport).order_by(ImpactReport.created_at))).all()
    assert [(r.id, r.metrics, r.replaced_at is None, r.source) for r in rows] == [
        (first.id, {"jobs_created": 10}, False, "api"),
        (second.id, {"jobs_created": 12}, True, "webhook"),
    ]
    payloads = (await session.scalars(select(WebhookEvent.payload).order_by(WebhookEvent.created_at))).all()
    assert [p["replaces"] for p in payloads] == [None, str(first.id)]


async def test_concurrent_reports_for_one_period_serialise(
    session: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    commitment = await _setup(session)

    async def report(value: int) -> None:
        async with sessionmaker() as own:
            await record_report_for(
                own,
                commitment.id,
                ReportCreate(**PERIOD, metrics={"jobs_created": value}),
                source="api",
                reported_by=None,
            )
            await asyncio.sleep(0.05)  # hold the lock while the others queue behind it
            await own.commit()

    await asyncio.gather(*(report(v) for v in (1, 2, 3, 4)))
    rows = (await session.scalars(select(ImpactReport))).all()
    assert len(rows) == 4
    current = [r for r in rows if r.replaced_at is None]
    assert len(current) == 1
    latest = max(rows, key=lambda r: r.created_at)
    assert current[0].id == latest.id
