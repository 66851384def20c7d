"""Presentation mode (F5, Esc) and View ▸ Zoom: everything scaled in one place, nothing cut off,
and every size back as built when leaving."""

from __future__ import annotations


import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractButton, QLabel

from lrviz.core.dataset import default_dataset
from lrviz.ui.presentation import PRESENTATION_SCALE
from tests.ui.window_helpers import shown_window, train_to


def sizes(win) -> dict:
    """What presentation mode scales: widget fonts, tick fonts, marker sizes and pen widths."""
    editor = win.editor
    scatter = editor._scatters[0]
    axis = editor.getPlotItem().getAxis("bottom")
    return {
        "window font": win.font().pointSizeF(),
        "readout font": win.readout.font().pointSizeF(),
        "class button font": win.controls.class_group.button(0).font().pointSizeF(),
        "tick font": None if axis.style["tickFont"] is None else axis.style["tickFont"].pointSizeF(),
        "marker": scatter.opts["size"],
        "boundary pen": editor._boundary.pen().widthF(),
        "arrow label": editor._arrow_label.font().pointSizeF(),
        "loss curve": win.loss_plot._line.path_item.pen().widthF(),
        "cursor": win.loss_plot.cursor.line_item.pen().widthF(),
    }


def clipped_texts(win) -> list[str]:
    """Labels and buttons whose text is wider than the widget shows (visible ones only)."""
    clipped = []
    for widget in win.findChildren(QLabel) + win.findChildren(QAbstractButton):
        if not widget.isVisibleTo(win) or not widget.text() or (isinstance(widget, QLabel) and widget.wordWrap()):
            continue
        if isinstance(widget, QLabel) and widget.textFormat() != Qt.TextFormat.PlainText and GuiQt.mightBeRichText(widget.text()):
            document = QTextDocument()  # a rich-text label ("<b>training</b>") shows its text, not its tags
            document.setDocumentMargin(0)
            document.setDefaultFont(widget.font())
            document.setHtml(widget.text())
            needed = document.idealWidth()
        else:
            lines = widget.text().replace("&", "").splitlines()
            needed = max(widget.fontMetrics().horizontalAdvance(line) for line in lines)
        if isinstance(widget, QAbstractButton) and not widget.icon().isNull():
            needed += widget.iconSize().width()
        if needed > widget.width():
            clipped.append(f"{widget.objectName() or type(widget).__name__}: {widget.text()!r} "
                           f"needs {needed} px, has {widget.width()}")
    return clipped


@pytest.fixture
def win(qtbot):
    window = shown_window(qtbot, default_dataset())
    train_to(qtbot, window, 50)
    window.state.clock.flush()
    return window


def test_f5_presents_everything_larger_and_esc_restores_every_size(qtbot, win):
    before = sizes(win)
    win.findChild(type(win.presentation.presentation_action), "presentationAction").trigger()
    assert win.isFullScreen() and win.presentation.presenting
    assert not win.statusBar().isVisible()
    assert not win.controls.learning_rate_spin.isVisibleTo(win)  # the side panel is compact
    during = sizes(win)
    for name, value in before.items():
        if value is None:  # the axis drew with the application's font
            assert during[name] > 0
        else:
            assert during[name] == pytest.approx(value * PRESENTATION_SCALE), name
    win.findChild(type(win.presentation.presentation_action), "leavePresentationAction").trigger()
    assert not win.isFullScreen() and not win.presentation.presenting
    assert sizes(win) == before
    assert win.statusBar().isVisible() and win.controls.learning_rate_spin.isVisibleTo(win)


def test_esc_belongs_to_the_editor_outside_presentation_mode(win):
    assert not win.presentation.leave_presentation_action.isEnabled()
    win.presentation.set_presenting(True)
    assert win.presentation.leave_presentation_action.isEnabled()
    assert win.presentation.leave_presentation_action.shortcut().toString() == "Esc"


def test_zoom_in_and_out_scale_the_same_way_and_actual_size_restores(qtbot, win):
    before = sizes(win)
    win.presentation.zoom_in_action.trigger()
    win.presentation.zoom_in_action.trigger()
    scale = win.presentation.scale
    assert scale > 1.2
    assert sizes(win)["marker"] == pytest.approx(before["marker"] * scale)
    assert sizes(win)["readout font"] == pytest.approx(before["readout font"] * scale)
    win.presentation.zoom_out_action.trigger()
    assert 1 < win.presentation.scale < scale
    win.presentation.zoom_reset_action.trigger()
    assert sizes(win) == before
    assert [s.toString() for s in win.presentation.zoom_in_action.shortcuts()][0] == "Ctrl+="
    assert win.presentation.zoom_out_action.shortcut().toString() == "Ctrl+-"


def test_no_text_is_cut_off_when_presenting_or_zoomed_in(qtbot, win, tmp_path):
    win.presentation.set_presenting(True)
    qtbot.waitUntil(lambda: clipped_texts(win) == [])  # once the layouts have taken the new sizes
    win.grab().save(str(tmp_path / "presenting.png"))  # (a look, when it fails)
    win.presentation.set_presenting(False)
    win.resize(1280, 720)
    for _ in range(3):
        win.presentation.zoom_in_action.trigger()
    qtbot.waitUntil(lambda: clipped_texts(win) == [])


def test_the_plots_draw_their_ticks_larger_when_presenting(win):
    win.presentation.set_presenting(True)
    for plot in (win.loss_plot, win.params_plot, win.editor):
        font = plot.getPlotItem().getAxis("left").style["tickFont"]
        assert font is not None and font.pointSizeF() > 1.5 * pg.QtWidgets.QApplication.font().pointSizeF()
