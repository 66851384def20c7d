"""The landscape of standardized training: drawn over the parameters the update uses,
w̃ = w·std, b̃ = b + w·mean; the path, marker and minimum mapped there, a hover's ghost and a
click's start mapped back to the raw parameters of the editor and the run."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import Dataset
from lrviz.core.landscape import Landscape, Minimum
from lrviz.core.trainer import Trainer
from tests.ui.test_landscape_plot import (
    pixel_size,
    viewport_pos,
    wait_for_picture,
    with_landscape,
)
from tests.ui.window_helpers import train_to


def unequal(m: int = 80, seed: int = 3) -> Dataset:
    """Features of very unequal spread: a narrow valley over (w1, w2), a round bowl over (w̃1, w̃2)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, 2))
    y = (X[:, 0] + 0.5 * X[:, 1] + 0.8 * rng.normal(size=m) > 0).astype(int)
    return Dataset(X * [4.0, 0.4] + [3.0, -1.0], y)


def standardized(qtbot, epochs: int = 40):
    win, plot = with_landscape(qtbot, unequal())
    win.controls.standardize_check.setChecked(True)
    assert win.run.settings.standardize
    train_to(qtbot, win, epochs)
    return win, plot, wait_for_picture(qtbot, plot)


def mapped(win, thetas: np.ndarray) -> np.ndarray:
    """Raw θ rows in standardized coordinates, by Trainer.scaling's map (computed here anew)."""
    points = win.run.snapshot()
    mean, std = Trainer(points.X, points.y, standardize=True).scaling
    return np.column_stack([thetas[:, :2] * std, thetas[:, 2] + thetas[:, :2] @ mean])


def test_the_path_is_the_history_in_standardized_coordinates(qtbot):
    win, plot, picture = standardized(qtbot)
    history = win.run.history
    points = win.run.snapshot()
    landscape = Landscape(points.X, points.y, win.run.settings.l2, True, trained_coordinates=True)
    expected = landscape.shown(history.theta)
    np.testing.assert_array_equal(plot.path_points(), expected[:, [0, 1]])
    np.testing.assert_allclose(expected, mapped(win, history.theta), rtol=1e-14, atol=1e-14)
    assert plot.marker_position() == tuple(expected[-1, [0, 1]])
    assert picture.request.theta[2] == expected[-1, 2]
    axis = plot.getPlotItem().getAxis("bottom").labelText, plot.getPlotItem().getAxis("left").labelText
    assert axis == ("w̃1", "w̃2")
    assert win.landscape.axes_combo.itemText(0) == "w̃1, w̃2"
    note = win.landscape.note.text()
    assert note.startswith(f"b̃ held at {expected[-1, 2]:.6g}") and "standardized coordinates" in note
    assert isinstance(picture.minimum, Minimum)
    np.testing.assert_allclose(plot.minimum_position(), landscape.minimum().theta[:2], rtol=1e-12)
    # the arrow points where the next epoch went in these coordinates: −α∇ of the update
    win.state.select_epoch(10)
    win.state.clock.flush()
    start, end = plot.arrow()
    np.testing.assert_array_equal(start, expected[10, :2])
    moved = expected[11, :2] - expected[10, :2]
    arrow = end - start
    assert np.dot(arrow, moved) / (np.linalg.norm(arrow) * np.linalg.norm(moved)) == pytest.approx(1.0, abs=1e-9)
    win.mark_saved()


def test_a_click_starts_at_the_raw_parameters_of_the_clicked_point(qtbot):
    win, plot, picture = standardized(qtbot)
    held = plot.shown(win.run.row(40).theta)[2]
    target = (0.3 * picture.x_range.low + 0.7 * picture.x_range.high,
              0.6 * picture.y_range.low + 0.4 * picture.y_range.high)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=viewport_pos(plot, *target))
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    start = win.run.row(0).theta  # raw: what RunController.start_at was given
    tilde = mapped(win, start[None, :])[0]
    assert np.all(np.abs(tilde[:2] - np.array(target)) <= pixel_size(plot))
    assert tilde[2] == pytest.approx(held, rel=1e-12, abs=1e-12)  # b̃ kept
    points = win.run.snapshot()
    assert win.run.row(0).loss == pytest.approx(
        Trainer(points.X, points.y, l2=win.run.settings.l2, standardize=True, w0=start[:2], b0=start[2]).current.loss,
        rel=1e-12)
    win.undo_action.trigger()
    qtbot.waitUntil(lambda: len(win.run.history) == 41)
    win.mark_saved()


def test_hovering_shows_the_trainers_loss_and_the_raw_ghost(qtbot):
    win, plot, picture = standardized(qtbot)
    target = (0.5 * (picture.x_range.low + picture.x_range.high), 0.25 * picture.y_range.low + 0.75 * picture.y_range.high)
    pos = QPointF(viewport_pos(plot, *target))
    move = QMouseEvent(QEvent.Type.MouseMove, pos, plot.viewport().mapToGlobal(pos), Qt.MouseButton.NoButton,
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(plot.viewport(), move)
    qtbot.waitUntil(lambda: win.state.ghost_params is not None)
    ghost = np.asarray(win.state.ghost_params)  # raw: the editor draws w·x + b = 0 of its points
    tilde = mapped(win, ghost[None, :])[0]
    assert np.all(np.abs(tilde[:2] - np.array(target)) <= pixel_size(plot))
    assert tilde[2] == pytest.approx(picture.request.theta[2], rel=1e-12, abs=1e-12)
    points = win.run.snapshot()
    trainer_loss = Trainer(points.X, points.y, l2=win.run.settings.l2, standardize=True,
                           w0=ghost[:2], b0=ghost[2]).current.loss
    hovered = plot.exact_landscape().exact_loss(plot.shown(ghost))
    assert hovered == pytest.approx(trainer_loss, rel=1e-12)
    text = win.landscape.hover.text()
    assert text.startswith("pointer: w̃1 = ") and f"L = {hovered:.10g}" in text
    assert f"L = {trainer_loss:.10g}" in text
    win.mark_saved()


def test_switching_standardization_off_goes_back_to_raw_coordinates(qtbot):
    win, plot, _picture = standardized(qtbot, epochs=10)
    win.controls.standardize_check.setChecked(False)
    win.controls.reset_button.click()  # standardization applies from a new epoch 0
    qtbot.waitUntil(lambda: len(win.run.history) == 1 and not win.run.settings.standardize)
    train_to(qtbot, win, 20)
    wait_for_picture(qtbot, plot)
    np.testing.assert_array_equal(plot.path_points(), win.run.history.theta[:, [0, 1]])
    assert plot.getPlotItem().getAxis("bottom").labelText == "w1"
    assert win.landscape.axes_combo.itemText(0) == "w1, w2"
    assert "standardized coordinates" not in win.landscape.note.text()
    win.mark_saved()
