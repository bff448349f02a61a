"""Matches as both services describe and record them: event payloads, the funnel stages reached."""

from datetime import datetime
from typing import Any

from shared.enums import MatchStatus
from shared.models import Match

#: The funnel stage a status counts as reaching, and the column remembering when it first did.
_STAGE_COLUMNS = {
    MatchStatus.APPROVED: "approved_at",
    MatchStatus.INTRODUCED: "introduced_at",
    MatchStatus.PARTNERSHIP_FORMED: "partnership_formed_at",
}


def record_stage_reached(match: Match, status: MatchStatus, when: datetime) -> None:
    """Remember the first time the match reached `status`'s funnel stage; later moves keep it."""
    column = _STAGE_COLUMNS.get(status)
    if column is not None and getattr(match, column) is None:
        setattr(match, column, when)


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
