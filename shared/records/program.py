"""Programs: input shapes and the create / update / upsert-by-external-id rules.

Every create or change of a program asks for a scoped match run (folded into one already
queued), from here, so a program edited through the API or upserted by an integrator is
re-matched the same way.
"""

import uuid
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, ValidationInfo, field_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import apply_changes, check_version, get_visible
from shared.enums import BusinessSize, FocusArea, Instrument
from shared.errors import NotFound, ValidationFailed
from shared.models import Partner, Program
from shared.records.match_run import request_scoped_run
from shared.regions.lookup import RegionIds, regions_field, settle_changes, settle_regions
from shared.validation import (
    Countries,
    ExternalId,
    InputModel,
    LongText,
    ShortText,
    Tags,
    UsdAmount,
    refuse_nulls,
    unique_list,
)

Instruments = Annotated[list[Instrument], Field(max_length=10), AfterValidator(unique_list)]
FocusAreas = Annotated[list[FocusArea], Field(max_length=6), AfterValidator(unique_list)]
Sizes = Annotated[list[BusinessSize], Field(max_length=5), AfterValidator(unique_list)]

_MONEY = ("min_ticket_usd", "max_ticket_usd")
_TICKET_DOC = "US dollars as a JSON number (rounded to cents), 0 to 1e13; null when the program has no {} limit."
_CAPACITY_DOC = "Introductions the program can take per month (0 to 1000); the matcher never proposes more."


class ProgramCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Feed the Future Guatemala Coffee Value Chain",
                    "description": "USAID technical assistance and co-investment grants for coffee exporters"
                    " that source from smallholders in the Western Highlands.",
                    "instruments": ["technical_assistance", "grant"],
                    "focus_areas": ["food_security_agriculture"],
                    "countries": ["GT"],
                    "sectors": ["coffee", "agriculture"],
                    "min_ticket_usd": 250000,
                    "max_ticket_usd": 5000000,
                    "eligible_sizes": ["small", "medium", "large"],
                    "capacity_per_month": 6,
                    "active": True,
                }
            ]
        }
    )

    name: ShortText = Field(examples=["Central America Coffee Resilience Facility"])
    description: LongText | None = Field(
        None,
        description="What the program offers, in English or Spanish; matched against commitments.",
        examples=["Préstamos y garantías para exportadores de café que renuevan cafetales en Guatemala."],
    )
    instruments: Instruments = Field(
        default_factory=list, description="How it helps.", examples=[["loan", "guarantee"]]
    )
    focus_areas: FocusAreas = Field(
        default_factory=list, examples=[["food_security_agriculture", "climate_clean_energy"]]
    )
    countries: Countries = Field(default_factory=list, examples=[["GT", "HN"]])
    regions: RegionIds = regions_field(default_factory=list)
    sectors: Tags = Field(default_factory=list, examples=[["coffee", "agriculture"]])
    min_ticket_usd: UsdAmount | None = Field(None, description=_TICKET_DOC.format("lower"), examples=[500000])
    max_ticket_usd: UsdAmount | None = Field(None, description=_TICKET_DOC.format("upper"), examples=[25000000])
    eligible_sizes: Sizes = Field(
        default_factory=list,
        description="Business sizes it serves; empty means any size.",
        examples=[["medium", "large"]],
    )
    capacity_per_month: int = Field(5, ge=0, le=1000, strict=True, description=_CAPACITY_DOC, examples=[8])
    active: bool = Field(True, strict=True, description="Inactive programs are never proposed.")
    external_id: ExternalId | None = Field(None, description="The record's id in an integrator's system.")

    @field_validator("max_ticket_usd")
    @classmethod
    def _ordered_tickets(cls, high: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _check_tickets(high, info)


class ProgramUpdate(InputModel):
    """Every field optional; only the fields sent are changed."""

    name: ShortText | None = None
    description: LongText | None = None
    instruments: Instruments | None = None
    focus_areas: FocusAreas | None = None
    countries: Countries | None = None
    regions: RegionIds | None = regions_field(default=None)
    sectors: Tags | None = None
    min_ticket_usd: UsdAmount | None = Field(None, description=_TICKET_DOC.format("lower"))
    max_ticket_usd: UsdAmount | None = Field(None, description=_TICKET_DOC.format("upper"))
    eligible_sizes: Sizes | None = None
    capacity_per_month: int | None = Field(None, ge=0, le=1000, strict=True, description=_CAPACITY_DOC)
    active: bool | None = Field(None, strict=True)

    @field_validator("max_ticket_usd")
    @classmethod
    def _ordered_tickets(cls, high: Decimal | None, info: ValidationInfo) -> Decimal | None:
        return _check_tickets(high, info)


class ProgramUpsert(ProgramCreate):
    """An integrator's program: its partner named by our id or by the partner's external_id."""

    partner_id: uuid.UUID | None = None
    partner_external_id: ExternalId | None = None


def _check_tickets(high: Decimal | None, info: ValidationInfo) -> Decimal | None:
    """max_ticket_usd is validated after min_ticket_usd, so the error names the field and both values."""
    low = info.data.get("min_ticket_usd")
    if low is not None and high is not None and low > high:
        raise ValueError(f"max_ticket_usd ({high}) is less than min_ticket_usd ({low})")
    return high


#: Fields that may be cleared with an explicit null; the rest must keep a value.
_NULLABLE = frozenset({"description", "min_ticket_usd", "max_ticket_usd"})


def _values(data: ProgramCreate | ProgramUpdate, **options: Any) -> dict[str, Any]:
    """The model as column values: codes as plain strings, money as exact Decimals."""
    values = data.model_dump(mode="json", **options)
    for name in _MONEY:
        if name in values:
            values[name] = getattr(data, name)
    return values


def _check_merged_tickets(program: Program, values: dict[str, Any]) -> None:
    """A change of one end of the ticket range must still fit the other, as stored."""
    low = values.get("min_ticket_usd", program.min_ticket_usd)
    high = values.get("max_ticket_usd", program.max_ticket_usd)
    if low is not None and high is not None and low > high:
        field = "min_ticket_usd" if "min_ticket_usd" in values else "max_ticket_usd"
        raise ValidationFailed(
            f"min_ticket_usd ({low}) would be more than max_ticket_usd ({high})",
            extra={"field": f"body.{field}"},
        )


async def create_program(session: AsyncSession, partner_id: uuid.UUID, data: ProgramCreate) -> Program:
    """A program under a partner the session's actor can see (a partner key: its own only, else NotFound)."""
    partner = await get_visible(session, Partner, partner_id)
    values = _values(data, exclude={"partner_id", "partner_external_id"})
    values["countries"] = await settle_regions(session, values["regions"], values["countries"])
    program = Program(id=uuid.uuid4(), partner_id=partner.id, **values)
    session.add(program)
    await session.flush()
    await request_scoped_run(session, program_ids=[program.id])
    return program


async def update_program(
    session: AsyncSession, program_id: uuid.UUID, changes: ProgramUpdate, expected_version: int | None
) -> Program:
    """Change the fields sent; a changed program asks for a scoped run, an unchanged one changes nothing."""
    program = await get_visible(session, Program, program_id)
    check_version(expected_version, program.version)
    values = _values(changes, exclude_unset=True)
    refuse_nulls(values, _NULLABLE)
    _check_merged_tickets(program, values)
    await settle_changes(session, values, program.regions, program.countries)
    if apply_changes(program, values):
        await session.flush()
        await request_scoped_run(session, program_ids=[program.id])
    return program


async def _resolve_partner(session: AsyncSession, data: ProgramUpsert) -> uuid.UUID:
    if data.partner_id is not None:
        return data.partner_id
    if data.partner_external_id is not None:
        found = await session.scalar(select(Partner.id).where(Partner.external_id == data.partner_external_id))
        if found is None:
            raise NotFound(f"no partner with external_id {data.partner_external_id!r}")
        return found
    raise ValidationFailed("partner_id or partner_external_id is required", extra={"field": "partner_id"})


async def upsert_program(session: AsyncSession, data: ProgramUpsert) -> Program:
    """Create, or update the program with the same external_id (inbound integrations).

    An existing program stays under its partner and the fields the integrator left out keep their
    values; a change asks for a scoped run, like the API's.
    """
    partner_id = await _resolve_partner(session, data)
    if data.external_id is None:
        return await create_program(session, partner_id, data)
    existing = await session.scalar(select(Program).where(Program.external_id == data.external_id).with_for_update())
    if existing is None:
        return await create_program(session, partner_id, data)
    values = _values(data, exclude={"external_id", "partner_id", "partner_external_id"}, exclude_unset=True)
    _check_merged_tickets(existing, values)
    await settle_changes(session, values, existing.regions, existing.countries)
    if apply_changes(existing, values):
        await session.flush()
        await request_scoped_run(session, program_ids=[existing.id])
    return existing
