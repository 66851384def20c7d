"""The editor's threshold line and test-point markers.

- ThresholdLayer: the iso-line ŷ = t, i.e. w·x + b = log(t / (1 − t)), dashed beside the
  decision boundary (ŷ = 0.5), for the state's threshold t; hidden at t = 0.5, where it
  is the boundary, and with a feature map φ (not drawn: it would be a curve). A native Qt
  line item, so a training frame paints it without the GIL.
- HeldOutPointsLayer: the test points drawn hollow (the class's colour as the outline, the
  class's shape), so the points training never sees stand out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from lrviz.core.metrics import threshold_logit
from lrviz.ui.editor.line_clip import clipped_line
from lrviz.ui.render.steady_scatter import SteadyScatter
from lrviz.ui.render.style import BOUNDARY_COLOR, CLASS_COLORS, CLASS_SYMBOLS
from lrviz.ui.state import WindowState


class ThresholdLayer:
    """The dashed line ŷ = t in a view box; `redraw()` after the model or the view changed."""

    def __init__(self, state: WindowState, view: pg.ViewBox,
                 parameters: Callable[[], tuple[np.ndarray | None, float | None]]) -> None:
        self._state, self._view, self._parameters = state, view, parameters
        pen = QPen(QColor(*BOUNDARY_COLOR), 1.8, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        self.line_item = QGraphicsLineItem()
        self.line_item.setPen(pen)
        self.line_item.setZValue(-10)
        self.line_item.setVisible(False)
        view.addItem(self.line_item, ignoreBounds=True)
        state.thresholdChanged.connect(lambda _t: self.redraw())

    def segment(self) -> np.ndarray | None:
        """The drawn line's end points in data coordinates, or None when it is hidden."""
        if not self.line_item.isVisible():
            return None
        line = self.line_item.line()
        return np.array([[line.x1(), line.y1()], [line.x2(), line.y2()]])

    def redraw(self) -> None:
        w, b = self._parameters()
        z = threshold_logit(self._state.threshold)
        segment = None
        # A straight line only for the tutorial's inputs (x1, x2): with a feature map φ the
        # iso-line is curved, and w1, w2 alone would draw a line that is not the model's.
        if w is not None and b is not None and len(w) == 2 and z != 0.0:
            (x0, x1), (y0, y1) = self._view.viewRange()
            with np.errstate(over="ignore", invalid="ignore"):
                segment = clipped_line(float(w[0]), float(w[1]), float(b) - z, x0, x1, y0, y1)  # w·x + b = z
        if segment is None:
            self.line_item.setVisible(False)
            return
        self.line_item.setLine(*segment)
        self.line_item.setVisible(True)


class HeldOutPointsLayer:
    """Hollow markers of the test points, one scatter per class (hidden above the density threshold)."""

    def __init__(self, add_item: Callable[[pg.GraphicsObject], None], marker_size: float) -> None:
        self.scatters = []
        for label in (0, 1):
            scatter = SteadyScatter(symbol=CLASS_SYMBOLS[label], size=marker_size,
                                         pen=pg.mkPen(CLASS_COLORS[label], width=2.2), brush=pg.mkBrush(None),
                                         name=f"class {label} (test)")
            scatter.setZValue(10)
            scatter.setCacheMode(scatter.CacheMode.DeviceCoordinateCache)
            add_item(scatter)
            self.scatters.append(scatter)
        self._drawn: list[np.ndarray | None] = [None, None]

    def draw(self, X: np.ndarray, y: np.ndarray, is_test: np.ndarray, shown: np.ndarray | None) -> None:
        """The test points among `shown` (a mask of points drawn as markers; None: none are)."""
        for label, scatter in enumerate(self.scatters):
            chosen = is_test & (y == label) if shown is not None else np.zeros(len(y), bool)
            if shown is not None:
                chosen &= shown
            points = X[chosen]
            if self._drawn[label] is None or not np.array_equal(self._drawn[label], points):
                scatter.setData(x=points[:, 0], y=points[:, 1])
                self._drawn[label] = points.copy()
            scatter.setVisible(shown is not None and len(points) > 0)  # an empty one is still asked at each paint

    def drawn(self, label: int) -> np.ndarray:
        """The test points of a class drawn now, (k, 2)."""
        points = self._drawn[label]
        return np.empty((0, 2)) if points is None else points
