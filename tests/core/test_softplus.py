"""The log-free softplus sums: exact to their stated bounds, for any z up to 1e6 and losses down to 1e-300.

References are np.logaddexp(0, u) summed with math.fsum. The data are dyadic numbers with few
bits, so every z = Xw + b is exact in float64 whatever the order of the sums (BLAS, FMA): the
comparison measures the softplus sums alone.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.model import LossEvaluator, signed_design
from lrviz.core.softplus import GROUP, TOLERANCE, fast_floor, log1p_sums, product_error, tree_product

REL = 1e-12


def reference(X, y, theta, l2=0.0):
    """(L, ∂L/∂θ) from exact u = s z: math.fsum of np.logaddexp(0, u); σ(u) by the sign split."""
    A = signed_design(np.asarray(X, float), np.asarray(y))
    u = A @ theta  # exact for the dyadic data of these tests
    loss = math.fsum(np.logaddexp(0.0, u).tolist()) / len(u)
    with np.errstate(under="ignore"):
        t = np.exp(-np.abs(u))
    sigma = np.where(u > 0, 1.0, t) / (1.0 + t)
    grad = np.array([math.fsum((A[:, j] * sigma).tolist()) for j in range(A.shape[1])]) / len(u)
    w = theta[:-1]
    return loss + 0.5 * l2 * float(w @ w), grad + l2 * np.append(w, 0.0), A, sigma


def evaluate(X, y, theta, l2=0.0):
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        return LossEvaluator(X, y, l2).evaluate(np.asarray(theta, float))


def dyadic(draw, shape, bits, limit):
    return np.array(draw(st.lists(st.integers(-limit, limit), min_size=math.prod(shape),
                                  max_size=math.prod(shape)))).reshape(shape) / 2.0**bits


@st.composite
def problems(draw, scale_bits=st.integers(0, 7)):
    m = draw(st.integers(1, 400))
    X = dyadic(draw, (m, 2), 4, 1 << 10)  # |x| ≤ 64, 4 fractional bits
    y = np.array(draw(st.lists(st.integers(0, 1), min_size=m, max_size=m)))
    scale = 2.0 ** draw(scale_bits)  # up to 128: |z| up to ~1e6, still exact
    theta = dyadic(draw, (3,), 6, 1 << 12) * scale
    l2 = draw(st.one_of(st.just(0.0), st.floats(1e-4, 3.0)))
    return X, y, theta, l2


@settings(max_examples=150, deadline=None)
@given(problems())
def test_loss_and_gradient_match_the_logaddexp_reference(problem):
    X, y, theta, l2 = problem
    loss, grad = evaluate(X, y, theta, l2)
    ref_loss, ref_grad, A, sigma = reference(X, y, theta, l2)
    assert loss == pytest.approx(ref_loss, rel=REL, abs=0)
    # the gradient is a sum with cancellation: relative to the size of its terms
    scale = np.abs(A).T @ np.abs(sigma) / len(y) + l2 * np.abs(np.append(theta[:-1], 0.0))
    assert np.all(np.abs(grad - ref_grad) <= 1e-13 * scale + 1e-300)


@pytest.mark.parametrize("z", [1.0, 30.0, 700.0, 709.0, 710.0, 1e4, 1e6])
def test_huge_and_moderate_z_of_both_signs(z):
    # 64 points: half on their wrong side by z (e^z overflows past 709.78), half right by z
    X = np.repeat([[1.0, 0.0], [-1.0, 0.0]], 32, axis=0)
    y = np.tile([0, 1], 32)
    theta = np.array([z, 0.0, 0.25])
    loss, _ = evaluate(X, y, theta)
    assert loss == pytest.approx(reference(X, y, theta)[0], rel=REL, abs=0)


def test_a_group_whose_product_overflows_is_exact():
    # 32 consecutive points each wrong by 30: Π (1 + e^30) over the group is e^960 > float64
    X = np.vstack([np.full((40, 2), 1.0), -np.ones((40, 2))])
    y = np.r_[np.zeros(40, int), np.zeros(40, int)]
    theta = np.array([15.0, 15.0, 0.0])
    loss, grad = evaluate(X, y, theta)
    ref_loss, ref_grad, _, _ = reference(X, y, theta)
    assert loss == pytest.approx(ref_loss, rel=REL, abs=0)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-13)


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 3000), margin=st.integers(16, 700 * 16), spread=st.integers(0, 64))
def test_tiny_losses_down_to_1e_300_keep_their_relative_precision(m, margin, spread):
    # Separable points far on their right side: every u = −(margin + k·spread)/16 ≤ −1, the loss
    # as small as e^−700 ≈ 1e-304 — the regime of separable data trained long.
    k = np.arange(m) % 7
    side = np.where(np.arange(m) % 2 == 0, 1.0, -1.0)
    X = np.column_stack([side * (margin + k * spread) / 16.0, np.zeros(m)])
    y = (side > 0).astype(int)
    theta = np.array([1.0, 0.0, 0.0])
    loss, grad = evaluate(X, y, theta)
    ref_loss, ref_grad, A, sigma = reference(X, y, theta)
    assert ref_loss > 0
    assert loss == pytest.approx(ref_loss, rel=REL, abs=0)
    assert np.all(np.abs(grad - ref_grad) <= 1e-13 * (np.abs(A).T @ sigma) / m)  # relative to its terms


def test_each_path_of_a_block_is_taken_and_exact(monkeypatch):
    """Product form, the tree (tiny losses) and the split (overflow) on one data set, in blocks."""
    monkeypatch.setattr("lrviz.core.model._BLOCK_ROWS", 256)
    rng = np.random.default_rng(5)
    m = 256 * 3 + 17
    X = np.round(rng.normal(size=(m, 2)) * 16) / 16
    y = (X[:, 0] > 0).astype(int)
    X[:256, 0] = np.where(y[:256] == 1, 1, -1) * (40 + np.arange(256) % 5)  # block 1: tiny losses
    X[256:300, 0] = np.where(y[256:300] == 1, -1, 1) * 800.0  # block 2: e^u overflows
    theta = np.array([1.0, 0.25, 0.125])
    evaluator = LossEvaluator(X, y)
    calls = []
    original = LossEvaluator._sums_exact
    monkeypatch.setattr(LossEvaluator, "_sums_exact",
                        staticmethod(lambda block, total, grad: calls.append(total) or original(block, total, grad)))
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        loss, grad = evaluator.evaluate(theta)
    assert len(calls) == 2 and math.isinf(calls[1]) and 0 <= calls[0] < fast_floor(256)
    ref_loss, ref_grad, A, sigma = reference(X, y, theta)
    assert loss == pytest.approx(ref_loss, rel=REL, abs=0)
    scale = np.abs(A).T @ np.abs(sigma) / m
    assert np.all(np.abs(grad - ref_grad) <= 1e-13 * scale)


@settings(max_examples=80, deadline=None)
@given(rows=st.integers(1, 70), cols=st.integers(1, 5), exponent=st.integers(-300, 0),
       seed=st.integers(0, 2**32 - 1))
def test_tree_equals_the_sum_of_log1p(rows, cols, exponent, seed):
    rng = np.random.default_rng(seed)
    d = rng.random((rows, cols)) * 10.0**exponent
    d[rng.random((rows, cols)) < 0.2] = 0.0
    before = d.copy()
    with np.errstate(under="ignore"):
        got = log1p_sums(d)
        exact = [math.fsum(math.log1p(v) for v in d[:, j]) for j in range(cols)]
    np.testing.assert_array_equal(d, before)  # the input is left alone
    bound = (2 * math.ceil(math.log2(rows)) + 5) * 2.0**-53 if rows > 1 else 4 * 2.0**-53
    np.testing.assert_allclose(got, exact, rtol=bound, atol=0)
    np.testing.assert_array_equal(tree_product(d[:1]), d[0])


def test_fast_floor_makes_the_product_bound_relative():
    # the product form's absolute bound is at most TOLERANCE of any exact sum at or above the floor
    for k in (1, 31, GROUP, 100, 16384):
        floor, error = fast_floor(k), product_error(k)
        assert error >= (2 * k + math.ceil(k / GROUP)) * 2.0**-53
        assert error <= TOLERANCE * (floor - error)
        assert 2.0**-10 <= floor / k <= 1.6 * 2.0**-10  # the mean loss below which the tree takes over
