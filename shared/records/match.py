"""Matches as both services describe them in outbound events (match.proposed, match.approved, …)."""

from typing import Any

from shared.models import Match


def match_event_data(match: Match, **extra: Any) -> dict[str, Any]:
    """The payload of every match.* event: the match's identity, score and status, plus `extra`
    (a decision's action, reason and outcome)."""
    return {
        "match_id": str(match.id),
        "commitment_id": str(match.commitment_id),
        "program_id": str(match.program_id),
        "partner_id": str(match.partner_id),
        "business_id": str(match.business_id),
        "score": match.score,
        "status": match.status,
        "run_id": str(match.run_id) if match.run_id else None,
        "model_version": match.model_version,
        "version": match.version,
        **extra,
    }
