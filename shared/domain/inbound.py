"""Inbound webhook vocabulary: the event types an integrator may send, and a received event's statuses."""

from enum import StrEnum


class InboundEventType(StrEnum):
    PROGRESS_REPORTED = "commitment.progress_reported"
    BUSINESS_UPSERTED = "business.upserted"
    PARTNER_UPSERTED = "partner.upserted"
    PROGRAM_UPSERTED = "program.upserted"
    COMMITMENT_UPSERTED = "commitment.upserted"


class InboundStatus(StrEnum):
    RECEIVED = "received"  # stored, waiting for the worker
    PROCESSED = "processed"
    FAILED = "failed"  # kept with its error; nothing of it was applied
