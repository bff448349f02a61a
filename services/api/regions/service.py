"""Regions as the API serves them: rows from the Reader, need figures from the shared need layer."""

import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.deps import CallerReads
from services.api.regions import repository
from services.api.regions.figures import LevelFigures, level_figures
from services.api.regions.messages import say
from services.api.regions.schemas import (
    Centroid,
    CoverageRead,
    FiguresQuery,
    IndicatorCoverage,
    IndicatorValueRead,
    LevelFiguresRead,
    NeedComponentRead,
    NeedMethodRead,
    NeedRead,
    NeedServedRead,
    NeedSummary,
    RegionDetail,
    RegionRead,
    RegionRef,
    UnitFiguresRead,
)
from shared.config import Settings
from shared.domain.need_index import NeedFigure, NeedStatus
from shared.errors import NotFound
from shared.models import NeedValue, Region
from shared.regions.lookup import REGION_ID_PATTERN
from shared.regions.need import NeedLayer, need_layer

_REGION_ID = re.compile(REGION_ID_PATTERN)
_UNKNOWN = NeedFigure("", NeedStatus.UNKNOWN, None, 0.0, (), ())


async def layer(session: AsyncSession, settings: Settings) -> NeedLayer:
    """The need layer under the configured weights."""
    return await need_layer(session, settings.need_weights, settings.need_min_coverage)


def summary(figure: NeedFigure | None) -> NeedSummary:
    figure = figure or _UNKNOWN
    return NeedSummary(
        status=figure.status,
        index=round(figure.index, 1) if figure.index is not None else None,
        coverage=round(figure.coverage, 2),
        rank=figure.rank,
        peers=figure.peers,
        rests_on=[component.used for component in figure.components],
        missing=list(figure.missing),
    )


def need_read(figure: NeedFigure | None, need: NeedLayer) -> NeedRead:
    figure = figure or _UNKNOWN
    components = [
        NeedComponentRead(
            indicator=c.indicator,
            used=c.used,
            weight=c.weight,
            value=c.value,
            year=c.year,
            source_id=c.source_id,
            percentile=round(c.percentile, 3),
            compared_with=c.compared_with,
        )
        for c in figure.components
    ]
    method = NeedMethodRead(
        weights=dict(need.method.weights), min_coverage=need.method.min_coverage, ignored=list(need.method.ignored)
    )
    return NeedRead(**summary(figure).model_dump(), components=components, method=method)


def _region_fields(row: Mapping[str, Any]) -> dict[str, Any]:
    centroid = (
        Centroid(lat=row["lat"], lon=row["lon"], source=row["centroid_source"])
        if row["lat"] is not None and row["lon"] is not None
        else None
    )
    names = (
        "id", "country", "level", "code", "name", "parent_id", "iso_3166_2", "population",
        "population_year", "population_source", "source_id", "notes",
    )  # fmt: skip
    return {**{name: row[name] for name in names}, "centroid": centroid}


def region_read(row: Mapping[str, Any], need: NeedLayer) -> RegionRead:
    return RegionRead(**_region_fields(row), need=summary(need.figure(row["id"])))


def normalised_id(region_id: str) -> str:
    """The id as stored (upper case); NotFound for one that cannot name a region."""
    candidate = region_id.strip().upper()
    if not _REGION_ID.match(candidate):
        raise NotFound(f"region {region_id[:40]!r} does not exist")
    return candidate


async def region_detail(reads: CallerReads, session: AsyncSession, settings: Settings, region_id: str) -> RegionDetail:
    wanted = normalised_id(region_id)
    found = await reads.shaped("region", repository.region, {"region_id": wanted})
    if not found:
        raise NotFound(f"region {wanted} does not exist")
    row = found[0]
    need = await layer(session, settings)
    boundary = await reads.shaped("region-boundary", repository.boundary, {"region_id": wanted})
    children = await reads.shaped("region-children", repository.children, {"region_id": wanted})
    parent = (
        await reads.shaped("region-ref", repository.reference, {"region_id": row["parent_id"]})
        if row["parent_id"]
        else []
    )
    values = await reads.shaped("region-values", repository.latest_values, {"region_id": wanted})
    indicators = []
    for value in values:
        entry = need.catalogue.get(value["indicator"])
        if entry is None:
            continue
        indicators.append(
            IndicatorValueRead(
                indicator=entry.code,
                label_en=entry.label_en,
                label_es=entry.label_es,
                unit=entry.unit,
                direction=entry.direction,
                value=value["value"],
                year=value["year"],
                source_id=value["source_id"],
                release_id=value["release_id"],
                release_label=value["release_label"],
            )
        )
    return RegionDetail(
        **_region_fields(row),
        parent=RegionRef(**parent[0]) if parent else None,
        children=[RegionRef(**child) for child in children],
        boundary=boundary[0]["boundary"] if boundary else None,
        indicators=indicators,
        need=need_read(need.figure(wanted), need),
    )


def _counts() -> Any:
    return (
        select(
            Region.country,
            Region.level,
            func.count().label("regions"),
            func.count().filter(Region.boundary.is_not(None)).label("with_boundary"),
        )
        .group_by(Region.country, Region.level)
        .order_by(Region.country, Region.level)
    )


def _indicator_counts() -> Any:
    return (
        select(
            Region.country,
            Region.level,
            NeedValue.indicator,
            func.count(func.distinct(NeedValue.region_id)).label("regions_with_value"),
            func.array_agg(func.distinct(NeedValue.year)).label("years"),
        )
        .join(Region, Region.id == NeedValue.region_id)
        .where(NeedValue.superseded_by.is_(None))
        .group_by(Region.country, Region.level, NeedValue.indicator)
        .order_by(Region.country, Region.level, NeedValue.indicator)
    )


async def coverage(session: AsyncSession, settings: Settings, language: str) -> list[CoverageRead]:
    """Per country and level: how many regions have a need index, how many have none, which indicators exist."""
    need = await layer(session, settings)
    statuses: dict[tuple[str, str], dict[NeedStatus, int]] = {}
    levels = dict(
        (row.id, (row.country, row.level))
        for row in (await session.execute(select(Region.id, Region.country, Region.level))).all()
    )
    for region_id, group in levels.items():
        status = (need.figure(region_id) or _UNKNOWN).status
        statuses.setdefault(group, dict.fromkeys(NeedStatus, 0))[status] += 1
    indicators: dict[tuple[str, str], list[IndicatorCoverage]] = {}
    for row in (await session.execute(_indicator_counts())).all():
        indicators.setdefault((row.country, row.level), []).append(
            IndicatorCoverage(
                indicator=row.indicator, regions_with_value=row.regions_with_value, years=sorted(row.years)
            )
        )
    result = []
    for row in (await session.execute(_counts())).all():
        group = (row.country, row.level)
        counts = statuses.get(group, dict.fromkeys(NeedStatus, 0))
        result.append(
            CoverageRead(
                country=row.country,
                level=row.level,
                regions=row.regions,
                need_known=counts[NeedStatus.KNOWN],
                need_partial=counts[NeedStatus.PARTIAL],
                need_unknown=counts[NeedStatus.UNKNOWN],
                with_boundary=row.with_boundary,
                indicators=indicators.get(group, []),
                note=coverage_note(row.regions, counts, row.with_boundary, language),
            )
        )
    return result


def coverage_note(regions: int, counts: Mapping[NeedStatus, int], with_boundary: int | None, language: str) -> str:
    """Where data is missing, in plain words (what lists and maps say beside the figures)."""
    parts = []
    if counts[NeedStatus.KNOWN] == regions:
        parts.append(say("coverage.all_known", language, regions=regions))
    else:
        parts.append(
            say(
                "coverage.some_known",
                language,
                known=counts[NeedStatus.KNOWN],
                regions=regions,
                partial=counts[NeedStatus.PARTIAL],
                unknown=counts[NeedStatus.UNKNOWN],
            )
        )
    if with_boundary == 0:
        parts.append(say("coverage.no_boundaries", language))
    elif with_boundary is not None and with_boundary < regions:
        parts.append(say("coverage.some_boundaries", language, drawn=with_boundary, regions=regions))
    return " ".join(parts)


async def figures(
    session: AsyncSession, settings: Settings, query: FiguresQuery, language: str, *, with_boundaries: bool
) -> tuple[LevelFigures, NeedLayer, str]:
    """The figures by place at the query's country and level, the need layer, and what data is missing there."""
    need = await layer(session, settings)
    found = await level_figures(
        session,
        need,
        country=query.country,
        level=query.level.value,
        metric=query.metric,
        focus_area=query.focus_area.value if query.focus_area else None,
        with_boundaries=with_boundaries,
    )
    counts = dict.fromkeys(NeedStatus, 0)
    for unit in found.units:
        counts[(unit.need or _UNKNOWN).status] += 1
    drawn = sum(1 for unit in found.units if unit.geometry) if with_boundaries else None
    return found, need, coverage_note(len(found.units), counts, drawn, language)


def figures_read(found: LevelFigures, query: FiguresQuery, note: str) -> LevelFiguresRead:
    served = found.served()
    return LevelFiguresRead(
        country=found.country,
        level=query.level,
        metric=found.metric,
        focus_area=query.focus_area,
        units=[
            UnitFiguresRead(
                region_id=unit.region_id,
                name=unit.name,
                population=unit.population,
                commitments=unit.commitments,
                committed_usd=round(unit.committed_usd, 2),
                results=unit.results,
                need=summary(unit.need),
                highest_need=unit.highest_need,
            )
            for unit in found.units
        ],
        not_placed={
            "commitments": found.not_placed.get("commitments", 0.0),
            "committed_usd": round(found.not_placed.get("committed_usd", 0.0), 2),
            "results": found.not_placed.get("results", 0.0),
        },
        need_served=NeedServedRead(
            results_placed=served.results_placed,
            results_not_placed=served.results_not_placed,
            results_where_need_known=served.results_where_need_known,
            mean_need_where_results_landed=_rounded(served.mean_need_where_results_landed),
            mean_need_where_people_live=_rounded(served.mean_need_where_people_live),
            share_of_results_in_highest_need_fifth=_rounded(served.share_of_results_in_highest_need_fifth, 3),
        ),
        coverage_note=note,
    )


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None
