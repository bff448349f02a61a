"""Businesses: input shapes and the create / update / upsert-by-external-id rules."""

import uuid

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.db.repository import apply_changes, check_version, get_visible
from shared.enums import BusinessSize
from shared.models import Business
from shared.validation import (
    Countries,
    CountryCode,
    ExternalId,
    InputModel,
    LongText,
    ShortText,
    Tags,
    Url,
    refuse_nulls,
)


class BusinessCreate(InputModel):
    name: ShortText = Field(examples=["Cafetalera Los Altos"])
    aliases: Tags = Field(default_factory=list, examples=[["Los Altos Coffee"]])
    description: LongText | None = Field(None, description="English or Spanish.")
    website: Url | None = None
    hq_country: CountryCode | None = None
    countries: Countries = Field(default_factory=list, examples=[["GT", "HN"]])
    sectors: Tags = Field(default_factory=list, examples=[["coffee", "agriculture"]])
    size: BusinessSize | None = None
    women_led: bool = False
    indigenous_led: bool = False
    external_id: ExternalId | None = Field(None, description="The record's id in an integrator's system.")


class BusinessUpdate(InputModel):
    """Every field optional; only the fields sent are changed."""

    name: ShortText | None = None
    aliases: Tags | None = None
    description: LongText | None = None
    website: Url | None = None
    hq_country: CountryCode | None = None
    countries: Countries | None = None
    sectors: Tags | None = None
    size: BusinessSize | None = None
    women_led: bool | None = None
    indigenous_led: bool | None = None


async def create_business(session: AsyncSession, data: BusinessCreate) -> Business:
    business = Business(id=uuid.uuid4(), **data.model_dump(mode="json"))
    session.add(business)
    await session.flush()
    return business


#: Fields that may be cleared with an explicit null; the rest must keep a value.
_NULLABLE = frozenset({"description", "website", "hq_country", "size"})


async def update_business(
    session: AsyncSession, business_id: uuid.UUID, changes: BusinessUpdate, expected_version: int | None
) -> Business:
    business = await get_visible(session, Business, business_id)
    check_version(expected_version, business.version)
    values = changes.model_dump(mode="json", exclude_unset=True)
    refuse_nulls(values, _NULLABLE)
    if apply_changes(business, values):
        await session.flush()
    return business


async def upsert_business(session: AsyncSession, data: BusinessCreate) -> Business:
    """Create, or update the business with the same external_id (inbound integrations)."""
    if data.external_id is None:
        return await create_business(session, data)
    existing = await session.scalar(select(Business).where(Business.external_id == data.external_id).with_for_update())
    if existing is None:
        return await create_business(session, data)
    if apply_changes(existing, data.model_dump(mode="json", exclude={"external_id"})):
        await session.flush()
    return existing
