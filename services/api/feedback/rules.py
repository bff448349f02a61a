"""The feedback's rules, pure: the quality checklist of a draft and the places worth suggesting.

The checklist follows the spirit of the Clinton Global Initiative's commitment criteria (new,
specific, measurable): places named, a focused scope, targets in the indicator catalogue with
baselines, funding stated, a start date, a way to report, and need where it lands. Each item
passes, fails (with what to do) or does not apply; each rule reads only the draft and figures
Puente holds, so the same draft always gets the same answer.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shared.domain.need_index import NeedFigure, in_highest_need_fifth
from shared.enums import RegionLevel

#: Places whose centroids lie closer than this count as nearby, across department borders too.
NEARBY_KM = 40.0
#: Suggested places per suggestion.
SUGGESTED_PLACES = 3
#: More focus areas than this is no longer a specific commitment.
MAX_FOCUS_AREAS = 2


@dataclass(frozen=True, slots=True)
class Place:
    """A region as the feedback needs it."""

    id: str
    name: str
    level: str
    country: str
    parent_id: str | None
    lineage: tuple[str, ...]
    lat: float | None
    lon: float | None
    population: int | None = None
    population_year: int | None = None
    population_source: str | None = None


@dataclass(frozen=True, slots=True)
class Check:
    """One checklist item: `passed` is None where it does not apply; `values` fill its sentence."""

    code: str
    passed: bool | None
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Draft:
    """The parts of a draft commitment the rules read."""

    regions: Sequence[str]
    focus_areas: Sequence[str]
    targets: Mapping[str, float]
    baselines: Mapping[str, float]
    amount_usd: float | None
    announced_on: str | None
    business_reports: int | None  # current reports of the business's other commitments; None without a business


def checklist(draft: Draft, places: Mapping[str, Place], need: Mapping[str, NeedFigure | None]) -> list[Check]:
    named = [places[region] for region in draft.regions if region in places]
    fine = [p for p in named if p.level in (RegionLevel.MUNICIPALITY.value, RegionLevel.DISTRICT.value)]
    checks = [
        Check(
            "places_named",
            bool(fine),
            {"places": ", ".join(p.name for p in named), "count": len(named), "municipalities": len(fine)},
        ),
        Check(
            "focused",
            0 < len(draft.focus_areas) <= MAX_FOCUS_AREAS,
            {"count": len(draft.focus_areas), "most": MAX_FOCUS_AREAS},
        ),
        Check("measurable_targets", bool(draft.targets), {"codes": ", ".join(sorted(draft.targets))}),
    ]
    missing_baselines = sorted(code for code in draft.targets if code not in draft.baselines)
    checks.append(
        Check(
            "baselines",
            None if not draft.targets else not missing_baselines,
            {"codes": ", ".join(missing_baselines)},
        )
    )
    checks.append(Check("funding_stated", bool(draft.amount_usd), {"amount": draft.amount_usd or 0}))
    checks.append(Check("timeline", draft.announced_on is not None, {"start": draft.announced_on or ""}))
    checks.append(
        Check(
            "reporting_plan",
            None if draft.business_reports is None else draft.business_reports > 0,
            {"reports": draft.business_reports or 0},
        )
    )
    known = [p for p in named if (figure := need.get(p.id)) is not None and figure.index is not None]
    checks.append(
        Check(
            "high_need",
            None if not known else any(in_highest_need_fifth(need.get(p.id)) for p in known),
            {"places": ", ".join(p.name for p in known if in_highest_need_fifth(need.get(p.id)))},
        )
    )
    return checks


def distance_km(a: Place, b: Place) -> float | None:
    """Great-circle distance between two centroids; None when either is unknown."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlambda = phi2 - phi1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def places_worth_suggesting(
    named: Sequence[Place],
    places: Mapping[str, Place],
    need: Mapping[str, NeedFigure | None],
    served: frozenset[str],
) -> list[Place]:
    """Municipalities near the named places (same department, or within `NEARBY_KM`) with a higher known
    need index than every named place there and no commitment on the same focus (`served`): highest
    need first. For a named department, its own municipalities with no such commitment."""
    municipality = RegionLevel.MUNICIPALITY.value
    anchors: list[Place] = []
    bar = 0.0
    for place in named:
        if place.level == municipality or place.level == RegionLevel.DISTRICT.value:
            anchors.append(place)
            figure = need.get(place.id)
            bar = max(bar, figure.index if figure is not None and figure.index is not None else 0.0)
        elif place.level == RegionLevel.DEPARTMENT.value:
            anchors.append(place)
    named_ids = {p.id for p in named}
    candidates: list[tuple[float, str, Place]] = []
    for candidate in places.values():
        if candidate.level != municipality or candidate.id in named_ids or candidate.id in served:
            continue
        figure = need.get(candidate.id)
        if figure is None or figure.index is None or figure.index <= bar:
            continue
        if any(_near(anchor, candidate) for anchor in anchors):
            candidates.append((-figure.index, candidate.id, candidate))
    return [place for _, _, place in sorted(candidates)[:SUGGESTED_PLACES]]


def _near(anchor: Place, candidate: Place) -> bool:
    if anchor.level == RegionLevel.DEPARTMENT.value:
        return anchor.id in candidate.lineage
    department = anchor.lineage[-1] if anchor.lineage else None
    if department is not None and department in candidate.lineage:
        return True
    distance = distance_km(anchor, candidate)
    return distance is not None and distance <= NEARBY_KM


def highest_need_in(
    countries: Sequence[str], places: Mapping[str, Place], need: Mapping[str, NeedFigure | None], served: frozenset[str]
) -> list[Place]:
    """The highest-need municipalities of the countries with no commitment on the same focus."""
    ranked = [
        (-(figure.index or 0.0), place.id, place)
        for place in places.values()
        if place.country in countries
        and place.level == RegionLevel.MUNICIPALITY.value
        and place.id not in served
        and (figure := need.get(place.id)) is not None
        and figure.index is not None
    ]
    return [place for _, _, place in sorted(ranked)[:SUGGESTED_PLACES]]
