"""Matches as both services record them: the funnel stages reached (event payloads: shared.events)."""

from datetime import datetime

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
