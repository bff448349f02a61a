"""The only status moves a match may make.

proposed → approved → introduced → partnership_formed | no_partnership
proposed | approved → declined
proposed → superseded            (a newer run replaced it; the matcher's move, not a decision)
"""

from shared.enums import MatchAction, MatchOutcome, MatchStatus
from shared.errors import InvalidTransition, ValidationFailed

_DECISIONS: dict[tuple[MatchStatus, MatchAction], MatchStatus | None] = {
    (MatchStatus.PROPOSED, MatchAction.APPROVE): MatchStatus.APPROVED,
    (MatchStatus.PROPOSED, MatchAction.DECLINE): MatchStatus.DECLINED,
    (MatchStatus.APPROVED, MatchAction.DECLINE): MatchStatus.DECLINED,
    (MatchStatus.APPROVED, MatchAction.INTRODUCE): MatchStatus.INTRODUCED,
    # the outcome names the target status
    (MatchStatus.INTRODUCED, MatchAction.RECORD_OUTCOME): None,
}

#: Statuses no decision can leave.
TERMINAL = frozenset(
    {MatchStatus.DECLINED, MatchStatus.PARTNERSHIP_FORMED, MatchStatus.NO_PARTNERSHIP, MatchStatus.SUPERSEDED}
)
#: Statuses in which a pair counts as open: never duplicated, counted against capacity.
OPEN = frozenset({MatchStatus.PROPOSED, MatchStatus.APPROVED, MatchStatus.INTRODUCED})
#: Statuses a run may still replace; everything else was decided by a person.
REPLACEABLE = frozenset({MatchStatus.PROPOSED})


def allowed_actions(status: MatchStatus) -> list[MatchAction]:
    return [action for (source, action) in _DECISIONS if source == status]


def apply(
    status: MatchStatus,
    action: MatchAction,
    *,
    reason: str | None = None,
    outcome: MatchOutcome | None = None,
) -> MatchStatus:
    """The status after `action`, or InvalidTransition / ValidationFailed with a reason."""
    if (status, action) not in _DECISIONS:
        allowed = ", ".join(a.value for a in allowed_actions(status)) or "none"
        raise InvalidTransition(
            f"a {status.value} match cannot be {action.value}d; allowed actions: {allowed}",
            extra={"status": status.value, "action": action.value},
        )
    if action is MatchAction.DECLINE and not (reason and reason.strip()):
        raise ValidationFailed("declining a match needs a reason", extra={"field": "reason"})
    if action is MatchAction.RECORD_OUTCOME:
        if outcome is None:
            raise ValidationFailed(
                "record_outcome needs an outcome: partnership_formed or no_partnership",
                extra={"field": "outcome"},
            )
        return MatchStatus(outcome.value)
    if outcome is not None:
        raise ValidationFailed(f"an outcome is only recorded with record_outcome, not {action.value}")
    target = _DECISIONS[(status, action)]
    assert target is not None
    return target


def supersede(status: MatchStatus) -> MatchStatus:
    """A run replacing a proposal; anything a person already decided is left alone."""
    if status not in REPLACEABLE:
        raise InvalidTransition(f"a {status.value} match cannot be superseded")
    return MatchStatus.SUPERSEDED
