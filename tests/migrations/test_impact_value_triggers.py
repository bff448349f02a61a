"""The triggers on impact_reports keep impact_values and commitment_indicator_totals exact on any write."""

import uuid
from datetime import date
from typing import Any

from sqlalchemy import delete, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from shared.actor import Actor
from shared.db.tenancy import set_actor
from shared.enums import Role
from shared.models import Commitment, CommitmentIndicatorTotal, ImpactReport, ImpactValue
from shared.models.impact_value import REPORT_CODE
from shared.records.impact_report import ReportCreate, record_report
from tests import factories

Q1 = {"period_start": date(2024, 1, 1), "period_end": date(2024, 3, 31)}
Q2 = {"period_start": date(2024, 4, 1), "period_end": date(2024, 6, 30)}


async def _commitment(session: AsyncSession, name: str = "Acme") -> Commitment:
    business = await factories.create_business(session, name=name)
    commitment = await factories.create_commitment(session, business)
    await session.commit()
    return commitment


async def _report(session: AsyncSession, commitment: Commitment, period: dict[str, date], **metrics: float) -> Any:
    report = await record_report(
        session, commitment, ReportCreate(**period, metrics=metrics), source="api", reported_by=None
    )
    await session.commit()
    return report


async def _values(session: AsyncSession) -> set[tuple[Any, ...]]:
    rows = await session.execute(
        select(
            ImpactValue.report_id,
            ImpactValue.code,
            ImpactValue.value,
            ImpactValue.period_end,
            ImpactValue.current,
        )
    )
    return {tuple(row) for row in rows}


async def _totals(session: AsyncSession) -> dict[tuple[Any, str], tuple[Any, ...]]:
    t = CommitmentIndicatorTotal
    rows = await session.execute(
        select(t.commitment_id, t.code, t.business_id, t.reports, t.total_sum, t.total_max, t.last_period_end)
    )
    return {(r[0], r[1]): tuple(r[2:]) for r in rows}


async def test_insert_unpacks_metrics_and_totals_per_commitment(session: AsyncSession) -> None:
    c = await _commitment(session)
    r1 = await _report(session, c, Q1, jobs_created=10, hectares_climate_smart=50)
    r2 = await _report(session, c, Q2, jobs_created=5.5, hectares_climate_smart=40)
    assert await _values(session) == {
        (r1.id, REPORT_CODE, 1.0, Q1["period_end"], True),
        (r1.id, "jobs_created", 10.0, Q1["period_end"], True),
        (r1.id, "hectares_climate_smart", 50.0, Q1["period_end"], True),
        (r2.id, REPORT_CODE, 1.0, Q2["period_end"], True),
        (r2.id, "jobs_created", 5.5, Q2["period_end"], True),
        (r2.id, "hectares_climate_smart", 40.0, Q2["period_end"], True),
    }
    end = Q2["period_end"]
    assert await _totals(session) == {
        (c.id, REPORT_CODE): (c.business_id, 2, 2.0, 1.0, end),
        (c.id, "jobs_created"): (c.business_id, 2, 15.5, 10.0, end),
        (c.id, "hectares_climate_smart"): (c.business_id, 2, 90.0, 50.0, end),
    }


async def test_replaced_report_stops_counting(session: AsyncSession) -> None:
    c = await _commitment(session)
    first = await _report(session, c, Q1, jobs_created=99, people_reached=10)
    second = await _report(session, c, Q1, jobs_created=10)
    end = Q1["period_end"]
    assert await _values(session) == {
        (first.id, REPORT_CODE, 1.0, end, False),
        (first.id, "jobs_created", 99.0, end, False),
        (first.id, "people_reached", 10.0, end, False),
        (second.id, REPORT_CODE, 1.0, end, True),
        (second.id, "jobs_created", 10.0, end, True),
    }
    # people_reached came only from the replaced report: its totals row is gone
    assert await _totals(session) == {
        (c.id, REPORT_CODE): (c.business_id, 1, 1.0, 1.0, end),
        (c.id, "jobs_created"): (c.business_id, 1, 10.0, 10.0, end),
    }


async def test_direct_updates_and_deletes(session: AsyncSession) -> None:
    c = await _commitment(session)
    r1 = await _report(session, c, Q1, jobs_created=10)
    r2 = await _report(session, c, Q2, jobs_created=5)
    await session.execute(
        update(ImpactReport)
        .where(ImpactReport.id == r1.id)
        .values(metrics={"jobs_created": 7, "people_trained": 3}, period_end=date(2024, 2, 29))
    )
    await session.commit()
    assert await _totals(session) == {
        (c.id, REPORT_CODE): (c.business_id, 2, 2.0, 1.0, Q2["period_end"]),
        (c.id, "jobs_created"): (c.business_id, 2, 12.0, 7.0, Q2["period_end"]),
        (c.id, "people_trained"): (c.business_id, 1, 3.0, 3.0, date(2024, 2, 29)),
    }
    # a change that no figure depends on rewrites nothing
    await session.execute(update(ImpactReport).values(notes="checked"))
    await session.commit()
    assert len(await _values(session)) == 5

    await session.execute(delete(ImpactReport).where(ImpactReport.id == r2.id))
    await session.commit()
    assert await _totals(session) == {
        (c.id, REPORT_CODE): (c.business_id, 1, 1.0, 1.0, date(2024, 2, 29)),
        (c.id, "jobs_created"): (c.business_id, 1, 7.0, 7.0, date(2024, 2, 29)),
        (c.id, "people_trained"): (c.business_id, 1, 3.0, 3.0, date(2024, 2, 29)),
    }
    await session.execute(delete(ImpactReport))
    await session.commit()
    assert (await _values(session), await _totals(session)) == (set(), {})


async def test_bulk_sql_insert_and_commitment_delete(session: AsyncSession) -> None:
    a = await _commitment(session, "A")
    b = await _commitment(session, "B")
    # a bulk load that bypasses the ORM; non-numeric values are not indicator values and are skipped
    await session.execute(
        text(
            """INSERT INTO impact_reports (id, commitment_id, business_id, period_start, period_end, metrics,
                breakdowns, source, created_at, updated_at)
              SELECT gen_random_uuid(), c.id, c.business_id,
                date '2024-01-01' + 31 * q, date '2024-01-20' + 31 * q,
                jsonb_build_object('jobs_created', q, 'people_reached', 'many', 'credit_disbursed_usd', null),
                '{}'::jsonb, 'import', now(), now()
              FROM commitments c CROSS JOIN generate_series(1, 3) q"""
        )
    )
    await session.commit()
    totals = await _totals(session)
    for commitment in (a, b):
        assert totals[(commitment.id, "jobs_created")] == (
            commitment.business_id,
            3,
            6.0,
            3.0,
            date(2024, 4, 22),
        )
        assert totals[(commitment.id, REPORT_CODE)][1] == 3
    assert len(totals) == 4
    assert len(await _values(session)) == 12

    await session.execute(delete(Commitment).where(Commitment.id == a.id))
    await session.commit()
    assert {key[0] for key in await _totals(session)} == {b.id}
    assert {row[0] for row in await session.execute(select(ImpactValue.commitment_id))} == {b.id}


async def test_rows_are_tenant_scoped(session: AsyncSession) -> None:
    mine = await _commitment(session, "Mine")
    theirs = await _commitment(session, "Theirs")
    await _report(session, mine, Q1, jobs_created=1)
    await _report(session, theirs, Q1, jobs_created=2)
    set_actor(session.sync_session, Actor(role=Role.BUSINESS, organization_id=mine.business_id))
    assert set((await session.scalars(select(ImpactValue.value).where(ImpactValue.code == "jobs_created"))).all()) == {
        1.0
    }
    assert set((await session.scalars(select(CommitmentIndicatorTotal.commitment_id))).all()) == {mine.id}
    set_actor(session.sync_session, Actor(role=Role.PARTNER, organization_id=uuid.uuid4()))
    assert (await session.scalars(select(ImpactValue))).all() == []
    assert (await session.scalars(select(CommitmentIndicatorTotal))).all() == []
