"""The match lifecycle: every allowed move, every refused one, and what decline and record_outcome need."""

import itertools

import pytest

from shared.domain.match_lifecycle import OPEN, REPLACEABLE, TERMINAL, allowed_actions, apply, supersede
from shared.enums import MatchAction, MatchOutcome, MatchStatus
from shared.errors import InvalidTransition, ValidationFailed

S, A, Out = MatchStatus, MatchAction, MatchOutcome

#: (from, action, outcome) → to: the whole lifecycle, and nothing else.
ALLOWED: dict[tuple[MatchStatus, MatchAction, MatchOutcome | None], MatchStatus] = {
    (S.PROPOSED, A.APPROVE, None): S.APPROVED,
    (S.PROPOSED, A.DECLINE, None): S.DECLINED,
    (S.APPROVED, A.DECLINE, None): S.DECLINED,
    (S.APPROVED, A.INTRODUCE, None): S.INTRODUCED,
    (S.INTRODUCED, A.RECORD_OUTCOME, Out.PARTNERSHIP_FORMED): S.PARTNERSHIP_FORMED,
    (S.INTRODUCED, A.RECORD_OUTCOME, Out.NO_PARTNERSHIP): S.NO_PARTNERSHIP,
}
ALLOWED_PAIRS = {(status, action) for status, action, _ in ALLOWED}
REFUSED_PAIRS = sorted(
    set(itertools.product(MatchStatus, MatchAction)) - ALLOWED_PAIRS,
    key=lambda pair: (pair[0].value, pair[1].value),
)


def _arguments(action: MatchAction, outcome: MatchOutcome | None) -> dict[str, object]:
    """What a well-formed decision carries: a reason for a decline, the outcome for record_outcome."""
    return {
        "reason": "The partner does not work in Honduras." if action is A.DECLINE else None,
        "outcome": outcome,
    }


@pytest.mark.parametrize(("status", "action", "outcome"), list(ALLOWED), ids=lambda v: getattr(v, "value", v))
def test_every_allowed_move(status: MatchStatus, action: MatchAction, outcome: MatchOutcome | None) -> None:
    assert apply(status, action, **_arguments(action, outcome)) is ALLOWED[(status, action, outcome)]  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "action"), REFUSED_PAIRS, ids=lambda v: v.value)
def test_every_refused_move(status: MatchStatus, action: MatchAction) -> None:
    outcome = Out.PARTNERSHIP_FORMED if action is A.RECORD_OUTCOME else None
    with pytest.raises(InvalidTransition) as refused:
        apply(status, action, **_arguments(action, outcome))  # type: ignore[arg-type]
    allowed = ", ".join(a.value for a in allowed_actions(status)) or "none"
    assert refused.value.detail == f"a {status.value} match cannot be {action.value}d; allowed actions: {allowed}"
    assert refused.value.extra == {"status": status.value, "action": action.value}
    assert refused.value.status == 409


def test_the_refused_set_is_everything_else() -> None:
    assert len(ALLOWED_PAIRS) == 5
    assert len(REFUSED_PAIRS) == len(MatchStatus) * len(MatchAction) - 5 == 23


def test_allowed_actions_per_status() -> None:
    assert {status: allowed_actions(status) for status in MatchStatus} == {
        S.PROPOSED: [A.APPROVE, A.DECLINE],
        S.APPROVED: [A.DECLINE, A.INTRODUCE],
        S.INTRODUCED: [A.RECORD_OUTCOME],
        S.DECLINED: [],
        S.PARTNERSHIP_FORMED: [],
        S.NO_PARTNERSHIP: [],
        S.SUPERSEDED: [],
    }


@pytest.mark.parametrize("status", [S.PROPOSED, S.APPROVED])
@pytest.mark.parametrize("reason", [None, "", "   \n\t"])
def test_decline_needs_a_reason(status: MatchStatus, reason: str | None) -> None:
    with pytest.raises(ValidationFailed) as refused:
        apply(status, A.DECLINE, reason=reason)
    assert refused.value.detail == "declining a match needs a reason"
    assert refused.value.extra == {"field": "reason"}


def test_a_reason_is_kept_optional_elsewhere() -> None:
    assert apply(S.PROPOSED, A.APPROVE) is S.APPROVED
    assert apply(S.PROPOSED, A.APPROVE, reason="Strong fit on coffee and Guatemala.") is S.APPROVED
    assert apply(S.APPROVED, A.INTRODUCE, reason="Call set for Monday.") is S.INTRODUCED


def test_record_outcome_needs_an_outcome() -> None:
    with pytest.raises(ValidationFailed) as refused:
        apply(S.INTRODUCED, A.RECORD_OUTCOME, reason="They met twice.")
    assert refused.value.detail == "record_outcome needs an outcome: partnership_formed or no_partnership"
    assert refused.value.extra == {"field": "outcome"}


@pytest.mark.parametrize(
    ("status", "action"),
    [(S.PROPOSED, A.APPROVE), (S.PROPOSED, A.DECLINE), (S.APPROVED, A.DECLINE), (S.APPROVED, A.INTRODUCE)],
    ids=lambda v: v.value,
)
def test_an_outcome_goes_with_record_outcome_only(status: MatchStatus, action: MatchAction) -> None:
    with pytest.raises(ValidationFailed) as refused:
        apply(status, action, reason="because", outcome=Out.PARTNERSHIP_FORMED)
    assert refused.value.detail == f"an outcome is only recorded with record_outcome, not {action.value}"


def test_a_refused_move_is_refused_before_its_arguments_are_checked() -> None:
    with pytest.raises(InvalidTransition):
        apply(S.DECLINED, A.DECLINE, reason=None)
    with pytest.raises(InvalidTransition):
        apply(S.APPROVED, A.RECORD_OUTCOME, outcome=None)


def test_only_a_proposal_can_be_superseded() -> None:
    assert supersede(S.PROPOSED) is S.SUPERSEDED
    for status in set(MatchStatus) - {S.PROPOSED}:
        with pytest.raises(InvalidTransition) as refused:
            supersede(status)
        assert refused.value.detail == f"a {status.value} match cannot be superseded"


def test_status_groups() -> None:
    assert frozenset({S.DECLINED, S.PARTNERSHIP_FORMED, S.NO_PARTNERSHIP, S.SUPERSEDED}) == TERMINAL
    assert frozenset({S.PROPOSED, S.APPROVED, S.INTRODUCED}) == OPEN
    assert frozenset({S.PROPOSED}) == REPLACEABLE
    assert set(MatchStatus) == OPEN | TERMINAL
    assert not OPEN & TERMINAL
    assert all(allowed_actions(status) == [] for status in TERMINAL)
