"""Outbound events: their types, one payload builder per type, and the one way into the outbox.

Whoever writes an event (an API request, an inbound webhook, a match run) builds its payload here
and writes it with `emit` (one event) or `emit_many` (a run's thousands, in one statement). Both
list the new events in the session, so at commit `shared.outbox` adds their deliveries in the same
transaction and nudges the webhooks worker once it is committed.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from shared.clock import utc_now
from shared.enums import MatchStatus
from shared.models import Commitment, ImpactReport, Match
from shared.models.webhook_event import WebhookEvent
from shared.outbox import PENDING_EVENTS_KEY, PendingEvents

__all__ = [
    "PENDING_EVENTS_KEY",
    "EventType",
    "commitment_data",
    "emit",
    "emit_many",
    "match_decided_data",
    "match_proposed_data",
    "match_run_completed_data",
    "report_created_data",
]


class EventType(StrEnum):
    MATCH_PROPOSED = "match.proposed"
    MATCH_APPROVED = "match.approved"
    MATCH_DECLINED = "match.declined"
    MATCH_INTRODUCED = "match.introduced"
    MATCH_OUTCOME_RECORDED = "match.outcome_recorded"
    MATCH_RUN_COMPLETED = "match_run.completed"
    COMMITMENT_CREATED = "commitment.created"
    COMMITMENT_UPDATED = "commitment.updated"
    REPORT_CREATED = "report.created"


# --- payloads, one builder per event type ------------------------------------------------------------


def _utc(moment: datetime) -> str:
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _money(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _match(
    *,
    match_id: uuid.UUID,
    commitment_id: object,
    program_id: object,
    partner_id: object,
    business_id: object,
    score: float,
    status: str,
    run_id: uuid.UUID | None,
    model_version: str | None,
    version: int,
) -> dict[str, Any]:
    """What every match.* event carries: the match's identity, score, status and version."""
    return {
        "match_id": str(match_id),
        "commitment_id": str(commitment_id),
        "program_id": str(program_id),
        "partner_id": str(partner_id),
        "business_id": str(business_id),
        "score": score,
        "status": status,
        "run_id": str(run_id) if run_id else None,
        "model_version": model_version,
        "version": version,
    }


def match_proposed_data(
    *,
    match_id: uuid.UUID,
    commitment_id: str,
    program_id: str,
    partner_id: str,
    business_id: str,
    score: float,
    reasons: list[str],
    run_id: uuid.UUID,
    model_version: str,
) -> dict[str, Any]:
    """`match.proposed`: a new proposal (version 1) of a run, with the reasons shown to coordinators."""
    return {
        **_match(
            match_id=match_id, commitment_id=commitment_id, program_id=program_id, partner_id=partner_id,
            business_id=business_id, score=score, status=MatchStatus.PROPOSED.value, run_id=run_id,
            model_version=model_version, version=1,
        ),
        "reasons": reasons,
    }  # fmt: skip


def match_decided_data(
    match: Match, *, action: str, from_status: str, reason: str | None, outcome: str | None, decided_by: str
) -> dict[str, Any]:
    """`match.approved`, `.declined`, `.introduced`, `.outcome_recorded`: the match after a decision."""
    return {
        **_match(
            match_id=match.id, commitment_id=match.commitment_id, program_id=match.program_id,
            partner_id=match.partner_id, business_id=match.business_id, score=match.score, status=match.status,
            run_id=match.run_id, model_version=match.model_version, version=match.version,
        ),
        "action": action,
        "from_status": from_status,
        "reason": reason,
        "outcome": outcome,
        "decided_by": decided_by,
    }  # fmt: skip


def match_run_completed_data(run: dict[str, Any]) -> dict[str, Any]:
    """`match_run.completed`: a finished run (succeeded or failed) as the run row holds it."""
    return {
        "run_id": str(run["id"]),
        "status": run["status"],
        "scope": run["scope"],
        "trigger": run["trigger"],
        "counts": run["counts"],
        "duration_ms": run["duration_ms"],
        "model_version": run["model_version"],
        "error": run["error"],
    }


def commitment_data(commitment: Commitment) -> dict[str, Any]:
    """`commitment.created` / `.updated`: the commitment's public JSON shape, what the API answers."""
    return {
        "id": str(commitment.id),
        "business_id": str(commitment.business_id),
        "title": commitment.title,
        "description": commitment.description,
        "focus_areas": list(commitment.focus_areas),
        "countries": list(commitment.countries),
        "regions": list(commitment.regions),
        "amount_usd": _money(commitment.amount_usd),
        "needs": list(commitment.needs),
        "status": commitment.status,
        "initiative": commitment.initiative,
        "announced_on": commitment.announced_on.isoformat() if commitment.announced_on else None,
        "targets": dict(commitment.targets),
        "baselines": dict(commitment.baselines),
        "external_id": commitment.external_id,
        "version": commitment.version,
        "created_at": _utc(commitment.created_at),
        "updated_at": _utc(commitment.updated_at),
    }


def report_created_data(report: ImpactReport, replaced: ImpactReport | None) -> dict[str, Any]:
    """`report.created`: the stored report, and the one it replaces for the same period."""
    return {
        "id": str(report.id),
        "commitment_id": str(report.commitment_id),
        "business_id": str(report.business_id),
        "period_start": report.period_start.isoformat(),
        "period_end": report.period_end.isoformat(),
        "metrics": report.metrics,
        "source": report.source,
        "replaces": str(replaced.id) if replaced else None,
    }


# --- the outbox --------------------------------------------------------------------------------------


def _pending(session: AsyncSession) -> PendingEvents:
    pending: PendingEvents = session.info.setdefault(PENDING_EVENTS_KEY, PendingEvents())
    return pending


def emit(session: AsyncSession, event_type: EventType, data: dict[str, Any]) -> WebhookEvent:
    """Write the event into the outbox in the caller's transaction.

    It leaves with the transaction's commit or not at all: at commit, `shared.outbox` adds a
    delivery per subscribed endpoint in the same transaction and nudges the worker afterwards.
    """
    event = WebhookEvent(id=uuid.uuid4(), event_type=event_type.value, payload=data)
    session.add(event)
    _pending(session).objects.append(event)
    return event


#: Events written per INSERT by `emit_many`.
EMIT_BATCH = 5000


async def emit_many(
    session: AsyncSession, event_type: EventType, payloads: Sequence[dict[str, Any]]
) -> list[uuid.UUID]:
    """`emit` for many events of one type, one INSERT per EMIT_BATCH (a match run's proposals).

    Same outbox, same fan-out at commit, same nudge after it; returns the events' ids in order.
    """
    ids: list[uuid.UUID] = []
    now = utc_now()
    for start in range(0, len(payloads), EMIT_BATCH):
        batch = payloads[start : start + EMIT_BATCH]
        batch_ids = [uuid.uuid4() for _ in batch]
        await session.execute(
            text(
                """INSERT INTO webhook_events (id, event_type, payload, fanned_out, created_at, updated_at)
                   SELECT u.id, :event_type, CAST(u.payload AS jsonb), false, :now, :now
                   FROM unnest(CAST(:ids AS uuid[]), CAST(:payloads AS text[])) WITH ORDINALITY AS u(id, payload, n)
                   ORDER BY u.n"""
            ),
            {
                "event_type": event_type.value,
                "ids": batch_ids,
                "payloads": [orjson.dumps(p).decode() for p in batch],
                "now": now,
            },
        )
        ids.extend(batch_ids)
    _pending(session).ids.extend(ids)
    return ids
