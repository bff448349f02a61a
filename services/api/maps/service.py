"""A map's units, scale and words from the figures by place; `render.render_svg` draws them."""

from enum import StrEnum
from itertools import pairwise

from services.api.maps.render import MapText, MapUnit, Scale, quantile_breaks, render_svg
from services.api.regions.figures import LevelFigures, UnitFigures
from services.api.regions.language import number
from services.api.regions.messages import say
from shared.clock import utc_now
from shared.countries import COUNTRY_NAMES
from shared.errors import NotFound
from shared.indicators import INDICATORS
from shared.regions.need import NeedLayer

#: Need index classes: fixed fifths of the 0 to 100 scale, so two maps read alike.
NEED_BREAKS = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0)
#: Between a class's two bounds in the legend (an en dash).
RANGE = "\u2013"


class MapSubject(StrEnum):
    NEED = "need"
    COMMITTED_USD = "committed_usd"
    COMMITMENTS = "commitments"
    RESULTS = "results"


def _value(subject: MapSubject, unit: UnitFigures) -> float | None:
    if subject is MapSubject.NEED:
        return unit.need.index if unit.need is not None else None
    if subject is MapSubject.COMMITTED_USD:
        return unit.committed_usd
    if subject is MapSubject.COMMITMENTS:
        return float(unit.commitments)
    return unit.results


def _label(subject: MapSubject, value: float | None, language: str) -> str:
    if value is None:
        return say("map.no_data", language)
    if subject is MapSubject.NEED:
        return number(value, language)
    if subject is MapSubject.COMMITMENTS:
        return number(value, language, digits=0)
    return number(value, language, digits=0) + (" USD" if subject is MapSubject.COMMITTED_USD else "")


def _scale(subject: MapSubject, values: list[float], language: str) -> Scale:
    if subject is MapSubject.NEED:
        labels = tuple(f"{low:.0f}{RANGE}{high:.0f}" for low, high in pairwise(NEED_BREAKS))
        return Scale(NEED_BREAKS, labels)
    breaks = quantile_breaks(values) or (0.0, 1.0)
    digits = 0 if subject is not MapSubject.RESULTS or max(values, default=0) >= 10 else 1
    labels = tuple(
        f"{number(low, language, digits=digits)}{RANGE}{number(high, language, digits=digits)}"
        for low, high in pairwise(breaks)
    )
    return Scale(breaks, labels, zero_label=say("map.none", language))


def _words(
    subject: MapSubject, figures: LevelFigures, need: NeedLayer, language: str, focus_area: str | None, notes: list[str]
) -> MapText:
    place = {
        "level": say(f"level.{figures.level}", language),
        "country": COUNTRY_NAMES.get(figures.country, figures.country),
    }
    weights = ", ".join(f"{code} {weight:g}" for code, weight in need.method.weights.items())
    if subject is MapSubject.NEED:
        used = sorted({c.used for unit in figures.units if unit.need for c in unit.need.components})
        sources = sorted({c.source_id for unit in figures.units if unit.need for c in unit.need.components})
        labels = ", ".join(need.catalogue[code].label(language) for code in used if code in need.catalogue)
        return MapText(
            title=say("map.need.title", language, **place),
            subtitle=say("map.need.subtitle", language, indicators=labels or "—"),
            no_data=say("map.no_data", language),
            source=say("map.source.need", language, sources=", ".join(sources) or "—", weights=weights),
            notes=notes,
        )
    source = say("map.source.commitments", language, date=utc_now().date().isoformat(), boundaries="SOURCES.md")
    focus = say("map.focus", language, focus=focus_area) if focus_area else ""
    if subject is MapSubject.RESULTS:
        served = figures.served()
        indicator = INDICATORS[figures.metric].name
        if served.share_of_results_in_highest_need_fifth is None:
            subtitle = say("map.results.none", language)
        else:
            subtitle = say(
                "map.results.subtitle",
                language,
                share=f"{number(100 * served.share_of_results_in_highest_need_fifth, language, digits=0)} %",
                landed=number(served.mean_need_where_results_landed or 0, language),
                people=number(served.mean_need_where_people_live, language)
                if served.mean_need_where_people_live is not None
                else "—",
            )
        return MapText(
            title=say("map.results.title", language, indicator=indicator, **place),
            subtitle=subtitle,
            no_data=say("map.no_data", language),
            source=source,
            notes=notes,
            outline=say("map.outline", language),
        )
    return MapText(
        title=say(f"map.{subject.value}.title", language, **place),
        subtitle=say("map.commitments.subtitle", language, focus=focus),
        no_data=say("map.no_data", language),
        source=source,
        notes=notes,
    )


def map_svg(
    subject: MapSubject,
    figures: LevelFigures,
    need: NeedLayer,
    *,
    language: str,
    coverage_note: str,
    focus_area: str | None = None,
) -> str:
    """The SVG of `subject` over the units with a boundary; NotFound when none has one."""
    drawn = [unit for unit in figures.units if unit.geometry]
    if not drawn:
        raise NotFound(
            f"no map of {figures.country} by {figures.level}: no boundaries are known at that level"
            " (GET /v1/regions/coverage says which levels have them)"
        )
    values = {unit.region_id: _value(subject, unit) for unit in drawn}
    units = [
        MapUnit(
            unit.region_id,
            unit.name,
            unit.geometry or {},
            values[unit.region_id],
            _label(subject, values[unit.region_id], language),
            outlined=subject is MapSubject.RESULTS and unit.highest_need,
        )
        for unit in drawn
    ]
    notes = [coverage_note] if subject in (MapSubject.NEED, MapSubject.RESULTS) else []
    if subject is not MapSubject.NEED and figures.not_placed.get("committed_usd"):
        notes.append(
            say(
                "map.not_placed",
                language,
                commitments=number(figures.not_placed.get("commitments", 0), language, digits=0),
                amount=number(figures.not_placed.get("committed_usd", 0), language, digits=0),
            )
        )
    scale = _scale(subject, [v for v in values.values() if v is not None], language)
    return render_svg(units, scale, _words(subject, figures, need, language, focus_area, notes))
