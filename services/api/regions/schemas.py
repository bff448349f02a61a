"""Shapes of /v1/regions: a region, its need figure and latest indicator values, coverage by country and level."""

from typing import Any

from pydantic import BaseModel, Field, field_validator

from services.api.kit.query import QueryModel
from shared.domain.identity import fold
from shared.domain.need_index import NeedStatus
from shared.enums import FocusArea, NeedDirection, RegionLevel
from shared.indicators import INDICATORS
from shared.regions.lookup import RegionId
from shared.validation import NO_NUL_PATTERN, CountryCode


class RegionFilters(QueryModel):
    country: CountryCode | None = Field(None, description="Regions of this country.")
    level: RegionLevel | None = Field(None, description="department, municipality or district (El Salvador).")
    parent: RegionId | None = Field(
        None, description="Regions directly under this one (a department's municipalities)."
    )
    q: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        pattern=NO_NUL_PATTERN,
        description="Part of the name; accents and case ignored (`quiche` finds Quiché).",
    )

    @field_validator("q")
    @classmethod
    def _folded(cls, value: str | None) -> str | None:
        """Compared with the stored folded name, LIKE's own characters taken literally."""
        if value is None:
            return None
        escaped = fold(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"


class NeedSummary(BaseModel):
    status: NeedStatus = Field(
        description="`known`: an index; `partial`: some indicators, too few for an index; `unknown`: no data."
        " A region without data is unknown, never 0."
    )
    index: float | None = Field(
        description="0 (least need) to 100 (most) among the regions of the same country and level; null unless known.",
        examples=[86.6],
    )
    coverage: float = Field(description="Share of the index's weights this region has values for (0 to 1).")
    rank: int | None = Field(description="1 = most need among `peers`; null unless known.")
    peers: int = Field(description="Regions of the same country and level with a known index.")
    rests_on: list[str] = Field(description="The indicator codes the index uses for this region.")
    missing: list[str] = Field(description="Weighted indicators this region has no value for.")


class NeedComponentRead(BaseModel):
    indicator: str = Field(description="The weighted indicator.")
    used: str = Field(description="The indicator whose value was used: itself, or one that stands in for it.")
    weight: float
    value: float
    year: int
    source_id: str = Field(description="The source's id (see the data's SOURCES.md).")
    percentile: float = Field(description="0 = least need, 1 = most, among regions with this indicator.")
    compared_with: int = Field(description="How many regions of the same country and level have this indicator.")


class NeedMethodRead(BaseModel):
    weights: dict[str, float] = Field(description="Indicator → weight (PUENTE_NEED_WEIGHTS).")
    min_coverage: float = Field(description="Coverage below which the index is not given (PUENTE_NEED_MIN_COVERAGE).")
    ignored: list[str] = Field(description="Weighted codes the catalogue cannot use (unknown, or context only).")


class NeedRead(NeedSummary):
    components: list[NeedComponentRead]
    method: NeedMethodRead


class Centroid(BaseModel):
    lat: float
    lon: float
    source: str | None


class RegionRead(BaseModel):
    id: str = Field(examples=["GT-1319"])
    country: str
    level: RegionLevel
    code: str
    name: str = Field(examples=["Santa Eulalia"])
    parent_id: str | None
    iso_3166_2: str | None
    population: int | None
    population_year: int | None
    population_source: str | None
    centroid: Centroid | None
    source_id: str | None
    notes: str | None
    need: NeedSummary


class RegionRef(BaseModel):
    id: str
    name: str
    level: RegionLevel


class IndicatorValueRead(BaseModel):
    indicator: str
    label_en: str
    label_es: str
    unit: str
    direction: NeedDirection
    value: float
    year: int
    source_id: str
    release_id: int
    release_label: str


class RegionDetail(RegionRead):
    parent: RegionRef | None
    children: list[RegionRef] = Field(
        description="Regions directly under it; an El Salvador municipality's are its districts (the"
        " municipalities before 1 May 2024)."
    )
    boundary: dict[str, Any] | None = Field(description="Simplified GeoJSON geometry (WGS84), where a source gave one.")
    indicators: list[IndicatorValueRead] = Field(description="The latest current value of each indicator held.")
    need: NeedRead


class IndicatorCoverage(BaseModel):
    indicator: str
    regions_with_value: int
    years: list[int]


class CoverageRead(BaseModel):
    country: str
    level: RegionLevel
    regions: int
    need_known: int
    need_partial: int
    need_unknown: int
    with_boundary: int
    indicators: list[IndicatorCoverage]
    note: str = Field(description="Where data is missing, in plain words.")


class FiguresQuery(QueryModel):
    country: CountryCode = Field(description="GT, SV or HN.")
    level: RegionLevel = Field(description="department or municipality (district in El Salvador).")
    metric: str = Field(
        "investment_deployed_usd",
        max_length=60,
        description="The impact indicator results are counted in (GET /v1/metrics/indicators).",
    )
    focus_area: FocusArea | None = Field(None, description="Only commitments in this focus area.")

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, value: str) -> str:
        if value not in INDICATORS:
            raise ValueError(f"unknown indicator {value[:60]!r} (see GET /v1/metrics/indicators)")
        return value


class UnitFiguresRead(BaseModel):
    region_id: str
    name: str
    population: int | None
    commitments: int = Field(description="Commitments landing here (each counted once per place).")
    committed_usd: float = Field(description="Dollars committed here: a commitment in n places counts 1/n in each.")
    results: float = Field(description="`metric` reported by those commitments, split the same way.")
    need: NeedSummary
    highest_need: bool = Field(description="Among the highest-need fifth of the units of this level.")


class NeedServedRead(BaseModel):
    results_placed: float = Field(description="Results that landed in a unit of this level.")
    results_not_placed: float = Field(description="Results of commitments naming only larger places.")
    results_where_need_known: float
    mean_need_where_results_landed: float | None = Field(
        description="Need index averaged over the results (each weighted by its amount); null without results."
    )
    mean_need_where_people_live: float | None = Field(
        description="The baseline: need index averaged over the population, as results spread like people would land."
    )
    share_of_results_in_highest_need_fifth: float | None = Field(
        description="Share of the results with a known need that landed in the highest-need fifth (0 to 1)."
    )


class LevelFiguresRead(BaseModel):
    country: str
    level: RegionLevel
    metric: str
    focus_area: FocusArea | None
    units: list[UnitFiguresRead]
    not_placed: dict[str, float] = Field(description="commitments, committed_usd and results not placed at this level.")
    need_served: NeedServedRead
    coverage_note: str
