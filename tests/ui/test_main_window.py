"""The whole window: training from the buttons, live read-out, export, closing mid-run."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from PySide6.QtCore import Qt

from lrviz.core import Trainer, loss_and_gradient, predict_proba
from lrviz.core.dataset import Dataset
from lrviz.ui.main_window import MainWindow
from window_helpers import answer_file_dialogs, find_button, shown_window

SEPARABLE = Dataset(
    np.array([[-2.0, -1.0], [-1.5, -2.0], [-1.0, -1.5], [1.0, 1.5], [1.5, 2.0], [2.0, 1.0]]),
    np.array([0, 0, 0, 1, 1, 1]),
)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, SEPARABLE)
    qtbot.waitExposed(win)
    yield win
    win.close()


def _set_fast(win, epochs: int) -> None:
    c = win.controls
    c.max_epochs_spin.setValue(epochs)
    c.speed_slider.setValue(c.speed_slider.maximum())


def test_opens_on_builtin_data_with_named_widgets(qtbot):
    win = MainWindow()
    qtbot.addWidget(win)
    win.show()
    assert len(win.points.dataset) > 0
    for name in ("classButton0", "classButton1", "trainButton", "stepButton", "resetButton"):
        assert find_button(win, name) is not None
    for name in ("pointEditor", "lossPlot", "paramsPlot", "learningRateSpin", "l2Spin",
                 "maxEpochsSpin", "speedSlider"):
        assert win.findChild(object, name) is not None, name
    settings = win.controls.settings()
    assert settings.l2 == 0 and settings.standardize is False and settings.init == "zeros"
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    win.close()


def test_training_separates_points_and_keeps_every_epoch(window, qtbot):
    _set_fast(window, 300)
    with qtbot.waitSignal(window.training.finished, timeout=20000):
        qtbot.mouseClick(find_button(window, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 300)
    h = window.run.history
    np.testing.assert_array_equal(h.epochs, np.arange(301))
    X, y = SEPARABLE.snapshot()
    p = predict_proba(X, h.W[-1], float(h.b[-1]))
    assert np.all((p >= 0.5) == (y == 1))
    assert not find_button(window, "trainButton").isChecked()
    qtbot.waitUntil(lambda: window.readout.readout["epoch"].text() == "300")  # redrawn next turn
    # the loss plot holds one value per epoch
    qtbot.waitUntil(lambda: len(window.loss_plot.history_data()[1]) == 301)  # plots follow at 10 fps


def test_step_pause_resume_reset_match_headless_trainer(window, qtbot):
    for _ in range(3):
        with qtbot.waitSignal(window.training.batchReady, timeout=5000):
            qtbot.mouseClick(find_button(window, "stepButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 3)

    _set_fast(window, 50)
    with qtbot.waitSignal(window.training.finished, timeout=20000):
        qtbot.mouseClick(find_button(window, "trainButton"), Qt.MouseButton.LeftButton)
    X, y = SEPARABLE.snapshot()
    reference = Trainer(X, y, learning_rate=0.1)
    expected = reference.run(50)
    np.testing.assert_array_equal(window.run.history.W[1:], expected.W)
    np.testing.assert_array_equal(window.run.history.loss[1:], expected.loss)

    with qtbot.waitSignal(window.training.batchReady, timeout=5000):
        qtbot.mouseClick(find_button(window, "resetButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(window.run.history) == 1)
    assert window.run.history.last_epoch == 0
    np.testing.assert_array_equal(window.run.history.W[0], [0.0, 0.0])


def test_pause_then_resume_continues(window, qtbot):
    c = window.controls
    c.max_epochs_spin.setValue(100_000_000)
    c.speed_slider.setValue(c.speed_slider.maximum() - 1)  # ~900 epochs/s: a short history to replay
    train = find_button(window, "trainButton")
    qtbot.mouseClick(train, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch > 20, timeout=10000)
    with qtbot.waitSignal(window.training.finished, timeout=10000):
        qtbot.mouseClick(train, Qt.MouseButton.LeftButton)
    paused_at = window.run.history.last_epoch
    qtbot.mouseClick(train, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch > paused_at + 20, timeout=10000)
    with qtbot.waitSignal(window.training.finished, timeout=10000):
        qtbot.mouseClick(train, Qt.MouseButton.LeftButton)
    h = window.run.history
    np.testing.assert_array_equal(h.epochs, np.arange(len(h)))
    X, y = SEPARABLE.snapshot()
    expected = Trainer(X, y, learning_rate=0.1).run(int(h.last_epoch))
    np.testing.assert_allclose(h.loss[1:], expected.loss, rtol=0, atol=0)


def test_export_params_and_history_match_recomputation(window, qtbot, tmp_path, monkeypatch):
    _set_fast(window, 40)
    with qtbot.waitSignal(window.training.finished, timeout=20000):
        qtbot.mouseClick(find_button(window, "trainButton"), Qt.MouseButton.LeftButton)
    params_path = tmp_path / "params.json"
    history_path = tmp_path / "hist.csv"
    answer_file_dialogs(monkeypatch, save_path=params_path)
    window.exports.export_params_action.trigger()
    answer_file_dialogs(monkeypatch, save_path=history_path)
    window.exports.export_history_action.trigger()

    X, y = SEPARABLE.snapshot()
    params = json.loads(params_path.read_text())
    assert params["format"] == "lrviz-params/1" and params["epoch"] == 40
    loss, _, _ = loss_and_gradient(X, y, np.array(params["weights"]), params["bias"])
    assert params["loss"] == pytest.approx(loss, rel=1e-12)
    predicted = predict_proba(X, np.array(params["weights"]), params["bias"]) >= 0.5
    assert params["accuracy"] == pytest.approx(np.mean(predicted == (y == 1)))

    with history_path.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 41
    for row in rows[::10]:
        w = np.array([float(row["w1"]), float(row["w2"])])
        loss, _, _ = loss_and_gradient(X, y, w, float(row["b"]))
        assert float(row["loss"]) == pytest.approx(loss, rel=1e-12)


def test_export_plot_png_and_svg(window, tmp_path, monkeypatch):
    for name in ("plot.png", "plot.svg"):
        target = tmp_path / name
        answer_file_dialogs(monkeypatch, save_path=target)
        window.exports.export_plot_action.trigger()
        data = target.read_bytes()
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data[:2000]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plot.png", "plot.svg"]


def test_close_during_training_stops_thread(qtbot):
    win = MainWindow(SEPARABLE.copy())
    qtbot.addWidget(win)
    win.show()
    _set_fast(win, 10_000_000)
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    qtbot.mouseClick(find_button(win, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: win.run.history.last_epoch > 10, timeout=10000)
    win.close()
    assert win.training.thread_finished()


def test_no_points_disables_train_with_reason(window, qtbot):
    window.clear_action.trigger()
    train = find_button(window, "trainButton")
    assert not train.isEnabled()
    assert "place some points" in train.toolTip().lower()
    window.undo_action.trigger()
    assert train.isEnabled()
    assert len(window.points.dataset) == len(SEPARABLE)


def test_exported_parameters_equal_lrviz_train(window, qtbot, tmp_path, monkeypatch):
    window.controls.learning_rate_spin.setValue(0.5)
    window.controls.l2_spin.setValue(0.01)
    _set_fast(window, 120)
    with qtbot.waitSignal(window.training.finished, timeout=20000):
        qtbot.mouseClick(find_button(window, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 120)
    exported = tmp_path / "window.json"
    answer_file_dialogs(monkeypatch, save_path=exported)
    window.exports.export_params_action.trigger()

    from lrviz.cli import main as lrviz_main
    from lrviz.core.formats import write_points_csv

    points = tmp_path / "points.csv"
    write_points_csv(points, window.points.dataset)
    headless = tmp_path / "cli.json"
    assert lrviz_main(["train", str(points), "--lr", "0.5", "--l2", "0.01", "--epochs", "120",
                       "--out", str(headless)]) == 0
    assert json.loads(exported.read_text()) == json.loads(headless.read_text())


def test_reset_then_train_at_once_trains_the_new_model(qtbot):
    """Reset then Train with no event processed in between, while a large set trains: the
    window must train from epoch 0 again, not stay "Pause"-checked with an empty history."""
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200_000, 2))
    win = MainWindow(Dataset(X, (X[:, 0] + X[:, 1] > 0).astype(int)))
    qtbot.addWidget(win)
    win.show()
    _set_fast(win, 100_000_000)
    qtbot.waitUntil(lambda: len(win.run.history) == 1, timeout=10000)
    train, reset = find_button(win, "trainButton"), find_button(win, "resetButton")
    train.click()
    qtbot.waitUntil(lambda: win.run.history.last_epoch > 3, timeout=20000)
    reset.click()
    train.click()
    assert train.isChecked()
    qtbot.waitUntil(lambda: len(win.run.history) > 0 and win.run.history.last_epoch > 3, timeout=20000)
    np.testing.assert_array_equal(win.run.history.epochs, np.arange(len(win.run.history)))
    with qtbot.waitSignal(win.training.finished, timeout=10000):
        train.click()
    win.mark_saved()
    win.close()


def test_exports_record_the_settings_the_model_was_trained_with(window, qtbot, tmp_path, monkeypatch):
    """Standardize (like the start and its seed) applies only at Reset: ticking it after
    training must not make the exported parameters or the session claim a standardized
    model. Learning rate and λ apply at the next epoch, so they are recorded as updated."""
    window.controls.learning_rate_spin.setValue(0.5)
    _set_fast(window, 40)
    with qtbot.waitSignal(window.training.finished, timeout=20000):
        qtbot.mouseClick(find_button(window, "trainButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 40)
    window.controls.standardize_check.setChecked(True)  # no Reset
    window.controls.init_combo.setCurrentIndex(window.controls.init_combo.findData("random"))
    assert window.controls.settings().standardize and window.run.history.last_epoch == 40

    exported = tmp_path / "params.json"
    answer_file_dialogs(monkeypatch, save_path=exported)
    window.exports.export_params_action.trigger()
    params = json.loads(exported.read_text())
    assert params["standardize"] is False and params["learning_rate"] == 0.5
    X, y = SEPARABLE.snapshot()
    expected = Trainer(X, y, learning_rate=0.5).run(40)
    assert params["weights"] == expected.W[-1].tolist() and params["bias"] == float(expected.b[-1])
    settings = window.session().settings
    assert settings.standardize is False and settings.init == "zeros" and settings.learning_rate == 0.5

    window.controls.l2_spin.setValue(0.01)  # applies at the next epoch: the settings say so...
    # ...while the shown epoch's parameters keep the λ they were computed with
    assert window.session().settings.l2 == 0.01 and window.current_params().l2 == 0.0
    with qtbot.waitSignal(window.training.batchReady, timeout=5000):
        qtbot.mouseClick(find_button(window, "resetButton"), Qt.MouseButton.LeftButton)
    assert window.session().settings.standardize is True and window.current_params().standardize is True
