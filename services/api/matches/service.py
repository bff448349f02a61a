"""Matches: reading them as the caller may, deciding them along the lifecycle's moves, partners' answers."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.deps import CallerReads
from services.api.kit.pagination import PageParams, paginate_reads
from services.api.matches import repository
from services.api.matches.schemas import MatchDecisionCreate, MatchQuery, PartnerAnswerCreate, SortOrder
from shared.actor import Actor
from shared.clock import utc_now
from shared.db.folding import pattern
from shared.db.reader import Row
from shared.db.repository import check_version, get_visible, not_found
from shared.domain.match_lifecycle import apply
from shared.enums import MatchAction, MatchStatus, PartnerAnswer, Role
from shared.errors import Conflict, Forbidden, ValidationFailed
from shared.events import EventType, emit, match_decided_data
from shared.models import Match, MatchDecision
from shared.records.match import record_stage_reached

#: Who may take which decision; partner keys only ever reach their own organisation's matches.
DECIDERS: dict[Role, frozenset[MatchAction]] = {
    Role.ADMIN: frozenset(MatchAction),
    Role.COORDINATOR: frozenset(MatchAction),
    Role.PARTNER: frozenset({MatchAction.DECLINE}),
}

#: Who may answer a proposal for the partner: the partner itself, or an admin on its behalf.
ANSWERERS = frozenset({Role.PARTNER, Role.ADMIN})
#: A partner answers while the introduction is still to be made.
ANSWERABLE = frozenset({MatchStatus.PROPOSED, MatchStatus.APPROVED})

EVENTS: dict[MatchAction, EventType] = {
    MatchAction.APPROVE: EventType.MATCH_APPROVED,
    MatchAction.DECLINE: EventType.MATCH_DECLINED,
    MatchAction.INTRODUCE: EventType.MATCH_INTRODUCED,
    MatchAction.RECORD_OUTCOME: EventType.MATCH_OUTCOME_RECORDED,
}


def filter_values(selection: MatchQuery) -> dict[str, object]:
    """The query's filters as the listing binds them (statuses as one array, text folded)."""
    values = selection.model_dump(exclude={"sort", "order"}, exclude_none=True)
    if selection.status:
        values["status"] = [s.value for s in selection.status]
    if selection.q:
        values["q"] = pattern(selection.q)
    for code in ("country", "focus_area"):
        if code in values:
            values[code] = str(values[code])
    return values


async def match_page(reads: CallerReads, selection: MatchQuery, page: PageParams) -> tuple[list[Row], str | None]:
    """One page of matches with their names, filtered and sorted as asked (the console's queue too)."""
    listing = repository.LISTINGS[(selection.sort.value, selection.order is SortOrder.DESC)]
    return await paginate_reads(reads, listing, filter_values(selection), page)


async def read_match(reads: CallerReads, match_id: uuid.UUID) -> Row:
    """The match with its names, if the caller may see it; NotFound otherwise."""
    rows = await reads.shaped(("match-by-id",), repository.by_id, {"match_id": match_id})
    if not rows:
        raise not_found(Match, match_id, "match")
    return rows[0]


async def decisions(session: AsyncSession, match_id: uuid.UUID) -> list[MatchDecision]:
    """The decisions on a match the caller was allowed to read (see `read_match`), oldest first."""
    return await repository.all_decisions(session, match_id)


async def get_match(session: AsyncSession, match_id: uuid.UUID) -> Match:
    return await get_visible(session, Match, match_id, label="match")


async def as_row(session: AsyncSession, match: Match) -> dict[str, Any]:
    """A match the session holds, as the row `read_match` answers (with its names)."""
    columns = {column.key: getattr(match, column.key) for column in Match.__table__.columns}
    return {**columns, **await repository.names_of(session, match.id)}


async def _check_contacts(session: AsyncSession, match: Match, data: MatchDecisionCreate) -> None:
    if not data.contact_ids:
        return
    if data.action is not MatchAction.INTRODUCE:
        raise ValidationFailed("contacts are named only when introducing", extra={"field": "contact_ids"})
    sides = await repository.contact_sides(session, data.contact_ids)
    for contact_id in data.contact_ids:
        if sides.get(contact_id) not in (match.business_id, match.partner_id):
            raise ValidationFailed(
                f"contact {contact_id} is not a contact of this match's company or partner",
                extra={"field": "contact_ids"},
            )


async def decide(
    session: AsyncSession,
    match_id: uuid.UUID,
    data: MatchDecisionCreate,
    actor: Actor,
    expected_version: int | None,
) -> tuple[Match, list[MatchDecision]]:
    """Move the match along the lifecycle, keep the decision (and who took it), and emit its event.

    Two deciders racing on one match: the If-Match check refuses a stale ETag, and the
    versioned UPDATE refuses the loser even when both read the same version (412 either way).
    """
    match = await get_match(session, match_id)
    if data.action not in DECIDERS.get(actor.role, frozenset()):
        raise Forbidden(f"a {actor.role.value} may not {data.action.value} a match")
    check_version(expected_version, match.version)
    source = MatchStatus(match.status)
    target = apply(source, data.action, reason=data.reason, outcome=data.outcome)
    await _check_contacts(session, match, data)
    now = utc_now()
    match.status = target.value
    match.decided_at = now
    record_stage_reached(match, target, now)
    decision = MatchDecision(
        id=uuid.uuid4(),
        match_id=match.id,
        action=data.action.value,
        from_status=source.value,
        to_status=target.value,
        reason=data.reason,
        outcome=data.outcome.value if data.outcome else None,
        actor_key_id=actor.key_id,
        actor_role=actor.role.value,
        actor_user_id=actor.user_id,
        actor_label=actor.label or None,
        contact_ids=list(dict.fromkeys(data.contact_ids)),
        created_at=now,
    )
    session.add(decision)
    await session.flush()
    emit(
        session,
        EVENTS[data.action],
        match_decided_data(
            match,
            action=data.action.value,
            from_status=source.value,
            reason=data.reason,
            outcome=decision.outcome,
            decided_by=actor.role.value,
        ),
    )
    return match, await repository.all_decisions(session, match.id)


async def answer(
    session: AsyncSession,
    match_id: uuid.UUID,
    data: PartnerAnswerCreate,
    actor: Actor,
    expected_version: int | None,
) -> Match:
    """Keep the partner's answer (interested, or not with a reason) for the coordinator to read; a later
    answer replaces an earlier one. The status does not move: introducing stays the coordinator's call."""
    match = await get_match(session, match_id)
    if actor.role not in ANSWERERS:
        raise Forbidden(f"a {actor.role.value} may not answer for the partner")
    check_version(expected_version, match.version)
    if MatchStatus(match.status) not in ANSWERABLE:
        raise Conflict(f"a {match.status} match is past answering", extra={"status": match.status})
    reason = (data.reason or "").strip() or None
    if data.answer is PartnerAnswer.NOT_INTERESTED and reason is None:
        raise ValidationFailed("saying not interested needs a reason", extra={"field": "reason"})
    match.partner_answer = data.answer.value
    match.partner_answer_reason = reason
    match.partner_answered_at = utc_now()
    match.partner_answered_by = actor.label[:200] or actor.role.value
    await session.flush()
    return match
