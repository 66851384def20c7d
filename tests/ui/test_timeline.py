"""One run, many linked views: the timeline selects the epoch that every view shows."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QSlider

from lrviz.core import Trainer
from lrviz.core.dataset import make_preset
from lrviz.core.run import recompute_row
from window_helpers import answer_file_dialogs, shown_window, train_to

POINTS = make_preset("overlapping", n_points=40, noise=0.1, seed=4)


def _headless(epochs: int, **kwargs):
    """Every epoch of a headless Trainer run: (W, b, loss, grad_norm) with epoch 0 first."""
    X, y = POINTS.snapshot()
    trainer = Trainer(X, y, **kwargs)
    first = trainer.current
    history = trainer.run(epochs)
    return (np.vstack([first.w, history.W]), np.r_[first.b, history.b], np.r_[first.loss, history.loss],
            np.r_[first.grad_norm, history.grad_norm])


@pytest.fixture
def trained(qtbot):
    win = shown_window(qtbot, POINTS)
    train_to(qtbot, win, 300)
    yield win
    win.close()


def _slider(win) -> QSlider:
    slider = win.findChild(QSlider, "timelineSlider")
    assert slider is not None
    return slider


def _flush(win) -> None:
    win.state.clock.flush()
    QApplication.processEvents()


def test_selecting_an_epoch_shows_it_in_every_view_and_the_export(trained, qtbot, tmp_path, monkeypatch):
    W, b, loss, grad_norm = _headless(300)
    slider = _slider(trained)
    assert slider.maximum() == 300 and slider.value() == 300
    slider.setFocus()
    slider.setValue(120)  # what dragging the handle does
    _flush(trained)
    assert trained.state.shown_epoch == 120 and not trained.state.follow_latest
    assert not trained.follow_latest_action.isChecked()
    readout = trained.readout.readout
    assert readout["epoch"].text() == "120"
    assert readout["loss"].text() == f"{loss[120]:.6g}"
    assert readout["w"].text() == "(" + ", ".join(f"{v:.4g}" for v in W[120]) + ")"
    assert readout["b"].text() == f"{b[120]:.4g}"
    assert readout["grad"].text() == f"{grad_norm[120]:.3g}"
    np.testing.assert_allclose(trained.editor._w, W[120], rtol=1e-12, atol=0)
    assert trained.editor._b == pytest.approx(b[120], rel=1e-12)
    assert trained.loss_plot.cursor.epoch == 120 and trained.params_plot.cursor.epoch == 120
    out = tmp_path / "params.json"
    answer_file_dialogs(monkeypatch, save_path=out)
    trained.exports.export_params()
    exported = json.loads(out.read_text())
    assert exported["epoch"] == 120
    np.testing.assert_allclose(exported["weights"], W[120], rtol=1e-12, atol=0)
    assert exported["bias"] == pytest.approx(b[120], rel=1e-12)
    assert exported["loss"] == pytest.approx(loss[120], rel=1e-12)


def test_keys_step_page_and_follow(trained, qtbot):
    win = trained
    win.editor.setFocus()
    key = lambda k: qtbot.keyClick(win.editor, k)  # noqa: E731
    key(Qt.Key.Key_Home)
    assert win.state.shown_epoch == 0 and not win.state.follow_latest
    key(Qt.Key.Key_Right)
    key(Qt.Key.Key_Right)
    assert win.state.shown_epoch == 2
    key(Qt.Key.Key_Left)
    assert win.state.shown_epoch == 1
    key(Qt.Key.Key_PageDown)
    assert win.state.shown_epoch == 31  # a tenth of 300 epochs
    key(Qt.Key.Key_PageUp)
    assert win.state.shown_epoch == 1
    key(Qt.Key.Key_End)
    assert win.state.follow_latest and win.state.shown_epoch == 300
    assert win.follow_latest_action.isChecked()


def test_a_click_on_the_loss_plot_selects_the_epoch_under_it(trained, qtbot):
    plot = trained.loss_plot
    _flush(trained)
    qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().viewRange()[0][1] >= 300)
    view = plot.getPlotItem().getViewBox()
    (_, _), (y0, y1) = view.viewRange()
    target = plot.mapFromScene(view.mapViewToScene(QPointF(77.0, (y0 + y1) / 2)))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=target)
    pixel = (view.viewRange()[0][1] - view.viewRange()[0][0]) / view.width()
    assert abs(trained.state.shown_epoch - 77) <= max(1, round(pixel))
    assert not trained.state.follow_latest


def test_scrubbing_while_training_shows_the_past_while_training_goes_on(qtbot):
    win = shown_window(qtbot, POINTS)
    c = win.controls
    # the largest limit: at full speed 40 points reach 10^5 epochs in a few seconds, and a slow
    # moment of the suite then let the run finish before the test looked (a flaky failure)
    c.max_epochs_spin.setValue(c.max_epochs_spin.maximum())
    c.speed_slider.setValue(c.speed_slider.maximum())
    win.controls.train_button.click()
    qtbot.waitUntil(lambda: win.run.history.last_epoch > 200, timeout=10000)
    win.state.select_epoch(50)
    grown = win.run.history.last_epoch
    qtbot.waitUntil(lambda: win.run.history.last_epoch > grown + 200, timeout=10000)
    _flush(win)
    assert win.state.shown_epoch == 50 and win.readout.readout["epoch"].text() == "50"
    assert win.controller.is_running
    with qtbot.waitSignal(win.training.finished, timeout=10000):
        win.controls.train_button.click()
    win.close()


def test_train_from_here_cuts_after_asking_and_undo_restores(trained, qtbot, message_boxes):
    from PySide6.QtWidgets import QMessageBox

    win = trained
    before = win.run.history.copy()
    win.state.select_epoch(100)
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    win.train_from_here_action.trigger()
    assert win.run.history == before  # cancelled: nothing lost
    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.controls.max_epochs_spin.setValue(150)
    with qtbot.waitSignal(win.training.finished, timeout=10000):
        win.train_from_here_action.trigger()
    assert message_boxes.shown[-1][1] == "Train from here"
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 150)
    history = win.run.history
    np.testing.assert_array_equal(history.theta[:101], before.theta[:101])
    # the continuation is gradient descent from epoch 100, exactly as a headless trainer goes on
    W, b, loss, _ = _headless(150)
    np.testing.assert_allclose(history.W[101:], W[101:151], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(history.loss[101:], loss[101:151], rtol=1e-12)
    message_boxes.answer = QMessageBox.StandardButton.Discard  # for the close at the end
    assert win.undo_action.text().replace("&", "") == "Undo Train from epoch 100"
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 300)
    assert win.run.history == before


def test_undo_of_train_from_here_brings_back_the_points_its_epochs_were_computed_on(qtbot, message_boxes):
    """Epochs on points edited since (revision B) were dropped by Train From Here; the new epochs
    (on revision C) let B's points go, so the undo must bring them back with the epochs."""
    from PySide6.QtWidgets import QMessageBox

    win = shown_window(qtbot, POINTS)
    win.controls.max_epochs_spin.setValue(1_000_000)
    for _ in range(20):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 20)
    x1, x2, _ = win.points.dataset.point(0)
    win.points.move_point(0, x1 + 1.0, x2)  # revision B: epochs 21 to 30 are computed on it
    for _ in range(10):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 30)
    win.points.move_point(0, x1 + 2.0, x2)  # revision C: no epoch yet
    before = win.run.history.copy()
    win.state.select_epoch(10)
    message_boxes.answer = QMessageBox.StandardButton.Yes
    win.controls.max_epochs_spin.setValue(15)
    with qtbot.waitSignal(win.training.finished, timeout=10000):
        win.train_from_here_action.trigger()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 15)
    message_boxes.answer = QMessageBox.StandardButton.Discard
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 30)
    assert win.run.history == before
    for epoch in (10, 25, 30):
        win.state.select_epoch(epoch)
        win.state.clock.flush()
        recomputed, _ = recompute_row(win.run, epoch)
        assert recomputed == pytest.approx(before.loss[epoch], rel=1e-12), epoch
    win.close()


def test_changes_mid_run_are_in_the_history_and_recompute_exactly(qtbot):
    win = shown_window(qtbot, POINTS)
    win.controls.max_epochs_spin.setValue(1_000_000)
    for _ in range(20):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 20)
    win.controls.learning_rate_spin.setValue(0.5)
    win.controls.l2_spin.setValue(0.01)
    for _ in range(10):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 30)
    x1, x2, _ = win.points.dataset.point(0)
    win.points.move_point(0, x1 + 1.5, x2 - 0.5)
    for _ in range(10):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 40)
    history = win.run.history
    np.testing.assert_array_equal(history.learning_rate, [0.1] * 21 + [0.5] * 20)
    np.testing.assert_array_equal(history.l2, [0.0] * 21 + [0.01] * 20)
    revisions = history.data_revision
    assert revisions[30] < revisions[31] == revisions[40] == win.run.revision
    for epoch in range(41):
        recomputed, _ = recompute_row(win.run, epoch)
        assert recomputed == pytest.approx(history.loss[epoch], rel=1e-12), epoch
    win.close()


def test_a_session_remembers_the_shown_epoch(trained, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "run.lrviz.json"
    trained.state.select_epoch(42)
    answer_file_dialogs(monkeypatch, save_path=path)
    assert trained.documents.save_session()
    other = shown_window(qtbot, POINTS)
    assert other.documents.open_path(str(path))
    assert other.state.shown_epoch == 42 and not other.state.follow_latest
    assert other.run.history == trained.run.history
    other.close()


def test_the_plots_click_is_a_click_not_a_pan(trained, qtbot):
    """A drag on the loss plot pans it and selects nothing."""
    plot = trained.loss_plot
    viewport = plot.viewport()
    start, end = QPoint(100, 60), QPoint(160, 70)
    shown = trained.state.shown_epoch
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 7):
        point = QPointF(start + (end - start) * step / 6)
        QApplication.sendEvent(viewport, QMouseEvent(
            QMouseEvent.Type.MouseMove, point, QPointF(viewport.mapToGlobal(point.toPoint())),
            Qt.MouseButton.NoButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert trained.state.shown_epoch == shown and trained.state.follow_latest
