"""/v1/metrics: summary, trends, the attention list and the indicator catalogue."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.api.auth.dependencies import Caller, RecordReader
from services.api.deps import AppSettings, DbSession, ReadSessions
from services.api.kit.pagination import Page, Pagination
from services.api.kit.problems import COMMON_PROBLEMS
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from services.api.metrics import service
from services.api.metrics.repository import MetricFilters
from services.api.metrics.schemas import (
    AttentionItem,
    GroupBy,
    IndicatorRead,
    Interval,
    MetricQuery,
    Summary,
    Trends,
)
from shared.clock import utc_now

router = APIRouter(prefix="/v1/metrics", tags=["metrics"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

SCOPING = (
    " Figures count only what the key may see: a business key, its own commitments, reports and"
    " matches; a partner key, its own programs and the funnel of its own matches (commitments and"
    " reports belong to businesses, so its commitment and result figures are zero). Viewer keys"
    " may read these aggregates."
)

SPLITTING_RULE = (
    "**Splitting rule.** Grouped by `focus_area` or `country`, a commitment with *n* focus areas (or"
    " countries) counts 1/*n* of its amount and of each of its reports' values in each of them, so the"
    " groups add up to the programme total and nothing is counted in full twice. A commitment with"
    " none counts in full under `unspecified`; grouped by `initiative`, one without an initiative"
    " also falls under `unspecified`."
)


async def _filters(
    selection: Annotated[MetricQuery, Depends(query(MetricQuery))],
) -> MetricFilters:
    return MetricFilters(
        focus_area=selection.focus_area.value if selection.focus_area else None,
        country=selection.country,
        region=selection.region,
        initiative=selection.initiative.value if selection.initiative else None,
        date_from=selection.date_from,
        date_to=selection.date_to,
    )


Filters = Annotated[MetricFilters, Depends(_filters)]


@router.get(
    "/summary",
    summary="Programme totals and the introduction funnel",
    description=(
        "Commitments (count, by status, committed dollars, businesses) selected by `focus_area`,"
        " `country` and `initiative` and announced by `to`; results (dollars deployed, jobs, people"
        " trained and reached, every catalogue indicator) from current reports whose period ends in"
        " [`from`, `to`] — a report replaced by a later one for the same period never counts; the"
        " funnel proposed → approved → introduced → partnership_formed of introductions proposed in"
        " the window, with conversion rates and median days between steps." + SCOPING
    ),
)
async def get_summary(
    sessions: ReadSessions,
    _caller: Caller,
    filters: Filters,
    all_indicators: Annotated[
        bool,
        Query(description="Every catalogue indicator in `indicators`, not only the headline five (slower)."),
    ] = False,
) -> Summary:
    return await service.summary(sessions, filters, all_indicators=all_indicators)


@router.get(
    "/trends",
    summary="A metric over time, by focus area, country or initiative",
    description=(
        "One series per group and one point per month or quarter of the window (zeros included). A"
        " report counts in the month or quarter its period ends; `committed_usd` counts a commitment's"
        " amount in the one it was announced. Flow indicators add up; stock indicators (`max` in the"
        " catalogue) take each commitment's largest value in the period, added over commitments. A"
        " later report for the same commitment and period replaces the earlier one. The window defaults"
        " to the eight quarters up to today.\n\n" + SPLITTING_RULE + SCOPING
    ),
)
async def get_trends(
    session: DbSession,
    _caller: Caller,
    filters: Filters,
    group_by: Annotated[GroupBy, Query()],
    interval: Annotated[Interval, Query()] = Interval.QUARTER,
    metric: Annotated[
        str,
        Query(
            max_length=60,
            description="An indicator code (GET /v1/metrics/indicators) or `committed_usd`.",
        ),
    ] = "investment_deployed_usd",
) -> Trends:
    return await service.trends(
        session,
        filters,
        metric=service.known_metric(metric),
        group_by=group_by,
        interval=interval,
        today=utc_now().date(),
    )


@router.get(
    "/attention",
    summary="Commitments that need a coordinator's follow-up",
    description=(
        "Announced or in-progress commitments flagged as stalled candidates, each with its reasons:"
        " `no_report` (none since the announcement, more than `months` ago), `stale_reports` (the"
        " latest reported period ended more than `months` ago), `below_pace` (dollars deployed under"
        " `pace_ratio` of a steady pace: the investment target, or else the amount, spread evenly over"
        " `horizon_months` from the announcement; checked once the commitment is `months` old)."
    ),
)
async def get_attention(
    session: DbSession,
    settings: AppSettings,
    _caller: RecordReader,
    filters: Filters,
    page: Pagination,
    months: Annotated[
        int | None,
        Query(ge=1, le=120, description="Months without a report before flagging (default: setting)."),
    ] = None,
    horizon_months: Annotated[int, Query(ge=1, le=240, description="Months a steady pace spreads over.")] = 60,
    pace_ratio: Annotated[float, Query(gt=0, le=1, description="Flag below this share of the pace.")] = 0.25,
) -> Page[AttentionItem]:
    return await service.attention(
        session,
        filters,
        page,
        today=utc_now().date(),
        months=months or settings.attention_months_without_report,
        horizon_months=horizon_months,
        pace_ratio=pace_ratio,
    )


@router.get("/indicators", summary="The indicator catalogue")
async def list_indicators(_caller: Caller) -> list[IndicatorRead]:
    return service.indicators()
