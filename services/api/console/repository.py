"""The console's own reads: choices for filters, organisation search, a record's history, admin lists.

Records are changed only through their services; these queries only gather what a page shows.
Every one runs in the request's session or Reader, so organisation scoping applies as everywhere.
"""

import uuid
from typing import Any

from sqlalchemy import desc, literal, or_, select, union_all

from shared.db.folding import holds_text
from shared.models import (
    ApiKey,
    AuditEntry,
    Business,
    Commitment,
    CommitmentIndicatorTotal,
    ImpactReport,
    Integration,
    Match,
    MatchDecision,
    Partner,
    Program,
    User,
    WebhookDelivery,
    WebhookEndpoint,
)

HISTORY_LIMIT = 200


def partner_options() -> Any:
    return select(Partner.id, Partner.name).order_by(Partner.name, Partner.id).limit(500)


def business_options() -> Any:
    return select(Business.id, Business.name).order_by(Business.name, Business.id).limit(2000)


def program_options() -> Any:
    return select(Program.id, Program.name, Program.partner_id).order_by(Program.name, Program.id).limit(2000)


def organisations() -> Any:
    """Businesses and partners whose name (or description, or agency code) holds the text whose
    `shared.db.folding.pattern` is bound as `q`, by name."""
    businesses = select(
        Business.id, Business.name, literal("business").label("kind"), Business.hq_country.label("country")
    ).where(
        or_(
            holds_text(Business.name, "q"),
            holds_text(Business.description, "q"),
        )
    )
    partners = select(
        Partner.id, Partner.name, literal("partner").label("kind"), Partner.agency_code.label("country")
    ).where(
        or_(
            holds_text(Partner.name, "q"),
            holds_text(Partner.agency_code, "q"),
        )
    )
    both = union_all(businesses, partners).subquery()
    return select(both).order_by(both.c.name).limit(100)


def commitments_of(business_id: uuid.UUID) -> Any:
    return select(Commitment).where(Commitment.business_id == business_id).order_by(Commitment.title, Commitment.id)


def programs_of(partner_id: uuid.UUID) -> Any:
    return select(Program).where(Program.partner_id == partner_id).order_by(Program.name, Program.id)


def results_of(commitment_id: uuid.UUID) -> Any:
    return select(CommitmentIndicatorTotal).where(CommitmentIndicatorTotal.commitment_id == commitment_id)


def reports_of(commitment_id: uuid.UUID) -> Any:
    return (
        select(ImpactReport)
        .where(ImpactReport.commitment_id == commitment_id)
        .order_by(desc(ImpactReport.period_end), desc(ImpactReport.created_at))
        .limit(100)
    )


def decisions_on_commitment(commitment_id: uuid.UUID) -> Any:
    return (
        select(MatchDecision, Program.name.label("program_name"))
        .join(Match, Match.id == MatchDecision.match_id)
        .join(Program.__table__, Program.__table__.c.id == Match.program_id)
        .where(Match.commitment_id == commitment_id)
        .order_by(desc(MatchDecision.created_at))
        .limit(HISTORY_LIMIT)
    )


def history_of(*entity_ids: uuid.UUID) -> Any:
    """The audit log's entries on these records, newest first."""
    return (
        select(AuditEntry)
        .where(AuditEntry.entity_id.in_(entity_ids))
        .order_by(desc(AuditEntry.at), desc(AuditEntry.id))
        .limit(HISTORY_LIMIT)
    )


def users() -> Any:
    return select(User).order_by(User.name, User.id).limit(500)


def api_keys() -> Any:
    return select(ApiKey).order_by(desc(ApiKey.created_at), ApiKey.id).limit(500)


def webhook_endpoints() -> Any:
    return select(WebhookEndpoint).order_by(WebhookEndpoint.url, WebhookEndpoint.id).limit(500)


def deliveries_of(endpoint_id: uuid.UUID) -> Any:
    return (
        select(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .order_by(desc(WebhookDelivery.created_at), desc(WebhookDelivery.id))
        .limit(100)
    )


def integrations() -> Any:
    return select(Integration).order_by(Integration.name, Integration.id).limit(500)
