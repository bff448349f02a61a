"""Figures by place: commitments, dollars committed and results per department or municipality, beside the need there.

How a commitment is counted at a level (the splitting rule of the metrics, by place):

- a commitment naming *n* regions counts 1/*n* of its amount and of its results in each; a region
  counts in the department or municipality that contains it (an El Salvador district in its 2024
  municipality), so its share lands there;
- a region coarser than the level (a department, on a municipality map) cannot be placed: its share
  is reported as *not placed* rather than spread over places nobody named;
- the count of commitments counts each commitment once in every unit it lands in;
- withdrawn commitments are left out; commitments naming no region are not placed at all.

Results are the commitment's current reports for the indicator (flows added up, stocks as their
latest value), as in the metrics summary. Everything is read through the caller's scoped session,
so a business key's figures are its own commitments'.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.domain.need_index import NeedFigure, in_highest_need_fifth
from shared.enums import CommitmentStatus
from shared.indicators import INDICATORS, Aggregation
from shared.models import Commitment, CommitmentIndicatorTotal, Region
from shared.regions.need import NeedLayer


@dataclass
class UnitFigures:
    region_id: str
    name: str
    population: int | None
    geometry: dict[str, Any] | None
    need: NeedFigure | None
    commitments: int = 0
    committed_usd: float = 0.0
    results: float = 0.0

    @property
    def highest_need(self) -> bool:
        return in_highest_need_fifth(self.need)


@dataclass(frozen=True)
class NeedServed:
    """Where the results landed, set against the need there."""

    results_placed: float
    results_not_placed: float
    results_where_need_known: float
    mean_need_where_results_landed: float | None
    mean_need_where_people_live: float | None
    share_of_results_in_highest_need_fifth: float | None


@dataclass
class LevelFigures:
    country: str
    level: str
    metric: str
    units: list[UnitFigures]
    not_placed: dict[str, float] = field(default_factory=dict)

    def served(self) -> NeedServed:
        known = [unit for unit in self.units if unit.need is not None and unit.need.index is not None]
        landed = sum(unit.results for unit in known)
        people = [(unit.population or 0, unit.need.index) for unit in known if unit.population and unit.need]
        weight = sum(population for population, _ in people)
        return NeedServed(
            results_placed=sum(unit.results for unit in self.units),
            results_not_placed=self.not_placed.get("results", 0.0),
            results_where_need_known=landed,
            mean_need_where_results_landed=(
                sum(unit.results * unit.need.index for unit in known if unit.need and unit.need.index is not None)
                / landed
                if landed
                else None
            ),
            mean_need_where_people_live=(
                sum(population * index for population, index in people if index is not None) / weight
                if weight
                else None
            ),
            share_of_results_in_highest_need_fifth=(
                sum(unit.results for unit in known if unit.highest_need) / landed if landed else None
            ),
        )


def _result_value(metric: str, total_sum: float | None, total_max: float | None) -> float:
    stock = INDICATORS[metric].aggregation is Aggregation.MAX
    return float((total_max if stock else total_sum) or 0)


async def level_figures(
    session: AsyncSession,
    need: NeedLayer,
    *,
    country: str,
    level: str,
    metric: str,
    focus_area: str | None = None,
    with_boundaries: bool = False,
) -> LevelFigures:
    """Every unit of `country` at `level` with its figures and need; see the module's docstring for the rules."""
    columns: list[Any] = [Region.id, Region.name, Region.population, Region.level, Region.lineage]
    if with_boundaries:
        columns.append(Region.boundary)
    regions = (await session.execute(select(*columns).where(Region.country == country))).all()
    level_of = {row.id: row.level for row in regions}
    units = {
        row.id: UnitFigures(
            row.id, row.name, row.population, row.boundary if with_boundaries else None, need.figure(row.id)
        )
        for row in regions
        if row.level == level
    }
    lineage = {row.id: row.lineage for row in regions}

    total = CommitmentIndicatorTotal
    statement = (
        select(Commitment.id, Commitment.regions, Commitment.amount_usd, total.total_sum, total.total_max)
        .outerjoin(total, and_(total.commitment_id == Commitment.id, total.code == metric))
        .where(
            Commitment.countries.contains([country]),
            func.cardinality(Commitment.regions) > 0,
            Commitment.status != CommitmentStatus.WITHDRAWN.value,
        )
    )
    if focus_area:
        statement = statement.where(Commitment.focus_areas.contains([focus_area]))
    not_placed: dict[str, float] = defaultdict(float)
    for row in (await session.execute(statement)).all():
        _place(row, metric, units, lineage, level_of, level, not_placed)
    ordered = sorted(units.values(), key=lambda unit: unit.region_id)
    return LevelFigures(country, level, metric, ordered, dict(not_placed))


def _place(
    row: Any,
    metric: str,
    units: Mapping[str, UnitFigures],
    lineage: Mapping[str, Sequence[str]],
    level_of: Mapping[str, str],
    level: str,
    not_placed: dict[str, float],
) -> None:
    """Share one commitment's amount and results over the units its regions fall in."""
    share = 1 / len(row.regions)
    amount = float(row.amount_usd or 0) * share
    results = _result_value(metric, row.total_sum, row.total_max) * share
    landed: set[str] = set()
    for region in row.regions:
        unit = next((place for place in lineage.get(region, ()) if level_of.get(place) == level), None)
        if unit is None or unit not in units:
            not_placed["committed_usd"] += amount
            not_placed["results"] += results
            continue
        units[unit].committed_usd += amount
        units[unit].results += results
        landed.add(unit)
    for unit in landed:
        units[unit].commitments += 1
    if not landed:
        not_placed["commitments"] += 1
