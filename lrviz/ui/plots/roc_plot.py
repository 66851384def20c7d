"""`rocPlot`: the ROC curve of the shown epoch's model, its area, and the threshold as a marker.

The curve is of the test points, or of the training points when there is no split. The
marker sits at the (false-positive rate, true-positive rate) of the state's threshold and
moves with the threshold slider; dragging it along the curve sets the threshold to the ŷ
of the curve's point nearest the pointer (within 0.01 to 0.99), so the slider follows.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from lrviz.core.metrics import MAX_THRESHOLD, MIN_THRESHOLD, ModelMetrics
from lrviz.ui.render.style import CURSOR_COLOR, LOSS_COLOR
from lrviz.ui.shown_metrics import ShownMetrics
from lrviz.ui.state import WindowState


class RocPlot(pg.PlotWidget):
    """The ROC curve (`curve_data()`), the AUC in the title, the draggable threshold `marker`."""

    def __init__(self, state: WindowState, source: ShownMetrics, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rocPlot")
        self._state, self._source = state, source
        self.setBackground("w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setLabel("bottom", "false-positive rate FP / (FP + TN)", color="#333333")
        plot.setLabel("left", "true-positive rate TP / (TP + FN)", color="#333333")
        plot.showGrid(x=True, y=True, alpha=0.2)
        view = plot.getViewBox()
        view.setMouseEnabled(False, False)
        view.setRange(xRange=(0, 1), yRange=(0, 1), padding=0.03)
        self.plot([0, 1], [0, 1], pen=pg.mkPen((170, 170, 170), width=1, style=Qt.PenStyle.DashLine))
        self._curve = self.plot(pen=pg.mkPen(LOSS_COLOR, width=2))
        self.marker = pg.TargetItem(pos=(0, 0), size=14, movable=True, pen=pg.mkPen(CURSOR_COLOR, width=2),
                                    brush=pg.mkBrush(*CURSOR_COLOR, 120))
        self.marker.setZValue(10)
        self.addItem(self.marker)
        self._placing = False
        self._metrics: ModelMetrics | None = None
        self.marker.sigPositionChanged.connect(self._on_marker_moved)
        self._drawn_key: tuple | None = None
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self.refresh)
        self.refresh()

    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._curve.getData()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def _on_frame(self) -> None:
        if self._source.redraw_at_frame(self._drawn_key):
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Draw the shown epoch's curve; hidden (its dock closed), it waits until shown."""
        if not self.isVisible():
            return
        key = self._source.key()
        if key == self._drawn_key:
            return
        metrics = self._metrics = self._source.metrics()
        self._drawn_key = self._source.drawn_key(metrics, key)
        if metrics is None or metrics.roc.auc is None:
            self._curve.setData([], [])
            self.marker.setVisible(False)
            why = "no model yet" if metrics is None else metrics.roc.note
            self._set_title(f"ROC: {why}", (90, 90, 90), "9pt")
            return
        roc = metrics.roc
        self._curve.setData(roc.fpr, roc.tpr)
        self._set_title(f"ROC of the {roc.source} points — AUC {roc.auc:.4f}", (60, 60, 60), "10pt")
        self.marker.setVisible(metrics.roc_point is not None)
        if metrics.roc_point is not None:
            self._placing = True
            try:
                self.marker.setPos(*metrics.roc_point)
            finally:
                self._placing = False

    def _set_title(self, text: str, color: tuple[int, int, int], size: str) -> None:
        """A title changed only when it differs: pyqtgraph lays out its HTML anew each time (~1 ms)."""
        if getattr(self, "_title", None) != (text, color, size):
            self._title = (text, color, size)
            self.setTitle(text, color=color, size=size)

    def _on_marker_moved(self, _marker) -> None:
        """A drag of the marker: the threshold of the curve's point nearest it."""
        metrics = self._metrics
        if self._placing or metrics is None or metrics.roc.auc is None:
            return
        threshold = self.threshold_near(self.marker.pos().x(), self.marker.pos().y())
        if threshold is not None:
            self._state.set_threshold(threshold)
            self._drawn_key = None  # snap the marker back onto the curve
            self.refresh()

    def threshold_near(self, fpr: float, tpr: float) -> float | None:
        """The threshold (ŷ of a point, clamped to 0.01…0.99) of the curve's point nearest (fpr, tpr)."""
        metrics = self._metrics
        if metrics is None or metrics.roc.auc is None:
            return None
        roc = metrics.roc
        nearest = int(np.argmin((roc.fpr - fpr) ** 2 + (roc.tpr - tpr) ** 2))
        value = float(roc.thresholds[nearest]) if nearest > 0 else MAX_THRESHOLD
        return float(min(max(value, MIN_THRESHOLD), MAX_THRESHOLD))
