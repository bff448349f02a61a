"""Figures for coordinators: the repository's aggregates assembled into summary, trends, attention list."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.kit.pagination import Page, PageParams, SortKey, paginate
from services.api.metrics import repository
from services.api.metrics.repository import COMMITTED_USD, UNSPECIFIED, MetricFilters
from services.api.metrics.schemas import (
    AppliedFilters,
    AttentionItem,
    AttentionReason,
    Funnel,
    FunnelStage,
    GroupBy,
    IndicatorRead,
    Interval,
    Summary,
    Totals,
    TrendPoint,
    Trends,
    TrendSeries,
)
from shared.db.engine import SessionFactory
from shared.enums import PROGRAMME_COUNTRIES, CommitmentStatus, FocusArea, Initiative
from shared.errors import ValidationFailed
from shared.indicators import INDICATORS
from shared.models import Commitment

#: Most months or quarters one trends request may span.
MAX_PERIODS = 240
FUNNEL_STAGES = ("proposed", "approved", "introduced", "partnership_formed")


def _num(value: Any) -> float:
    return round(float(value), 6) if value is not None else 0.0


def _rate(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None


def _applied(filters: MetricFilters) -> AppliedFilters:
    return AppliedFilters(
        focus_area=filters.focus_area,
        country=filters.country,
        region=filters.region,
        initiative=filters.initiative,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


def indicators() -> list[IndicatorRead]:
    return [
        IndicatorRead(
            code=i.code,
            name=i.name,
            unit=i.unit,
            aggregation=i.aggregation.value,
            iris_code=i.iris_code,
            description=i.description,
        )
        for i in INDICATORS.values()
    ]


async def summary(sessions: SessionFactory, filters: MetricFilters, *, all_indicators: bool = False) -> Summary:
    """Four aggregate queries (commitments, results, organisations, the introduction funnel), run
    at once on their own connections: the answer takes as long as the slowest of them."""
    codes = tuple(INDICATORS) if all_indicators else repository.HEADLINE_CODES

    async def run(query: Callable[..., Awaitable[dict[str, Any]]], *args: Any) -> dict[str, Any]:
        async with sessions() as session:
            return await query(session, filters, *args)

    commitments, results, organisations, funnel = await asyncio.gather(
        run(repository.commitment_figures),
        run(repository.result_figures, codes),
        run(repository.organisation_figures),
        run(repository.funnel_figures),
    )
    committed = _num(commitments["committed_usd"])
    deployed = _num(results["investment_deployed_usd"])
    totals = Totals(
        commitments=commitments["commitments"],
        commitments_by_status={s: commitments[s.value] for s in CommitmentStatus},
        committed_usd=committed,
        deployed_usd=deployed,
        deployment_rate=_rate(deployed, committed),
        businesses=commitments["businesses"],
        partners=organisations["partners"],
        programs=organisations["programs"],
        jobs_created=_num(results["jobs_created"]),
        people_trained=_num(results["people_trained"]),
        people_reached=_num(results["people_reached"]),
        women_reached=_num(results["women_reached"]),
        reports=int(results["reports"]),
        reporting_commitments=results["reporting_commitments"],
    )
    return Summary(
        filters=_applied(filters),
        totals=totals,
        indicators={code: _num(results[code]) for code in codes},
        funnel=_funnel(funnel),
    )


def _funnel(row: dict[str, Any]) -> Funnel:
    medians = {
        "approved": row["days_to_approved"],
        "introduced": row["days_to_introduced"],
        "partnership_formed": row["days_to_partnership_formed"],
    }
    stages: list[FunnelStage] = []
    previous: int | None = None
    for stage in FUNNEL_STAGES:
        count = int(row[stage])
        median = medians.get(stage)
        stages.append(
            FunnelStage(
                stage=stage,
                count=count,
                conversion_rate=_rate(count, previous) if previous is not None else None,
                median_days_from_previous=round(median.total_seconds() / 86400, 3) if median is not None else None,
            )
        )
        previous = count
    return Funnel(
        stages=stages,
        overall_conversion_rate=_rate(row["partnership_formed"], row["proposed"]),
        declined=row["declined"],
        no_partnership=row["no_partnership"],
    )


# --- trends -----------------------------------------------------------------------------------


def _period_start(day: date, interval: Interval) -> date:
    month = day.month if interval is Interval.MONTH else 3 * ((day.month - 1) // 3) + 1
    return date(day.year, month, 1)


def _periods(start: date, end: date, interval: Interval) -> list[date]:
    step = 1 if interval is Interval.MONTH else 3
    current, last = _period_start(start, interval), _period_start(end, interval)
    out: list[date] = []
    while current <= last:
        out.append(current)
        index = current.year * 12 + current.month - 1 + step
        current = date(index // 12, index % 12 + 1, 1)
    return out


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (clamped to the month's last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _fixed_groups(group_by: GroupBy) -> list[str]:
    if group_by is GroupBy.FOCUS_AREA:
        return [f.value for f in FocusArea]
    if group_by is GroupBy.INITIATIVE:
        return [i.value for i in Initiative]
    return list(PROGRAMME_COUNTRIES)


async def trends(
    session: AsyncSession,
    filters: MetricFilters,
    *,
    metric: str,
    group_by: GroupBy,
    interval: Interval,
    today: date,
) -> Trends:
    """One aggregate query; the window's empty months or quarters and groups are filled with zeros."""
    date_to = filters.date_to or today
    date_from = filters.date_from or months_before(_period_start(date_to, Interval.QUARTER), 21)
    if date_from > date_to:
        raise ValidationFailed("`from` must be on or before `to`", extra={"field": "query.from"})
    periods = _periods(date_from, date_to, interval)
    if len(periods) > MAX_PERIODS:
        raise ValidationFailed(
            f"the window spans {len(periods)} {interval.value}s; at most {MAX_PERIODS} at once",
            extra={"field": "query.from"},
        )
    window = MetricFilters(filters.focus_area, filters.country, filters.initiative, date_from, date_to)
    cells = await repository.trend_cells(
        session, window, metric=metric, group_by=group_by.value, interval=interval.value
    )
    values: dict[tuple[str, date], float] = {(row.grp, row.bucket): float(row.value) for row in cells}
    present = {group for group, _ in values}
    groups = _fixed_groups(group_by)
    groups += sorted(present - set(groups) - {UNSPECIFIED})
    if UNSPECIFIED in present:
        groups.append(UNSPECIFIED)
    series = []
    for group in groups:
        points = [TrendPoint(period_start=p, value=round(values.get((group, p), 0.0), 6)) for p in periods]
        series.append(TrendSeries(group=group, total=round(sum(p.value for p in points), 6), points=points))
    return Trends(
        metric=metric,
        group_by=group_by,
        interval=interval,
        filters=_applied(window),
        periods=periods,
        series=series,
    )


def known_metric(metric: str) -> str:
    if metric != COMMITTED_USD and metric not in INDICATORS:
        raise ValidationFailed(
            f"unknown metric {metric!r}; use an indicator code (GET /v1/metrics/indicators) or {COMMITTED_USD}",
            extra={"field": "query.metric"},
        )
    return metric


# --- attention ----------------------------------------------------------------------------------


async def attention(
    session: AsyncSession,
    filters: MetricFilters,
    page: PageParams,
    *,
    today: date,
    months: int,
    horizon_months: int,
    pace_ratio: float,
) -> Page[AttentionItem]:
    """Stalled candidates: one query for the page of commitments, one for their report figures."""
    cutoff = months_before(today, months)
    statement = repository.attention_listing(
        filters, today=today, cutoff=cutoff, horizon_months=horizon_months, pace_ratio=pace_ratio
    )
    rows, cursor = await paginate(session, statement, page, [SortKey(Commitment.created_at), SortKey(Commitment.id)])
    stats = await repository.stats_for(session, [c.id for c in rows])
    items = [
        _attention_item(c, stats.get(c.id, (None, 0.0)), today, cutoff, months, horizon_months, pace_ratio)
        for c in rows
    ]
    return Page(items=items, next_cursor=cursor)


def _attention_item(
    commitment: Commitment,
    stats: tuple[date | None, float],
    today: date,
    cutoff: date,
    months: int,
    horizon_months: int,
    pace_ratio: float,
) -> AttentionItem:
    last_end, deployed = stats
    reasons: list[AttentionReason] = []
    details: list[str] = []
    started = commitment.announced_on or commitment.created_at.date()
    if last_end is None and started < cutoff:
        reasons.append(AttentionReason.NO_REPORT)
        details.append(f"no report since it was announced on {started.isoformat()}")
    elif last_end is not None and last_end < cutoff:
        reasons.append(AttentionReason.STALE_REPORTS)
        details.append(f"no report for a period after {last_end.isoformat()} (more than {months} months)")
    basis_raw = (commitment.targets or {}).get("investment_deployed_usd", commitment.amount_usd)
    basis = float(basis_raw) if basis_raw is not None else None
    expected: float | None = None
    if basis and commitment.announced_on is not None:
        elapsed = (today - commitment.announced_on).days / 30.4375
        expected = round(basis * min(1.0, elapsed / horizon_months), 2)
        if commitment.announced_on < cutoff and deployed < expected * pace_ratio:
            reasons.append(AttentionReason.BELOW_PACE)
            share = deployed / expected if expected else 0.0
            details.append(
                f"deployed ${deployed:,.0f}, {share:.0%} of the ${expected:,.0f} a steady pace would have"
                f" reached by now (flagged under {pace_ratio:.0%})"
            )
    return AttentionItem(
        commitment_id=commitment.id,
        business_id=commitment.business_id,
        title=commitment.title,
        status=CommitmentStatus(commitment.status),
        initiative=commitment.initiative,
        countries=commitment.countries,
        focus_areas=commitment.focus_areas,
        amount_usd=float(commitment.amount_usd) if commitment.amount_usd is not None else None,
        announced_on=commitment.announced_on,
        last_period_end=last_end,
        deployed_usd=round(deployed, 2),
        expected_deployed_usd=expected,
        reasons=reasons,
        detail="; ".join(details),
    )
