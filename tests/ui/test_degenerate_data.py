"""Degenerate data in the window: a clear message each time, never an exception."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import Dataset
from lrviz.ui.main_window import MainWindow


@pytest.mark.parametrize(
    "points, labels, expected",
    [
        ([[1.0, 1.0]], [0], "Only one point"),
        ([[1.0, 1.0], [2.0, 0.5], [0.0, -1.0]], [1, 1, 1], "Only one class"),
        ([[2.0, -1.0]] * 5, [0, 1, 0, 1, 1], "one place"),
        ([[0.0, 0.0], [0.0, 0.0], [1.0, 2.0], [-1.0, 1.0]], [0, 1, 1, 0], "same place"),
        ([[1e6, 1e6], [1e6 + 3, 1e6 - 2], [-1e6, -1e6], [-1e6 + 1, -1e6]], [1, 1, 0, 0], "Coordinates reach"),
    ],
)
def test_degenerate_sets_train_and_explain(qtbot, points, labels, expected):
    win = MainWindow(Dataset(points, labels))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    assert expected in win.readout.hint_label.text()
    win.controls.max_epochs_spin.setValue(200)
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    with qtbot.waitSignal(win.training.finished, timeout=20000):
        win.controls.train_button.click()
    qtbot.waitUntil(lambda: win.readout.readout["epoch"].text() != "0")
    assert np.all(np.isfinite(win.run.history.W)) and np.all(np.isfinite(win.run.history.loss))
    assert win.readout.hint_label.text()  # still explained after training
    win.mark_saved()


def test_far_points_with_standardize_have_no_warning_and_learn(qtbot):
    X = np.array([[1e6, 1e6], [1e6 + 3, 1e6 - 2], [1e6 - 4, 1e6 + 1], [1e6 + 1, 1e6 + 4]])
    win = MainWindow(Dataset(X, [1, 1, 0, 0]))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    assert "Coordinates reach" in win.readout.hint_label.text()
    win.controls.standardize_check.setChecked(True)
    qtbot.waitUntil(lambda: "Coordinates reach" not in win.readout.hint_label.text())
    win.mark_saved()


def test_separable_data_without_l2_says_the_weights_grow(qtbot):
    win = MainWindow(Dataset([[-2.0, 0.0], [-1.0, 0.5], [1.0, 0.0], [2.0, -0.5]], [0, 0, 1, 1]))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    win.controls.max_epochs_spin.setValue(2000)
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    with qtbot.waitSignal(win.training.finished, timeout=20000):
        win.controls.train_button.click()
    qtbot.waitUntil(lambda: "λ > 0" in win.readout.hint_label.text())
    norms = np.linalg.norm(win.run.history.W, axis=1)
    assert np.all(np.diff(norms[10:]) > 0)  # ‖w‖ keeps growing
    win.controls.l2_spin.setValue(0.1)
    qtbot.waitUntil(lambda: "λ > 0" not in win.readout.hint_label.text())
    win.mark_saved()


def test_empty_window_disables_train_and_says_why(qtbot):
    win = MainWindow(Dataset())
    qtbot.addWidget(win)
    win.show()
    assert not win.controls.train_button.isEnabled()
    assert not win.controls.step_button.isEnabled()
    assert "Place some points" in win.controls.train_button.toolTip()
    assert "No points yet" in win.readout.hint_label.text()
    win.step_action.trigger()
    win.train_action.trigger()
    assert len(win.run.history) == 0
