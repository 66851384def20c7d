"""File ▸ Export Window Image: the editor and both plots in one PNG or SVG, placed as on screen."""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDockWidget, QLabel

from lrviz.core.dataset import default_dataset
from lrviz.ui.render.views_image import layout_of
from tests.ui.window_helpers import answer_file_dialogs, shown_window, train_to


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3).copy()  # a copy while the image's memory is alive


def test_the_png_holds_editor_and_plots_where_they_are_on_screen(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 60)
    path = tmp_path / "window.png"
    answer_file_dialogs(monkeypatch, save_path=path)
    win.window_image_exports.export_window_image_action.trigger()
    image = QImage(str(path))
    bounds, placed = layout_of(win.shown_views(), win)
    assert image.size() == bounds.size()
    assert [widget for widget, _rect in placed] == [win.editor, win.loss_plot, win.params_plot]
    side = win.controls.mapTo(win, win.controls.rect().topLeft())
    assert side.x() < win.editor.mapTo(win, win.editor.rect().topLeft()).x()  # the controls are left out
    picture = pixels(image)
    for widget, rect in placed:
        own = pixels(widget.grab().toImage())
        shown = picture[rect.top():rect.bottom() + 1, rect.left():rect.right() + 1]
        assert np.array_equal(shown, own), widget.objectName()


def test_the_svg_has_vectors_of_every_view_and_a_dock_shown(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, default_dataset())
    dock = QDockWidget("extra", win)
    label = QLabel("a view in a dock")
    label.setTextFormat(Qt.TextFormat.PlainText)
    dock.setWidget(label)
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    qtbot.waitUntil(label.isVisible)
    assert label in win.shown_views()
    path = tmp_path / "window.svg"
    answer_file_dialogs(monkeypatch, save_path=path)
    win.window_image_exports.export_window_image_action.trigger()
    text = path.read_text(encoding="utf-8")
    labels = re.findall(r">([^<>]*)</text>", text)
    # the axes' titles of the editor and both plots are text, not pixels; and the dock is in it
    assert {"x1", "x2", "loss L (2-1)", "parameter value", "a view in a dock"} <= {t.strip() for t in labels}
    assert [t.strip() for t in labels].count("epoch") == 2
    assert "<polyline" in text or "<path" in text
    dock.hide()
    assert label not in [w for w, _r in layout_of(win.shown_views(), win)[1]]
