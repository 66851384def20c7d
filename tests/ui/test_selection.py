"""The selected point: a click selects, a ring marks it, Escape clears, Delete deletes (one
undo step); a drag or a click on empty space still moves or places points. Hovering a point
shows its numbers at the shown epoch, the core's."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QToolTip
from window_helpers import shown_window, train_to

from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.model import sigmoid
from lrviz.ui.editor.point_editor import PointEditor
from lrviz.ui.editor.selection_layer import point_tooltip
from lrviz.ui.state import WindowState

LEFT = Qt.MouseButton.LeftButton
START = Dataset([[-2.0, -2.0], [2.0, 2.0], [1.0, -1.0]], [0, 1, 1])


@pytest.fixture
def editor(qtbot):
    widget = PointEditor(WindowState(START.copy()))
    qtbot.addWidget(widget)
    widget.resize(600, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.view_box.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    return widget


def _pixel(editor, x, y) -> QPoint:
    return editor.data_to_viewport(x, y).toPoint()


def _ring_centre(editor) -> np.ndarray:
    pos = editor.selection.ring.pos()
    return np.array([pos.x(), pos.y()])


def test_a_click_on_a_point_selects_it_and_rings_it(qtbot, editor):
    state = editor._state
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 2.0, 2.0) + QPoint(2, 1))
    assert state.selected_point == 1
    assert editor.selection.ring.isVisible()
    np.testing.assert_array_equal(_ring_centre(editor), [2.0, 2.0])
    assert editor.model.dataset == START and editor.model.undo_stack.count() == 0  # selecting edits nothing
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, 1.0, -1.0))
    assert state.selected_point == 2
    np.testing.assert_array_equal(_ring_centre(editor), [1.0, -1.0])


def test_a_click_on_empty_space_still_places_a_point_and_a_drag_moves_one(qtbot, editor):
    state = editor._state
    qtbot.mouseClick(editor.viewport(), LEFT, pos=_pixel(editor, -3.0, 3.0))
    assert len(editor.model.dataset) == 4 and state.selected_point is None
    start = _pixel(editor, -2.0, -2.0)
    qtbot.mousePress(editor.viewport(), LEFT, pos=start)
    for step in (QPoint(10, 0), QPoint(30, 0)):
        event = QMouseEvent(QEvent.Type.MouseMove, QPointF(start + step), QPointF(start + step), Qt.MouseButton.NoButton,
                            LEFT, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(editor.viewport(), event)
    qtbot.mouseRelease(editor.viewport(), LEFT, pos=start + QPoint(30, 0))
    assert editor.model.dataset.point(0)[0] > -2.0  # moved
    assert state.selected_point is None  # a drag is no click


def test_the_ring_follows_a_moved_point(qtbot, editor):
    editor._state.select_point(0)
    editor.model.move_point(0, 0.5, 0.25)
    np.testing.assert_array_equal(_ring_centre(editor), [0.5, 0.25])


def test_escape_clears_and_delete_deletes_in_one_undo_step(qtbot, editor):
    state = editor._state
    state.select_point(1)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert state.selected_point is None and not editor.selection.ring.isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)  # nothing selected: nothing deleted
    assert len(editor.model.dataset) == 3
    state.select_point(1)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert len(editor.model.dataset) == 2 and state.selected_point is None
    assert editor.model.dataset.point(1) == (1.0, -1.0, 1)
    assert editor.model.undo_stack.count() == 1
    editor.model.undo_stack.undo()
    assert editor.model.dataset == START


def test_hover_shows_the_points_numbers_at_the_shown_epoch(qtbot):
    data = make_preset("overlapping", 30, 0.3, 4)
    win = shown_window(qtbot, data)
    train_to(qtbot, win, 15)
    win.state.select_epoch(9)
    index = 5
    text = point_tooltip(win.state, index)
    row = win.run.row(9)
    x, label = data.X[index], int(data.y[index])
    z = float(x @ row.w + row.b)
    y_hat = float(sigmoid(z))
    loss = -np.log(y_hat) if label else -np.log(1 - y_hat)

    def shown(value):
        return f"{value:.6g}".replace("-", "−")

    assert f"x = ({shown(x[0])}, {shown(x[1])}), label y = {label}" in text
    assert f"at epoch 9:  z = {shown(z)}   ŷ = σ(z) = {shown(y_hat)}" in text
    assert f"loss (2-2) = {shown(loss)}" in text
    editor = win.editor
    pixel = _pixel(editor, *x)
    QApplication.sendEvent(editor.viewport(), QHelpEvent(QEvent.Type.ToolTip, pixel, editor.viewport().mapToGlobal(pixel)))
    assert QToolTip.text() == text
    win.close()


def test_deleting_another_point_keeps_the_selection_on_its_point(qtbot, editor):
    state = editor._state
    state.select_point(2)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.RightButton, pos=_pixel(editor, -2.0, -2.0))
    assert len(editor.model.dataset) == 2
    assert state.selected_point == 1 and editor.model.dataset.point(1) == (1.0, -1.0, 1)
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.RightButton, pos=_pixel(editor, 1.0, -1.0))
    assert state.selected_point is None  # the selected point itself was deleted
