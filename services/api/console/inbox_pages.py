"""The partner officer's inbox: introductions proposed to their organisation, answered interested or not
(with a reason), the introductions made, and the organisation's programmes kept current."""

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from services.api.console import repository
from services.api.console.web import (
    PREFIX,
    ConsoleRoute,
    DbSession,
    PartnerOfficer,
    Person,
    attempt,
    codes_of,
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
from services.api.matches.schemas import MatchQuery, PartnerAnswerCreate
from services.api.programs import service as programs_service
from services.api.programs.schemas import ProgramUpdate
from shared.enums import PROGRAMME_COUNTRIES, FocusArea, Instrument, MatchStatus

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

TO_ANSWER = (MatchStatus.PROPOSED, MatchStatus.APPROVED)
INTRODUCED = (MatchStatus.INTRODUCED, MatchStatus.PARTNERSHIP_FORMED, MatchStatus.NO_PARTNERSHIP)


async def _inbox(
    request: Request,
    person: Person,
    session: DbSession,
    *,
    kept: dict[str, Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    reads = person.reads(request)
    open_rows, _ = await matches_service.match_page(reads, MatchQuery(status=list(TO_ANSWER)), PageParams(limit=100))
    introduced, _ = await matches_service.match_page(reads, MatchQuery(status=list(INTRODUCED)), PageParams(limit=100))
    assert person.actor.organization_id is not None
    programs = (await session.scalars(repository.programs_of(person.actor.organization_id))).all()
    contacts = await contacts_service.contacts_of(reads, partner_id=person.actor.organization_id)
    context = {
        "open": open_rows,
        "introduced": introduced,
        "programs": programs,
        "contacts": contacts,
        "organization": {"kind": "partner", "id": person.actor.organization_id},
        "kept": kept or {},
        "problem": problem,
    }
    return render(request, "inbox.html", context, status=status)


@router.get("/inbox")
async def inbox(request: Request, session: DbSession, person: PartnerOfficer) -> Response:
    return await _inbox(request, person, session)


@router.post("/inbox/{match_id}/answer")
async def answer(match_id: uuid.UUID, request: Request, session: DbSession, person: PartnerOfficer) -> Response:
    form = await form_of(request, person)
    kept = {"match_id": str(match_id), "answer": text_of(form, "answer"), "reason": text_of(form, "reason") or ""}
    answer = {"answer": kept["answer"], "reason": kept["reason"] or None}
    problem, status = await attempt(
        session,
        lambda: matches_service.answer(
            session, match_id, PartnerAnswerCreate.model_validate(answer), person.actor, version_of(form)
        ),
    )
    if problem is not None:
        return await _inbox(request, person, session, kept=kept, problem=problem, status=status)
    return redirect("/inbox", notice="answered")


def _program_choices() -> dict[str, Any]:
    return {
        "countries": PROGRAMME_COUNTRIES,
        "focus_areas": [f.value for f in FocusArea],
        "instruments": [i.value for i in Instrument],
    }


@router.get("/programs/{program_id}/edit")
async def edit_program(program_id: uuid.UUID, request: Request, session: DbSession, person: PartnerOfficer) -> Response:
    program = await programs_service.get_program(session, program_id)
    return render(request, "program_edit.html", {"program": program, "values": program, **_program_choices()})


@router.post("/programs/{program_id}/edit")
async def save_program(program_id: uuid.UUID, request: Request, session: DbSession, person: PartnerOfficer) -> Response:
    form = await form_of(request, person)
    values = {
        "description": text_of(form, "description"),
        "countries": codes_of(form, "countries"),
        "focus_areas": codes_of(form, "focus_areas"),
        "instruments": codes_of(form, "instruments"),
        "min_ticket_usd": number_of(form, "min_ticket_usd"),
        "max_ticket_usd": number_of(form, "max_ticket_usd"),
        "capacity_per_month": number_of(form, "capacity_per_month"),
        "active": flag_of(form, "active"),
    }
    problem, status = await attempt(
        session,
        lambda: programs_service.update_program(
            session, program_id, ProgramUpdate.model_validate(given(values)), version_of(form)
        ),
    )
    if problem is not None:
        return await _program_again(request, session, program_id, values, problem, status)
    return redirect("/inbox", notice="saved")


async def _program_again(
    request: Request, session: DbSession, program_id: uuid.UUID, values: dict[str, Any], problem: str, status: int
) -> Response:
    """The form again with what the person typed, over the programme as it is now."""
    program = await programs_service.get_program(session, program_id)
    context = {"program": program, "values": values, "problem": problem, **_program_choices()}
    return render(request, "program_edit.html", context, status=status)
