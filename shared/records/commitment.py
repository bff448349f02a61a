"""Commitments: input shapes, the public JSON shape, and the create / update / upsert-by-external-id rules.

Every create or change emits `commitment.created` / `commitment.updated` with the commitment's
public JSON shape (`commitment_data`, the same object GET /v1/commitments/{id} answers) in the
same transaction. A change to a field the matcher reads (`MATCHING_FIELDS`) also asks for a
scoped match run; a change to targets or dates alone does not. A withdrawn or completed
commitment still gets its event, and its run (which retires its open proposals).
"""

import uuid
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import apply_changes, check_version, get_visible
from shared.enums import CommitmentStatus, FocusArea, Initiative, Need
from shared.errors import NotFound, ValidationFailed
from shared.events import EventType, commitment_data, emit
from shared.indicators import unknown_codes
from shared.models import Business, Commitment
from shared.records.match_run import request_scoped_run
from shared.regions.lookup import RegionIds, regions_field, settle_changes, settle_regions
from shared.validation import (
    Countries,
    ExternalId,
    InputModel,
    LongText,
    NonNegativeNumber,
    UsdAmount,
    no_nul,
    refuse_nulls,
    unique_list,
)

#: Fields the matcher reads: a change to one of them asks for a scoped run.
MATCHING_FIELDS = frozenset({"title", "description", "focus_areas", "countries", "amount_usd", "needs", "status"})

Title = Annotated[str, StringConstraints(min_length=1, max_length=500), AfterValidator(no_nul)]
FocusAreas = Annotated[list[FocusArea], Field(max_length=6), AfterValidator(unique_list)]
Needs = Annotated[list[Need], Field(max_length=8), AfterValidator(unique_list)]
Indicators = Annotated[dict[str, NonNegativeNumber], Field(max_length=50)]

_AMOUNT_DOC = "US dollars pledged, as a JSON number (rounded to cents), 0 to 1e13."
_TARGETS_DOC = "Indicator code (see GET /v1/metrics/indicators) → the non-negative value the commitment aims for."
_BASELINES_DOC = "Indicator code → the value before the commitment started (same codes as targets)."


def _check_indicators(values: dict[str, float] | None) -> dict[str, float] | None:
    """Targets and baselines use the impact catalogue's codes: name every unknown one."""
    if values:
        unknown = unknown_codes(set(values))
        if unknown:
            raise ValueError(f"unknown indicator codes: {', '.join(unknown)} (see GET /v1/metrics/indicators)")
    return values


class CommitmentCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "business_id": "3f6c1a52-8d2e-4b7a-9c1d-5e0f2a7b8c90",
                    "title": "Climate-resilient coffee renovation with 2,000 smallholders",
                    "description": "Cafetalera Los Altos, exportadora de café de Huehuetenango, financiará la"
                    " renovación de 4,000 hectáreas con variedades resistentes a la roya.",
                    "focus_areas": ["food_security_agriculture", "climate_clean_energy"],
                    "countries": ["GT"],
                    "amount_usd": 12500000,
                    "needs": ["financing", "technical_assistance"],
                    "status": "announced",
                    "initiative": "central_america_forward",
                    "announced_on": "2023-02-06",
                    "targets": {
                        "jobs_created": 350,
                        "farmers_supported": 2000,
                        "hectares_climate_smart": 4000,
                    },
                    "baselines": {"jobs_created": 0},
                }
            ]
        }
    )

    business_id: uuid.UUID | None = Field(
        None,
        description="The business making the pledge. A business key may omit it (its own business) and may"
        " name no other.",
    )
    title: Title = Field(examples=["Renovate 4,000 hectares of coffee with climate-resilient varieties"])
    description: LongText | None = Field(
        None,
        description="English or Spanish; the matcher compares it with programs' descriptions.",
        examples=["Financiamiento y asistencia técnica para 2,000 caficultores de Huehuetenango."],
    )
    focus_areas: FocusAreas = Field(default_factory=list, examples=[["food_security_agriculture"]])
    countries: Countries = Field(default_factory=list, examples=[["GT", "HN"]])
    regions: RegionIds = regions_field(default_factory=list)
    amount_usd: UsdAmount | None = Field(None, description=_AMOUNT_DOC, examples=[12500000])
    needs: Needs = Field(
        default_factory=list, description="What help it needs from partners.", examples=[["financing"]]
    )
    status: CommitmentStatus = Field(CommitmentStatus.ANNOUNCED, examples=["in_progress"])
    initiative: Initiative | None = Field(None, examples=["central_america_forward"])
    announced_on: date | None = Field(None, description="The day it was announced.", examples=["2023-02-06"])
    targets: Indicators = Field(
        default_factory=dict,
        description=_TARGETS_DOC,
        examples=[{"jobs_created": 350, "farmers_supported": 2000}],
    )
    baselines: Indicators = Field(default_factory=dict, description=_BASELINES_DOC, examples=[{"jobs_created": 0}])
    external_id: ExternalId | None = Field(None, description="The record's id in an integrator's system.")

    @field_validator("targets", "baselines")
    @classmethod
    def _known_indicators(cls, values: dict[str, float] | None) -> dict[str, float] | None:
        return _check_indicators(values)


class CommitmentUpdate(InputModel):
    """Every field optional; only the fields sent are changed. The business cannot change."""

    title: Title | None = None
    description: LongText | None = None
    focus_areas: FocusAreas | None = None
    countries: Countries | None = None
    regions: RegionIds | None = regions_field(default=None)
    amount_usd: UsdAmount | None = Field(None, description=_AMOUNT_DOC)
    needs: Needs | None = None
    status: CommitmentStatus | None = None
    initiative: Initiative | None = None
    announced_on: date | None = None
    targets: Indicators | None = Field(None, description=_TARGETS_DOC)
    baselines: Indicators | None = Field(None, description=_BASELINES_DOC)

    @field_validator("targets", "baselines")
    @classmethod
    def _known_indicators(cls, values: dict[str, float] | None) -> dict[str, float] | None:
        return _check_indicators(values)


class CommitmentUpsert(CommitmentCreate):
    """An integrator's commitment: its business named by our id or by the business's external_id."""

    business_external_id: ExternalId | None = None


#: Fields that may be cleared with an explicit null; the rest must keep a value.
_NULLABLE = frozenset({"description", "amount_usd", "initiative", "announced_on"})
_NOT_COLUMNS = frozenset({"business_id", "business_external_id", "external_id"})


def _values(data: CommitmentCreate | CommitmentUpdate, **options: Any) -> dict[str, Any]:
    """The model as column values: codes and dates as plain JSON, money as an exact Decimal."""
    values = data.model_dump(mode="json", **options)
    if "amount_usd" in values:
        values["amount_usd"] = data.amount_usd
    if values.get("announced_on") is not None:
        values["announced_on"] = data.announced_on
    return values


async def _changed(session: AsyncSession, commitment: Commitment, values: dict[str, Any]) -> Commitment:
    """Apply `values`; when anything changed, flush, emit the event and (matching fields) ask for a run."""
    await settle_changes(session, values, commitment.regions, commitment.countries)
    changed = {name for name, value in values.items() if getattr(commitment, name) != value}
    if not apply_changes(commitment, values):
        return commitment
    await session.flush()
    emit(session, EventType.COMMITMENT_UPDATED, commitment_data(commitment))
    if changed & MATCHING_FIELDS:
        await request_scoped_run(session, commitment_ids=[commitment.id])
    return commitment


async def _insert(session: AsyncSession, business_id: uuid.UUID, data: CommitmentCreate) -> Commitment:
    business = await get_visible(session, Business, business_id)
    values = _values(data, exclude=_NOT_COLUMNS)
    values["countries"] = await settle_regions(session, values["regions"], values["countries"])
    commitment = Commitment(id=uuid.uuid4(), business_id=business.id, external_id=data.external_id, **values)
    session.add(commitment)
    await session.flush()
    emit(session, EventType.COMMITMENT_CREATED, commitment_data(commitment))
    await request_scoped_run(session, commitment_ids=[commitment.id])
    return commitment


async def create_commitment(session: AsyncSession, data: CommitmentCreate) -> Commitment:
    """A commitment of a business the session's actor can see (a business key: its own, else NotFound)."""
    if data.business_id is None:
        raise ValidationFailed("business_id is required", extra={"field": "body.business_id"})
    return await _insert(session, data.business_id, data)


async def update_commitment(
    session: AsyncSession, commitment_id: uuid.UUID, changes: CommitmentUpdate, expected_version: int | None
) -> Commitment:
    """Change the fields sent; an unchanged commitment changes nothing and emits nothing."""
    commitment = await get_visible(session, Commitment, commitment_id)
    check_version(expected_version, commitment.version)
    values = _values(changes, exclude_unset=True)
    refuse_nulls(values, _NULLABLE)
    return await _changed(session, commitment, values)


async def _resolve_business(session: AsyncSession, data: CommitmentUpsert) -> uuid.UUID:
    if data.business_id is not None:
        return data.business_id
    if data.business_external_id is not None:
        found = await session.scalar(select(Business.id).where(Business.external_id == data.business_external_id))
        if found is None:
            raise NotFound(f"no business with external_id {data.business_external_id!r}")
        return found
    raise ValidationFailed("business_id or business_external_id is required", extra={"field": "business_id"})


async def upsert_commitment(session: AsyncSession, data: CommitmentUpsert) -> Commitment:
    """Create, or update the commitment with the same external_id (inbound integrations).

    An existing commitment keeps its business, and the fields the integrator left out keep their
    values; events and runs follow the API's rules.
    """
    business_id = await _resolve_business(session, data)
    if data.external_id is not None:
        existing = await session.scalar(
            select(Commitment).where(Commitment.external_id == data.external_id).with_for_update()
        )
        if existing is not None:
            return await _changed(session, existing, _values(data, exclude=_NOT_COLUMNS, exclude_unset=True))
    return await _insert(session, business_id, data)
