"""optimizerCombo (issue 14): each optimizer's parameters are shown only for it; the worker
trains with OptimizedTrainer; a session keeps the optimizer, its parameters and its state, so
200 epochs straight equal 100 + save + open + 100 (to 1e-12); version-2 files without these
fields still open."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QComboBox

from lrviz.core.dataset import make_preset
from lrviz.core.features import FeatureMap
from lrviz.core.formats import read_session
from lrviz.core.optim import OptimizerSettings
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.ui.main_window import MainWindow
from tests.ui.window_helpers import answer_file_dialogs, shown_window, train_to

MOONS = make_preset("moons", n_points=60, noise=0.15, seed=5)


def choose(win, name: str, data) -> None:
    combo = win.findChild(QComboBox, name)
    combo.setCurrentIndex(combo.findData(data))


def configured(qtbot, optimizer: str, degree: str = "1") -> MainWindow:
    win = shown_window(qtbot, MOONS)
    choose(win, "featuresCombo", degree)
    choose(win, "optimizerCombo", optimizer)
    qtbot.waitUntil(lambda: win.run.settings.optimizer == optimizer and len(win.run.history) == 1)
    return win


def test_parameters_show_only_for_their_optimizer(qtbot):
    win = shown_window(qtbot, MOONS)
    box = win.controls.model_box
    for optimizer, shown in (("gd", set()), ("sgd", {"batch_size"}), ("momentum", {"momentum"}),
                             ("nesterov", {"momentum"}), ("adam", {"beta1", "beta2", "eps"}), ("newton", set())):
        choose(win, "optimizerCombo", optimizer)
        visible = {name for name, spin in box.parameter_fields.items() if box._form.isRowVisible(spin)}
        assert visible == shown, optimizer
    assert win.controls.seed_spin.isEnabled() is False  # newton: the seed is not used (zeros start)


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam", "sgd", "nesterov", "newton"])
def test_200_straight_equal_100_saved_opened_and_100_more(qtbot, monkeypatch, tmp_path, optimizer):
    straight = configured(qtbot, optimizer, "2")
    train_to(qtbot, straight, 200)
    first = configured(qtbot, optimizer, "2")
    train_to(qtbot, first, 100)
    path = tmp_path / "half.lrviz.json"
    answer_file_dialogs(monkeypatch, open_path=path, save_path=path)
    first.documents.save_session_action.trigger()
    saved = json.loads(path.read_text())
    assert saved["settings"]["optimizer"] == optimizer and saved["settings"]["degree"] == 2
    assert ("optimizer_state" in saved) == (optimizer != "gd")
    second = MainWindow()
    qtbot.addWidget(second)
    second.show()
    second.documents.open_session_action.trigger()
    qtbot.waitUntil(lambda: second.run.history.last_epoch == 100)
    assert second.run.settings.optimizer == optimizer
    assert second.findChild(QComboBox, "optimizerCombo").currentData() == optimizer
    train_to(qtbot, second, 200)
    a, b = straight.run.history, second.run.history
    np.testing.assert_array_equal(a.epochs, b.epochs)
    np.testing.assert_allclose(b.theta, a.theta, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(b.loss, a.loss, rtol=1e-12, atol=1e-15)
    # and the straight run is the core's OptimizedTrainer on φ(x)
    expected = OptimizedTrainer(FeatureMap(2).transform(MOONS.X), MOONS.y, OptimizerSettings(optimizer)).run(200)
    np.testing.assert_allclose(a.theta[-1], np.append(expected.W[-1], expected.b[-1]), rtol=1e-10, atol=1e-12)


def test_version_2_sessions_without_the_new_fields_still_open(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, MOONS)
    train_to(qtbot, win, 10)
    path = tmp_path / "plain.lrviz.json"
    answer_file_dialogs(monkeypatch, open_path=path, save_path=path)
    win.documents.save_session_action.trigger()
    data = json.loads(path.read_text())
    assert data["format"] == "lrviz-session/2" and "degree" not in data["settings"] and "optimizer_state" not in data
    session = read_session(path)
    assert session.settings.optimizer == "gd" and session.settings.degree == 1
    other = MainWindow()
    qtbot.addWidget(other)
    other.documents.open_session_action.trigger()
    qtbot.waitUntil(lambda: other.run.history.last_epoch == 10)
    assert other.run.history.names == ("w1", "w2", "b")
