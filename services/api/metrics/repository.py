"""The SQL behind the figures: one aggregate query per figure set, scoped by the session's actor.

Report figures read the tables a trigger on `impact_reports` keeps exact (`impact_values`: one
typed row per report and indicator; `commitment_indicator_totals`: one per commitment and
indicator), never the reports' JSONB, so a summary over 100,000 reports reads about one row per
commitment and a trend one indexed row per report.

Every statement selects from ORM entities, so `shared.db.tenancy` adds the caller's
organisation filter to each of them (subqueries included). The one exception is marked:
the funnel filters a partner's own matches by their commitments' attributes through the
bare `commitments` table, which reveals nothing beyond those matches' counts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    DateTime,
    Float,
    Numeric,
    Text,
    and_,
    case,
    cast,
    column,
    distinct,
    func,
    literal,
    or_,
    select,
    text,
    true,
    values,
)
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement as Column

from shared.enums import CommitmentStatus, MatchStatus
from shared.indicators import INDICATORS, Aggregation
from shared.models import (
    Commitment,
    CommitmentIndicatorTotal,
    ImpactValue,
    Match,
    Partner,
    Program,
)
from shared.models.impact_value import REPORT_CODE
from shared.regions.lookup import within

UNSPECIFIED = "unspecified"
#: Statuses whose commitments are still expected to report and deploy.
ACTIVE_STATUSES = (CommitmentStatus.ANNOUNCED.value, CommitmentStatus.IN_PROGRESS.value)


@dataclass(frozen=True)
class MetricFilters:
    focus_area: str | None = None
    country: str | None = None
    initiative: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    #: A region id: commitments that name it or a place inside it.
    region: str | None = None


def _commitment_clause(filters: MetricFilters, table: Any = Commitment) -> ColumnElement[bool]:
    """The commitments the filters select (`table`: the entity, or the bare table for the funnel)."""
    clauses: list[ColumnElement[bool]] = [true()]
    if filters.focus_area:
        clauses.append(table.focus_areas.contains([filters.focus_area]))
    if filters.country:
        clauses.append(table.countries.contains([filters.country]))
    if filters.initiative:
        clauses.append(table.initiative == filters.initiative)
    if filters.region:
        clauses.append(within(table.regions, value=filters.region))
    return and_(*clauses)


def _has_commitment_filter(filters: MetricFilters) -> bool:
    return bool(filters.focus_area or filters.country or filters.initiative or filters.region)


def _value_window(filters: MetricFilters) -> list[ColumnElement[bool]]:
    """Current values (a replaced report's never count) whose report's period ends in the window.

    `current` bare, not `IS true`: it must match the partial indexes' predicate to use them.
    """
    clauses: list[ColumnElement[bool]] = [ImpactValue.current.expression]
    if filters.date_from:
        clauses.append(ImpactValue.period_end >= filters.date_from)
    if filters.date_to:
        clauses.append(ImpactValue.period_end <= filters.date_to)
    return clauses


async def commitment_figures(session: AsyncSession, filters: MetricFilters) -> dict[str, Any]:
    """Counts and committed dollars of the commitments the filters select, announced by `date_to`."""
    where = [_commitment_clause(filters)]
    if filters.date_to:
        where.append(or_(Commitment.announced_on.is_(None), Commitment.announced_on <= filters.date_to))
    statement = select(
        func.count().label("commitments"),
        func.coalesce(func.sum(Commitment.amount_usd), 0).label("committed_usd"),
        func.count(distinct(Commitment.business_id)).label("businesses"),
        *(func.count().filter(Commitment.status == s.value).label(s.value) for s in CommitmentStatus),
    ).where(*where)
    return dict((await session.execute(statement)).one()._mapping)


#: The figures every summary carries; the rest of the catalogue on request (each code costs a pass).
HEADLINE_CODES = (
    "investment_deployed_usd",
    "jobs_created",
    "people_trained",
    "people_reached",
    "women_reached",
)


def _of_selected_commitments(statement: Any, filters: MetricFilters, commitment_id: Any) -> Any:
    """Join commitments only to filter by their attributes: the value tables carry business_id for scoping."""
    if _has_commitment_filter(filters):
        statement = statement.join(Commitment, Commitment.id == commitment_id).where(_commitment_clause(filters))
    return statement


async def result_figures(
    session: AsyncSession, filters: MetricFilters, codes: Sequence[str] = HEADLINE_CODES
) -> dict[str, Any]:
    """Per indicator: flows summed over current reports; stocks as each commitment's largest value, summed.

    Without a date window, from the per-commitment totals; with one, from the values in it. Rows
    come back one per code (GROUP BY code: one hash per row, where a FILTER per code would test
    every row once per code) and are laid out here.
    """
    if filters.date_from is None and filters.date_to is None:
        return await _totals_figures(session, filters, codes)
    return await _windowed_figures(session, filters, codes)


async def _totals_figures(session: AsyncSession, filters: MetricFilters, codes: Sequence[str]) -> dict[str, Any]:
    """Per code asked (and `REPORT_CODE`, whose sum counts the current reports), the selected
    commitments' totals rows added up."""
    t = CommitmentIndicatorTotal
    sums = (
        func.count().label("commitments"),
        func.sum(t.total_sum).label("total_sum"),
        func.sum(t.total_max).label("total_max"),
    )
    asked = (REPORT_CODE, *codes)
    statement: Any
    if _has_commitment_filter(filters):
        # one join to the commitments, grouped by code
        statement = _of_selected_commitments(
            select(t.code, *sums).where(t.code.in_(asked)).group_by(t.code), filters, t.commitment_id
        )
    else:
        # one index-only range per code (a LATERAL): no join, and no hashing of text keys,
        # three times faster than GROUP BY code at 10,000 commitments
        codes_table = values(column("code", Text), name="asked").data([(code,) for code in asked])
        per_code = select(*sums).where(t.code == codes_table.c.code).lateral("per_code")
        statement = select(codes_table.c.code, per_code).select_from(codes_table.join(per_code, true()))
    rows = {row.code: row for row in (await session.execute(statement)).all()}
    report = rows.get(REPORT_CODE)
    figures: dict[str, Any] = {
        "reports": int(report.total_sum or 0) if report else 0,
        "reporting_commitments": int(report.commitments) if report else 0,
    }
    for code in codes:
        row = rows.get(code)
        stock = INDICATORS[code].aggregation is Aggregation.MAX
        figures[code] = ((row.total_max if stock else row.total_sum) or 0) if row else 0
    return figures


async def _windowed_figures(session: AsyncSession, filters: MetricFilters, codes: Sequence[str]) -> dict[str, Any]:
    """The current values in the window: flows and report counts per code; the distinct reporting
    commitments; for stock codes, each commitment's largest value in the window, summed per code."""
    v = ImpactValue
    window = _value_window(filters)
    flow_codes = [c for c in codes if INDICATORS[c].aggregation is Aggregation.SUM]
    stock_codes = [c for c in codes if INDICATORS[c].aggregation is Aggregation.MAX]
    flows = _of_selected_commitments(
        select(v.code, func.count().label("rows"), func.sum(v.value).label("total"))
        .where(v.code.in_([REPORT_CODE, *flow_codes]), *window)
        .group_by(v.code),
        filters,
        v.commitment_id,
    )
    totals = {row.code: row for row in (await session.execute(flows)).all()}
    reporting = _of_selected_commitments(
        select(v.commitment_id).where(v.code == REPORT_CODE, *window).distinct(), filters, v.commitment_id
    ).subquery("reporting")
    figures: dict[str, Any] = {
        "reports": totals[REPORT_CODE].rows if REPORT_CODE in totals else 0,
        "reporting_commitments": await session.scalar(select(func.count()).select_from(reporting)),
    }
    figures.update({code: totals[code].total if code in totals else 0 for code in flow_codes})
    if stock_codes:
        per_commitment = _of_selected_commitments(
            select(v.code, func.max(v.value).label("value"))
            .where(v.code.in_(stock_codes), *window)
            .group_by(v.commitment_id, v.code),
            filters,
            v.commitment_id,
        ).subquery("per_commitment")
        stocks = select(per_commitment.c.code, func.sum(per_commitment.c.value)).group_by(per_commitment.c.code)
        largest = {row[0]: row[1] for row in (await session.execute(stocks)).all()}
        figures.update({code: largest.get(code, 0) for code in stock_codes})
    return figures


async def organisation_figures(session: AsyncSession, filters: MetricFilters) -> dict[str, Any]:
    """Partners and active programs, narrowed by focus area and country where given."""
    programs: list[ColumnElement[bool]] = [Program.active.is_(True)]
    partners: list[ColumnElement[bool]] = [true()]
    if filters.focus_area:
        programs.append(Program.focus_areas.contains([filters.focus_area]))
    if filters.country:
        programs.append(Program.countries.contains([filters.country]))
        partners.append(Partner.countries.contains([filters.country]))
    if filters.region:
        # a programme that names no region works in the whole of its countries
        whole_country = and_(func.cardinality(Program.regions) == 0, Program.countries.contains([filters.region[:2]]))
        programs.append(or_(within(Program.regions, value=filters.region), whole_country))
        partners.append(Partner.countries.contains([filters.region[:2]]))
    statement = select(
        select(func.count()).select_from(Partner).where(*partners).scalar_subquery().label("partners"),
        select(func.count()).select_from(Program).where(*programs).scalar_subquery().label("programs"),
    )
    return dict((await session.execute(statement)).one()._mapping)


async def funnel_figures(session: AsyncSession, filters: MetricFilters) -> dict[str, Any]:
    """Introductions by the furthest stage they reached, and median days between stages.

    A match counts at a stage when its status is at or beyond it, or a decision moved it
    there (an approved match later declined still counts as approved). Superseded proposals
    are left out: a newer run proposed the same pair again.
    """
    reached_approved = (
        MatchStatus.APPROVED.value,
        MatchStatus.INTRODUCED.value,
        MatchStatus.PARTNERSHIP_FORMED.value,
        MatchStatus.NO_PARTNERSHIP.value,
    )
    reached_introduced = reached_approved[1:]

    # the stage columns are set by decisions (shared.records.match), so no join to them is needed
    per_match = select(
        Match.status,
        Match.created_at,
        Match.approved_at,
        Match.introduced_at,
        Match.partnership_formed_at.label("formed_at"),
    ).where(Match.status != MatchStatus.SUPERSEDED.value)
    if _has_commitment_filter(filters):
        # the bare table on purpose: it only narrows matches the caller already sees
        commitments = Commitment.__table__
        per_match = per_match.join(commitments, commitments.c.id == Match.commitment_id).where(
            _commitment_clause(filters, commitments.c)
        )
    if filters.date_from:
        per_match = per_match.where(Match.created_at >= filters.date_from)
    if filters.date_to:
        per_match = per_match.where(Match.created_at < filters.date_to + timedelta(days=1))
    m = per_match.subquery("per_match")

    def median(later: Column[Any], earlier: Column[Any]) -> ColumnElement[Any]:
        # over the intervals themselves (a timedelta comes back): sorting intervals costs half as
        # much as sorting numbers computed from them
        return func.percentile_cont(0.5).within_group(later - earlier).filter(later.is_not(None), earlier.is_not(None))

    statement = select(
        func.count().label("proposed"),
        func.count().filter(or_(m.c.status.in_(reached_approved), m.c.approved_at.is_not(None))).label("approved"),
        func.count()
        .filter(or_(m.c.status.in_(reached_introduced), m.c.introduced_at.is_not(None)))
        .label("introduced"),
        func.count().filter(m.c.status == MatchStatus.PARTNERSHIP_FORMED.value).label("partnership_formed"),
        func.count().filter(m.c.status == MatchStatus.NO_PARTNERSHIP.value).label("no_partnership"),
        func.count().filter(m.c.status == MatchStatus.DECLINED.value).label("declined"),
        median(m.c.approved_at, m.c.created_at).label("days_to_approved"),
        median(m.c.introduced_at, m.c.approved_at).label("days_to_introduced"),
        median(m.c.formed_at, m.c.introduced_at).label("days_to_partnership_formed"),
    )
    return dict((await session.execute(statement)).one()._mapping)


# --- trends -----------------------------------------------------------------------------------

COMMITTED_USD = "committed_usd"
#: Memory for a stock trend's per-commitment grouping (a constant: never built from input).
STOCK_TREND_WORK_MEM = "32MB"


def _bucket(column: Any, interval: str) -> ColumnElement[Any]:
    """The first day of the month or quarter holding `column` (a date; no time zone involved)."""
    return cast(func.date_trunc(interval, cast(column, DateTime)), Date)


def _groups(filters: MetricFilters, group_by: str) -> Any:
    """(commitment_id, grp, share): each selected commitment once per group label, with its share.

    Splitting rule: a commitment in n focus areas (or n countries) counts 1/n of its amount and of
    each report's values in each; one with none counts in full under `unspecified`. Computed over
    commitments (thousands of rows), then joined to reports, so no array work happens per report.
    """
    if group_by == "initiative":
        group: ColumnElement[Any] = func.coalesce(Commitment.initiative, UNSPECIFIED)
        share: ColumnElement[Any] = literal(1.0, Float)
    else:
        column = Commitment.focus_areas if group_by == "focus_area" else Commitment.countries
        size = func.cardinality(column)
        group = func.unnest(case((size > 0, column), else_=array([literal(UNSPECIFIED)])))
        share = 1.0 / func.greatest(size, 1)
    return (
        select(Commitment.id.label("commitment_id"), group.label("grp"), share.label("share"))
        .where(_commitment_clause(filters))
        .subquery("groups")
    )


async def trend_cells(
    session: AsyncSession,
    filters: MetricFilters,
    *,
    metric: str,
    group_by: str,
    interval: str,
) -> Sequence[Any]:
    """(bucket, grp, value) for every non-empty cell; the caller fills the rest with zeros.

    A report counts in the month or quarter its period ends; committed dollars in the one the
    commitment was announced. Only current reports are read, so a replaced report never counts.
    """
    groups = _groups(filters, group_by)
    if metric == COMMITTED_USD:
        when: Any = Commitment.announced_on
        window = [when.is_not(None), Commitment.amount_usd.is_not(None)]
        if filters.date_from:
            window.append(when >= filters.date_from)
        if filters.date_to:
            window.append(when <= filters.date_to)
        values: Any = (
            select(
                _bucket(when, interval).label("bucket"),
                Commitment.id.label("commitment_id"),
                cast(Commitment.amount_usd, Float).label("value"),
            )
            .where(*window)
            .subquery("values")
        )
    else:
        # one index range of (code, period_end), read without touching the table
        bucket = _bucket(ImpactValue.period_end, interval)
        reports = select(bucket.label("bucket"), ImpactValue.commitment_id.label("commitment_id")).where(
            ImpactValue.code == metric, *_value_window(filters)
        )
        if INDICATORS[metric].aggregation is Aggregation.MAX:
            # a stock: each commitment's largest value in the bucket (summed over commitments below);
            # one group per commitment and bucket (100,000 at scale) spills to disk under the default
            # 4 MB work_mem and runs twice as slow, so this transaction gets more (SET LOCAL: it ends here)
            await session.execute(text(f"SET LOCAL work_mem = '{STOCK_TREND_WORK_MEM}'"))
            reports = reports.add_columns(func.max(ImpactValue.value).label("value")).group_by(
                bucket, ImpactValue.commitment_id
            )
        else:
            reports = reports.add_columns(ImpactValue.value.label("value"))
        values = reports.subquery("values")
    statement = (
        select(values.c.bucket, groups.c.grp, func.sum(values.c.value * groups.c.share).label("value"))
        .join(groups, groups.c.commitment_id == values.c.commitment_id)
        .group_by(values.c.bucket, groups.c.grp)
        .order_by(values.c.bucket, groups.c.grp)
    )
    return (await session.execute(statement)).all()


# --- attention ----------------------------------------------------------------------------------


DEPLOYED = "investment_deployed_usd"


def _stats_columns() -> list[ColumnElement[Any]]:
    """A commitment's latest reported period end and dollars deployed, from its two totals rows."""
    t = CommitmentIndicatorTotal
    return [
        func.max(t.last_period_end).filter(t.code == REPORT_CODE).label("last_period_end"),
        func.coalesce(func.sum(t.total_sum).filter(t.code == DEPLOYED), 0).label("deployed_usd"),
    ]


def report_stats() -> Any:
    """Per commitment: its latest reported period end and the dollars its current reports deployed."""
    t = CommitmentIndicatorTotal
    return (
        select(t.commitment_id, *_stats_columns())
        .where(t.code.in_([REPORT_CODE, DEPLOYED]))
        .group_by(t.commitment_id)
        .subquery("stats")
    )


def pace_basis() -> ColumnElement[Any]:
    """What a commitment means to deploy: its investment target where it set one, else its amount."""
    return func.coalesce(cast(Commitment.targets["investment_deployed_usd"].astext, Numeric), Commitment.amount_usd)


def attention_listing(
    filters: MetricFilters, *, today: date, cutoff: date, horizon_months: int, pace_ratio: float
) -> Any:
    """Active commitments with no report since `cutoff`, or deploying below `pace_ratio` of a linear pace.

    The linear pace spreads the basis evenly over `horizon_months` from the announcement; it is
    checked only for commitments announced before `cutoff` (a new commitment is not behind yet).
    """
    stats = report_stats()
    started = func.coalesce(Commitment.announced_on, cast(Commitment.created_at, Date))
    silent = func.coalesce(stats.c.last_period_end, started) < cutoff
    months_elapsed = cast(literal(today) - Commitment.announced_on, Float) / 30.4375
    expected = pace_basis() * cast(func.least(1.0, months_elapsed / horizon_months), Numeric)
    behind = and_(
        Commitment.announced_on.is_not(None),
        Commitment.announced_on < cutoff,
        pace_basis() > 0,
        func.coalesce(stats.c.deployed_usd, 0) < expected * pace_ratio,
    )
    return (
        select(Commitment)
        .outerjoin(stats, stats.c.commitment_id == Commitment.id)
        .where(Commitment.status.in_(ACTIVE_STATUSES), _commitment_clause(filters), or_(silent, behind))
    )


async def stats_for(session: AsyncSession, commitment_ids: Sequence[Any]) -> dict[Any, tuple[date | None, float]]:
    """Latest period end and dollars deployed of the given commitments (one query for a page)."""
    if not commitment_ids:
        return {}
    t = CommitmentIndicatorTotal
    statement = (
        select(t.commitment_id, *_stats_columns())
        .where(t.code.in_([REPORT_CODE, DEPLOYED]), t.commitment_id.in_(list(commitment_ids)))
        .group_by(t.commitment_id)
    )
    return {row[0]: (row[1], float(row[2])) for row in (await session.execute(statement)).all()}
