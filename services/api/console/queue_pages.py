"""The coordinators' review queue and a match's page: filter, read, decide (one or several), introduce.

A decision made on a stale page (someone else decided first) is not lost: the page answers 412
with the match as it is now and the person's choice and reason still filled in, ready to send again.
"""

import uuid
from collections import Counter
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError
from starlette.datastructures import FormData

from services.api.console import repository
from services.api.console.web import (
    PREFIX,
    ConsoleRoute,
    Coordinator,
    DbSession,
    Person,
    environment,
    field_errors,
    form_of,
    here,
    redirect,
    render,
    safe_next,
    uuid_or_none,
)
from services.api.contacts import service as contacts_service
from services.api.kit.pagination import PageParams
from services.api.matches import service as matches_service
from services.api.matches.schemas import MatchDecisionCreate, MatchQuery
from shared.db.reader import Row
from shared.domain.match_lifecycle import allowed_actions
from shared.enums import PROGRAMME_COUNTRIES, FocusArea, Language, MatchAction, MatchStatus
from shared.errors import InvalidTransition, PreconditionFailed, ValidationFailed

router = APIRouter(prefix=PREFIX, route_class=ConsoleRoute, include_in_schema=False)

PAGE_SIZE = 25
#: The queue shows what still needs a coordinator unless asked for another status.
OPEN_FOR_REVIEW = ("proposed", "approved")
#: Decisions taken on many matches at once: neither needs anything particular to one match.
BULK_ACTIONS = frozenset({MatchAction.APPROVE, MatchAction.DECLINE})

_FILTERS = ("status", "country", "focus_area", "partner_id", "program_id", "min_score", "q", "sort", "order")


def _selection(request: Request) -> tuple[MatchQuery, dict[str, Any], list[str]]:
    """The queue's filters from the query string: the validated query, the values to show, any errors."""
    given = {name: request.query_params.get(name, "").strip() for name in _FILTERS}
    given = {name: value for name, value in given.items() if value}
    values: dict[str, Any] = dict(given)
    values["status"] = [given["status"]] if "status" in given else list(OPEN_FOR_REVIEW)
    try:
        return MatchQuery.model_validate(values), given, []
    except ValidationError as error:
        return MatchQuery(status=[MatchStatus(s) for s in OPEN_FOR_REVIEW]), given, field_errors(error)


async def _choices(request: Request, person: Person) -> dict[str, Any]:
    reads = person.reads(request)
    partners = await reads.shaped(("console-partners",), repository.partner_options, {})
    programs = await reads.shaped(("console-programs",), repository.program_options, {})
    return {
        "partners": partners,
        "programs": programs,
        "countries": PROGRAMME_COUNTRIES,
        "focus_areas": [f.value for f in FocusArea],
        "statuses": [s.value for s in MatchStatus],
    }


@router.get("/queue")
async def queue(request: Request, person: Coordinator) -> Response:
    selection, given, errors = _selection(request)
    cursor = request.query_params.get("cursor") or None
    rows, next_cursor = await matches_service.match_page(
        person.reads(request), selection, PageParams(limit=PAGE_SIZE, cursor=cursor)
    )
    context = {
        "rows": rows,
        "given": given,
        "errors": errors,
        "next_cursor": next_cursor,
        "here": here(request),
        **await _choices(request, person),
    }
    return render(request, "queue.html", context, status=422 if errors else 200)


def recipients_language(contacts: list[Row]) -> Language:
    """The language most of the contacts read first (Spanish when they are even or unknown)."""
    firsts = Counter(c["languages"][0] for c in contacts if c["languages"])
    if not firsts:
        return Language.ES
    best = max(firsts.values())
    return Language.ES if firsts.get("es") == best else Language(firsts.most_common(1)[0][0])


def _draft(row: Row, business_contacts: list[Row], partner_contacts: list[Row], person: Person) -> dict[str, Any]:
    everyone = business_contacts + partner_contacts
    language = recipients_language(everyone)
    text = (
        environment(language)
        .get_template("introduction_draft.txt")
        .render(
            match=row, business_contacts=business_contacts, partner_contacts=partner_contacts, sender=person.user.name
        )
    )
    subject, _, body = text.partition("\n")
    return {
        "language": language.value,
        "subject": subject.strip(),
        "body": body.strip(),
        "to": ",".join(c["email"] for c in everyone if c["email"]),
    }


async def _match_page(
    request: Request,
    person: Person,
    session: AsyncSession,
    match_id: uuid.UUID,
    *,
    kept: dict[str, Any] | None = None,
    problem: str | None = None,
    detail: str | None = None,
    status: int = 200,
) -> Response:
    reads = person.reads(request)
    row = await matches_service.read_match(reads, match_id)
    business_contacts = await contacts_service.contacts_of(reads, business_id=row["business_id"])
    partner_contacts = await contacts_service.contacts_of(reads, partner_id=row["partner_id"])
    context = {
        "match": row,
        "decisions": await matches_service.decisions(session, match_id),
        "actions": [a.value for a in allowed_actions(MatchStatus(row["status"]))],
        "business_contacts": business_contacts,
        "partner_contacts": partner_contacts,
        "draft": _draft(row, business_contacts, partner_contacts, person),
        "kept": kept or {},
        "problem": problem,
        "detail": detail,
        "back": safe_next(request.query_params.get("back") or (kept or {}).get("next") or PREFIX + "/queue"),
    }
    return render(request, "match.html", context, status=status)


@router.get("/matches/{match_id}")
async def match_page(match_id: uuid.UUID, request: Request, session: DbSession, person: Coordinator) -> Response:
    return await _match_page(request, person, session, match_id)


def _decision(form: FormData) -> MatchDecisionCreate:
    reason = str(form.get("reason", "")).strip() or None
    outcome = str(form.get("outcome", "")).strip() or None
    contacts = [uuid_or_none(value) for value in form.getlist("contact_ids")]
    return MatchDecisionCreate.model_validate(
        {
            "action": str(form.get("action", "")),
            "reason": reason,
            "outcome": outcome,
            "contact_ids": [c for c in contacts if c is not None],
        }
    )


def _version(form: FormData) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isdigit() else None


@router.post("/matches/{match_id}/decide")
async def decide(match_id: uuid.UUID, request: Request, session: DbSession, person: Coordinator) -> Response:
    form = await form_of(request, person)
    kept: dict[str, Any] = {
        "action": str(form.get("action", "")),
        "reason": str(form.get("reason", ""))[:2000],
        "outcome": str(form.get("outcome", "")),
        "contact_ids": [str(value) for value in form.getlist("contact_ids")],
        "next": safe_next(str(form.get("next", ""))),
    }
    try:
        decision = _decision(form)
        await matches_service.decide(session, match_id, decision, person.actor, _version(form))
    except ValidationError as error:
        return await _match_page(
            request,
            person,
            session,
            match_id,
            kept=kept,
            problem="invalid",
            detail="; ".join(field_errors(error)),
            status=422,
        )
    except (PreconditionFailed, StaleDataError):
        await session.rollback()
        return await _match_page(request, person, session, match_id, kept=kept, problem="stale", status=412)
    except (InvalidTransition, ValidationFailed) as error:
        await session.rollback()
        problem = "transition" if isinstance(error, InvalidTransition) else "invalid"
        return await _match_page(
            request, person, session, match_id, kept=kept, problem=problem, detail=error.detail, status=error.status
        )
    return redirect(kept["next"].removeprefix(PREFIX), notice=decision.action.value)


def _picks(form: FormData) -> list[tuple[uuid.UUID, int]]:
    """`id:version` pairs of the ticked matches (at most a page's worth)."""
    picks: list[tuple[uuid.UUID, int]] = []
    for value in form.getlist("pick")[:100]:
        raw_id, _, raw_version = str(value).partition(":")
        match_id = uuid_or_none(raw_id)
        if match_id is not None and raw_version.isdigit():
            picks.append((match_id, int(raw_version)))
    return picks


@router.post("/queue/bulk")
async def bulk_decide(request: Request, session: DbSession, person: Coordinator) -> Response:
    """Approve or decline the ticked matches, each on its own: a stale or finished one is skipped and
    named on the answer page; the others are decided."""
    form = await form_of(request, person)
    back = safe_next(str(form.get("next", "")))
    try:
        decision = MatchDecisionCreate.model_validate(
            {"action": str(form.get("action", "")), "reason": str(form.get("reason", "")).strip() or None}
        )
    except ValidationError as error:
        raise ValidationFailed("; ".join(field_errors(error))) from error
    if decision.action not in BULK_ACTIONS:
        raise ValidationFailed("only approve and decline are taken for several matches at once")
    if decision.action is MatchAction.DECLINE and decision.reason is None:
        raise ValidationFailed("declining needs a reason", extra={"field": "reason"})
    picks = _picks(form)
    if not picks:
        raise ValidationFailed("tick at least one match")
    skipped: list[dict[str, Any]] = []
    for match_id, version in picks:
        try:
            async with session.begin_nested():
                await matches_service.decide(session, match_id, decision, person.actor, version)
        except (PreconditionFailed, StaleDataError):
            skipped.append({"id": match_id, "why": "stale"})
        except (InvalidTransition, ValidationFailed) as error:
            skipped.append({"id": match_id, "why": "invalid", "detail": error.detail})
    if not skipped:
        return redirect(back.removeprefix(PREFIX), notice="bulk_done")
    context = {"skipped": skipped, "done": len(picks) - len(skipped), "back": back, "action": decision.action.value}
    return render(request, "bulk_result.html", context, status=200)
