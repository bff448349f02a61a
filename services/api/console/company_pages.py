"""The company's page: its profile and commitments kept current, progress reported against targets
(the indicator catalogue, with breakdowns by sex), and the introductions made for it."""

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from services.api.businesses import service as businesses_service
from services.api.businesses.schemas import BusinessUpdate
from services.api.commitments import service as commitments_service
from services.api.commitments.schemas import CommitmentUpdate
from services.api.console import repository
from services.api.console.web import (
    PREFIX,
    CompanyUser,
    ConsoleRoute,
    DbSession,
    Person,
    allowed,
    attempt,
    codes_of,
    field_errors,
    flag_of,
    form_of,
    given,
    number_of,
    redirect,
    render,
    text_of,
    version_of,
)
from services.api.contacts import service as contacts_service
from services.api.kit.pagination import PageParams
from services.api.matches import service as matches_service
from services.api.matches.schemas import MatchQuery
from services.api.reports import service as reports_service
from services.api.reports.schemas import ReportCreate
from shared.clock import utc_now
from shared.enums import PROGRAMME_COUNTRIES, BusinessSize, CommitmentStatus, FocusArea, MatchStatus, Need, Role
from shared.indicators import INDICATORS

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

#: Who keeps a commitment current: its company, and the programme's staff.
CommitmentKeeper = Annotated[Person, Depends(allowed(Role.ADMIN, Role.COORDINATOR, Role.BUSINESS))]
INTRODUCTIONS = (
    MatchStatus.APPROVED,
    MatchStatus.INTRODUCED,
    MatchStatus.PARTNERSHIP_FORMED,
    MatchStatus.NO_PARTNERSHIP,
)
#: Indicators that count people, which a report may split by sex.
BY_SEX = ("jobs_created", "people_trained", "people_reached", "farmers_supported", "students_enrolled")


def _own(person: Person) -> uuid.UUID:
    assert person.actor.organization_id is not None
    return person.actor.organization_id


@router.get("/company")
async def company(request: Request, session: DbSession, person: CompanyUser) -> Response:
    reads = person.reads(request)
    business = await businesses_service.get_business(session, _own(person))
    commitments = (await session.scalars(repository.commitments_of(business.id))).all()
    introductions, _ = await matches_service.match_page(
        reads, MatchQuery(status=list(INTRODUCTIONS)), PageParams(limit=100)
    )
    contacts = await contacts_service.contacts_of(reads, business_id=business.id)
    context = {
        "business": business,
        "commitments": commitments,
        "introductions": introductions,
        "contacts": contacts,
        "organization": {"kind": "business", "id": business.id},
    }
    return render(request, "company.html", context)


def _profile_context(business: Any, values: Any, problem: str | None = None) -> dict[str, Any]:
    return {
        "business": business,
        "values": values,
        "problem": problem,
        "countries": PROGRAMME_COUNTRIES,
        "sizes": [s.value for s in BusinessSize],
    }


@router.get("/company/profile")
async def edit_profile(request: Request, session: DbSession, person: CompanyUser) -> Response:
    business = await businesses_service.get_business(session, _own(person))
    return render(request, "company_profile.html", _profile_context(business, business))


@router.post("/company/profile")
async def save_profile(request: Request, session: DbSession, person: CompanyUser) -> Response:
    form = await form_of(request, person)
    values: dict[str, Any] = {
        "description": text_of(form, "description"),
        "website": text_of(form, "website"),
        "countries": codes_of(form, "countries"),
        "size": text_of(form, "size"),
        "women_led": flag_of(form, "women_led"),
        "indigenous_led": flag_of(form, "indigenous_led"),
    }
    problem, status = await attempt(
        session,
        lambda: businesses_service.update_business(
            session, _own(person), BusinessUpdate.model_validate(given(values)), version_of(form)
        ),
    )
    if problem is None:
        return redirect("/company", notice="saved")
    business = await businesses_service.get_business(session, _own(person))
    return render(request, "company_profile.html", _profile_context(business, values, problem), status=status)


def _commitment_context(commitment: Any, values: Any, problem: str | None = None) -> dict[str, Any]:
    return {
        "commitment": commitment,
        "values": values,
        "problem": problem,
        "countries": PROGRAMME_COUNTRIES,
        "focus_areas": [f.value for f in FocusArea],
        "needs": [n.value for n in Need],
        "statuses": [s.value for s in CommitmentStatus],
        "indicators": list(INDICATORS),
    }


@router.get("/commitments/{commitment_id}/edit")
async def edit_commitment(
    commitment_id: uuid.UUID, request: Request, session: DbSession, person: CommitmentKeeper
) -> Response:
    commitment = await commitments_service.get_commitment(session, commitment_id)
    return render(request, "commitment_edit.html", _commitment_context(commitment, commitment))


def _targets(form: FormData) -> dict[str, Any]:
    found = {code: number_of(form, f"target.{code}") for code in INDICATORS}
    return {code: value for code, value in found.items() if value is not None}


@router.post("/commitments/{commitment_id}/edit")
async def save_commitment(
    commitment_id: uuid.UUID, request: Request, session: DbSession, person: CommitmentKeeper
) -> Response:
    form = await form_of(request, person)
    values: dict[str, Any] = {
        "title": text_of(form, "title"),
        "description": text_of(form, "description"),
        "status": text_of(form, "status"),
        "amount_usd": number_of(form, "amount_usd"),
        "countries": codes_of(form, "countries"),
        "focus_areas": codes_of(form, "focus_areas"),
        "needs": codes_of(form, "needs"),
        "targets": _targets(form),
    }
    problem, status = await attempt(
        session,
        lambda: commitments_service.update_commitment(
            session, commitment_id, CommitmentUpdate.model_validate(given(values)), version_of(form)
        ),
    )
    if problem is None:
        return redirect(f"/commitments/{commitment_id}", notice="saved")
    commitment = await commitments_service.get_commitment(session, commitment_id)
    return render(request, "commitment_edit.html", _commitment_context(commitment, values, problem), status=status)


def _report_context(commitment: Any, values: dict[str, Any], problem: str | None = None) -> dict[str, Any]:
    targeted = [code for code in INDICATORS if code in (commitment.targets or {})]
    return {
        "commitment": commitment,
        "values": values,
        "problem": problem,
        "targeted": targeted,
        "others": [code for code in INDICATORS if code not in targeted],
        "by_sex": BY_SEX,
        "today": utc_now().date().isoformat(),
    }


@router.get("/commitments/{commitment_id}/report")
async def report_form(
    commitment_id: uuid.UUID, request: Request, session: DbSession, person: CommitmentKeeper
) -> Response:
    commitment = await commitments_service.get_commitment(session, commitment_id)
    today = utc_now().date()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    values = {"period_start": quarter_start.isoformat(), "period_end": today.isoformat(), "metrics": {}, "split": {}}
    return render(request, "report.html", _report_context(commitment, values))


@router.post("/commitments/{commitment_id}/report")
async def save_report(
    commitment_id: uuid.UUID, request: Request, session: DbSession, person: CommitmentKeeper
) -> Response:
    form = await form_of(request, person)
    metrics = {code: number_of(form, f"metric.{code}") for code in INDICATORS}
    metrics = {code: value for code, value in metrics.items() if value is not None}
    split: dict[str, dict[str, Any]] = {}
    for code in BY_SEX:
        parts = {sex: number_of(form, f"{sex}.{code}") for sex in ("female", "male")}
        parts = {sex: value for sex, value in parts.items() if value is not None}
        if parts:
            split[code] = parts
    values = {
        "period_start": text_of(form, "period_start"),
        "period_end": text_of(form, "period_end"),
        "metrics": metrics,
        "split": split,
        "notes": text_of(form, "notes"),
    }
    try:
        report = ReportCreate.model_validate(
            {
                "period_start": values["period_start"],
                "period_end": values["period_end"],
                "metrics": metrics,
                "breakdowns": {code: {"sex": parts} for code, parts in split.items()},
                "notes": values["notes"],
            }
        )
        await reports_service.create_report(session, commitment_id, report, person.actor)
    except ValidationError as error:
        commitment = await commitments_service.get_commitment(session, commitment_id)
        context = _report_context(commitment, values, "; ".join(field_errors(error)))
        return render(request, "report.html", context, status=422)
    return redirect(f"/commitments/{commitment_id}", notice="reported")
