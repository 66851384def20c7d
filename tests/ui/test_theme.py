"""View ▸ Theme: dark and light views, colours restored exactly, images exported light unless asked."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPalette

from lrviz.core.dataset import default_dataset
from lrviz.ui.main_window import MainWindow
from lrviz.ui.render.theme import DARK, LIGHT, current_theme, system_theme
from tests.ui.window_helpers import answer_file_dialogs, shown_window, train_to


def colours(win) -> dict:
    editor = win.editor
    return {
        "background": editor.backgroundBrush().color().name(),
        "boundary": editor._boundary.pen().color().name(),
        "outline": editor._scatters[0].opts["pen"].color().name(),
        "axis text": editor.getPlotItem().getAxis("bottom").textPen().color().name(),
        "loss": win.loss_plot._curve.opts["pen"].color().name(),
        "heatmap middle": tuple(int(v) for v in editor._heatmap.lut()[128]),
        "window": win.palette().color(QPalette.ColorRole.Window).name(),
    }


def luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[k:k + 2], 16) for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_theme_colours_every_view_and_light_restores_them(qtbot):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 30)
    light = colours(win)
    win.theme.actions["dark"].trigger()
    dark = colours(win)
    assert current_theme(win) is DARK
    assert luminance(dark["background"]) < 60 and luminance(light["background"]) > 200
    assert luminance(dark["window"]) < 60
    for ink in ("boundary", "outline", "axis text", "loss"):  # light ink on dark, dark ink on light
        assert luminance(dark[ink]) > 180 and luminance(light[ink]) < 80, ink
    assert sum(dark["heatmap middle"]) < 200 < sum(light["heatmap middle"])
    # the class colours are the same Okabe–Ito ones
    assert win.editor._scatters[1].opts["brush"].color().name() == "#d55e00"
    win.theme.actions["light"].trigger()
    assert colours(win) == light


def test_the_choice_is_remembered_and_system_follows_the_style_hints(qtbot):
    win = shown_window(qtbot, default_dataset())
    win.theme.choose("dark")
    win.mark_saved()
    win.close()
    again = MainWindow(default_dataset())
    qtbot.addWidget(again)
    assert again.theme.choice == "dark" and current_theme(again) is DARK
    assert again.theme.actions["dark"].isChecked()
    again.theme.choose("system")
    assert current_theme(again) is system_theme()  # Qt's styleHints().colorScheme(); light when unknown
    assert system_theme() is LIGHT or system_theme() is DARK


def _mean_brightness(path) -> float:
    image = QImage(str(path)).convertToFormat(QImage.Format.Format_Grayscale8)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes()).copy()
    return float(data.mean())


def test_images_are_exported_light_unless_dark_exports_are_asked_for(qtbot, monkeypatch, tmp_path):
    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 30)
    win.theme.choose("dark")
    light_path, dark_path = tmp_path / "light.png", tmp_path / "dark.png"
    answer_file_dialogs(monkeypatch, save_path=light_path)
    win.window_image_exports.export_window_image_action.trigger()
    assert current_theme(win) is DARK  # the window is dark again after the export
    win.theme.dark_exports_action.trigger()
    answer_file_dialogs(monkeypatch, save_path=dark_path)
    win.exports.export_plot_action.trigger()
    assert _mean_brightness(light_path) > 150 and _mean_brightness(dark_path) < 90


def test_an_animation_exported_in_the_dark_theme_is_light(qtbot, tmp_path):
    from PIL import Image

    from lrviz.ui.animation.dialog import AnimationOptions

    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 30)
    win.theme.choose("dark")
    job = win.animation_exports.start(AnimationOptions(width=320, height=240, seconds=0.5, fps=4),
                                      str(tmp_path / "a.gif"))
    with qtbot.waitSignal(job.finished, timeout=60000):
        pass
    frame = np.asarray(Image.open(tmp_path / "a.gif").convert("L"))
    assert frame.mean() > 150
    assert current_theme(win) is DARK


def test_items_and_views_added_after_a_theme_or_zoom_change_get_it_at_once(qtbot):
    """Not at the next change: an item added to a view, and a view added to the window, are
    drawn in the theme and at the zoom the window has now."""
    import pyqtgraph as pg
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPen
    from PySide6.QtWidgets import QDockWidget, QGraphicsLineItem

    from lrviz.ui.render.style import BOUNDARY_COLOR

    win = shown_window(qtbot, default_dataset())
    train_to(qtbot, win, 10)
    win.theme.actions["dark"].trigger()
    win.presentation.zoom_by(1)
    scale = win.presentation.scale
    assert scale > 1
    line = QGraphicsLineItem(0, 0, 1, 1)
    line.setPen(QPen(QColor(*BOUNDARY_COLOR), 2.0))
    win.loss_plot.getPlotItem().getViewBox().addItem(line)
    scatter = pg.ScatterPlotItem([0.5], [0.5], size=10, pen=pg.mkPen((25, 25, 25), width=1))
    win.loss_plot.addItem(scatter)
    win.loss_plot.viewport().update()
    qtbot.waitUntil(lambda: line.pen().color().name() != QColor(*BOUNDARY_COLOR).name())
    assert luminance(line.pen().color().name()) > 180  # light ink on the dark background
    assert line.pen().widthF() == 2.0 * scale
    assert scatter.opts["size"] == 10 * scale and luminance(scatter.opts["pen"].color().name()) > 180

    dock = QDockWidget("later", win)
    plot = pg.PlotWidget()
    label_axis = plot.getPlotItem().getAxis("bottom")
    label_axis.setTextPen(pg.mkPen((60, 60, 60)))  # as lrviz's views build their axes
    dock.setWidget(plot)
    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    qtbot.waitUntil(lambda: luminance(plot.backgroundBrush().color().name()) < 60)
    qtbot.waitUntil(lambda: luminance(label_axis.textPen().color().name()) > 180)

    win.presentation.reset_zoom()
    win.theme.actions["light"].trigger()  # and back: as built
    assert line.pen().widthF() == 2.0 and line.pen().color().name() == QColor(*BOUNDARY_COLOR).name()
    assert scatter.opts["size"] == 10
    assert luminance(plot.backgroundBrush().color().name()) > 200
