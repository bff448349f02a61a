"""The trigger-kept tables give the figures the reports themselves give: summary and trends, seeded data."""

import random
from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.metrics import repository
from services.api.metrics.repository import MetricFilters
from shared.actor import Actor
from shared.db.tenancy import set_actor
from shared.enums import Role
from shared.indicators import INDICATORS, MAX_CODES, SUM_CODES
from shared.models import Commitment, ImpactReport
from shared.records.impact_report import ReportCreate, record_report
from tests import factories

SHAPES = [
    (["food_security_agriculture"], ["GT"], "call_to_action"),
    (["food_security_agriculture", "climate_clean_energy"], ["GT", "HN"], "central_america_forward"),
    (["digital_financial_inclusion"], ["SV"], "central_america_forward"),
    ([], [], None),
    (["public_health", "reform_agenda", "education_workforce"], ["HN", "SV", "GT"], "call_to_action"),
]
CODES = (
    "investment_deployed_usd",
    "jobs_created",
    "people_reached",
    "hectares_climate_smart",
    "clean_energy_mw",
)
QUARTERS = [(date(2023, 10, 1), date(2023, 12, 31)), (date(2024, 1, 1), date(2024, 3, 31))]
QUARTERS += [(date(2024, 4, 1), date(2024, 6, 30)), (date(2024, 4, 1), date(2024, 4, 30))]
FILTERS = [
    MetricFilters(),
    MetricFilters(country="GT"),
    MetricFilters(focus_area="food_security_agriculture", initiative="central_america_forward"),
    MetricFilters(date_from=date(2024, 1, 1)),
    MetricFilters(date_to=date(2024, 3, 31)),
    MetricFilters(country="HN", date_from=date(2024, 2, 1), date_to=date(2024, 6, 30)),
]


async def _seed(session: AsyncSession) -> list[Commitment]:
    """Ten commitments of two businesses; ~60 reports of random codes and values, many replaced."""
    rng = random.Random(20241)
    businesses = [await factories.create_business(session, name=n) for n in ("A", "B")]
    commitments = [
        await factories.create_commitment(
            session,
            businesses[i % 2],
            title=f"C{i}",
            focus_areas=SHAPES[i % 5][0],
            countries=SHAPES[i % 5][1],
            initiative=SHAPES[i % 5][2],
            amount_usd=Decimal(100_000 * (i + 1)),
        )
        for i in range(10)
    ]
    await session.commit()
    for _ in range(60):
        start, end = rng.choice(QUARTERS)
        codes = rng.sample(CODES, rng.randint(1, 4))
        metrics = {code: round(rng.uniform(0, 5000), rng.choice([0, 2])) for code in codes}
        data = ReportCreate(period_start=start, period_end=end, metrics=metrics)
        await record_report(session, rng.choice(commitments), data, source="api", reported_by=None)
    await session.commit()
    return commitments


def _selected(commitment: Commitment, filters: MetricFilters) -> bool:
    return (
        (not filters.focus_area or filters.focus_area in commitment.focus_areas)
        and (not filters.country or filters.country in commitment.countries)
        and (not filters.initiative or filters.initiative == commitment.initiative)
    )


def _in_window(report: ImpactReport, filters: MetricFilters) -> bool:
    return (not filters.date_from or report.period_end >= filters.date_from) and (
        not filters.date_to or report.period_end <= filters.date_to
    )


def _expected(reports: list[ImpactReport], by_id: dict[Any, Commitment], filters: MetricFilters) -> dict[str, Any]:
    """The definition, straight from the reports' JSON: flows summed, stocks per commitment's largest."""
    chosen = [
        r
        for r in reports
        if r.replaced_at is None and _selected(by_id[r.commitment_id], filters) and _in_window(r, filters)
    ]
    figures: dict[str, Any] = {
        "reports": len(chosen),
        "reporting_commitments": len({r.commitment_id for r in chosen}),
    }
    for code in SUM_CODES:
        figures[code] = round(sum(float(r.metrics.get(code, 0)) for r in chosen), 6)
    for code in MAX_CODES:
        largest: dict[Any, float] = {}
        for r in chosen:
            if code in r.metrics:
                largest[r.commitment_id] = max(largest.get(r.commitment_id, 0.0), float(r.metrics[code]))
        figures[code] = round(sum(largest.values()), 6)
    return figures


@pytest.mark.parametrize("filters", FILTERS)
async def test_summary_figures_equal_the_reports(session: AsyncSession, filters: MetricFilters) -> None:
    commitments = await _seed(session)
    by_id = {c.id: c for c in commitments}
    reports = list((await session.scalars(select(ImpactReport))).all())
    assert any(r.replaced_at is not None for r in reports)
    got = await repository.result_figures(session, filters, tuple(INDICATORS))
    assert {k: round(float(v), 6) for k, v in got.items()} == {
        k: float(v) for k, v in _expected(reports, by_id, filters).items()
    }

    business_id = commitments[0].business_id
    set_actor(session.sync_session, Actor(role=Role.BUSINESS, organization_id=business_id))
    own = [r for r in reports if r.business_id == business_id]
    got = await repository.result_figures(session, filters, tuple(INDICATORS))
    assert {k: round(float(v), 6) for k, v in got.items()} == {
        k: float(v) for k, v in _expected(own, by_id, filters).items()
    }


def _groups(commitment: Commitment, group_by: str) -> list[tuple[str, float]]:
    if group_by == "initiative":
        return [(commitment.initiative or "unspecified", 1.0)]
    labels = commitment.focus_areas if group_by == "focus_area" else commitment.countries
    return [(label, 1.0 / len(labels)) for label in labels] or [("unspecified", 1.0)]


@pytest.mark.parametrize(
    ("metric", "group_by", "interval"),
    [
        ("investment_deployed_usd", "country", "quarter"),
        ("jobs_created", "focus_area", "month"),
        ("hectares_climate_smart", "initiative", "quarter"),
        ("clean_energy_mw", "country", "month"),
    ],
)
async def test_trend_cells_equal_the_reports(session: AsyncSession, metric: str, group_by: str, interval: str) -> None:
    commitments = await _seed(session)
    by_id = {c.id: c for c in commitments}
    reports = (await session.scalars(select(ImpactReport))).all()
    window = MetricFilters(date_from=date(2023, 11, 1), date_to=date(2024, 12, 31))
    stock = metric in MAX_CODES
    per_commitment: dict[tuple[date, Any], list[float]] = defaultdict(list)
    for r in reports:
        if r.replaced_at is None and metric in r.metrics and _in_window(r, window):
            month = r.period_end.month if interval == "month" else 3 * ((r.period_end.month - 1) // 3) + 1
            per_commitment[(date(r.period_end.year, month, 1), r.commitment_id)].append(float(r.metrics[metric]))
    expected: dict[tuple[date, str], float] = defaultdict(float)
    for (bucket, commitment_id), values in per_commitment.items():
        value = max(values) if stock else sum(values)
        for group, share in _groups(by_id[commitment_id], group_by):
            expected[(bucket, group)] += value * share
    cells = await repository.trend_cells(session, window, metric=metric, group_by=group_by, interval=interval)
    assert {(c.bucket, c.grp): round(float(c.value), 6) for c in cells} == {
        key: round(value, 6) for key, value in expected.items()
    }
    assert len(cells) > 2
