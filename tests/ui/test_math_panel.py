"""The math panel: Help ▸ The Math shows it, it follows the shown epoch and the selected point,
its numbers are the core's, and it copies as LaTeX and as plain text."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget
from window_helpers import shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.explain import explain

OVERLAPPING = make_preset("overlapping", 40, 0.3, 1)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, OVERLAPPING)
    yield win
    win.close()


def shown(value: float) -> str:
    """A number as the panel writes it: 6 significant digits, a true minus sign."""
    return f"{value:.6g}".replace("-", "−")


def _open(win):
    win.math_action.trigger()
    win.state.clock.flush()
    return win.math_panel


def test_help_the_math_opens_the_dock_beside_the_plots(window, message_boxes):
    panel = window.findChild(QDockWidget, "mathPanel")
    assert panel is window.math_panel and not panel.isVisible()
    assert window.math_action.shortcut().toString() == "F1"
    _open(window)
    assert panel.isVisible() and message_boxes.shown == []  # no message box any more
    assert window.dockWidgetArea(panel) == Qt.DockWidgetArea.RightDockWidgetArea
    assert panel.features() & QDockWidget.DockWidgetFeature.DockWidgetFloatable  # can be undocked
    text = panel.plain_text()
    assert "Zhengxiang (Jack) Wang" in text
    assert "Hands-on tutorial for writing out gradient descent for logistic regression model" in text
    toggle = window.math_panel_action
    assert toggle.isCheckable() and toggle.isChecked()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert toggle in view_menu.actions()
    toggle.trigger()
    assert not panel.isVisible()


def test_equations_in_the_tutorials_order_with_the_shown_epochs_numbers(window, qtbot):
    train_to(qtbot, window, 30)
    window.state.select_epoch(12)
    panel = _open(window)
    text = panel.plain_text()
    tags = re.findall(r"\((\d-\d+)\)$", text, flags=re.MULTILINE)
    assert tags == ["1-2", "1-2", "2-1", "3-5", "3-8", "3-8", "3-10", "4-2", "4-2", "4-3"]
    assert "No point selected" in text and "Click a point" in text
    ex = explain(window.run, 12)
    assert f"= {shown(ex.total_loss)}   (2-1)" in text
    assert f"= {shown(ex.next_theta[2])}   (4-3)" in text
    assert "This is epoch 13 in the history" in text
    assert f"2/L = {ex.bound.largest_rate:.6g}" in text
    # the next epoch's row, in numbers, is what (4-2) gives
    row = window.run.row(13)
    assert f"= {shown(row.w[0])}   (4-2)" in text


def test_a_selected_point_shows_its_own_terms(window, qtbot):
    train_to(qtbot, window, 20)
    window.state.select_epoch(20)
    window.state.select_point(3)
    panel = _open(window)
    text = panel.plain_text()
    tags = re.findall(r"\((\d-\d+)\)$", text, flags=re.MULTILINE)
    assert tags[:9] == ["1-2", "1-2", "2-2", "2-3", "2-1", "3-5", "3-7", "3-7", "3-9"]
    terms = explain(window.run, 20).point(3)
    assert "Point i = 4 of m = 40" in text
    for value, tag in ((terms.z, "1-2"), (terms.y_hat, "1-2"), (terms.loss, "2-3"), (terms.residual, "3-5")):
        assert f"= {shown(value)}   ({tag})" in text, (value, tag)
    assert "the step the next epoch will take" in text  # epoch 20 is the newest
    window.state.select_point(None)
    window.state.clock.flush()
    assert "No point selected" in panel.plain_text()


def test_standardized_training_shows_the_mapping_to_raw_parameters(qtbot):
    far = make_preset("overlapping", 30, 0.3, 2)
    from lrviz.core.dataset import Dataset

    shifted = Dataset(far.X * 50 + 200, far.y)
    win = shown_window(qtbot, shifted)
    win.controls.standardize_check.setChecked(True)
    qtbot.waitUntil(lambda: win.run.settings.standardize and len(win.run.history) == 1)
    train_to(qtbot, win, 10)
    win.state.select_epoch(4)
    text = _open(win).plain_text()
    ex = explain(win.run, 4)
    assert "Standardized training" in text
    assert shown(ex.mean[0]) in text and shown(ex.std[1]) in text
    assert shown(ex.w_raw[0]) in text  # the raw w the editor draws
    assert "X̃ | 1" in text
    win.close()


def test_copy_as_latex_and_as_text(window, qtbot):
    train_to(qtbot, window, 5)
    window.state.select_point(0)
    _open(window)
    window.copy_math_action.trigger()
    latex = QApplication.clipboard().text()
    assert r"\frac{1}{m}\sum_{i=1}^{m}" in latex
    assert r"\tag{2-1}" in latex and r"\hat{y}_{i}" in latex
    assert latex.count(r"\[") == latex.count(r"\]") >= 10
    assert all(line.startswith((r"\[", "%")) for line in latex.splitlines())
    for line in latex.splitlines():
        if line.startswith(r"\["):  # balanced braces, and no Unicode math symbol left in math mode
            assert line.count("{") == line.count("}"), line
            assert not set(line) & set("αλσŷμ−·←∂‖"), line
    window.copy_math_text_action.trigger()
    text = QApplication.clipboard().text()
    assert re.search(r"<[a-z/]|&[a-z]+;", text) is None and "\\" not in text  # no HTML, no LaTeX
    equations = [line for line in text.splitlines() if re.search(r"\(\d-\d+\)$", line)]
    assert len(equations) >= 10  # one equation a line, continuation rows included
    assert any(line.startswith("zᵢ = w₁xᵢ₁ + w₂xᵢ₂ + b = ") for line in equations)


def test_the_panel_follows_the_timeline(window, qtbot):
    train_to(qtbot, window, 10)
    panel = _open(window)
    window.state.select_epoch(3)
    window.state.clock.flush()
    assert panel.text.toPlainText().startswith("Epoch 3:")
    window.state.select_epoch(7)
    window.state.clock.flush()
    assert panel.text.toPlainText().startswith("Epoch 7:")
    assert np.isfinite(panel.explanation.total_loss)


def test_hidden_panel_computes_nothing(window, qtbot):
    train_to(qtbot, window, 5)
    window.state.clock.flush()
    assert window.math_panel.explanation is None
