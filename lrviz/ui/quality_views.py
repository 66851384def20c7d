"""The views of "how good is the model", built and wired for the main window.

The split and threshold controls (SplitPanel) and the metrics box (MetricsPanel) go in the
side panel; the confusion matrices and the ROC plot go in a dock beside the plots
(View ▸ Model Quality, Ctrl+M; hidden at first, and built when first shown: lazy_dock.py).
T moves the selected point between the training and the test set.
Kept out of main_window.py so the window's own layout code stays as it was.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.dataset import Dataset
from lrviz.ui.lazy_dock import LazyDock
from lrviz.ui.lazy_views import restyle_for
from lrviz.ui.panels.metrics_panel import MetricsPanel
from lrviz.ui.panels.split_panel import SplitPanel
from lrviz.ui.shown_metrics import ShownMetrics
from lrviz.ui.state import WindowState


class QualityViews:
    """Owns the split panel, the metrics box, the confusion matrices, the ROC plot and their dock."""

    def __init__(self, window: QMainWindow, state: WindowState) -> None:
        self._window, self._state = window, state
        self.source = ShownMetrics(state, lambda: window.controller.is_running, window)
        self.split_panel = SplitPanel(state)
        self.metrics_panel = MetricsPanel(state, self.source)
        self.dock = LazyDock("Model quality", "metricsDock", self._build_dock_views, window, restyle_for(window))
        self.dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [400], Qt.Orientation.Horizontal)
        # Hidden until asked for (View ▸ Model Quality, Ctrl+M): the window keeps its size and
        # layout for the tutorial's lesson, which has no test set.
        self.dock.hide()
        self.dock_action = self.dock.toggleViewAction()
        self.dock_action.setObjectName("metricsDockAction")
        self.dock_action.setText("&Model Quality (confusion matrices, ROC)")
        self.dock_action.setShortcut("Ctrl+M")
        self.dock_action.setStatusTip("Show or hide the confusion matrices and the ROC curve")
        window.addAction(self.dock_action)
        self.toggle_split_action = window.make_action(
            "toggleSplitAction", "Move Point to the &Other Set (train/test)", self.toggle_selected_split, "T",
            "Move the selected point from the training to the test set, or back (undoable)")

    def _build_dock_views(self) -> QWidget:
        from lrviz.ui.panels.confusion_matrix import ConfusionMatrixView
        from lrviz.ui.plots.roc_plot import RocPlot

        self._confusion_matrix = ConfusionMatrixView(self._state, self.source)
        self._roc_plot = RocPlot(self._state, self.source)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self._confusion_matrix)
        layout.addWidget(self._roc_plot, 1)
        scroll = QScrollArea()  # the dock can be narrower than the tables: it scrolls, the window does not grow
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self._roc_plot.setMinimumSize(240, 240)
        return scroll

    @property
    def confusion_matrix(self):
        """The confusionMatrix view (built now if the dock was never shown)."""
        self.dock.content()
        return self._confusion_matrix

    @property
    def roc_plot(self):
        """The ROC plot (built now if the dock was never shown)."""
        self.dock.content()
        return self._roc_plot

    def toggle_selected_split(self) -> None:
        index = self._state.selected_point
        if index is None:
            self._window.statusBar().showMessage("Click on a point first, then press T to move it to the "
                                                 "test set or back.", 5000)
            return
        self._state.points.toggle_split(index)
        now = "test" if self._state.run.points.is_test[index] else "training"
        self._window.statusBar().showMessage(f"Point {index + 1} is now a {now} point (Ctrl+Z undoes it).", 5000)

    def prepared(self, dataset: Dataset) -> Dataset:
        """A data set about to be loaded, with the test share's split unless it has its own."""
        return self.split_panel.prepared(dataset)
