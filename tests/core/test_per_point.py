"""Per-point quantities equal their definitions and add up to the trainer's loss and gradient."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core import loss_and_gradient
from lrviz.core.per_point import per_point


@settings(max_examples=80, deadline=None)
@given(m=st.integers(1, 200), scale=st.sampled_from([0.1, 1.0, 5.0]), l2=st.one_of(st.just(0.0), st.floats(1e-3, 2.0)),
       seed=st.integers(0, 2**32 - 1))
def test_per_point_quantities_are_their_definitions(m, scale, l2, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(m, 2)) * 3, rng.integers(0, 2, m)
    w, b = rng.normal(size=2) * scale, float(rng.normal() * scale)
    pp = per_point(X, y, w, b, l2)
    z = X @ w + b
    assert np.all(np.abs(pp.z - z) <= 1e-14 * (np.abs(X) @ np.abs(w) + abs(b)))  # (1-2), to rounding
    np.testing.assert_allclose(pp.y_hat, 1 / (1 + np.exp(-pp.z)), rtol=1e-14)  # (1-2)
    moderate = (pp.y_hat > 1e-3) & (pp.y_hat < 1 - 1e-3)  # where the naive (2-1) has no cancellation
    p, t = pp.y_hat[moderate], y[moderate]
    np.testing.assert_allclose(pp.loss[moderate], -(t * np.log(p) + (1 - t) * np.log(1 - p)), rtol=1e-12)
    stable = np.where(y == 1, np.logaddexp(0.0, -pp.z), np.logaddexp(0.0, pp.z))  # −log σ(z), −log(1 − σ(z))
    np.testing.assert_allclose(pp.loss, stable, rtol=1e-14, atol=0)
    design = np.column_stack([X, np.ones(m)])
    naive = (pp.y_hat - y)[:, None] * design  # (3-8), (3-10) term by term; ŷ − 1 rounds to ±1.1e-16
    assert np.all(np.abs(pp.grad - naive) <= 1e-14 * np.abs(naive) + 2.3e-16 * np.abs(design))
    total, grad_w, grad_b = loss_and_gradient(X, y, w, b, l2)
    assert pp.total_loss == pytest.approx(total, rel=1e-12)
    np.testing.assert_allclose(pp.gradient, np.append(grad_w, grad_b), rtol=1e-10, atol=1e-15)


def test_extreme_parameters_stay_finite_and_exact():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    y = np.array([1, 1, 0, 0])
    with np.errstate(all="raise"):
        pp = per_point(X, y, [800.0, 0.0], 0.0)
    np.testing.assert_array_equal(pp.z, [800.0, -800.0, 800.0, -800.0])
    np.testing.assert_array_equal(pp.y_hat, [1.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(pp.loss, [0.0, 800.0, 800.0, 0.0])  # e^−800 underflows: exactly 0
    tiny = per_point(X[:1], y[:1], [30.0, 0.0], 0.0)
    assert tiny.loss[0] == pytest.approx(math.log1p(math.exp(-30.0)), rel=1e-15, abs=0)
    assert tiny.grad[0, 0] == pytest.approx(-1 / (1 + math.exp(30.0)), rel=1e-14, abs=0)


def test_bad_input_is_a_clear_value_error():
    with pytest.raises(ValueError, match="shapes"):
        per_point(np.ones((3, 2)), np.ones(2), [0.0, 0.0], 0.0)
    with pytest.raises(ValueError, match="finite"):
        per_point(np.ones((3, 2)), np.ones(3), [np.inf, 0.0], 0.0)
    with pytest.raises(ValueError, match="0 or 1"):
        per_point(np.ones((3, 2)), np.array([0, 1, 3]), [0.0, 0.0], 0.0)
