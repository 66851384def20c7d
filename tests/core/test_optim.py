"""The optimizers: first two updates by hand from each published formula, full-data loss in every
row, reproducible shuffles, and 200 epochs = 100 + checkpoint through JSON + 100."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from lrviz.core import STOP_DIVERGED, Trainer, loss_and_gradient
from lrviz.core.optim import OPTIMIZER_CHOICES, OptimizerSettings
from lrviz.core.optimized_trainer import OptimizedTrainer

L2 = 0.1
RATE = 0.3


def points(m=10, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2)) + np.array([0.5, -0.2])
    y = (X[:, 0] - X[:, 1] + rng.normal(size=m) > 0.4).astype(int)
    return X, y


def grad(X, y, theta, l2=L2):
    """∇L(θ) by the model's reference loss_and_gradient, (3-8), (3-10) plus λw."""
    _, gw, gb = loss_and_gradient(X, y, theta[:2], theta[2], l2)
    return np.append(gw, gb)


def hessian(X, y, theta, l2=L2):
    """∇²L = (1/m) Σᵢ pᵢ(1 − pᵢ) aᵢaᵢᵀ + λ diag(1, 1, 0), aᵢ = (xᵢ, 1), point by point."""
    H = np.zeros((3, 3))
    for x in X:
        a = np.append(x, 1.0)
        p = 1 / (1 + math.exp(-(a @ theta)))
        H += p * (1 - p) * np.outer(a, a)
    return H / len(X) + l2 * np.diag([1.0, 1.0, 0.0])


def hand_two_updates(name, X, y, seed=0):
    theta, out = np.zeros(3), []
    if name == "gd":  # (4-2), (4-3)
        for _ in range(2):
            theta = theta - RATE * grad(X, y, theta)
            out.append(theta)
    elif name == "sgd":  # each epoch: a permutation, then θ ← θ − α ĝ_B per batch of 4
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(1,))))
        for _ in range(2):
            order = rng.permutation(len(y))
            for start in range(0, len(y), 4):
                rows = order[start:start + 4]
                theta = theta - RATE * grad(X[rows], y[rows], theta)
            out.append(theta)
    elif name in ("momentum", "nesterov"):  # Sutskever et al. 2013, (1)–(2) and (3)–(4), β = 0.8
        v = np.zeros(3)
        for _ in range(2):
            look = theta + 0.8 * v if name == "nesterov" else theta
            v = 0.8 * v - RATE * grad(X, y, look)
            theta = theta + v
            out.append(theta)
    elif name == "adam":  # Kingma & Ba 2015, Algorithm 1, β₁ = 0.8, β₂ = 0.95, ε = 1e-6
        m1, m2 = np.zeros(3), np.zeros(3)
        for t in (1, 2):
            g = grad(X, y, theta)
            m1 = 0.8 * m1 + 0.2 * g
            m2 = 0.95 * m2 + 0.05 * g * g
            theta = theta - RATE * (m1 / (1 - 0.8**t)) / (np.sqrt(m2 / (1 - 0.95**t)) + 1e-6)
            out.append(theta)
    elif name == "newton":  # Boyd & Vandenberghe 2004, §9.5: θ ← θ − H⁻¹g
        for _ in range(2):
            theta = theta - np.linalg.solve(hessian(X, y, theta), grad(X, y, theta))
            out.append(theta)
    return np.array(out)


SETTINGS = {name: OptimizerSettings(name, batch_size=4, momentum=0.8, beta1=0.8, beta2=0.95, eps=1e-6)
            for name in OPTIMIZER_CHOICES}


@pytest.mark.parametrize("name", OPTIMIZER_CHOICES)
def test_first_two_updates_equal_the_published_formula_by_hand(name):
    X, y = points()
    trainer = OptimizedTrainer(X, y, SETTINGS[name], learning_rate=RATE, l2=L2)
    history = trainer.run(2)
    got = np.column_stack([history.W, history.b])
    np.testing.assert_allclose(got, hand_two_updates(name, X, y), rtol=1e-13, atol=1e-15)
    assert not np.allclose(got[0], got[1])  # two different updates, not one repeated


@pytest.mark.parametrize("name", OPTIMIZER_CHOICES)
def test_every_row_holds_the_full_data_loss_at_its_parameters(name):
    X, y = points(m=30)
    history = OptimizedTrainer(X, y, SETTINGS[name], learning_rate=RATE, l2=L2).run(12)
    for k in range(len(history)):
        loss, gw, gb = loss_and_gradient(X, y, history.W[k], history.b[k], L2)
        assert history.loss[k] == pytest.approx(loss, rel=1e-12)
        assert history.grad_norm[k] == pytest.approx(math.hypot(*gw, gb), rel=1e-10)


def test_mini_batch_runs_are_reproducible_for_a_seed_and_differ_between_seeds():
    X, y = points(m=50)
    runs = [OptimizedTrainer(X, y, SETTINGS["sgd"], learning_rate=RATE, seed=s).run(20) for s in (7, 7, 8)]
    np.testing.assert_array_equal(runs[0].W, runs[1].W)
    np.testing.assert_array_equal(runs[0].loss, runs[1].loss)
    assert not np.allclose(runs[0].W, runs[2].W)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("name", OPTIMIZER_CHOICES)
def test_200_epochs_equal_100_then_a_json_checkpoint_then_100(name, standardize):
    X, y = points(m=37)
    X = X * np.array([3.0, 0.5]) + 2.0
    kwargs = {"learning_rate": 0.05, "l2": 0.01, "standardize": standardize, "seed": 3}
    straight = OptimizedTrainer(X, y, SETTINGS[name], **kwargs).run(200)
    first = OptimizedTrainer(X, y, SETTINGS[name], **kwargs)
    head = first.run(100)
    saved = json.loads(json.dumps(first.checkpoint(), allow_nan=False))
    second = OptimizedTrainer(X, y, SETTINGS[name], resume=saved, **kwargs)
    assert second.current.epoch == 100
    tail = second.run(100)
    np.testing.assert_array_equal(np.r_[head.epochs, tail.epochs], straight.epochs)
    for column in ("W", "b", "loss"):
        np.testing.assert_allclose(np.concatenate([getattr(head, column), getattr(tail, column)]),
                                   getattr(straight, column), rtol=1e-12, atol=0)


def test_gradient_descent_through_the_optimizer_equals_the_trainers_fast_path():
    X, y = points(m=40)
    fast = Trainer(X, y, learning_rate=RATE, l2=L2, standardize=True).run(300)
    slow = OptimizedTrainer(X, y, learning_rate=RATE, l2=L2, standardize=True).run(300)
    np.testing.assert_allclose(slow.W, fast.W, rtol=1e-12)
    np.testing.assert_allclose(slow.loss, fast.loss, rtol=1e-12)


def test_newton_reaches_scikit_learns_optimum_in_a_few_epochs():
    X, y = points(m=60, seed=4)
    m = len(y)
    reference = LogisticRegression(C=1 / (L2 * m), tol=1e-14, max_iter=10_000).fit(X, y)
    trainer = OptimizedTrainer(X, y, OptimizerSettings("newton"), l2=L2, tol=1e-12)
    trainer.run(20)
    assert trainer.current.epoch < 20
    np.testing.assert_allclose(trainer.current.w, reference.coef_[0], rtol=1e-8)


def test_a_checkpoint_of_another_optimizer_or_a_diverged_run_is_refused():
    X, y = points()
    trainer = OptimizedTrainer(X, y, SETTINGS["adam"], learning_rate=RATE)
    trainer.run(3)
    with pytest.raises(ValueError, match="optimizer 'adam', not 'momentum'"):
        OptimizedTrainer(X, y, SETTINGS["momentum"], resume=trainer.checkpoint())
    bad = dict(trainer.checkpoint(), theta=[0.0, 1.0])
    with pytest.raises(ValueError, match="3 finite numbers"):
        OptimizedTrainer(X, y, SETTINGS["adam"], resume=bad)
    diverging = OptimizedTrainer(X * 1e3, y, SETTINGS["momentum"], learning_rate=1e6, l2=1.0)
    history = diverging.run(5000)
    assert diverging.stop is not None and diverging.stop.kind == STOP_DIVERGED
    assert np.isfinite(history.W).all() and np.isfinite(history.loss).all()
    with pytest.raises(ValueError, match="diverged"):
        diverging.checkpoint()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "rmsprop", "one of gd, sgd"), ("batch_size", 0, "batch_size"), ("momentum", 1.0, "momentum"),
    ("beta2", -0.1, "beta2"), ("eps", 0.0, "eps"), ("batch_size", 2.5, "whole number")])
def test_bad_optimizer_settings_are_refused_with_a_message(field, value, message):
    with pytest.raises(ValueError, match=message):
        OptimizerSettings(**{field: value})


def test_describe_names_the_optimizer_and_its_numbers():
    assert OptimizerSettings("momentum").describe(0.1) == "momentum β=0.9, α=0.1"
    assert OptimizerSettings("newton").describe(0.1) == "newton"


def test_live_edits_reach_the_optimizer_and_rows_use_the_new_points():
    X, y = points(m=30)
    trainer = OptimizedTrainer(X, y, SETTINGS["momentum"], learning_rate=RATE, l2=L2)
    trainer.run(5)
    trainer.set_learning_rate(0.05)
    trainer.set_l2(0.2)
    X2, y2 = points(m=25, seed=9)
    trainer.set_data(X2, y2)
    assert trainer.optimizer.learning_rate == 0.05
    velocity = trainer.optimizer.velocity.copy()  # kept across the edits
    theta = np.append(trainer.current.w, trainer.current.b)
    history = trainer.run(1)
    expected_v = 0.8 * velocity - 0.05 * grad(X2, y2, theta, l2=0.2)
    np.testing.assert_allclose(np.append(history.W[0], history.b[0]), theta + expected_v, rtol=1e-13)
    loss, _, _ = loss_and_gradient(X2, y2, history.W[0], history.b[0], 0.2)
    assert history.loss[0] == pytest.approx(loss, rel=1e-12)
