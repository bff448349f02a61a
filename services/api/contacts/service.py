"""Contacts: a partner or business keeps its own people; coordinators and admins keep everyone's."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.contacts import repository
from services.api.contacts.schemas import ContactCreate, ContactUpdate
from services.api.deps import CallerReads
from services.api.kit.pagination import PageParams, paginate_reads
from shared.actor import Actor
from shared.db.reader import Row
from shared.db.repository import apply_changes, check_version, get_visible
from shared.enums import Role
from shared.errors import ValidationFailed
from shared.models import Business, Contact, Partner


async def create_contact(session: AsyncSession, data: ContactCreate, actor: Actor) -> Contact:
    """A partner or business caller's contact belongs to its own organisation unless it names it;
    naming another organisation answers NotFound, as reading it would."""
    partner_id, business_id = data.partner_id, data.business_id
    if partner_id is None and business_id is None:
        if actor.role is Role.PARTNER:
            partner_id = actor.organization_id
        elif actor.role is Role.BUSINESS:
            business_id = actor.organization_id
        else:
            raise ValidationFailed("name the partner_id or business_id this contact works at")
    if partner_id is not None:
        await get_visible(session, Partner, partner_id)
    if business_id is not None:
        await get_visible(session, Business, business_id)
    contact = Contact(
        id=uuid.uuid4(),
        partner_id=partner_id,
        business_id=business_id,
        **data.model_dump(mode="json", exclude={"partner_id", "business_id"}),
    )
    session.add(contact)
    await session.flush()
    return contact


async def get_contact(session: AsyncSession, contact_id: uuid.UUID) -> Contact:
    return await get_visible(session, Contact, contact_id)


async def update_contact(
    session: AsyncSession, contact_id: uuid.UUID, data: ContactUpdate, expected_version: int | None
) -> Contact:
    contact = await get_contact(session, contact_id)
    check_version(expected_version, contact.version)
    changes = data.model_dump(mode="json", exclude_unset=True)
    if changes.get("name", "") is None:
        raise ValidationFailed("a contact keeps a name", extra={"field": "name"})
    if apply_changes(contact, changes):
        await session.flush()
    return contact


async def delete_contact(session: AsyncSession, contact_id: uuid.UUID, expected_version: int | None) -> None:
    contact = await get_contact(session, contact_id)
    check_version(expected_version, contact.version)
    await session.delete(contact)
    await session.flush()


async def contacts_of(
    reads: CallerReads, *, partner_id: uuid.UUID | None = None, business_id: uuid.UUID | None = None
) -> list[Row]:
    """An organisation's contacts by name (the first hundred), as the caller may see them."""
    filters = {"partner_id": partner_id} if partner_id else {"business_id": business_id}
    rows, _ = await paginate_reads(reads, repository.LISTING, filters, PageParams(limit=100))
    return rows
