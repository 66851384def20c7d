"""The learning-rate bound 2/L and the warning for an α that makes the loss oscillate."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lrviz.core.dataset import make_preset
from lrviz.core.model import loss_and_gradient
from lrviz.core.step_size import round_down, step_size_bound, step_size_warning
from lrviz.core.trainer import Trainer


@pytest.mark.parametrize("l2", [0.0, 0.3])
def test_bound_is_the_largest_eigenvalue_with_the_bias_column(l2):
    rng = np.random.default_rng(4)
    X = rng.normal(2.0, 3.0, (50, 2))
    A = np.column_stack([X, np.ones(50)])
    want = np.linalg.eigvalsh(A.T @ A)[-1] / (4 * 50) + l2
    bound = step_size_bound(X, l2)
    assert bound.lipschitz == pytest.approx(want, rel=1e-12)
    assert bound.largest_rate == pytest.approx(2 / want, rel=1e-12)


def test_standardized_bound_uses_the_standardized_points():
    rng = np.random.default_rng(5)
    X = rng.normal(100.0, 30.0, (80, 2))
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    A = np.column_stack([Z, np.ones(80)])
    want = np.linalg.eigvalsh(A.T @ A)[-1] / (4 * 80)
    assert step_size_bound(X, 0.0, standardize=True).lipschitz == pytest.approx(want, rel=1e-12)
    assert step_size_bound(X).lipschitz > 100 * want  # the raw coordinates' bound is far tighter


def test_the_bound_bounds_the_hessian():
    """L is at least the Hessian's largest eigenvalue anywhere: checked at a few θ by finite differences."""
    X = make_preset("moons", 100, 0.1, 0).X
    y = make_preset("moons", 100, 0.1, 0).y
    bound = step_size_bound(X, 0.1)
    rng = np.random.default_rng(0)
    for theta in rng.normal(0, 1, (5, 3)):
        h = 1e-5
        H = np.empty((3, 3))
        for k in range(3):
            up, down = theta.copy(), theta.copy()
            up[k] += h
            down[k] -= h
            g_up = np.append(*loss_and_gradient(X, y, up[:2], up[2], 0.1)[1:])
            g_down = np.append(*loss_and_gradient(X, y, down[:2], down[2], 0.1)[1:])
            H[:, k] = (g_up - g_down) / (2 * h)
        assert np.linalg.eigvalsh((H + H.T) / 2)[-1] <= bound.lipschitz * (1 + 1e-6)


def test_below_the_bound_the_loss_falls_every_epoch():
    dataset = make_preset("moons", 200, 0.1, 0)
    bound = step_size_bound(dataset.X)
    history = Trainer(dataset.X, dataset.y, learning_rate=0.95 * bound.largest_rate).run(300)
    assert np.all(np.diff(history.loss) <= 1e-15)
    assert step_size_warning(0.95 * bound.largest_rate, bound, history.loss) == ""


def test_alpha_50_on_moons_oscillates_and_is_reported():
    dataset = make_preset("moons", 200, 0.1, 0)
    bound = step_size_bound(dataset.X)
    assert 50 > bound.largest_rate
    history = Trainer(dataset.X, dataset.y, learning_rate=50).run(1000)
    assert history.stop is None or history.stop.kind != "diverged"  # it does not diverge: it swings
    warning = step_size_warning(50, bound, history.loss)
    limit = round_down(bound.largest_rate, 3)
    assert warning.startswith(f"α = 50 is above 2/L = {limit:g} for these points: the loss oscillates")
    assert warning.endswith(f"try α ≤ {limit:g}")
    assert limit <= bound.largest_rate


def test_rising_losses_alone_trip_the_detector():
    bound = step_size_bound(np.array([[0.0, 0.0], [1.0, 1.0]]))
    swinging = np.tile([1.0, 2.0], 30)
    assert "rose in 25 of the last 50 epochs although α = 0.01 is below" in step_size_warning(0.01, bound, swinging)
    assert step_size_warning(0.01, bound, np.linspace(2, 1, 60)) == ""
    assert step_size_warning(0.01, bound, [1.0, 2.0]) == ""  # too few epochs to tell


def test_round_down():
    assert round_down(3.297, 3) == 3.29
    assert round_down(3.7) == 3.7
    assert round_down(0.0123456, 2) == 0.012
    assert round_down(math.inf) == math.inf


def test_no_points():
    assert step_size_bound(np.empty((0, 2))).largest_rate == math.inf
