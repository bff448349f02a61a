"""Matches: reading them as the caller may, and deciding them along the lifecycle's moves."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.api.matches import repository
from services.api.matches.schemas import MatchDecisionCreate
from shared.actor import Actor
from shared.clock import utc_now
from shared.db.repository import check_version, get_visible
from shared.domain.match_lifecycle import apply
from shared.enums import MatchAction, MatchStatus, Role
from shared.errors import Forbidden
from shared.events import EventType, emit, match_decided_data
from shared.models import Match, MatchDecision
from shared.records.match import record_stage_reached

#: Who may take which decision; partner keys only ever reach their own organisation's matches.
DECIDERS: dict[Role, frozenset[MatchAction]] = {
    Role.ADMIN: frozenset(MatchAction),
    Role.COORDINATOR: frozenset(MatchAction),
    Role.PARTNER: frozenset({MatchAction.DECLINE}),
}

EVENTS: dict[MatchAction, EventType] = {
    MatchAction.APPROVE: EventType.MATCH_APPROVED,
    MatchAction.DECLINE: EventType.MATCH_DECLINED,
    MatchAction.INTRODUCE: EventType.MATCH_INTRODUCED,
    MatchAction.RECORD_OUTCOME: EventType.MATCH_OUTCOME_RECORDED,
}


async def get_match(session: AsyncSession, match_id: uuid.UUID) -> Match:
    return await get_visible(session, Match, match_id, label="match")


async def get_with_decisions(session: AsyncSession, match_id: uuid.UUID) -> tuple[Match, list[MatchDecision]]:
    match = await get_match(session, match_id)
    return match, await repository.all_decisions(session, match.id)


async def decide(
    session: AsyncSession,
    match_id: uuid.UUID,
    data: MatchDecisionCreate,
    actor: Actor,
    expected_version: int | None,
) -> tuple[Match, list[MatchDecision]]:
    """Move the match along the lifecycle, keep the decision, and emit its event.

    Two deciders racing on one match: the If-Match check refuses a stale ETag, and the
    versioned UPDATE refuses the loser even when both read the same version (412 either way).
    """
    match = await get_match(session, match_id)
    if data.action not in DECIDERS.get(actor.role, frozenset()):
        raise Forbidden(f"a {actor.role.value} key may not {data.action.value} a match")
    check_version(expected_version, match.version)
    source = MatchStatus(match.status)
    target = apply(source, data.action, reason=data.reason, outcome=data.outcome)
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
