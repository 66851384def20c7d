"""Train From Here continues every optimizer exactly (issue 14): training 300 epochs equals
training 300, selecting 200, Train From Here and training to 300 again (to 1e-12), because
the optimizer's state at epoch 200 (velocity, moments, SGD's generator) is rebuilt from the
run's snapshots by replay (core/optimizer_replay.py); undo puts the cut epochs back and goes
on from them exactly too."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox

from lrviz.core.dataset import make_preset
from lrviz.core.optimizer_replay import trainer_at_epoch
from tests.ui.window_helpers import shown_window, train_to

MOONS = make_preset("moons", n_points=60, noise=0.15, seed=5)
OPTIMIZERS = ["gd", "sgd", "momentum", "nesterov", "adam", "newton"]


def configured(qtbot, optimizer: str, degree: str = "2", standardize: bool = False):
    win = shown_window(qtbot, MOONS)
    for name, data in (("featuresCombo", degree), ("optimizerCombo", optimizer)):
        combo = win.findChild(QComboBox, name)
        combo.setCurrentIndex(combo.findData(data))
    if standardize:
        win.controls.standardize_check.setChecked(True)
    qtbot.waitUntil(lambda: win.run.settings.optimizer == optimizer and len(win.run.history) == 1
                    and win.run.settings.standardize == standardize)
    return win


def assert_same_rows(a, b, first: int, last: int) -> None:
    rows = slice(first, last + 1)
    np.testing.assert_array_equal(a.epochs[rows], b.epochs[rows])
    np.testing.assert_allclose(b.theta[rows], a.theta[rows], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(b.loss[rows], a.loss[rows], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_train_from_here_continues_exactly(qtbot, optimizer):
    win = configured(qtbot, optimizer, standardize=optimizer in ("momentum", "adam"))
    train_to(qtbot, win, 300)
    straight = win.run.history.copy()
    assert win.controller.train_from(200)
    assert win.run.history.last_epoch == 200
    train_to(qtbot, win, 300)
    assert_same_rows(straight, win.run.history, 0, 300)
    if optimizer not in ("gd", "newton"):  # not one epoch of the straight run repeated by chance: the state mattered
        fresh = trainer_at_epoch(win.run, 200)
        assert fresh is not None and fresh.checkpoint()["state"]


@pytest.mark.parametrize("optimizer", ["momentum", "adam", "sgd"])
def test_undo_of_train_from_here_goes_on_from_the_restored_epochs(qtbot, optimizer):
    win = configured(qtbot, optimizer)
    train_to(qtbot, win, 150)
    first = win.run.history.copy()
    rate = win.controls.learning_rate_spin.value()
    win.controller.train_from(50)
    win.controls.learning_rate_spin.setValue(rate / 2)  # the new branch differs
    train_to(qtbot, win, 100)
    assert not np.allclose(win.run.history.theta[100], first.theta[100])
    win.state.undo_stack.undo()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 150)
    win.controls.learning_rate_spin.setValue(rate)
    train_to(qtbot, win, 200)
    straight = configured(qtbot, optimizer)
    train_to(qtbot, straight, 200)
    assert_same_rows(first, win.run.history, 0, 150)
    assert_same_rows(straight.run.history, win.run.history, 0, 200)


def test_the_state_at_any_epoch_is_the_optimizers_own(qtbot):
    """trainer_at_epoch's state equals stepping the core's optimizer epoch by epoch (1e-12)."""
    from lrviz.core.features import FeatureMap
    from lrviz.core.optim import OptimizerSettings
    from lrviz.core.optimized_trainer import OptimizedTrainer

    win = configured(qtbot, "adam")
    train_to(qtbot, win, 120)
    for epoch in (0, 1, 37, 119, 120):
        reference_state = OptimizedTrainer(FeatureMap(2).transform(MOONS.X), MOONS.y, OptimizerSettings("adam"))
        reference_state.run(epoch)
        got = trainer_at_epoch(win.run, epoch)
        assert got is not None
        ours, theirs = got.checkpoint(), reference_state.checkpoint()
        assert ours["state"]["t"] == theirs["state"]["t"] == epoch
        if epoch:
            np.testing.assert_allclose(ours["state"]["m"], theirs["state"]["m"], rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(ours["state"]["v"], theirs["state"]["v"], rtol=1e-12, atol=1e-18)
        np.testing.assert_allclose(ours["theta"], theirs["theta"], rtol=1e-12, atol=1e-12)
