"""The versioned scoring model: a logistic mix of components, and its fit on coordinators' decisions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import rankdata

from services.matcher.pipeline.components import COMPONENTS

MODEL_VERSION = "m1-2026.11"


@dataclass(frozen=True)
class ScoringModel:
    """score = logistic(bias + Σ weights[name] · component[name]); unweighted components are ignored."""

    version: str
    weights: dict[str, float]
    bias: float

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (stored beside each run)."""
        return {"version": self.version, "weights": dict(self.weights), "bias": self.bias}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ScoringModel:
        """The inverse of ``to_dict``."""
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        return cls(version=str(data["version"]), weights=weights, bias=float(data["bias"]))

    def vector(self, names: Sequence[str] = COMPONENTS) -> NDArray[np.float64]:
        """Weights in the order of ``names`` (0 for names the model does not weigh)."""
        return np.array([self.weights.get(n, 0.0) for n in names], dtype=np.float64)


#: Hand-set starting weights: text and focus carry most signal, needs and ticket next, the rest nudge.
DEFAULT_MODEL = ScoringModel(
    version=MODEL_VERSION,
    weights={
        "focus": 2.0,
        "geography": 1.0,
        "need_instrument": 1.5,
        "ticket_fit": 1.0,
        "text": 6.0,
        "sector": 0.5,
        "inclusion": 0.75,
        "partner_history": 0.75,
    },
    bias=-6.0,
)


def combine(components: Mapping[str, NDArray[Any]], model: ScoringModel) -> NDArray[np.float32]:
    """logistic(bias + Σ w·c) over same-shaped (or broadcastable) component arrays, in (0, 1), float32."""
    shape = np.broadcast_shapes(*(np.shape(c) for c in components.values())) if components else ()
    total = np.full(shape, model.bias, dtype=np.float32)
    scratch = np.empty(shape, dtype=np.float32)
    for name, weight in model.weights.items():
        comp = components.get(name)
        if comp is not None and weight != 0.0:
            np.multiply(comp, np.float32(weight), out=scratch)
            total += scratch
    return np.asarray(expit(total, out=total), dtype=np.float32)


def combine_matrix(matrix: NDArray[Any], model: ScoringModel, names: Sequence[str] = COMPONENTS) -> NDArray[np.float64]:
    """combine() for an (n x components) matrix whose columns follow ``names``."""
    z = np.asarray(matrix, dtype=np.float64) @ model.vector(names) + model.bias
    return np.asarray(expit(z), dtype=np.float64)


@dataclass(frozen=True)
class Evaluation:
    """A model's held-out figures."""

    log_loss: float
    auc: float
    n: int


@dataclass(frozen=True)
class FitReport:
    """What fit_model did: the model to use from now on, both evaluations and the sample counts."""

    model: ScoringModel
    accepted: bool
    reason: str
    previous: ScoringModel
    candidate: ScoringModel | None
    previous_eval: Evaluation | None
    candidate_eval: Evaluation | None
    n_decisions: int
    n_positive: int
    n_train: int
    n_holdout: int
    component_names: tuple[str, ...] = field(default=COMPONENTS)


def log_loss(labels: NDArray[np.bool_], p: NDArray[np.float64]) -> float:
    """Mean binary cross-entropy."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    y = labels.astype(np.float64)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def auc(labels: NDArray[np.bool_], scores: NDArray[np.float64]) -> float:
    """Area under the ROC curve (Mann-Whitney, ties counted half); 0.5 when one class is absent."""
    pos = int(labels.sum())
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return 0.5
    ranks = rankdata(scores)
    return float((ranks[labels].sum() - pos * (pos + 1) / 2) / (pos * neg))


def evaluate(model: ScoringModel, x: NDArray[Any], y: NDArray[np.bool_], names: Sequence[str]) -> Evaluation:
    """Log-loss and AUC of a model on decisions."""
    p = combine_matrix(x, model, names)
    return Evaluation(log_loss=log_loss(y, p), auc=auc(y, p), n=len(y))


def next_version(previous: str) -> str:
    """``m1-2026.11`` → ``m1-2026.11+fit1``; ``m1-2026.11+fit3`` → ``m1-2026.11+fit4``."""
    match = re.fullmatch(r"(.*)\+fit(\d+)", previous)
    if match:
        return f"{match.group(1)}+fit{int(match.group(2)) + 1}"
    return f"{previous}+fit1"


def _fit_logistic(
    x: NDArray[np.float64], y: NDArray[np.float64], l2: float, start: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weights then bias minimising mean log-loss + l2/(2n)·|w|² (bias not penalised), by L-BFGS."""
    n = len(y)
    xb = np.hstack([x, np.ones((n, 1))])

    def objective(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        z = xb @ theta
        # log(1 + e^z) - y z, computed stably
        loss = float(np.mean(np.logaddexp(0.0, z) - y * z))
        grad = xb.T @ (expit(z) - y) / n
        w = theta[:-1]
        loss += l2 / (2 * n) * float(w @ w)
        grad[:-1] += l2 / n * w
        return loss, grad

    result = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    return np.asarray(result.x, dtype=np.float64)


#: A candidate is "not worse" when its held-out log-loss is no higher and its AUC no more than this lower.
AUC_TOLERANCE = 0.01


def fit_model(
    component_matrix: NDArray[Any],
    labels: NDArray[Any],
    previous: ScoringModel,
    *,
    component_names: Sequence[str] = COMPONENTS,
    min_decisions: int = 30,
    seed: int = 0,
    holdout: float = 0.25,
    l2: float = 1.0,
) -> FitReport:
    """Fit weights by L2-regularised logistic regression on decided matches (True = approved/introduced/
    partnership formed, False = declined/no partnership), compare with ``previous`` on a seeded held-out
    split and return the new model only when it is not worse there (log-loss no higher, AUC within
    AUC_TOLERANCE); otherwise ``previous`` stays. The returned candidate is the one trained on the
    training split, i.e. exactly the model that was evaluated."""
    x = np.asarray(component_matrix, dtype=np.float64)
    y = np.asarray(labels, dtype=np.bool_)
    names = tuple(component_names)
    n = len(y)
    n_pos = int(y.sum())

    def keep(reason: str, **extra: Any) -> FitReport:
        base: dict[str, Any] = {
            "model": previous,
            "accepted": False,
            "reason": reason,
            "previous": previous,
            "candidate": None,
            "previous_eval": None,
            "candidate_eval": None,
            "n_decisions": n,
            "n_positive": n_pos,
            "n_train": 0,
            "n_holdout": 0,
            "component_names": names,
        }
        base.update(extra)
        return FitReport(**base)

    if x.ndim != 2 or x.shape != (n, len(names)):
        raise ValueError(f"component_matrix must be (n, {len(names)}), got {x.shape}")
    if n < min_decisions:
        return keep(f"only {n} decisions; at least {min_decisions} are needed")
    if n_pos == 0 or n_pos == n:
        return keep("decisions are all of one kind; nothing to learn")

    # Stratified split: the same share of each class held out, seeded.
    rng = np.random.default_rng(seed)
    held = np.zeros(n, dtype=np.bool_)
    for cls in (True, False):
        idx = np.flatnonzero(y == cls)
        rng.shuffle(idx)
        k = max(1, math.ceil(len(idx) * holdout)) if len(idx) > 1 else 0
        held[idx[:k]] = True
    train = ~held
    if y[train].all() or not y[train].any() or y[held].all() or not y[held].any():
        return keep("too few decisions of one kind to hold some out")

    start = np.append(previous.vector(names), previous.bias)
    theta = _fit_logistic(x[train], y[train].astype(np.float64), l2, start)
    candidate = ScoringModel(
        version=next_version(previous.version),
        weights={name: round(float(w), 6) for name, w in zip(names, theta[:-1], strict=True)},
        bias=round(float(theta[-1]), 6),
    )
    prev_eval = evaluate(previous, x[held], y[held], names)
    cand_eval = evaluate(candidate, x[held], y[held], names)
    better = cand_eval.log_loss <= prev_eval.log_loss and cand_eval.auc >= prev_eval.auc - AUC_TOLERANCE
    return FitReport(
        model=candidate if better else previous,
        accepted=better,
        reason=(
            "candidate is not worse on held-out decisions"
            if better
            else "candidate is worse on held-out decisions; keeping the previous model"
        ),
        previous=previous,
        candidate=candidate,
        previous_eval=prev_eval,
        candidate_eval=cand_eval,
        n_decisions=n,
        n_positive=n_pos,
        n_train=int(train.sum()),
        n_holdout=int(held.sum()),
        component_names=names,
    )
