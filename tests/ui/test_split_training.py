"""Training with a train/test split: the worker trains on the training points and computes the
test loss of every epoch in the same pass; the window's history keeps it."""

from __future__ import annotations

import numpy as np
import pytest
from window_helpers import shown_window, train_to

from lrviz.core import STOP_MAX_EPOCHS, Trainer
from lrviz.core.dataset import make_preset
from lrviz.core.model import loss_and_gradient
from lrviz.core.run import PointsSnapshot
from lrviz.core.settings import TrainingSettings
from lrviz.core.split import stratified_split
from lrviz.ui.worker import TrainingController

DATA = make_preset("overlapping", 80, noise=0.2, seed=5)
SPLIT = stratified_split(DATA.y, 0.25, seed=1)


def _test_loss(X, y, w, b) -> float:
    return loss_and_gradient(X, y, w, b)[0]


def test_worker_trains_on_training_points_and_reports_the_test_loss_of_every_epoch(qtbot):
    controller = TrainingController()
    batches = []
    controller.batchReady.connect(batches.append)
    try:
        points = PointsSnapshot(3, DATA.X.copy(), DATA.y.copy(), SPLIT.copy())
        with qtbot.waitSignal(controller.batchReady, timeout=5000):
            controller.reset(points, TrainingSettings(max_epochs=300, epochs_per_second=None))
        with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
            controller.start()
        assert blocker.args[0].kind == STOP_MAX_EPOCHS
    finally:
        controller.shutdown()
    epochs = np.concatenate([b.epochs for b in batches])
    W = np.concatenate([b.W for b in batches])
    bias = np.concatenate([b.b for b in batches])
    test_loss = np.concatenate([b.test_loss for b in batches])
    assert all(b.tested.all() for b in batches)
    np.testing.assert_array_equal(epochs, np.arange(301))
    reference = Trainer(DATA.X[~SPLIT], DATA.y[~SPLIT]).run(300)
    np.testing.assert_array_equal(W[1:], reference.W)
    for k in range(0, 301, 7):
        expected = _test_loss(DATA.X[SPLIT], DATA.y[SPLIT], W[k], bias[k])
        assert test_loss[k] == pytest.approx(expected, rel=1e-12)


def test_without_a_split_batches_carry_no_test_loss(qtbot):
    controller = TrainingController()
    try:
        with qtbot.waitSignal(controller.batchReady, timeout=5000) as blocker:
            controller.reset(PointsSnapshot(0, DATA.X.copy(), DATA.y.copy()), TrainingSettings())
    finally:
        controller.shutdown()
    assert blocker.args[0].test_loss is None and blocker.args[0].tested is None


def test_window_history_holds_the_test_loss_of_the_test_points_at_every_epoch(qtbot):
    win = shown_window(qtbot, DATA)
    assert not win.run.history.has_test_loss  # the default: no split, no test loss
    win.points.set_split(SPLIT)
    qtbot.waitUntil(lambda: win.run.history.has_test_loss)  # a fresh epoch 0 on the new split
    train_to(qtbot, win, 120)
    history = win.run.history
    assert history.tested.all()
    for epoch in range(0, 121, 11):
        row = history.row(epoch)
        points = win.run.points_at(row.data_revision)
        assert row.test_loss == pytest.approx(_test_loss(points.test_X, points.test_y, row.w, row.b), rel=1e-12)
    # moving a point to the other set changes the points later epochs train and test on
    index = int(np.flatnonzero(SPLIT)[0])
    win.points.toggle_split(index)
    assert not win.run.points.is_test[index]
    train_to(qtbot, win, 160)
    row = win.run.row(160)
    points = win.run.points_at(row.data_revision)
    assert len(points.test_y) == SPLIT.sum() - 1 and len(points.train_y) == len(DATA) - SPLIT.sum() + 1
    assert row.test_loss == pytest.approx(_test_loss(points.test_X, points.test_y, row.w, row.b), rel=1e-12)
    win.points.undo_stack.undo()
    assert win.run.points.is_test[index]


def test_a_deleted_test_point_comes_back_as_a_test_point_on_undo(qtbot):
    win = shown_window(qtbot, DATA)
    win.points.set_split(SPLIT)
    index = int(np.flatnonzero(SPLIT)[2])
    win.points.remove_point(index)
    win.points.add_point(0.0, 0.0, 1)
    assert not win.run.points.is_test[-1]  # points added later train
    win.points.undo_stack.undo()
    win.points.undo_stack.undo()
    assert np.array_equal(win.run.points.is_test, SPLIT)


def test_loss_plot_shows_the_test_loss_beside_the_training_loss_once_a_split_exists(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 20)
    win.state.clock.flush()
    assert len(win.loss_plot.test_data()[0]) == 0
    win.reset_training()
    win.points.set_split(SPLIT)
    train_to(qtbot, win, 40)
    win.state.clock.flush()
    win.loss_plot.refresh()
    epochs, values = win.loss_plot.test_data()
    _, history_values = win.run.history.test_loss_series()
    np.testing.assert_array_equal(epochs, np.arange(41))
    np.testing.assert_array_equal(values, history_values)
    assert win.loss_plot._legend is not None and win.loss_plot._legend.isVisible()


def test_save_data_and_open_keep_the_split(qtbot, monkeypatch, tmp_path):
    from window_helpers import answer_file_dialogs

    from lrviz.core.formats import read_points_csv
    win = shown_window(qtbot, DATA)
    win.quality.split_panel.test_share_spin.setValue(25)
    path = tmp_path / "split.csv"
    answer_file_dialogs(monkeypatch, path, path)
    win.documents.save_data_as_action.trigger()
    assert path.read_text().splitlines()[0] == "x1,x2,label,split"
    assert np.array_equal(read_points_csv(path).is_test, SPLIT_25 := stratified_split(DATA.y, 0.25, 0))
    other = shown_window(qtbot, make_preset("xor", 20))
    other.quality.split_panel.test_share_spin.setValue(10)  # the file's own split wins over the spin
    other.documents.open_data_action.trigger()
    assert np.array_equal(other.run.points.is_test, SPLIT_25)


def test_a_session_keeps_the_split_and_the_test_loss_and_training_goes_on_with_them(qtbot, monkeypatch, tmp_path):
    from window_helpers import answer_file_dialogs
    win = shown_window(qtbot, DATA)
    win.points.set_split(SPLIT)
    train_to(qtbot, win, 30)
    path = tmp_path / "s.lrviz.json"
    answer_file_dialogs(monkeypatch, path, path)
    win.documents.save_session_action.trigger()
    other = shown_window(qtbot, make_preset("xor", 20))
    other.documents.open_session_action.trigger()
    assert np.array_equal(other.run.points.is_test, SPLIT)
    np.testing.assert_array_equal(other.run.history.test_loss_series()[1], win.run.history.test_loss_series()[1])
    train_to(qtbot, other, 50)
    row = other.run.row(50)
    assert row.test_loss == pytest.approx(_test_loss(DATA.X[SPLIT], DATA.y[SPLIT], row.w, row.b), rel=1e-12)
    reference = Trainer(DATA.X[~SPLIT], DATA.y[~SPLIT]).run(50)
    np.testing.assert_allclose(other.run.history.W[1:], reference.W, rtol=1e-12)


def test_exported_parameters_carry_the_threshold_and_both_accuracies(qtbot, monkeypatch, tmp_path):
    from window_helpers import answer_file_dialogs

    from lrviz.core.formats import read_params
    from lrviz.core.metrics import evaluate
    win = shown_window(qtbot, DATA)
    win.points.set_split(SPLIT)
    train_to(qtbot, win, 25)
    win.state.set_threshold(0.4)
    path = tmp_path / "params.json"
    answer_file_dialogs(monkeypatch, None, path)
    win.exports.export_params_action.trigger()
    params = read_params(path)
    row = win.run.row(25)
    metrics = evaluate(DATA.X, DATA.y, SPLIT, row.w, row.b, 0.4)
    assert params.threshold == 0.4
    assert (params.train_accuracy, params.test_accuracy) == (metrics.train.accuracy, metrics.test.accuracy)
    history_path = tmp_path / "history.csv"
    answer_file_dialogs(monkeypatch, None, history_path)
    win.exports.export_history_action.trigger()
    assert history_path.read_text().splitlines()[0] == "epoch,loss,test_loss,w1,w2,b"


def test_worker_at_full_speed_scores_long_chunks_of_epochs(qtbot):
    """Chunks grow to thousands of epochs here (to 100,000 on a fast machine; the batched
    evaluator's tiles: tests/core/test_split_metrics.py); every epoch gets its test loss."""
    small = make_preset("overlapping", 20, seed=2)
    split = stratified_split(small.y, 0.3, 0)
    controller = TrainingController()
    batches = []
    controller.batchReady.connect(batches.append)
    failures = []
    controller.failed.connect(failures.append)
    try:
        with qtbot.waitSignal(controller.batchReady, timeout=5000):
            controller.reset(PointsSnapshot(0, small.X.copy(), small.y.copy(), split),
                             TrainingSettings(max_epochs=60_000, epochs_per_second=None))
        with qtbot.waitSignal(controller.finished, timeout=60000) as blocker:
            controller.start()
    finally:
        controller.shutdown()
    assert not failures and blocker.args[0].kind == STOP_MAX_EPOCHS
    epochs = np.concatenate([b.epochs for b in batches])
    np.testing.assert_array_equal(epochs, np.arange(60_001))
    last = batches[-1]
    expected = _test_loss(small.X[split], small.y[split], last.W[-1], last.b[-1])
    assert last.test_loss[-1] == pytest.approx(expected, rel=1e-12)
