"""Copies of the window's views for filming: the same kind of view, bound to the film's own state.

Export Window Image shows the editor, the plots and every dock shown (MainWindow.shown_views);
the animation's "whole window's views" films the same. Each view shown is made again on the
film's WindowState (film_set.py), with the view's own choices copied (the loss plot's log
axis, the landscape's pair of parameters), so every frame draws its epoch as the window
would. A view this module does not know (a dock added later) is filmed as it is on screen, a
still picture, rather than left out.

The landscape computes its surface in a background thread; its copy computes each frame's
surface at once in the GUI thread, so the frame shows that epoch's surface.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QVBoxLayout, QWidget

from lrviz.ui.editor.point_editor import PointEditor
from lrviz.ui.panels.confusion_matrix import ConfusionMatrixView
from lrviz.ui.panels.math_panel import MathPanel
from lrviz.ui.plots.landscape_plot import LandscapePlot, LandscapeView
from lrviz.ui.plots.landscape_surface import SurfaceWorker
from lrviz.ui.plots.loss_plot import LossPlot
from lrviz.ui.plots.params_plot import ParamsPlot
from lrviz.ui.plots.roc_plot import RocPlot
from lrviz.ui.plots.sigmoid_plot import SigmoidPlot
from lrviz.ui.shown_metrics import ShownMetrics
from lrviz.ui.state import WindowState


class _SurfaceAtOnce(SurfaceWorker):
    """Answers a landscape's request in the calling thread, the final grid only."""

    def submit(self, request, sizes: tuple[int, ...]) -> None:
        with self._lock:
            self._latest = request.serial
        self._answer(request, sizes[-1:])


def _landscape(original: LandscapeView, state: WindowState) -> QWidget:
    view = LandscapeView(state)
    plot: LandscapePlot = view.plot
    plot._worker.shutdown()
    plot._worker = _SurfaceAtOnce(plot)
    plot._worker.relay.ready.connect(plot._show_picture)
    plot._worker.relay.failed.connect(plot._show_failure)
    index = view.axes_combo.findData(original.plot.pair)
    if index >= 0:
        view.axes_combo.setCurrentIndex(index)
    return view


def _math_panel(state: WindowState) -> QWidget:
    panel = MathPanel(state)
    panel.setTitleBarWidget(QWidget())  # the picture shows the dock's contents, as Export Window Image does
    panel.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
    return panel


def _quality(state: WindowState) -> QWidget:
    source = ShownMetrics(state, in_thread=False)  # a still needs its numbers now
    body = QWidget()
    source.setParent(body)
    layout = QVBoxLayout(body)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(ConfusionMatrixView(state, source))
    layout.addWidget(RocPlot(state, source), 1)
    return body


def _still(widget: QWidget) -> QWidget:
    still = QLabel()
    still.setObjectName("filmStill")
    still.setPixmap(widget.grab())
    still.setScaledContents(True)
    still.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return still


def film_copy(widget: QWidget, state: WindowState) -> QWidget:
    """A view like `widget` (one of MainWindow.shown_views()) drawing `state`'s shown epoch."""
    if isinstance(widget, PointEditor):
        return PointEditor(state)
    if isinstance(widget, LossPlot):
        copy = LossPlot(state)
        if widget.getPlotItem().getViewBox().state["logMode"][1]:
            copy.set_log_scale(True)
        return copy
    if isinstance(widget, ParamsPlot):
        return ParamsPlot(state)
    if isinstance(widget, SigmoidPlot):
        return SigmoidPlot(state)
    if isinstance(widget, LandscapeView):
        return _landscape(widget, state)
    if isinstance(widget.parentWidget(), MathPanel):
        return _math_panel(state)
    if widget.findChild(ConfusionMatrixView) is not None:
        return _quality(state)
    return _still(widget)


__all__ = ["film_copy"]
