"""Outbound event types and the outbox writer both services emit through."""

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shared.models.webhook_event import WebhookEvent
from shared.outbox import PENDING_EVENTS_KEY

__all__ = ["PENDING_EVENTS_KEY", "EventType", "emit"]


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


def emit(session: AsyncSession, event_type: EventType, data: dict[str, Any]) -> WebhookEvent:
    """Write the event into the outbox in the caller's transaction.

    It leaves with the transaction's commit or not at all: at commit, `shared.outbox` adds a
    delivery per subscribed endpoint in the same transaction and nudges the worker afterwards.
    """
    event = WebhookEvent(id=uuid.uuid4(), event_type=event_type.value, payload=data)
    session.add(event)
    session.info.setdefault(PENDING_EVENTS_KEY, []).append(event)
    return event
