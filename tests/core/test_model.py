"""The model's loss and gradient: exact, stable for any z, equal to finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lrviz.core.model import LossEvaluator, accuracy, loss_and_gradient, predict_proba, sigmoid


def reference_loss(X, y, w, b, l2=0.0):
    """(2-1) term by term in exact-enough float arithmetic (math.log1p / exp on Python floats)."""
    total = 0.0
    for xi, yi in zip(X, y):
        z = float(np.dot(xi, w) + b)
        # -log σ(z) = softplus(-z);  -log(1-σ(z)) = softplus(z)
        softplus = (lambda t: max(t, 0.0) + math.log1p(math.exp(-abs(t))))
        total += softplus(-z) if yi == 1 else softplus(z)
    return total / len(y) + 0.5 * l2 * float(np.dot(w, w))


finite = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(
    data=st.integers(1, 30).flatmap(
        lambda m: st.tuples(
            arrays(float, (m, 2), elements=finite),
            arrays(np.int64, (m,), elements=st.integers(0, 1)),
        )
    ),
    w=arrays(float, (2,), elements=finite),
    b=finite,
    l2=st.one_of(st.just(0.0), st.floats(1e-3, 2.0)),
)
def test_gradient_matches_central_finite_differences(data, w, b, l2):
    X, y = data
    loss, grad_w, grad_b = loss_and_gradient(X, y, w, b, l2)
    assert loss == pytest.approx(reference_loss(X, y, w, b, l2), rel=1e-10, abs=1e-12)
    h = 1e-6
    numeric = []
    for k in range(3):
        step = np.zeros(3)
        step[k] = h
        plus = loss_and_gradient(X, y, w + step[:2], b + step[2], l2)[0]
        minus = loss_and_gradient(X, y, w - step[:2], b - step[2], l2)[0]
        numeric.append((plus - minus) / (2 * h))
    np.testing.assert_allclose(np.append(grad_w, grad_b), numeric, rtol=1e-5, atol=1e-6)


def test_gradient_is_the_tutorials_formula():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    y = rng.integers(0, 2, 50)
    w, b, l2 = np.array([0.4, -1.1]), 0.3, 0.2
    yhat = 1 / (1 + np.exp(-(X @ w + b)))
    _, grad_w, grad_b = loss_and_gradient(X, y, w, b, l2)
    np.testing.assert_allclose(grad_w, X.T @ (yhat - y) / 50 + l2 * w, rtol=1e-12)  # (3-8)
    assert grad_b == pytest.approx(np.mean(yhat - y), rel=1e-12)  # (3-10)


@pytest.mark.parametrize("z", [1e3, 1e6, 1e300])
def test_loss_finite_and_exact_for_huge_z(z):
    X = np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1, 0, 1, 0])
    w = np.array([z, 0.0])
    loss, grad_w, grad_b = loss_and_gradient(X, y, w, 0.0)
    # right side: loss 0; wrong side: loss z (softplus(z) = z in float64)
    assert loss == pytest.approx(2 * z / 4, rel=1e-15)
    assert np.all(np.isfinite(grad_w)) and math.isfinite(grad_b)
    # ŷ − y per point: 0, 1, −1, 0; times x: 0, 1, 1, 0
    np.testing.assert_allclose(grad_w, [(1 * 1 + (-1) * (-1)) / 4, 0.0])
    assert grad_b == pytest.approx(0.0, abs=1e-300)


def test_tiny_losses_keep_their_relative_precision():
    X = np.array([[1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1, 0])
    loss, grad_w, _ = loss_and_gradient(X, y, np.array([30.0, 0.0]), 0.0)
    # abs=0: pytest.approx would otherwise accept anything within 1e-12 of these tiny values
    assert loss == pytest.approx(math.log1p(math.exp(-30.0)), rel=1e-14, abs=0)
    assert grad_w[0] == pytest.approx(-1 / (1 + math.exp(30.0)), rel=1e-14, abs=0)


def test_blocked_evaluation_equals_one_block(monkeypatch):
    monkeypatch.setattr("lrviz.core.model._BLOCK_ROWS", 4096)
    rng = np.random.default_rng(2)
    X = rng.normal(size=(20_000, 2))
    y = (X[:, 0] + rng.normal(size=20_000) > 0).astype(int)
    theta = np.array([0.7, -0.3, 0.2])
    evaluator = LossEvaluator(X, y)
    assert len(evaluator._blocks) > 1
    loss, grad = evaluator.evaluate(theta)
    yhat = 1 / (1 + np.exp(-(X @ theta[:2] + theta[2])))
    expected = -np.mean(y * np.log(yhat) + (1 - y) * np.log(1 - yhat))
    assert loss == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad[:2], X.T @ (yhat - y) / len(y), rtol=1e-10)


def test_non_finite_parameters_give_non_finite_loss_without_warning():
    X = np.array([[1.0, 2.0], [3.0, -1.0]])
    y = np.array([0, 1])
    evaluator = LossEvaluator(X, y)
    with np.errstate(over="ignore", invalid="ignore"):
        loss, _ = evaluator.evaluate(np.array([np.inf, -np.inf, 0.0]))
    assert not math.isfinite(loss)


def test_sigmoid_predict_proba_and_accuracy():
    assert sigmoid(np.array([0.0]))[0] == 0.5
    np.testing.assert_allclose(sigmoid([-1e6, 1e6]), [0.0, 1.0])
    assert sigmoid([-745.0])[0] >= 0
    X = np.array([[0.0, 1.0], [0.0, -1.0]])
    np.testing.assert_allclose(predict_proba(X, [0.0, 2.0], 0.0), [sigmoid(2.0)[()], sigmoid(-2.0)[()]])
    assert accuracy(X, [1, 0], [0.0, 1.0], 0.0) == 1.0
    assert accuracy(X, [0, 1], [0.0, 1.0], 0.0) == 0.0
    assert accuracy(np.empty((0, 2)), np.empty(0), [1.0, 1.0], 0.0) == 0.0


@pytest.mark.parametrize("z", [1e3, 1e6])
def test_loss_for_huge_z_against_the_exact_formula_with_every_sign(z):
    # Points on both sides, both labels, the bias in play: softplus(±z + c) exactly.
    X = np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
    y = np.array([1, 0, 1, 0, 1])
    w, b = np.array([z, 2.0]), 0.5
    with np.errstate(all="raise"):  # no overflow, no log(0), not even an underflow escapes
        loss, grad_w, grad_b = loss_and_gradient(X, y, w, b)
    exact = sum(math.log1p(math.exp(-abs(t))) + max(t, 0.0)  # softplus(t) without overflow
                for t in (-(z + b), z + b, -(-z + b), -z + b, -(2.0 + b)))
    assert loss == pytest.approx(exact / 5, rel=1e-15)
    yhat = [1.0, 1.0, 0.0, 0.0, 1 / (1 + math.exp(-2.5))]
    residual = np.array(yhat) - y
    np.testing.assert_allclose(grad_w, X.T @ residual / 5, rtol=1e-14)
    assert grad_b == pytest.approx(residual.mean(), rel=1e-14)


def test_loss_and_gradient_rejects_bad_input_clearly():
    X, y, w = np.ones((3, 2)), np.array([0, 1, 1]), np.zeros(2)
    with pytest.raises(ValueError, match="0 or 1"):
        loss_and_gradient(X, np.array([0, 2, 1]), w, 0.0)
    with pytest.raises(ValueError, match="shapes"):
        loss_and_gradient(X, y, np.zeros(3), 0.0)
    with pytest.raises(ValueError, match="finite"):
        loss_and_gradient(X, y, np.array([np.nan, 0.0]), 0.0)
    with pytest.raises(ValueError, match="L2"):
        loss_and_gradient(X, y, w, 0.0, l2=-1.0)
    with pytest.raises(ValueError, match="overflows"):  # the loss itself exceeds float64
        loss_and_gradient(np.full((1, 2), 1e300), np.array([0]), np.full(2, 1e300), 0.0)


def test_accuracy_and_predict_proba_stay_finite_for_extreme_weights():
    X = np.array([[10.0, 10.0], [-1.0, 0.0]])
    with np.errstate(all="raise"):
        acc = accuracy(X, [1, 0], [1e308, -1e308], 0.0)  # z = inf − inf for the first point
        p = predict_proba(X, [1e308, 1e308], 0.0)
    assert acc == 0.5
    np.testing.assert_array_equal(p, [1.0, 0.0])
    with pytest.raises(ValueError, match="finite"):
        predict_proba(X, [np.inf, 0.0], 0.0)


@pytest.mark.parametrize("m", [1, 100, 20_000])
def test_the_start_at_zero_needs_no_exp_and_equals_the_general_pass(m, monkeypatch):
    monkeypatch.setattr("lrviz.core.model._BLOCK_ROWS", 4096)
    rng = np.random.default_rng(4)
    X, y = rng.normal(size=(m, 2)), rng.integers(0, 2, m)
    evaluator = LossEvaluator(X, y)
    general, at_zero = np.empty(3), np.empty(3)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        total = evaluator.sums(np.zeros(3), general)
    assert evaluator.sums_at_zero(at_zero) == pytest.approx(total, rel=1e-14)
    assert evaluator.sums_at_zero(at_zero) == m * math.log(2)
    np.testing.assert_array_equal(at_zero, general)  # bitwise: the divergence cut relies on it


def test_labels_are_checked_by_counting():
    from lrviz.core.model import binary_labels

    assert binary_labels(np.array([0, 1, 1])) and binary_labels(np.array([0.0, 1.0])) and binary_labels(np.array([True]))
    for bad in ([0, 2], [0.5, 1.0], [np.nan, 1.0], [-1, 1], [np.inf]):
        assert not binary_labels(np.array(bad))
    assert not binary_labels(np.array(["0", "1"]))


@pytest.mark.parametrize("m", [100, 40_000])
def test_a_dropped_trainer_frees_its_arrays_by_reference_counting(m):
    """No reference cycle: a Reset that drops a Trainer frees its design matrix at once, not when
    the cyclic GC happens to run (24 MB for a million points)."""
    import gc
    import weakref

    from lrviz.core import Trainer

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(m, 2)), rng.integers(0, 2, m)
    gc.collect()
    gc.disable()
    try:
        trainer = Trainer(X, y)
        trainer.run(3)
        design = weakref.ref(trainer._evaluator._blocks[0].A)
        evaluator = weakref.ref(trainer._evaluator)
        del trainer
        assert design() is None and evaluator() is None
    finally:
        gc.enable()
