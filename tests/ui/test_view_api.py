"""lrviz.view: the window on arrays or on a fitted estimator, driven in-process with the qtbot's app."""

from __future__ import annotations

import io

import numpy as np
import pytest

import lrviz
from lrviz.cli.train import build_train_parser, run_training
from lrviz.core.dataset import make_preset
from lrviz.core.formats import read_params, write_points_csv
from window_helpers import train_to


def test_view_returns_at_once_in_a_running_app_and_its_params_equal_lrviz_trains(qtbot, tmp_path, message_boxes):
    data = make_preset("moons", n_points=60, seed=3)
    X, y = data.snapshot()
    names = np.where(y == 1, "dog", "cat")
    handle = lrviz.view(X.tolist(), names, feature_names=["weight", "height"])
    win = handle.window
    qtbot.addWidget(win)
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    assert win.isVisible() and win.run.points.class_names == ("cat", "dog")
    assert win.run.points.feature_names == ("weight", "height")
    win.controls.learning_rate_spin.setValue(0.5)
    train_to(qtbot, win, 40)
    shown = handle.params()

    path = tmp_path / "d.csv"
    write_points_csv(path, data)
    out = tmp_path / "p.json"
    status = run_training(build_train_parser().parse_args([str(path), "--lr", "0.5", "--epochs", "40",
                                                           "--out", str(out)]), io.StringIO(), io.StringIO())
    assert status == 0
    trained = read_params(out)
    assert shown.epoch == trained.epoch == 40
    assert shown.weights == trained.weights and shown.bias == trained.bias and shown.loss == trained.loss
    assert shown.class_names == ("cat", "dog")
    handle.close()


def test_view_of_a_fitted_estimator_replays_its_history(qtbot, message_boxes):
    data = make_preset("blobs", n_points=40, seed=1)
    model = lrviz.GradientDescentClassifier(learning_rate=0.3, max_epochs=25).fit(*data.snapshot())
    handle = lrviz.view(model)
    win = handle.window
    qtbot.addWidget(win)
    assert len(win.run.history) == 26
    np.testing.assert_array_equal(win.run.history.loss, model.history_.loss)
    win.state.select_epoch(10)
    params = handle.params()
    assert params.epoch == 10
    np.testing.assert_array_equal(params.weights, model.history_.W[10])
    handle.close()


def test_bad_arrays_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"X must be \(m, 2\)"):
        lrviz.view([[1, 2, 3]], [0])
    with pytest.raises(ValueError, match="3 classes"):
        lrviz.view([[0, 0], [1, 1], [2, 2]], ["a", "b", "c"])
    with pytest.raises(ValueError, match="not fitted"):
        lrviz.view(lrviz.GradientDescentClassifier())


def test_in_a_plain_script_view_blocks_until_the_window_closes(tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import lrviz\n"
        "from PySide6.QtCore import QTimer\n"
        "from lrviz.ui.main_window import MainWindow\n"
        "show = MainWindow.show\n"
        "def show_then_close(self):\n"
        "    show(self)\n"
        "    QTimer.singleShot(200, lambda: (self.mark_saved(), self.close()))\n"
        "MainWindow.show = show_then_close\n"
        "handle = lrviz.view([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]], ['no', 'yes', 'yes'])\n"
        "print('returned after the window closed:', handle.window.isVisible(), handle.params().class_names)\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}  # its own QSettings
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "returned after the window closed: False ('no', 'yes')"
