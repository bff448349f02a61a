"""Partners: input shapes and the create / update / upsert-by-external-id rules."""

import uuid
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import apply_changes, check_version, get_visible
from shared.enums import PartnerType
from shared.models import Partner
from shared.validation import Countries, ExternalId, InputModel, LongText, ShortText, Url, refuse_nulls

AgencyCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=30, pattern=r"^[^\x00-\x1f]+$"),
    Field(
        description="The agency's usual short name where it has one (USAID, DFC, DOC, DOL, IDB Invest…);"
        " the `agency_code` filter matches it in any case.",
        examples=["DFC"],
    ),
]


class PartnerCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "U.S. International Development Finance Corporation",
                    "partner_type": "us_agency",
                    "agency_code": "DFC",
                    "description": "Loans, guarantees, equity and political-risk insurance for private"
                    " investment in developing countries.",
                    "website": "https://www.dfc.gov",
                    "countries": ["GT", "SV", "HN"],
                }
            ]
        }
    )

    name: ShortText = Field(examples=["U.S. International Development Finance Corporation"])
    partner_type: PartnerType = Field(description="What kind of organisation the partner is.", examples=["us_agency"])
    agency_code: AgencyCode | None = None
    description: LongText | None = Field(
        None,
        description="What the partner offers, in English or Spanish.",
        examples=["Debt, equity and political-risk insurance for private investment in developing countries."],
    )
    website: Url | None = Field(None, examples=["https://www.dfc.gov"])
    countries: Countries = Field(
        default_factory=list,
        description="ISO 3166-1 alpha-2 codes of the countries it works in.",
        examples=[["GT", "SV", "HN"]],
    )
    external_id: ExternalId | None = Field(None, description="The record's id in an integrator's system.")


class PartnerUpdate(InputModel):
    """Every field optional; only the fields sent are changed."""

    name: ShortText | None = None
    partner_type: PartnerType | None = None
    agency_code: AgencyCode | None = None
    description: LongText | None = None
    website: Url | None = None
    countries: Countries | None = None


#: Fields that may be cleared with an explicit null; the rest must keep a value.
_NULLABLE = frozenset({"agency_code", "description", "website"})


async def create_partner(session: AsyncSession, data: PartnerCreate) -> Partner:
    partner = Partner(id=uuid.uuid4(), **data.model_dump(mode="json"))
    session.add(partner)
    await session.flush()
    return partner


async def update_partner(
    session: AsyncSession, partner_id: uuid.UUID, changes: PartnerUpdate, expected_version: int | None
) -> Partner:
    """A partner key reaches only its own partner: another's answers NotFound (tenant scoping)."""
    partner = await get_visible(session, Partner, partner_id)
    check_version(expected_version, partner.version)
    values = changes.model_dump(mode="json", exclude_unset=True)
    refuse_nulls(values, _NULLABLE)
    if apply_changes(partner, values):
        await session.flush()
    return partner


async def upsert_partner(session: AsyncSession, data: PartnerCreate) -> Partner:
    """Create, or update the partner with the same external_id (inbound integrations); the fields
    the integrator left out keep their values."""
    if data.external_id is None:
        return await create_partner(session, data)
    existing = await session.scalar(select(Partner).where(Partner.external_id == data.external_id).with_for_update())
    if existing is None:
        return await create_partner(session, data)
    if apply_changes(existing, data.model_dump(mode="json", exclude={"external_id"}, exclude_unset=True)):
        await session.flush()
    return existing
