"""Feedback on a draft commitment, never stored: need where it lands, overlaps, checklist, suggestions.

Overlaps are scoped on purpose. A coordinator, admin or integrator sees every overlapping
commitment in full. A business key sees its own in full and everyone else's only as a count per
place and focus area (no business, title, amount or id): the programme publishes that
commitments work in a place, and a company drafting an initiative needs to know a place is
already served, but another organisation's pledge stays that organisation's. Counting needs every
organisation's commitments, so they are read unscoped; only counts leave this module for a
scoped caller.
"""

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, cast, func, select
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.feedback import rules
from services.api.feedback.schemas import (
    CheckRead,
    Feedback,
    NeedFigureRead,
    NeedWhereItLands,
    OverlapCount,
    OverlapItem,
    Overlaps,
    PlaceNeed,
    Suggestion,
)
from services.api.regions import service as regions
from services.api.regions.language import number
from services.api.regions.messages import say
from shared.actor import Actor
from shared.config import Settings
from shared.countries import COUNTRY_NAMES
from shared.db.reader import Reader
from shared.db.repository import get_visible
from shared.domain.need_index import NeedFigure, NeedStatus
from shared.enums import CommitmentStatus, RegionLevel, Role
from shared.indicators import INDICATORS
from shared.models import Business, Commitment, CommitmentIndicatorTotal, Region
from shared.models.impact_value import REPORT_CODE
from shared.records.commitment import CommitmentCreate
from shared.regions.lookup import settle_regions
from shared.regions.need import NeedLayer

#: Commitments still working where they are: an overlap, and a place counted as served.
WORKING = (CommitmentStatus.ANNOUNCED.value, CommitmentStatus.IN_PROGRESS.value, CommitmentStatus.STALLED.value)
#: Roles that see other organisations' overlapping commitments in full.
FULL_VIEW = frozenset({Role.ADMIN, Role.COORDINATOR, Role.INTEGRATOR})


@dataclass(frozen=True, slots=True)
class _Other:
    id: uuid.UUID
    title: str
    business_id: uuid.UUID
    business_name: str
    status: str
    focus_areas: tuple[str, ...]
    regions: tuple[str, ...]


async def _places(session: AsyncSession, countries: Sequence[str]) -> dict[str, rules.Place]:
    statement = select(
        Region.id,
        Region.name,
        Region.level,
        Region.country,
        Region.parent_id,
        Region.lineage,
        Region.lat,
        Region.lon,
        Region.population,
        Region.population_year,
        Region.population_source,
    ).where(Region.country.in_(list(countries)))
    return {
        row.id: rules.Place(
            row.id,
            row.name,
            row.level,
            row.country,
            row.parent_id,
            tuple(row.lineage),
            row.lat,
            row.lon,
            row.population,
            row.population_year,
            row.population_source,
        )
        for row in (await session.execute(statement)).all()
    }


async def _others(reader: Reader, countries: Sequence[str], focus_areas: Sequence[str]) -> list[_Other]:
    """Every organisation's working commitments with places in these countries (unscoped: see the module)."""
    statement: Any = (
        select(
            Commitment.id,
            Commitment.title,
            Commitment.business_id,
            Business.name.label("business_name"),
            Commitment.status,
            Commitment.focus_areas,
            Commitment.regions,
        )
        .join(Business, Business.id == Commitment.business_id)
        .where(
            Commitment.countries.overlap(cast(array(list(countries)), Commitment.countries.type)),
            func.cardinality(Commitment.regions) > 0,
            Commitment.status == func.any(cast(array(list(WORKING)), ARRAY(Text))),
        )
    )
    if focus_areas:
        statement = statement.where(Commitment.focus_areas.overlap(cast(array(list(focus_areas)), ARRAY(Text))))
    rows = await reader.all(statement, None)
    return [
        _Other(
            row["id"],
            row["title"],
            row["business_id"],
            row["business_name"],
            row["status"],
            tuple(row["focus_areas"]),
            tuple(row["regions"]),
        )
        for row in rows
    ]


def _touches(draft_region: str, region: str, places: Mapping[str, rules.Place]) -> bool:
    """The same place, or one inside the other."""
    drafted, other = places.get(draft_region), places.get(region)
    if drafted is None or other is None:
        return False
    return draft_region in other.lineage or region in drafted.lineage


def _municipality(region: str, places: Mapping[str, rules.Place]) -> str | None:
    place = places.get(region)
    if place is None:
        return None
    return next((p for p in place.lineage if places[p].level == RegionLevel.MUNICIPALITY.value), None)


async def _business_reports(session: AsyncSession, business_id: uuid.UUID | None) -> int | None:
    if business_id is None:
        return None
    total = CommitmentIndicatorTotal
    reports = await session.scalar(
        select(func.coalesce(func.sum(total.total_sum), 0)).where(
            total.business_id == business_id, total.code == REPORT_CODE
        )
    )
    return int(reports or 0)


def _figures(figure: NeedFigure | None, need: NeedLayer, language: str) -> list[NeedFigureRead]:
    figures = []
    for component in figure.components if figure else ():
        entry = need.catalogue.get(component.used)
        figures.append(
            NeedFigureRead(
                indicator=component.used,
                label=entry.label(language) if entry else component.used,
                value=component.value,
                unit=entry.unit if entry else "",
                year=component.year,
                source_id=component.source_id,
            )
        )
    return figures


def _place_need(place: rules.Place, places: Mapping[str, rules.Place], need: NeedLayer, language: str) -> PlaceNeed:
    """The need where the draft lands in one place: its figure, the values behind it, one sentence."""
    figure = need.figure(place.id)
    status = figure.status if figure else NeedStatus.UNKNOWN
    parent = places.get(place.parent_id) if place.parent_id else None
    values = {
        "place": f"{place.name}, {parent.name}" if parent else place.name,
        "coverage": f"{number(100 * (figure.coverage if figure else 0), language, digits=0)} %",
    }
    if figure is not None and figure.index is not None:
        sentence = say(
            "need.place.known",
            language,
            index=number(figure.index, language),
            rank=figure.rank,
            peers=figure.peers,
            level_plural=say(f"level_plural.{place.level}", language),
            country=COUNTRY_NAMES.get(place.country, place.country),
            **values,
        )
    else:
        sentence = say(f"need.place.{status.value}", language, **values)
    if place.level == RegionLevel.DISTRICT.value and parent is not None:
        sentence += say("need.place.district", language, municipality=parent.name)
    figures = _figures(figure, need, language)
    if figures:
        sentence += " " + "; ".join(_figure_words(f, language) for f in figures) + "."
    if place.population is not None and "population_total" in need.catalogue:
        entry = need.catalogue["population_total"]
        figures.append(
            NeedFigureRead(
                indicator=entry.code,
                label=entry.label(language),
                value=float(place.population),
                unit=entry.unit,
                year=place.population_year or 0,
                source_id=place.population_source or "",
            )
        )
    return PlaceNeed(
        region_id=place.id,
        name=place.name,
        level=place.level,
        need=regions.summary(figure),
        figures=figures,
        sentence=sentence,
    )


def _figure_words(figure: NeedFigureRead, language: str) -> str:
    return say(
        "need.figure",
        language,
        label=figure.label,
        value=number(figure.value, language),
        unit=figure.unit,
        year=figure.year,
        source=figure.source_id,
    )


def _overlaps(
    actor: Actor,
    business_id: uuid.UUID | None,
    draft: CommitmentCreate,
    others: Sequence[_Other],
    places: Mapping[str, rules.Place],
    language: str,
) -> Overlaps:
    """Other working commitments in the draft's places on its focus areas, as the caller may see them."""
    full = actor.role in FULL_VIEW
    focus = set(draft.focus_areas)
    items: list[OverlapItem] = []
    counts: dict[tuple[str, str], int] = defaultdict(int)
    total = 0
    for other in others:
        shared_focus = sorted(set(other.focus_areas) & focus) if focus else sorted(other.focus_areas)
        shared_places = [d for d in draft.regions if any(_touches(d, r, places) for r in other.regions)]
        if not shared_places or not shared_focus:
            continue
        total += 1
        for place in shared_places:
            for area in shared_focus:
                counts[(place, area)] += 1
        yours = business_id is not None and other.business_id == business_id
        if full or yours:
            items.append(
                OverlapItem(
                    commitment_id=other.id,
                    title=other.title,
                    business_id=other.business_id,
                    business_name=other.business_name,
                    status=other.status,
                    focus_areas=shared_focus,
                    places=shared_places,
                    yours=yours,
                )
            )
    return Overlaps(
        visibility="full" if full else "counts",
        note=say("overlaps.full" if full else "overlaps.counts", language),
        count=total,
        items=sorted(items, key=lambda item: (item.title, str(item.commitment_id))),
        by_place=[
            OverlapCount(region_id=place, name=places[place].name, focus_area=area, commitments=n)
            for (place, area), n in sorted(counts.items())
        ],
    )


def _checklist(checks: Sequence[rules.Check], language: str) -> list[CheckRead]:
    result = []
    for check in checks:
        outcome = "na" if check.passed is None else "pass" if check.passed else "fail"
        values = dict(check.values)
        if "amount" in values:
            values["amount"] = number(float(values["amount"]), language, digits=0)
        result.append(
            CheckRead(
                code=check.code,
                passed=check.passed,
                title=say(f"check.{check.code}.title", language),
                detail=say(f"check.{check.code}.{outcome}", language, **values),
            )
        )
    return result


def _place_words(place: rules.Place, places: Mapping[str, rules.Place], need: NeedLayer, language: str) -> str:
    figure = need.figure(place.id)
    parent = places.get(place.parent_id) if place.parent_id else None
    strongest = max(figure.components, key=lambda c: c.weight) if figure and figure.components else None
    detail = ""
    if strongest is not None:
        entry = need.catalogue.get(strongest.used)
        unit = entry.unit if entry else ""
        detail = f"; {entry.label(language) if entry else strongest.used} {number(strongest.value, language)} {unit}"
        detail += f" ({strongest.year})"
    return say(
        "suggest.place",
        language,
        name=place.name,
        parent=parent.name if parent else place.country,
        index=number(figure.index, language) if figure and figure.index is not None else "—",
        figure=detail,
    )


def _suggestions(
    draft: CommitmentCreate,
    countries: Sequence[str],
    places: Mapping[str, rules.Place],
    need: NeedLayer,
    served: frozenset[str],
    language: str,
) -> list[Suggestion]:
    figures = {place_id: need.figure(place_id) for place_id in places}
    named = [places[region] for region in draft.regions if region in places]
    suggestions = []
    if named:
        nearby = rules.places_worth_suggesting(named, places, figures, served)
        if nearby:
            text = say(
                "suggest.nearby", language, places="; ".join(_place_words(p, places, need, language) for p in nearby)
            )
            suggestions.append(Suggestion(code="nearby_higher_need", text=text, regions=[p.id for p in nearby]))
    else:
        top = rules.highest_need_in(countries, places, figures, served)
        if top:
            text = say(
                "suggest.name_places",
                language,
                countries=", ".join(COUNTRY_NAMES.get(c, c) for c in countries),
                places="; ".join(_place_words(p, places, need, language) for p in top),
            )
            suggestions.append(Suggestion(code="name_places", text=text, regions=[p.id for p in top]))
    unknown = [p for p in named if (f := figures.get(p.id)) is None or f.index is None]
    if unknown:
        text = say("suggest.unknown_need", language, places=", ".join(p.name for p in unknown))
        suggestions.append(Suggestion(code="unknown_need", text=text, regions=[p.id for p in unknown]))
    suggestions += _target_scale(draft, named, language)
    return suggestions


def _target_scale(draft: CommitmentCreate, named: Sequence[rules.Place], language: str) -> list[Suggestion]:
    """People targets set against the people living where the draft lands (places inside others not counted twice)."""
    outermost = [p for p in named if not any(other.id != p.id and other.id in p.lineage for other in named)]
    if not outermost or any(p.population is None for p in outermost):
        return []
    population = sum(p.population or 0 for p in outermost)
    sources = sorted({f"{p.population_source}, {p.population_year}" for p in outermost})
    result = []
    for code, target in sorted(draft.targets.items()):
        indicator = INDICATORS.get(code)
        if indicator is None or indicator.unit != "people" or not population:
            continue
        text = say(
            "suggest.target_scale",
            language,
            target=number(target, language, digits=0),
            code=code,
            share=f"{number(100 * target / population, language)} %",
            population=number(population, language, digits=0),
            source="; ".join(sources),
        )
        result.append(Suggestion(code="target_scale", text=text, regions=[p.id for p in outermost]))
    return result


def _served(others: Sequence[_Other], places: Mapping[str, rules.Place], focus: set[str]) -> frozenset[str]:
    """Municipalities where a working commitment on the draft's focus already lands."""
    served = set()
    for other in others:
        if focus and not set(other.focus_areas) & focus:
            continue
        for region in other.regions:
            municipality = _municipality(region, places)
            if municipality is not None:
                served.add(municipality)
    return frozenset(served)


async def feedback(
    session: AsyncSession,
    reader: Reader,
    actor: Actor,
    settings: Settings,
    draft: CommitmentCreate,
    language: str,
) -> Feedback:
    """The feedback on `draft`; nothing is written. Unknown or inconsistent regions are 422, as on create;
    a business the caller may not see is 404."""
    business_id = draft.business_id
    if business_id is None and actor.role is Role.BUSINESS:
        business_id = actor.organization_id
    if business_id is not None:
        await get_visible(session, Business, business_id)
    countries = await settle_regions(session, draft.regions, draft.countries)
    draft = draft.model_copy(update={"countries": countries})
    need = await regions.layer(session, settings)
    involved = sorted(set(countries) | {region[:2] for region in draft.regions})
    places = await _places(session, involved)
    others = await _others(reader, involved, [area.value for area in draft.focus_areas]) if involved else []
    focus = {area.value for area in draft.focus_areas}
    named = [places[region] for region in draft.regions if region in places]
    place_needs = [_place_need(place, places, need, language) for place in named]
    sources = sorted({f.source_id for place in place_needs for f in place.figures if f.source_id})
    summary = " ".join(p.sentence for p in place_needs) if place_needs else say("need.none_named", language)
    checks = rules.checklist(
        rules.Draft(
            regions=draft.regions,
            focus_areas=sorted(focus),
            targets=dict(draft.targets),
            baselines=dict(draft.baselines),
            amount_usd=float(draft.amount_usd) if draft.amount_usd is not None else None,
            announced_on=draft.announced_on.isoformat() if draft.announced_on else None,
            business_reports=await _business_reports(session, business_id),
        ),
        places,
        {place.id: need.figure(place.id) for place in named},
    )
    return Feedback(
        language=language,
        need=NeedWhereItLands(places=place_needs, sources=sources, summary=summary),
        overlaps=_overlaps(actor, business_id, draft, others, places, language),
        checklist=_checklist(checks, language),
        suggestions=_suggestions(draft, countries, places, need, _served(others, places, focus), language),
    )
