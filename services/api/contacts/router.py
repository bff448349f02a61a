"""/v1/contacts: the people at an organisation; scoped like the organisation's own records."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.api.auth.dependencies import RecordReads, require
from services.api.contacts import repository, service
from services.api.contacts.schemas import ContactCreate, ContactFilters, ContactRead, ContactUpdate
from services.api.deps import DbSession
from services.api.kit.etag import IfMatch, set_etag
from services.api.kit.idempotency import IdempotentPost
from services.api.kit.pagination import Page, Pagination, paginate_reads
from services.api.kit.problems import COMMON_PROBLEMS, problem_responses
from services.api.kit.query import query
from services.api.kit.routing import TransactionalRoute
from shared.actor import Actor
from shared.enums import Role
from shared.models import Contact

router = APIRouter(prefix="/v1/contacts", tags=["contacts"], route_class=TransactionalRoute, responses=COMMON_PROBLEMS)

#: Coordinators keep everyone's contacts; a partner or business keeps its own (scoping hides the rest).
Keeper = Annotated[Actor, Depends(require(Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.BUSINESS))]


@router.post("", status_code=201, summary="Add a contact to a partner or business", responses=problem_responses(404))
async def create_contact(
    body: ContactCreate, response: Response, session: DbSession, caller: Keeper, _idem: IdempotentPost
) -> ContactRead:
    contact = await service.create_contact(session, body, caller)
    set_etag(response, contact.version)
    response.headers["Location"] = f"/v1/contacts/{contact.id}"
    return ContactRead.model_validate(contact)


@router.get("", summary="List contacts (by name)")
async def list_contacts(
    reads: RecordReads, page: Pagination, filters: Annotated[ContactFilters, Depends(query(ContactFilters))]
) -> Page[ContactRead]:
    rows, cursor = await paginate_reads(reads, repository.LISTING, filters.given(), page)
    return Page(items=[ContactRead.model_validate(row) for row in rows], next_cursor=cursor)


@router.get("/{contact_id}", summary="Read a contact", responses=problem_responses(404))
async def get_contact(contact_id: uuid.UUID, response: Response, reads: RecordReads) -> ContactRead:
    contact = await reads.visible(Contact, contact_id)
    set_etag(response, contact["version"])
    return ContactRead.model_validate(contact)


@router.patch("/{contact_id}", summary="Change a contact", responses=problem_responses(404, 412))
async def update_contact(
    contact_id: uuid.UUID,
    body: ContactUpdate,
    response: Response,
    session: DbSession,
    _caller: Keeper,
    if_match: IfMatch,
) -> ContactRead:
    contact = await service.update_contact(session, contact_id, body, if_match)
    set_etag(response, contact.version)
    return ContactRead.model_validate(contact)


@router.delete("/{contact_id}", status_code=204, summary="Delete a contact", responses=problem_responses(404, 412))
async def delete_contact(contact_id: uuid.UUID, session: DbSession, _caller: Keeper, if_match: IfMatch) -> None:
    await service.delete_contact(session, contact_id, if_match)
