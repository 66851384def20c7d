"""The ghost boundary: the decision line w·x + b = 0 of the parameters hovered in the loss
landscape, dashed, over the editor's plane, so a learner sees what a point of the landscape
means for the points before choosing it as a start.

It follows `WindowState.ghost_params` (None hides it) and the view's pan and zoom. A native
QGraphicsLineItem: Qt paints it without the GIL, like the editor's own boundary.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from lrviz.ui.render.style import BOUNDARY_COLOR
from lrviz.ui.state import WindowState


def clipped_line(w1: float, w2: float, b: float, x0: float, x1: float, y0: float, y1: float
                 ) -> tuple[float, float, float, float] | None:
    """The part of w1·x + w2·y + b = 0 inside [x0, x1] × [y0, y1], or None (w = 0, or outside).

    Worked out in the rectangle's own scale, so views near ±1e150 and lines nearly parallel
    to an axis give no overflow.
    """
    scale = max(abs(x0), abs(x1), abs(y0), abs(y1))
    values = (w1, w2, b)
    if not scale > 0 or not all(map(math.isfinite, values)):
        return None
    a1, a2, c = w1 * scale, w2 * scale, b
    size = max(abs(a1), abs(a2), abs(c))
    if not (size > 0 and math.isfinite(size)):
        return None
    a1, a2, c = a1 / size, a2 / size, c / size
    norm = math.hypot(a1, a2)
    if norm < 1e-300:
        return None
    n1, n2 = a1 / norm, a2 / norm
    px, py = -c / norm * n1, -c / norm * n2  # the line's point nearest the origin (scaled units)
    dx, dy = -n2, n1
    t_low, t_high = -math.inf, math.inf
    for p, d, low, high in ((px, dx, x0 / scale, x1 / scale), (py, dy, y0 / scale, y1 / scale)):
        if abs(d) < 1e-15:
            if not low <= p <= high:
                return None
            continue
        ta, tb = (low - p) / d, (high - p) / d
        t_low, t_high = max(t_low, min(ta, tb)), min(t_high, max(ta, tb))
    if not t_low < t_high:
        return None
    return ((px + t_low * dx) * scale, (py + t_low * dy) * scale,
            (px + t_high * dx) * scale, (py + t_high * dy) * scale)


class GhostLayer:
    """Draws the state's ghost parameters as a dashed boundary in `view_box`."""

    def __init__(self, state: WindowState, view_box: pg.ViewBox) -> None:
        self._state = state
        self._view_box = view_box
        pen = QPen(QColor(*BOUNDARY_COLOR, 200), 2.0)
        pen.setCosmetic(True)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.line = QGraphicsLineItem()
        self.line.setPen(pen)
        self.line.setZValue(-9)  # over the heatmap and boundary, under the markers
        self.line.setVisible(False)
        view_box.addItem(self.line)
        state.ghostChanged.connect(self.refresh)
        view_box.sigRangeChanged.connect(self.refresh)

    def refresh(self, *_args) -> None:
        theta = self._state.ghost_params
        segment = None
        if theta is not None and len(theta) == 3:
            (x0, x1), (y0, y1) = self._view_box.viewRange()
            segment = clipped_line(float(theta[0]), float(theta[1]), float(theta[2]), x0, x1, y0, y1)
        if segment is not None:
            self.line.setLine(*segment)
        self.line.setVisible(segment is not None)

    def segment(self) -> tuple[float, float, float, float] | None:
        """The drawn ghost line's end points in data coordinates, or None when hidden."""
        if not self.line.isVisible():
            return None
        line = self.line.line()
        return line.x1(), line.y1(), line.x2(), line.y2()
