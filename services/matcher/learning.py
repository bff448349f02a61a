"""Learning from decisions: fit the component weights to coordinators' decisions and report it.

`learn()` is shared by the scheduled learning job (which stores an accepted fit as the new active
model) and by `puente matcher evaluate` (which prints the same report, storing only with --apply).
A fit becomes the active model only when it is not worse than the current one on held-out
decisions (the engine's fit_model decides that).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy.ext.asyncio import AsyncSession

from services.matcher import repository
from services.matcher.pipeline.components import COMPONENTS
from services.matcher.pipeline.model import DEFAULT_MODEL, Evaluation, FitReport, ScoringModel, fit_model
from shared.clock import utc_now
from shared.config import Settings


@dataclass(frozen=True)
class LearningOutcome:
    """What one learning pass did; `str()` is the printable report."""

    previous: ScoringModel
    report: FitReport | None
    stored: bool
    note: str
    min_decisions: int

    @property
    def active(self) -> ScoringModel:
        return self.report.model if self.report and self.stored else self.previous

    def __str__(self) -> str:
        return format_outcome(self)


async def current_model(session: AsyncSession) -> ScoringModel:
    """The active stored model, or the engine's default before any fit."""
    stored = await repository.active_model(session)
    return ScoringModel.from_dict(stored.parameters) if stored else DEFAULT_MODEL


def _matrix(decisions: list[tuple[dict[str, float], bool]]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    x = np.array([[float(c.get(name, 0.5)) for name in COMPONENTS] for c, _ in decisions], dtype=np.float64)
    y = np.array([taken for _, taken in decisions], dtype=np.bool_)
    return x.reshape(len(decisions), len(COMPONENTS)), y


def _evaluation_document(report: FitReport) -> dict[str, object]:
    def plain(e: Evaluation | None) -> dict[str, float | int] | None:
        return None if e is None else {"log_loss": e.log_loss, "auc": e.auc, "n": e.n}

    return {
        "previous_version": report.previous.version,
        "previous": plain(report.previous_eval),
        "candidate": plain(report.candidate_eval),
        "n_decisions": report.n_decisions,
        "n_positive": report.n_positive,
        "n_train": report.n_train,
        "n_holdout": report.n_holdout,
        "reason": report.reason,
    }


async def learn(session: AsyncSession, settings: Settings, *, apply: bool) -> LearningOutcome:
    """Fit on every decided match; with `apply`, store an accepted fit as the one active model.

    Nothing is refitted when the active model was already fitted on exactly these many decisions
    (a nightly job would otherwise mint identical versions). The caller commits.
    """
    previous = await current_model(session)
    minimum = settings.matcher_min_decisions_to_learn
    if apply and not await repository.lock_learning(session):
        return LearningOutcome(previous, None, False, "another worker is fitting right now", minimum)
    decisions = await repository.decided_components(session)
    if len(decisions) < minimum:
        note = f"{len(decisions)} decisions so far; learning starts at {minimum}"
        return LearningOutcome(previous, None, False, note, minimum)
    stored = await repository.active_model(session)
    if apply and stored and stored.evaluation.get("n_decisions") == len(decisions):
        note = f"the active model was already fitted on these {len(decisions)} decisions"
        return LearningOutcome(previous, None, False, note, minimum)
    x, y = _matrix(decisions)
    report = fit_model(x, y, previous, component_names=COMPONENTS, min_decisions=minimum)
    if not report.accepted or not apply:
        return LearningOutcome(previous, report, False, report.reason, minimum)
    await repository.activate_model(
        session,
        model_version=report.model.version,
        parameters=report.model.to_dict(),
        evaluation=_evaluation_document(report),
        now=utc_now(),
    )
    return LearningOutcome(previous, report, True, f"stored and activated {report.model.version}", minimum)


def _figures(e: Evaluation | None) -> str:
    return "—" if e is None else f"log-loss {e.log_loss:.4f}  AUC {e.auc:.3f}  (n={e.n})"


def format_outcome(outcome: LearningOutcome) -> str:
    """The printable report of `puente matcher evaluate`."""
    lines = [f"active model: {outcome.previous.version}"]
    report = outcome.report
    if report is None:
        lines.append(f"no fit: {outcome.note}")
        return "\n".join(lines)
    lines += [
        f"decisions: {report.n_decisions} ({report.n_positive} taken, "
        f"{report.n_decisions - report.n_positive} not); train {report.n_train}, held out {report.n_holdout}",
        f"held-out  {report.previous.version:<24} {_figures(report.previous_eval)}",
    ]
    if report.candidate is not None:
        lines.append(f"held-out  {report.candidate.version:<24} {_figures(report.candidate_eval)}")
        lines.append("weights   component          previous   candidate")
        for name in report.component_names:
            before = report.previous.weights.get(name, 0.0)
            after = report.candidate.weights.get(name, 0.0)
            lines.append(f"          {name:<18} {before:>8.3f}   {after:>9.3f}")
        lines.append(f"          {'bias':<18} {report.previous.bias:>8.3f}   {report.candidate.bias:>9.3f}")
    verdict = "accepted" if report.accepted else "rejected"
    lines.append(f"verdict: {verdict}: {report.reason}")
    if outcome.stored:
        lines.append(outcome.note)
    elif report.accepted:
        lines.append("not stored (run with --apply, or let the worker's learning job store it)")
    else:
        lines.append(f"{report.previous.version} stays active")
    return "\n".join(lines)
