"""Records and their history: organisation search (accents and case ignored), organisation pages with
contacts, commitments, programmes and matches, and a commitment's page with targets against results,
its matches and decisions, and its change history from the audit log."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError

from services.api.businesses import service as businesses_service
from services.api.commitments import service as commitments_service
from services.api.console import charts, repository
from services.api.console.i18n import label
from services.api.console.web import (
    PREFIX,
    ConsoleRoute,
    Coordinator,
    DbSession,
    Person,
    allowed,
    codes_of,
    field_errors,
    form_of,
    gettext,
    given,
    redirect,
    render,
    safe_next,
    text_of,
    uuid_or_none,
    version_of,
)
from services.api.contacts import service as contacts_service
from services.api.contacts.schemas import ContactCreate
from services.api.kit.pagination import PageParams
from services.api.matches import service as matches_service
from services.api.matches.schemas import MatchQuery
from services.api.partners import service as partners_service
from shared.db.folding import pattern
from shared.enums import MatchStatus, Role
from shared.errors import ValidationFailed
from shared.indicators import INDICATORS, Aggregation

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

#: Who reads a commitment's page: the programme's staff, and its own company (scoping keeps others out).
CommitmentReader = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR, Role.VIEWER, Role.BUSINESS))]
#: Who keeps contacts: the programme's staff for everyone, an organisation for its own people.
ContactKeeper = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.BUSINESS))]
ALL_STATUSES = list(MatchStatus)


@router.get("/organizations")
async def organisations(request: Request, session: DbSession, person: Coordinator) -> Response:
    query = (request.query_params.get("q") or "").strip()[:200]
    found = []
    if query:
        found = list((await session.execute(repository.organisations(), {"q": pattern(query)})).mappings().all())
    return render(request, "organizations.html", {"q": query, "found": found})


async def _history(session: DbSession, *entity_ids: uuid.UUID) -> list[Any]:
    return list((await session.scalars(repository.history_of(*entity_ids))).all())


async def _organisation_page(
    request: Request, session: DbSession, person: Person, kind: str, record: Any, records: dict[str, Any]
) -> Response:
    """A business's or partner's page: its profile, contacts, records (`records`), matches and history."""
    reads = person.reads(request)
    owner = {f"{kind}_id": record.id}
    matches, _ = await matches_service.match_page(
        reads, MatchQuery(status=ALL_STATUSES, **owner), PageParams(limit=100)
    )
    context = {
        "kind": kind,
        "record": record,
        **records,
        "matches": matches,
        "contacts": await contacts_service.contacts_of(reads, **owner),
        "organization": {"kind": kind, "id": record.id},
        "history": await _history(session, record.id),
    }
    return render(request, "organization.html", context)


@router.get("/organizations/business/{business_id}")
async def business_page(business_id: uuid.UUID, request: Request, session: DbSession, person: Coordinator) -> Response:
    business = await businesses_service.get_business(session, business_id)
    commitments = (await session.scalars(repository.commitments_of(business_id))).all()
    return await _organisation_page(request, session, person, "business", business, {"commitments": commitments})


@router.get("/organizations/partner/{partner_id}")
async def partner_page(partner_id: uuid.UUID, request: Request, session: DbSession, person: Coordinator) -> Response:
    partner = await partners_service.get_partner(session, partner_id)
    programs = (await session.scalars(repository.programs_of(partner_id))).all()
    return await _organisation_page(request, session, person, "partner", partner, {"programs": programs})


def _result(total: Any) -> float:
    aggregation = INDICATORS[total.code].aggregation if total.code in INDICATORS else Aggregation.SUM
    return float(total.total_max if aggregation is Aggregation.MAX else total.total_sum)


@router.get("/commitments/{commitment_id}")
async def commitment_page(
    commitment_id: uuid.UUID, request: Request, session: DbSession, person: CommitmentReader
) -> Response:
    commitment = await commitments_service.get_commitment(session, commitment_id)
    results = {t.code: _result(t) for t in (await session.scalars(repository.results_of(commitment_id))).all()}
    targets = commitment.targets or {}
    codes = [code for code in INDICATORS if code in targets or code in results]
    language = person.language
    rows = [charts.TargetRow(label(language, "indicator", c), targets.get(c), results.get(c, 0.0)) for c in codes]
    chart = charts.targets(
        rows, title=gettext(request, "Results against targets"), of_target=gettext(request, "of target")
    )
    matches, _ = await matches_service.match_page(
        person.reads(request), MatchQuery(commitment_id=commitment_id, status=ALL_STATUSES), PageParams(limit=100)
    )
    business = await businesses_service.get_business(session, commitment.business_id)
    reports = (await session.scalars(repository.reports_of(commitment_id))).all()
    staff = person.role in (Role.ADMIN, Role.COORDINATOR)
    context = {
        "commitment": commitment,
        "business": business,
        "rows": rows,
        "chart": chart if rows else None,
        "reports": reports,
        "matches": matches,
        "decisions": (await session.execute(repository.decisions_on_commitment(commitment_id))).all() if staff else [],
        "history": await _history(session, commitment_id, *(r.id for r in reports)) if staff else [],
        "can_edit": person.role in (Role.ADMIN, Role.COORDINATOR, Role.BUSINESS),
    }
    return render(request, "commitment.html", context)


@router.post("/contacts")
async def add_contact(request: Request, session: DbSession, person: ContactKeeper) -> Response:
    form = await form_of(request, person)
    back = safe_next(text_of(form, "next"))
    values = {
        "partner_id": uuid_or_none(form.get("partner_id")),
        "business_id": uuid_or_none(form.get("business_id")),
        "name": text_of(form, "name"),
        "role": text_of(form, "role"),
        "email": text_of(form, "email"),
        "phone": text_of(form, "phone"),
        "languages": codes_of(form, "languages"),
    }
    try:
        data = ContactCreate.model_validate(given(values))
    except ValidationError as error:
        raise ValidationFailed("; ".join(field_errors(error))) from error
    await contacts_service.create_contact(session, data, person.actor)
    return redirect(back.removeprefix(PREFIX), notice="saved")


@router.post("/contacts/{contact_id}/delete")
async def remove_contact(
    contact_id: uuid.UUID, request: Request, session: DbSession, person: ContactKeeper
) -> Response:
    form = await form_of(request, person)
    await contacts_service.delete_contact(session, contact_id, version_of(form))
    return redirect(safe_next(text_of(form, "next")).removeprefix(PREFIX), notice="deleted")
