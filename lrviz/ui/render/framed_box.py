"""A QGroupBox that draws its frame and title from a pixmap kept until they change.

The Fusion style draws a group box's frame by stretching a small pixmap over the whole box
(qDrawBorderPixmap), which Qt's raster engine hands to its thread pool while the GUI thread
waits: about 60 % of a full repaint of the read-out (0.5 ms of 0.8 ms), and a part of every
partial repaint, since its labels are transparent and the box is painted under each changed
one. The timeline changes the read-out's and the metrics' numbers at every step. Here the
box is drawn once into a pixmap of its size, then copied (clipped to what is repainted).

The pixmap is drawn again when the box's size, title, or anything else that changes its
look (palette, font, style sheet, enabled, the window's activation) changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import QGroupBox, QStyle, QStyleOptionGroupBox, QStylePainter

_RESTYLE = {QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange,
            QEvent.Type.EnabledChange, QEvent.Type.ActivationChange, QEvent.Type.LayoutDirectionChange}


class FramedBox(QGroupBox):
    """A group box whose own painting (frame and title) is a cached pixmap; the children paint as ever."""

    _frame: QPixmap | None = None
    _frame_key: tuple | None = None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        ratio = self.devicePixelRatioF()
        key = (self.width(), self.height(), self.title(), ratio)
        if self._frame is None or key != self._frame_key:
            self._frame, self._frame_key = self._draw_frame(ratio), key
        painter = QPainter(self)
        area = event.rect()
        painter.drawPixmap(QRectF(area), self._frame,
                           QRectF(area.x() * ratio, area.y() * ratio, area.width() * ratio, area.height() * ratio))
        painter.end()

    def _draw_frame(self, ratio: float) -> QPixmap:
        """What QGroupBox::paintEvent draws, into a transparent pixmap of the box's size."""
        frame = QPixmap(max(1, round(self.width() * ratio)), max(1, round(self.height() * ratio)))
        frame.setDevicePixelRatio(ratio)
        frame.fill(Qt.GlobalColor.transparent)
        painter = QStylePainter(frame, self)
        option = QStyleOptionGroupBox()
        self.initStyleOption(option)
        option.rect = QRect(0, 0, self.width(), self.height())
        painter.drawComplexControl(QStyle.ComplexControl.CC_GroupBox, option)
        painter.end()
        return frame

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() in _RESTYLE:
            self._frame = None
        super().changeEvent(event)


__all__ = ["FramedBox"]
