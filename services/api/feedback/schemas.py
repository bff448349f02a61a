"""The answer of POST /v1/commitments/feedback."""

import uuid

from pydantic import BaseModel, Field

from services.api.regions.schemas import NeedSummary


class NeedFigureRead(BaseModel):
    indicator: str
    label: str
    value: float
    unit: str
    year: int
    source_id: str


class PlaceNeed(BaseModel):
    region_id: str
    name: str
    level: str
    need: NeedSummary
    figures: list[NeedFigureRead] = Field(description="The values the need index rests on, and the population.")
    sentence: str


class NeedWhereItLands(BaseModel):
    places: list[PlaceNeed]
    sources: list[str] = Field(description="Every source the figures come from (the reference data's SOURCES.md).")
    summary: str


class OverlapItem(BaseModel):
    commitment_id: uuid.UUID
    title: str
    business_id: uuid.UUID
    business_name: str | None
    status: str
    focus_areas: list[str] = Field(description="The focus areas it shares with the draft.")
    places: list[str] = Field(description="The draft's places it works in (or in a place inside or around them).")
    yours: bool = Field(description="A commitment of the draft's own business.")


class OverlapCount(BaseModel):
    region_id: str
    name: str
    focus_area: str
    commitments: int


class Overlaps(BaseModel):
    visibility: str = Field(description="`full` (coordinators, admins, integrators) or `counts` (a business key).")
    note: str
    count: int = Field(description="Commitments overlapping the draft, all organisations.")
    items: list[OverlapItem] = Field(description="Every overlap in full; for a business key, its own only.")
    by_place: list[OverlapCount]


class CheckRead(BaseModel):
    code: str = Field(examples=["places_named"])
    passed: bool | None = Field(description="null where the item does not apply.")
    title: str
    detail: str


class Suggestion(BaseModel):
    code: str = Field(examples=["nearby_higher_need"])
    text: str
    regions: list[str] = Field(description="The region ids it suggests, if any.")


class Feedback(BaseModel):
    language: str = Field(description="es or en, from Accept-Language.")
    need: NeedWhereItLands
    overlaps: Overlaps
    checklist: list[CheckRead]
    suggestions: list[Suggestion]
