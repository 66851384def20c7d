"""The math panel shows each optimizer's own update at the shown epoch (issue 14): its
heading and source, its state (velocity, moments and bias correction, the mini-batch, the
Hessian step) with the numbers of core/explain_optimizer.py, and a ✓ when it is the history's
next row; gradient descent keeps the tutorial's section 4."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox

from lrviz.core.dataset import make_preset
from lrviz.core.explain_optimizer import optimizer_step
from lrviz.ui.panels.math_pieces import num
from tests.ui.window_helpers import shown_window, train_to

MOONS = make_preset("moons", n_points=40, noise=0.15, seed=2)
EXPECTED = {
    "momentum": ("4. Momentum: the update of epoch 20", "Sutskever", "v_prev"),
    "nesterov": ("4. Nesterov momentum: the update of epoch 20", "Nesterov (1983)", "look"),
    "adam": ("4. Adam: the update of epoch 20", "Kingma & Ba", "m_hat"),
    "sgd": ("4. Mini-batch stochastic gradient descent: the update of epoch 20", "Robbins & Monro", "g_first"),
    "newton": ("4. Newton's method: the update of epoch 20", "Boyd & Vandenberghe", "step"),
}


def window_with(qtbot, optimizer: str, degree: str = "1"):
    win = shown_window(qtbot, MOONS)
    for name, data in (("featuresCombo", degree), ("optimizerCombo", optimizer)):
        combo = win.findChild(QComboBox, name)
        combo.setCurrentIndex(combo.findData(data))
    qtbot.waitUntil(lambda: win.run.settings.optimizer == optimizer and len(win.run.history) == 1)
    train_to(qtbot, win, 40)
    win.math_action.trigger()
    win.state.select_epoch(20)
    return win


@pytest.mark.parametrize("optimizer", sorted(EXPECTED))
def test_the_panel_shows_the_optimizers_update_with_its_numbers(qtbot, optimizer):
    win = window_with(qtbot, optimizer)
    text = win.math_panel.plain_text()
    heading, source, quantity = EXPECTED[optimizer]
    assert heading in text and source in text
    assert "4. Gradient descent" not in text
    assert "✓ This is epoch 21 in the history" in text
    step = optimizer_step(win.run, 20)
    assert win.math_panel.optimizer_step is not None
    for value in step.values[quantity]:  # the numbers of the update, as shown
        assert num(value).text in text
    latex = win.math_panel.latex()
    assert "\\theta" in latex


def test_gradient_descent_keeps_the_tutorials_step(qtbot):
    win = window_with(qtbot, "gd")
    text = win.math_panel.plain_text()
    assert "4. Gradient descent" in text and win.math_panel.optimizer_step is None


def test_the_newest_epoch_shows_the_coming_update(qtbot):
    win = window_with(qtbot, "adam", "2")
    win.state.select_epoch(40)
    text = win.math_panel.plain_text()
    assert "4. Adam: the update of epoch 40" in text and "this is step t = 41" in text
    assert "is the newest" in text
