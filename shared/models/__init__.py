"""Every ORM table, re-exported so that `Model.metadata` (and Alembic) sees them all."""

from shared.db.base import Model
from shared.models.api_key import ApiKey
from shared.models.audit_entry import AuditEntry
from shared.models.business import Business
from shared.models.commitment import Commitment
from shared.models.commitment_indicator_total import CommitmentIndicatorTotal
from shared.models.contact import Contact
from shared.models.idempotency_record import IdempotencyRecord
from shared.models.impact_report import ImpactReport
from shared.models.impact_value import ImpactValue
from shared.models.inbound_event import InboundEvent
from shared.models.integration import Integration
from shared.models.match import OPEN_STATUSES, Match
from shared.models.match_decision import MatchDecision
from shared.models.match_run import MatchRun
from shared.models.need_indicator import NeedIndicator
from shared.models.need_release import NeedRelease
from shared.models.need_value import NeedValue
from shared.models.partner import Partner
from shared.models.program import Program
from shared.models.region import Region
from shared.models.scoring_model import ScoringModelRecord
from shared.models.user import User
from shared.models.web_session import WebSession
from shared.models.webhook_delivery import WebhookAttempt, WebhookDelivery
from shared.models.webhook_endpoint import WebhookEndpoint
from shared.models.webhook_event import WebhookEvent

__all__ = [
    "OPEN_STATUSES",
    "ApiKey",
    "AuditEntry",
    "Business",
    "Commitment",
    "CommitmentIndicatorTotal",
    "Contact",
    "IdempotencyRecord",
    "ImpactReport",
    "ImpactValue",
    "InboundEvent",
    "Integration",
    "Match",
    "MatchDecision",
    "MatchRun",
    "Model",
    "NeedIndicator",
    "NeedRelease",
    "NeedValue",
    "Partner",
    "Program",
    "Region",
    "ScoringModelRecord",
    "User",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
    "WebhookEvent",
]
