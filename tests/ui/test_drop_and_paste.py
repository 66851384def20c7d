"""Drag and drop a file onto the window opens it; Ctrl+V in the editor pastes spreadsheet rows (undoable)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from lrviz.core.dataset import Dataset
from lrviz.core.formats import write_points_csv
from window_helpers import shown_window

START = Dataset([[0.0, 0.0], [1.0, 1.0]], [0, 1], class_names=("cat", "dog"))


def _drop(widget, mime: QMimeData) -> tuple[bool, bool]:
    """Send a drag-enter and a drop of `mime` to `widget`; whether each was accepted."""
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_a_file_dropped_on_the_plot_or_the_window_opens_like_file_open(qtbot, tmp_path, message_boxes):
    win = shown_window(qtbot, START)
    path = tmp_path / "dropped.csv"
    dropped = Dataset([[2.0, 3.0], [4.0, 5.0], [6.0, 1.0]], [1, 0, 1])
    write_points_csv(path, dropped)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert _drop(win.editor.viewport(), mime) == (True, True)
    assert win.points.dataset == dropped and win.documents.data_path == str(path)
    write_points_csv(path, START)
    assert _drop(win, mime) == (True, True)
    assert win.points.dataset == START


def test_text_or_web_links_are_not_taken(qtbot, message_boxes):
    win = shown_window(qtbot, START)
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/data.csv")])
    assert _drop(win, mime) == (False, False)
    assert win.points.dataset == START


def test_ctrl_v_pastes_tab_separated_rows_as_one_undo_step(qtbot, message_boxes):
    win = shown_window(qtbot, START)
    QGuiApplication.clipboard().setText("x1\tx2\tlabel\n0.5\t-1\tdog\n2\t3\t0\t\n\n-4\t1e-3\tcat\n")
    win.editor.setFocus()
    qtbot.keyClick(win.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(win.points.dataset) == 5
    np.testing.assert_array_equal(win.points.dataset.X[2:], [[0.5, -1.0], [2.0, 3.0], [-4.0, 1e-3]])
    np.testing.assert_array_equal(win.points.dataset.y, [0, 1, 1, 0, 0])
    assert win.points.dataset.class_names == ("cat", "dog")
    win.points.undo_stack.undo()
    assert win.points.dataset == START
    QGuiApplication.clipboard().setText("1\t2\t0\n3\tx\t1\n")
    qtbot.keyClick(win.editor, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert win.points.dataset == START
    kind, title, text = message_boxes.shown[-1]
    assert kind == "warning" and title == "Could not paste the points" and "pasted line 2" in text
