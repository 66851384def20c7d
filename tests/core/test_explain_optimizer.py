"""The math panel's optimizer update (core/explain_optimizer.py) at any epoch: its state is the
optimizer's own at that epoch (rebuilt by core/optimizer_replay.py), its formulas give the
optimizer's own next θ and the history's next row (1e-12), and its intermediate quantities
equal an independent recomputation from the published formulas."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from lrviz.core.dataset import make_preset
from lrviz.core.explain_optimizer import optimizer_step
from lrviz.core.features import FeatureMap
from lrviz.core.model import sigmoid
from lrviz.core.model_trainer import build_trainer
from lrviz.core.optim import shuffle_generator
from lrviz.core.optimizer_replay import trainer_at_epoch
from lrviz.core.optimizer_snapshots import OptimizerSnapshots
from lrviz.core.run import Run
from lrviz.core.settings import TrainingSettings

MOONS = make_preset("moons", n_points=40, noise=0.2, seed=3)
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam", "newton"]


def trained_run(optimizer: str, epochs: int = 60, standardize: bool = False, batches=(7, 13, 30), **extra) -> Run:
    """A Run trained as the window's worker does: batches of epochs, a checkpoint after each."""
    settings = TrainingSettings(optimizer=optimizer, degree=2, standardize=standardize, l2=0.01,
                                learning_rate=0.5 if optimizer != "adam" else 0.05, batch_size=8, **extra)
    run = Run(MOONS, settings)
    points = run.snapshot()
    trainer = build_trainer(points.train_X, points.train_y, settings)
    record = trainer.current
    run.append_epochs([0], np.append(record.w, record.b)[None], [record.loss], [record.grad_norm],
                      settings.learning_rate, settings.l2, points.revision)
    checkpoint = getattr(trainer, "checkpoint", lambda: None)  # gradient descent keeps none
    run.optimizer_snapshots.add(checkpoint())
    done = 0
    for end in (*batches, epochs):
        history = trainer.run(end - done)
        done = end
        run.append_epochs(history.epochs, np.column_stack([history.W, history.b]), history.loss, history.grad_norm,
                          settings.learning_rate, settings.l2, points.revision)
        run.optimizer_checkpoint = checkpoint()
        run.optimizer_snapshots.add(run.optimizer_checkpoint)
    return run


def gradient(Z, y, theta, l2, rows=None):
    """∇L by (3-8), (3-10), written out again."""
    if rows is not None:
        Z, y = Z[rows], y[rows]
    residual = sigmoid(Z @ theta[:-1] + theta[-1]) - y
    return np.append(Z.T @ residual / len(y) + l2 * theta[:-1], residual.mean())


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("standardize", [False, True])
def test_the_shown_update_is_the_optimizers_own_and_the_next_row(optimizer, standardize):
    run = trained_run(optimizer, standardize=standardize)
    for epoch in (0, 1, 12, 13, 40, 59):
        step = optimizer_step(run, epoch)
        trainer = trainer_at_epoch(run, epoch)
        own = copy.deepcopy(trainer.optimizer).epoch(trainer.theta, trainer.problem)
        np.testing.assert_allclose(step.next_theta, own, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(step.next_raw, run.row(epoch + 1).theta, rtol=1e-12, atol=1e-12)
        assert step.next_matches is True and step.name == optimizer
    newest = optimizer_step(run, 60)
    assert newest is not None and newest.next_matches is None


def test_momentums_velocity_is_the_last_step_and_its_update_is_the_formula():
    run = trained_run("momentum")  # no standardization: θ trained on is θ raw
    Z, y = FeatureMap(2).transform(MOONS.X), MOONS.y.astype(float)
    for epoch in (0, 1, 25):
        step = optimizer_step(run, epoch)
        theta = run.row(epoch).theta
        v_prev = theta - run.row(epoch - 1).theta if epoch else np.zeros_like(theta)
        np.testing.assert_allclose(step.values["v_prev"], v_prev, rtol=1e-9, atol=1e-13)
        g = gradient(Z, y, theta, 0.01)
        np.testing.assert_allclose(step.values["g"], g, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(step.values["v"], 0.9 * step.values["v_prev"] - 0.5 * g, rtol=1e-12, atol=1e-15)


def test_nesterov_takes_the_gradient_at_the_look_ahead_point():
    run = trained_run("nesterov")
    Z, y = FeatureMap(2).transform(MOONS.X), MOONS.y.astype(float)
    step = optimizer_step(run, 10)
    look = run.row(10).theta + 0.9 * (run.row(10).theta - run.row(9).theta)
    np.testing.assert_allclose(step.values["look"], look, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(step.values["g"], gradient(Z, y, step.values["look"], 0.01), rtol=1e-12, atol=1e-15)


def test_adams_moments_and_bias_correction_by_hand():
    run = trained_run("adam")
    Z, y = FeatureMap(2).transform(MOONS.X), MOONS.y.astype(float)
    m = v = np.zeros(Z.shape[1] + 1)
    for t in range(1, 4):  # epochs 0, 1, 2: the moments from the history's own θ
        theta = run.row(t - 1).theta
        g = gradient(Z, y, theta, 0.01)
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
        step = optimizer_step(run, t - 1)
        assert step.values["t"] == t
        np.testing.assert_allclose(step.values["m"], m, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(step.values["v"], v, rtol=1e-12, atol=1e-18)
        assert step.values["correction1"] == pytest.approx(1 - 0.9**t, rel=1e-15)
        np.testing.assert_allclose(step.values["m_hat"], m / (1 - 0.9**t), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(step.values["v_hat"], v / (1 - 0.999**t), rtol=1e-12, atol=1e-18)
        expected = theta - 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        np.testing.assert_allclose(step.next_theta, expected, rtol=1e-12, atol=1e-14)


def test_sgds_first_batch_is_the_seeded_shuffle_and_the_epoch_its_updates():
    run = trained_run("sgd", seed=4)
    Z, y = FeatureMap(2).transform(MOONS.X), MOONS.y.astype(float)
    generator = shuffle_generator(4)
    for epoch in range(3):
        order = generator.permutation(len(y))
        step = optimizer_step(run, epoch)
        np.testing.assert_array_equal(step.values["first_batch"], order[:8])
        theta = run.row(epoch).theta
        np.testing.assert_allclose(step.values["g_first"], gradient(Z, y, theta, 0.01, order[:8]), rtol=1e-12, atol=1e-15)
        for start in range(0, len(y), 8):
            theta = theta - 0.5 * gradient(Z, y, theta, 0.01, order[start:start + 8])
        np.testing.assert_allclose(step.next_theta, theta, rtol=1e-12, atol=1e-14)
        assert step.values["updates"] == 5


def test_newtons_step_solves_the_hessian():
    run = trained_run("newton", epochs=4, batches=(1, 2))
    Z, y = FeatureMap(2).transform(MOONS.X), MOONS.y.astype(float)
    step = optimizer_step(run, 1)
    theta = run.row(1).theta
    A = np.column_stack([Z, np.ones(len(y))])
    p = sigmoid(A @ theta)
    H = A.T @ (A * (p * (1 - p))[:, None]) / len(y) + np.diag([0.01] * Z.shape[1] + [0.0])
    np.testing.assert_allclose(step.values["H"], H, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(step.values["step"], np.linalg.solve(H, gradient(Z, y, theta, 0.01)), rtol=1e-9)
    np.testing.assert_allclose(np.sort(step.values["eigenvalues"]), np.linalg.eigvalsh(H), rtol=1e-9, atol=1e-15)


def test_gradient_descent_has_no_optimizer_step_and_a_cut_branch_is_passed_over():
    assert optimizer_step(trained_run("gd"), 5) is None
    run = trained_run("momentum", epochs=40)
    other = trained_run("momentum", epochs=40, momentum=0.5)  # another branch's snapshots
    stale = OptimizerSnapshots()
    for epoch in other.optimizer_snapshots.epochs:
        stale.add(other.optimizer_snapshots.at(epoch))
    run.optimizer_snapshots, run.optimizer_checkpoint = stale, None
    step = optimizer_step(run, 35)  # the stale ones do not lead to the rows: replayed from epoch 0
    np.testing.assert_allclose(step.next_raw, run.row(36).theta, rtol=1e-12, atol=1e-12)


def test_snapshots_are_thinned_but_keep_the_newest():
    snapshots = OptimizerSnapshots(limit=8)
    for epoch in range(0, 1000, 3):
        snapshots.add({"epoch": epoch})
    epochs = snapshots.epochs
    assert len(epochs) <= 8 and epochs[-1] == 999 and epochs[0] == 0
    snapshots.drop_after(500)
    assert max(snapshots.epochs) <= 500
    assert snapshots.at_or_before(10**6)[0]["epoch"] == max(snapshots.epochs)


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_the_replay_follows_edits_of_the_points_and_of_alpha(optimizer):
    """Rows after a point was moved (a new revision, standardization re-fitted) and α changed
    are replayed with the points and α each row records."""
    from lrviz.core.model_trainer import mapped

    settings = TrainingSettings(optimizer=optimizer, degree=2, standardize=True, l2=0.01, learning_rate=0.05,
                                batch_size=8)
    run = Run(MOONS, settings)
    points = run.snapshot()
    trainer = build_trainer(points.train_X, points.train_y, settings)
    record = trainer.current
    run.append_epochs([0], np.append(record.w, record.b)[None], [record.loss], [record.grad_norm], 0.05, 0.01,
                      points.revision)
    rate = 0.05
    for end, edit in ((10, "move"), (25, "rate"), (40, None)):
        history = trainer.run(end - run.history.last_epoch)
        run.append_epochs(history.epochs, np.column_stack([history.W, history.b]), history.loss, history.grad_norm,
                          rate, 0.01, points.revision)
        run.optimizer_checkpoint = trainer.checkpoint()
        if edit == "move":
            run.move_point(0, 3.0, -2.0)
            points = run.snapshot()
            trainer.set_data(mapped(points.train_X, settings), points.train_y)
        elif edit == "rate":
            rate = 0.02
            trainer.set_learning_rate(rate)
    run.optimizer_snapshots.clear()  # only the newest checkpoint: every earlier state is replayed from 0
    for epoch in (5, 9, 10, 11, 24, 25, 30, 39):
        step = optimizer_step(run, epoch)
        assert step is not None, epoch
        np.testing.assert_allclose(step.next_raw, run.row(epoch + 1).theta, rtol=1e-12, atol=1e-12)
    assert optimizer_step(run, 10).points_changed and not optimizer_step(run, 9).points_changed
    assert optimizer_step(run, 30).learning_rate == 0.02
