"""The need layer read from the database: every region's need figure, the catalogue and the method.

Both services read need through `need_layer`: the API (regions, maps, feedback) and the matcher
(a per-region value with its coverage). The figures are computed by `shared.domain.need_index`
from the current values; the result is kept per process until the data change (a new release,
a reference import), which one cheap query on the tables' counts and latest ids tells.
"""

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.domain.need_index import IndicatorRule, NeedFigure, NeedMethod, Observation, method, need_index
from shared.enums import NeedDirection
from shared.models import NeedIndicator, NeedValue, Region

_KEPT_LAYERS = 4


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    label_en: str
    label_es: str
    unit: str
    direction: NeedDirection
    stands_in_for: str | None
    description: str

    def label(self, language: str) -> str:
        return self.label_es if language == "es" else self.label_en


@dataclass(frozen=True, slots=True)
class NeedLayer:
    """Every region's need figure (unknown ones included), with the catalogue and weights behind them."""

    figures: Mapping[str, NeedFigure]
    catalogue: Mapping[str, CatalogueEntry]
    method: NeedMethod

    def figure(self, region_id: str) -> NeedFigure | None:
        return self.figures.get(region_id)


_layers: OrderedDict[tuple[Any, ...], NeedLayer] = OrderedDict()


async def _stamp(session: AsyncSession) -> tuple[Any, ...]:
    """What changes whenever anything the figures rest on changes."""
    current = NeedValue.superseded_by.is_(None)
    statement = select(
        func.current_database(),
        select(func.coalesce(func.max(NeedValue.id), 0)).scalar_subquery(),
        select(func.count()).select_from(NeedValue).where(current).scalar_subquery(),
        select(func.count()).select_from(Region).scalar_subquery(),
        select(func.max(Region.loaded_at)).scalar_subquery(),
        select(func.count()).select_from(NeedIndicator).scalar_subquery(),
    )
    return tuple((await session.execute(statement)).one())


async def catalogue(session: AsyncSession) -> dict[str, CatalogueEntry]:
    rows = (await session.scalars(select(NeedIndicator).order_by(NeedIndicator.code))).all()
    return {
        row.code: CatalogueEntry(
            row.code,
            row.label_en,
            row.label_es,
            row.unit,
            NeedDirection(row.direction),
            row.stands_in_for,
            row.description,
        )
        for row in rows
    }


async def _compute(session: AsyncSession, weights: Mapping[str, float], min_coverage: float) -> NeedLayer:
    entries = await catalogue(session)
    rules = {code: IndicatorRule(code, entry.direction, entry.stands_in_for) for code, entry in entries.items()}
    groups = {
        row.id: (row.country, row.level)
        for row in (await session.execute(select(Region.id, Region.country, Region.level))).all()
    }
    values = await session.execute(
        select(NeedValue.region_id, NeedValue.indicator, NeedValue.year, NeedValue.value, NeedValue.source_id).where(
            NeedValue.superseded_by.is_(None)
        )
    )
    observations = [Observation(*row) for row in values.all()]
    figures = need_index(groups, observations, rules, weights, min_coverage)
    return NeedLayer(figures, entries, method(weights, rules, min_coverage))


async def need_layer(session: AsyncSession, weights: Mapping[str, float], min_coverage: float) -> NeedLayer:
    """Every region's need figure under these weights, recomputed only when the data changed."""
    key = (await _stamp(session), tuple(sorted(weights.items())), min_coverage)
    layer = _layers.get(key)
    if layer is None:
        layer = await _compute(session, weights, min_coverage)
        _layers[key] = layer
        while len(_layers) > _KEPT_LAYERS:
            _layers.popitem(last=False)
    else:
        _layers.move_to_end(key)
    return layer
