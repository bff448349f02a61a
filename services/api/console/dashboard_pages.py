"""The programme dashboard: totals, the introduction funnel and trends as charts read at a glance,
with the figures in tables beside them and the CSV and IATI exports a click away."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.console import charts
from services.api.console.i18n import label
from services.api.console.web import PREFIX, ConsoleRoute, DbSession, Person, allowed, gettext, render
from services.api.deps import scope_to_caller
from services.api.exports import router as exports
from services.api.exports.schemas import CommitmentFilters, MatchFilters, ReportFilters
from services.api.metrics import service as metrics_service
from services.api.metrics.repository import MetricFilters
from services.api.metrics.schemas import GroupBy, Interval
from shared.clock import utc_now
from shared.enums import PROGRAMME_COUNTRIES, FocusArea, Initiative, Role
from shared.errors import NotFound
from shared.indicators import INDICATORS

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

#: Who reads the programme's figures: its staff and viewers.
Reader = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR, Role.VIEWER))]
#: Who downloads the exports (a scoped person gets their own organisation's rows, as a scoped key does).
Exporter = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.BUSINESS))]
TREND_METRICS = ("investment_deployed_usd", "committed_usd", "jobs_created", "people_reached", "people_trained")


def _choice(value: str | None, allowed_values: Any) -> str | None:
    return value if value in allowed_values else None


@router.get("/dashboard")
async def dashboard(request: Request, session: DbSession, person: Reader) -> Response:
    params = request.query_params
    filters = MetricFilters(
        focus_area=_choice(params.get("focus_area"), [f.value for f in FocusArea]),
        country=_choice(params.get("country"), PROGRAMME_COUNTRIES),
        initiative=_choice(params.get("initiative"), [i.value for i in Initiative]),
    )
    group_by = GroupBy(_choice(params.get("group_by"), [g.value for g in GroupBy]) or GroupBy.FOCUS_AREA.value)
    metric = _choice(params.get("metric"), TREND_METRICS) or TREND_METRICS[0]

    @asynccontextmanager
    async def sessions() -> AsyncIterator[AsyncSession]:
        async with request.app.state.read_sessionmaker() as extra:
            scope_to_caller(request, extra)
            yield extra

    summary = await metrics_service.summary(sessions, filters)
    trends = await metrics_service.trends(
        session, filters, metric=metric, group_by=group_by, interval=Interval.QUARTER, today=utc_now().date()
    )
    language = person.language
    stages = [(label(language, "match_status", s.stage), s.count) for s in summary.funnel.stages]
    group_vocabulary = {"focus_area": "focus_area", "country": "country", "initiative": "initiative"}[group_by.value]
    series = [
        (label(language, group_vocabulary, s.group) or s.group, [p.value for p in s.points]) for s in trends.series
    ]
    periods = [f"{p.year}-Q{(p.month - 1) // 3 + 1}" for p in trends.periods]
    context = {
        "summary": summary,
        "funnel_chart": charts.funnel(stages, title=gettext(request, "Introduction funnel")),
        "stages": stages,
        "trend_chart": charts.trends(periods, series, title=label(language, "indicator", metric)),
        "series": series,
        "periods": periods,
        "given": {
            "focus_area": filters.focus_area,
            "country": filters.country,
            "initiative": filters.initiative,
            "group_by": group_by.value,
            "metric": metric,
        },
        "focus_areas": [f.value for f in FocusArea],
        "countries": PROGRAMME_COUNTRIES,
        "initiatives": [i.value for i in Initiative],
        "metrics": TREND_METRICS,
        "indicator_codes": list(INDICATORS),
    }
    return render(request, "dashboard.html", context)


@router.get("/exports/{name}")
async def export(name: str, request: Request, session: DbSession, person: Exporter) -> Response:
    """The API's exports, downloaded with the person's session instead of a key (and scoped the same)."""
    if name == "commitments.csv":
        return await exports.commitments_csv(request, person.actor, CommitmentFilters())
    if name == "matches.csv":
        return await exports.matches_csv(request, session, person.actor, MatchFilters())
    if name == "reports.csv":
        return await exports.reports_csv(request, person.actor, ReportFilters())
    if name == "commitments.iati.xml":
        return await exports.commitments_iati(request, person.actor, CommitmentFilters())
    raise NotFound(f"no export called {name}")
