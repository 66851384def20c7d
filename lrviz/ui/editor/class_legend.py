"""`classLegend`: the editor's key to the two classes, when the data set names them.

The class buttons tell which marker is which class in the window, but a picture of the
editor alone (Export Image, an animation) did not: with named classes (setosa, versicolor,
or any names from a file) the editor's top-left corner shows each class's marker and name.
For plain 0/1 data ("class 0"/"class 1") nothing is shown, as before.

Native Qt items only (a box, two markers, plain-text names), so the legend is painted
without the GIL that training needs (render/gil_free_paint.py), and a name from a file is
text, never HTML. It sits in the scene in pixels, at the view box's corner, and follows
the view box when the editor is resized.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from lrviz.core.dataset import DEFAULT_CLASS_NAMES
from lrviz.ui.plain_text import excerpt
from lrviz.ui.render.style import CLASS_COLORS
from lrviz.ui.state import WindowState

MARGIN_PX = 8.0  # from the view box's corner
PAD_PX = 5.0
MARKER_PX = 11.0
NAME_CHARS = 40  # a longer name is cut with "…"
OUTLINE = (30, 30, 30)


class ClassLegend:
    """Adds the legend to a PointEditor; `box` is its background item (None-free, hidden for 0/1)."""

    def __init__(self, editor, state: WindowState) -> None:
        self._editor = editor
        self._state = state
        self.box = QGraphicsRectItem()
        self.box.setBrush(QBrush(QColor(255, 255, 255, 215)))
        self.box.setPen(QPen(QColor(150, 150, 150)))
        self.box.setZValue(30)
        self.box.setData(0, "classLegend")
        self.names = [QGraphicsSimpleTextItem(self.box) for _ in (0, 1)]
        font = QFont()
        font.setPointSizeF(9.5)
        for text in self.names:
            text.setFont(font)
            text.setBrush(QBrush(QColor(*OUTLINE)))
        pen = QPen(QColor(*OUTLINE), 1.2)
        pen.setCosmetic(True)
        half = MARKER_PX / 2
        circle = QGraphicsEllipseItem(QRectF(-half, -half, MARKER_PX, MARKER_PX), self.box)
        triangle = QGraphicsPolygonItem(QPolygonF([QPointF(0, -half), QPointF(half, half), QPointF(-half, half)]),
                                        self.box)
        self.markers = (circle, triangle)
        for label, marker in enumerate(self.markers):
            marker.setBrush(QBrush(QColor(*CLASS_COLORS[label])))
            marker.setPen(pen)
        self.box.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        editor.scene().addItem(self.box)
        editor.view_box.sigResized.connect(self._place)
        state.points.changed.connect(self.refresh)
        self.refresh()

    def refresh(self, *_revision) -> None:
        """Show the data set's names (hidden for plain 0/1 classes)."""
        names = self._state.points.dataset.class_names
        self.box.setVisible(names != DEFAULT_CLASS_NAMES)
        if names == DEFAULT_CLASS_NAMES:
            return
        y = PAD_PX
        width = 0.0
        for label, (text, marker) in enumerate(zip(self.names, self.markers)):
            text.setText(excerpt(names[label], NAME_CHARS))
            size = text.boundingRect()
            line = max(size.height(), MARKER_PX)
            marker.setPos(PAD_PX + MARKER_PX / 2, y + line / 2)
            text.setPos(PAD_PX + MARKER_PX + 6, y + (line - size.height()) / 2)
            width = max(width, MARKER_PX + 6 + size.width())
            y += line + 2
        self.box.setRect(QRectF(0, 0, width + 2 * PAD_PX, y - 2 + PAD_PX))
        self._place()

    def _place(self, *_args) -> None:
        corner = self._editor.view_box.sceneBoundingRect().topLeft()
        self.box.setPos(corner + QPointF(MARGIN_PX, MARGIN_PX))


__all__ = ["ClassLegend"]
