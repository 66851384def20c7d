"""The selected point's ring in the editor, and a tooltip with a point's numbers on hover.

The ring is a native Qt ellipse of fixed pixel size (drawn without the GIL, see
render/gil_free_paint.py) over the state's selected point; it follows the selection and the
point when it moves. Hovering a point shows its x, label, z, ŷ and loss at the shown epoch,
from the core's `explain` (the numbers the math panel shows).
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF
from PySide6.QtGui import QColor, QHelpEvent, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QToolTip
from shiboken6 import isValid

from lrviz.core.explain import explain
from lrviz.ui.plain_text import excerpt, tooltip
from lrviz.ui.render.class_labels import class_label
from lrviz.ui.state import WindowState

RING_PX = 24.0  # the ring's diameter, around an 11-pixel marker
RING_COLOR = (230, 120, 0)


def point_tooltip(state: WindowState, index: int) -> str:
    """Point `index`'s coordinates and label (with its class's name), and its z, ŷ and loss (2-2)
    at the shown epoch; plain text (a class name from a file is never HTML: see show_point_tooltip)."""
    run = state.run
    x1, x2, label = run.points.point(index)
    named = f" ({excerpt(class_label(run.points, int(label)), 60)})"
    lines = [f"point {index + 1}: x = ({_n(x1)}, {_n(x2)}), label y = {label}{named}"]
    row = state.shown_row()
    if row is None:
        return lines[0]
    if row.data_revision != run.revision:
        lines.append(f"epoch {row.epoch:,} was trained before the points were edited: no z, ŷ or loss for this point")
        return "\n".join(lines)
    terms = explain(run, row.epoch).point(index)
    lines.append(f"at epoch {row.epoch:,}:  z = {_n(terms.z)}   ŷ = σ(z) = {_n(terms.y_hat)}")
    lines.append(f"loss (2-2) = {_n(terms.loss)}   ŷ − y = {_n(terms.residual)}")
    return "\n".join(lines)


def _n(value: float) -> str:
    return f"{value:.6g}".replace("-", "−")


class SelectionLayer(QObject):
    """Adds the ring and the hover tooltip to a PointEditor."""

    def __init__(self, editor, state: WindowState) -> None:
        super().__init__(editor)
        self._editor = editor
        self._state = state
        self.ring = QGraphicsEllipseItem(QRectF(-RING_PX / 2, -RING_PX / 2, RING_PX, RING_PX))
        pen = QPen(QColor(*RING_COLOR), 3.0)
        pen.setCosmetic(True)
        self.ring.setPen(pen)
        self.ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # pixels at any zoom
        self.ring.setZValue(13)
        self.ring.setVisible(False)
        editor.view_box.addItem(self.ring)
        state.selectedPointChanged.connect(self.update)
        editor.model.changed.connect(self.update)
        editor.viewport().installEventFilter(self)
        self.update()

    def update(self, *_args) -> None:
        if not isValid(self.ring):  # the editor is gone; the state outlived it
            return
        index = self._state.selected_point
        points = self._state.run.points
        if index is None or index >= len(points):
            self.ring.setVisible(False)
            return
        x1, x2, _label = points.point(index)
        visible = math.isfinite(x1) and math.isfinite(x2)
        if visible:
            self.ring.setPos(x1, x2)
        self.ring.setVisible(visible)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._editor._point_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), tooltip(point_tooltip(self._state, index)),
                                  self._editor.viewport())
            return True
        return False


__all__ = ["RING_PX", "SelectionLayer", "point_tooltip"]
