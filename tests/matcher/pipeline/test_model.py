"""The scoring model: combine, serialisation, and fitting on decisions."""

import numpy as np
import pytest

from services.matcher.pipeline.components import COMPONENTS
from services.matcher.pipeline.model import (
    DEFAULT_MODEL,
    MODEL_VERSION,
    ScoringModel,
    auc,
    combine,
    fit_model,
    next_version,
)


def test_combine_is_the_logistic_of_the_weighted_sum() -> None:
    model = ScoringModel("t", {"focus": 2.0, "text": 1.0}, bias=-1.0)
    comps = {
        "focus": np.array([[0.5, 0.0]]),
        "text": np.array([[1.0, 0.0]]),
        "sector": np.array([[1.0, 1.0]]),
    }
    got = combine(comps, model)
    assert got.dtype == np.float32
    assert got[0] == pytest.approx([1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))], abs=1e-6)


def test_round_trip_and_version() -> None:
    assert DEFAULT_MODEL.version == MODEL_VERSION
    assert ScoringModel.from_dict(DEFAULT_MODEL.to_dict()) == DEFAULT_MODEL
    assert set(DEFAULT_MODEL.weights) == set(COMPONENTS)
    assert next_version("m1-2026.11") == "m1-2026.11+fit1"
    assert next_version("m1-2026.11+fit3") == "m1-2026.11+fit4"


def test_auc_exact() -> None:
    y = np.array([True, False, True, False])
    assert auc(y, np.array([0.9, 0.1, 0.8, 0.2])) == 1.0
    assert auc(y, np.array([0.1, 0.9, 0.2, 0.8])) == 0.0
    assert auc(y, np.array([0.5, 0.5, 0.5, 0.5])) == 0.5


def _planted(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(COMPONENTS)))
    w = np.array([3.0, 0.0, 2.0, -1.0, 4.0, 0.0, 1.0, 0.5])
    b = -4.0
    p = 1 / (1 + np.exp(-(x @ w + b)))
    return x, rng.random(n) < p, w, b


def test_fit_recovers_planted_weights_and_is_accepted() -> None:
    x, y, w, b = _planted(20_000, 1)
    report = fit_model(x, y, DEFAULT_MODEL, seed=0, l2=0.1)
    assert report.accepted
    assert report.model.version == "m1-2026.11+fit1"
    got = report.model.vector(COMPONENTS)
    assert got == pytest.approx(w, abs=0.35)
    assert report.model.bias == pytest.approx(b, abs=0.35)
    assert report.n_decisions == 20_000 and report.n_train + report.n_holdout == 20_000
    assert report.candidate_eval is not None and report.previous_eval is not None
    assert report.candidate_eval.log_loss < report.previous_eval.log_loss


def test_fit_refuses_a_model_worse_than_the_previous() -> None:
    x, y, w, b = _planted(400, 2)
    truth = ScoringModel("truth", dict(zip(COMPONENTS, w.tolist(), strict=True)), b)
    # heavy regularisation shrinks every weight to ~0: worse than the true model on held-out data
    report = fit_model(x, y, truth, seed=0, l2=1e6)
    assert not report.accepted
    assert report.model is truth
    assert report.candidate is not None and report.candidate.version == "truth+fit1"
    assert report.candidate_eval is not None and report.previous_eval is not None
    assert report.candidate_eval.log_loss > report.previous_eval.log_loss


def test_fit_keeps_the_previous_model_with_too_few_decisions() -> None:
    x, y, _, _ = _planted(29, 3)
    report = fit_model(x, y, DEFAULT_MODEL, min_decisions=30)
    assert not report.accepted and report.model is DEFAULT_MODEL and report.candidate is None
    one_kind = fit_model(np.zeros((50, len(COMPONENTS))), np.ones(50, dtype=bool), DEFAULT_MODEL)
    assert not one_kind.accepted and "one kind" in one_kind.reason


def test_fit_is_deterministic_for_a_seed() -> None:
    x, y, _, _ = _planted(2_000, 4)
    a = fit_model(x, y, DEFAULT_MODEL, seed=5)
    b = fit_model(x, y, DEFAULT_MODEL, seed=5)
    assert a.model == b.model and a.candidate_eval == b.candidate_eval
