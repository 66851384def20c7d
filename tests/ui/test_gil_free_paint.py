"""The views paint in C++ (no Python frame holding the GIL around the painting)."""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest
from PySide6.QtWidgets import QGraphicsView

from lrviz.ui.plots.loss_plot import LossPlot
from lrviz.ui.plots.params_plot import ParamsPlot
from lrviz.ui.state import WindowState
from lrviz.ui.editor.point_editor import PointEditor


@pytest.mark.parametrize("view_class", [PointEditor, LossPlot, ParamsPlot])
def test_views_use_the_cpp_paint_event(view_class):
    assert view_class.paintEvent is QGraphicsView.paintEvent


def test_a_view_is_freed_by_reference_counting_not_left_to_the_cyclic_gc(qtbot):
    """A view kept alive only by a reference cycle is destroyed whenever the cyclic GC runs,
    which can be in the middle of its own paint (a crash seen with a filter that held its
    view strongly). Without the cyclic GC, dropping the last reference must free it."""
    gc.collect()
    gc.disable()
    try:
        plot = LossPlot(WindowState())
        plot.set_history(np.arange(10), np.linspace(1, 0, 10))
        alive = weakref.ref(plot)
        del plot
        assert alive() is None
    finally:
        gc.enable()


def test_a_closed_view_can_still_be_repainted(qtbot):
    plot = ParamsPlot(WindowState())
    qtbot.addWidget(plot)
    plot.show()
    plot.set_history(np.arange(5), np.zeros((5, 2)), np.zeros(5))
    plot.close()  # pyqtgraph's close() deletes the scene's items
    plot.viewport().repaint()  # a cleared scene, painted from C++: no deleted item is touched
    assert plot.closed


def test_painting_keeps_the_view_current(qtbot):
    """pyqtgraph's preparation (ranges, transforms) still runs before each paint."""
    editor = PointEditor(WindowState())
    qtbot.addWidget(editor)
    editor.resize(400, 400)
    editor.show()
    qtbot.waitExposed(editor)
    editor.view_box.setRange(xRange=(0, 10), yRange=(0, 10), padding=0)
    first = editor.grab().toImage()
    editor.view_box.setRange(xRange=(100, 1000), yRange=(100, 1000), padding=0)
    second = editor.grab().toImage()
    assert first != second
    (x0, x1), _ = editor.view_box.viewRange()
    assert x0 == pytest.approx(100) and x1 == pytest.approx(1000)


def test_an_opaque_background_is_filled_once_and_still_shown(qtbot):
    """With an opaque background the viewport is marked as painting every pixel (no fill
    with the palette's colour first); its background is still what the view shows."""
    from PySide6.QtCore import Qt

    plot = LossPlot(WindowState())
    qtbot.addWidget(plot)
    plot.resize(300, 200)
    plot.show()
    qtbot.waitExposed(plot)
    viewport, opaque = plot.viewport(), Qt.WidgetAttribute.WA_OpaquePaintEvent
    viewport.grab()  # a paint
    assert viewport.testAttribute(opaque)
    plot.setBackground((30, 40, 50))  # as a dark theme does
    viewport.grab()
    assert viewport.grab().toImage().pixelColor(1, 1).getRgb()[:3] == (30, 40, 50)
    plot.setBackground(None)  # no background of its own: the palette's fill comes back
    viewport.grab()
    assert not viewport.testAttribute(opaque)
