"""The ghost boundary: the decision line w·x + b = 0 of the parameters hovered in the loss
landscape, dashed, over the editor's plane, so a learner sees what a point of the landscape
means for the points before choosing it as a start.

It follows `WindowState.ghost_params` (None hides it) and the view's pan and zoom. A native
QGraphicsLineItem: Qt paints it without the GIL, like the editor's own boundary.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPen
from PySide6.QtWidgets import QGraphicsLineItem

from lrviz.ui.editor.line_clip import clipped_line
from lrviz.ui.render.style import BOUNDARY_COLOR
from lrviz.ui.state import WindowState


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
