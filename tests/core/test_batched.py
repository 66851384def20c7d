"""The batched evaluator: G nodes at once equal G single evaluations; the grid path equals the general one."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.batched import BatchedEvaluator, batched_loss
from lrviz.core.model import LossEvaluator


def singles(X, y, thetas, l2=0.0):
    evaluator = LossEvaluator(X, y, l2)
    with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
        pairs = [evaluator.evaluate(np.ascontiguousarray(thetas[:, g])) for g in range(thetas.shape[1])]
    return np.array([loss for loss, _ in pairs]), np.column_stack([grad for _, grad in pairs])


def overlapping(m, seed=0, separable=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2))
    noise = 0.0 if separable else rng.normal(size=m)
    y = (X @ np.array([1.0, -0.5]) + 0.3 + noise > 0).astype(int)
    return X, y


@settings(max_examples=60, deadline=None)
@given(m=st.integers(1, 300), G=st.integers(1, 40), scale=st.sampled_from([0.1, 1.0, 10.0, 300.0, 1e4]),
       l2=st.one_of(st.just(0.0), st.floats(1e-3, 2.0)), rows=st.sampled_from([None, 1, 3, 64]),
       seed=st.integers(0, 2**32 - 1))
def test_batched_equals_single_evaluations(m, G, scale, l2, rows, seed):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(m, 2)) * rng.choice([1.0, 5.0]), rng.integers(0, 2, m)
    thetas = rng.normal(size=(3, G)) * scale
    loss, grad = batched_loss(X, y, thetas, l2=l2, block_rows=rows, gradient=True)
    ref_loss, ref_grad = singles(X, y, thetas, l2)
    A = np.abs(np.column_stack([X, np.ones(m)]))
    # A point far on its side has a loss ≈ e^u, so the rounding of u = s(x·w + b), whose terms are
    # |x||θ| large (θ up to 1e4 here), is a relative error of the loss: the two evaluators add u's
    # terms in different orders (m = 1, u ≈ −245 from terms of 5e4 once differed by 1.8e-12)
    u_rounding = 4 * np.finfo(float).eps * (A @ np.abs(thetas)).max(axis=0)
    assert np.all(np.abs(loss - ref_loss) <= (1e-12 + u_rounding) * ref_loss)
    scale_grad = (A.T @ np.ones(m) / m)[:, None] + l2 * np.abs(np.vstack([thetas[:2], np.zeros((1, G))]))
    assert np.all(np.abs(grad - ref_grad) <= 1e-12 * scale_grad)


def test_batched_keeps_tiny_losses_exact():
    X, y = overlapping(500, separable=True)
    thetas = np.array([[1.0, -0.5, 0.3]]).T * np.array([[50.0, 200.0, 900.0]])  # losses ~1e-10 … 1e-150
    loss = batched_loss(X, y, thetas)
    ref, _ = singles(X, y, thetas)
    assert np.all(ref > 0)
    np.testing.assert_allclose(loss, ref, rtol=1e-12, atol=0)


def grid_axes(n=33, span=4.0):
    return np.linspace(-span, span, n), np.linspace(-span, span, n + 3)


@pytest.mark.parametrize("separable", [False, True])
@pytest.mark.parametrize("l2", [0.0, 0.05])
@pytest.mark.parametrize("axes", [(0, 1), (2, 0)])
def test_grid_equals_the_general_path_and_single_evaluations(separable, l2, axes):
    X, y = overlapping(700, seed=3, separable=separable)
    va, vb = grid_axes()
    theta = np.array([0.7, -0.2, 0.3])
    evaluator = BatchedEvaluator(X, y, l2)
    i, j = axes
    grid = evaluator.grid(theta, i, va, j, vb)
    assert grid.shape == (len(vb), len(va))
    nodes = evaluator._grid_thetas(theta, i, va, j, vb)
    np.testing.assert_allclose(grid.ravel(), evaluator.loss(nodes), rtol=1e-12, atol=0)
    b, a = 5, 17
    single = np.array(theta)
    single[i], single[j] = va[a], vb[b]
    np.testing.assert_allclose(grid[b, a], singles(X, y, single[:, None], l2)[0][0], rtol=1e-12)


def test_grid_falls_back_where_factors_would_leave_float64():
    X, y = overlapping(200, seed=1)
    X = X * 1e3  # |u| up to ~1e4 on this grid: the general path takes over, same answer
    va, vb = grid_axes(9, 10.0)
    evaluator = BatchedEvaluator(X, y)
    grid = evaluator.grid(np.zeros(3), 0, va, 1, vb)
    nodes = evaluator._grid_thetas(np.zeros(3), 0, va, 1, vb)
    np.testing.assert_allclose(grid.ravel(), singles(X, y, nodes)[0], rtol=1e-12)


@pytest.mark.parametrize("separable", [False, True])
def test_float32_pictures_are_within_1e_6_of_float64(separable):
    X, y = overlapping(2000, seed=7, separable=separable)
    g = np.linspace(-4, 4, 64)
    W1, W2 = np.meshgrid(g, g)
    thetas = np.vstack([W1.ravel(), W2.ravel(), np.full(W1.size, 0.3)])
    fast = BatchedEvaluator(X, y, dtype=np.float32).loss(thetas)
    exact = BatchedEvaluator(X, y).loss(thetas)
    assert fast.dtype == np.float64
    np.testing.assert_allclose(fast, exact, rtol=1e-6, atol=0)


def test_bad_input_is_a_clear_value_error():
    X, y = overlapping(10)
    with pytest.raises(ValueError, match=r"\(3, G\)"):
        batched_loss(X, y, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="finite"):
        batched_loss(X, y, np.full((3, 2), np.nan))
    with pytest.raises(ValueError, match="0 or 1"):
        batched_loss(X, y + 2, np.zeros((3, 2)))
    with pytest.raises(ValueError, match="float32 or float64"):
        BatchedEvaluator(X, y, dtype=np.int32)
    with pytest.raises(ValueError, match="different"):
        BatchedEvaluator(X, y).grid(np.zeros(3), 1, [0.0], 1, [0.0])
