"""Where several curves' data lie, for a ViewBox's auto-range, without a data item per curve.

A pyqtgraph PlotDataItem's setData re-derives its display data, bounds and child curve in
Python (measured: about 0.4 ms a curve); the parameter plot redrew ten of them at every slow
frame of a degree-3 run while holding the GIL the training thread needs. Its curves are
native path items (series.NativeLine), so the data items only had to tell the auto-range
where the data lie: one DataBounds does that for all of them, from the drawn (min/max
decimated, so extremes kept) series.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem


class DataBounds(pg.GraphicsObject):
    """Draws nothing; `dataBounds` answers the x and y extent set last (None: no data)."""

    def __init__(self, padding_px: float = 0.0) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        self._ranges: tuple[tuple[float, float] | None, tuple[float, float] | None] = (None, None)
        self._padding = float(padding_px)

    def set_ranges(self, x: tuple[float, float] | None, y: tuple[float, float] | None) -> None:
        """The data's (low, high) along x and y; the view's auto-range follows at its next paint."""
        if (x, y) != self._ranges:
            self._ranges = (x, y)
            self.informViewBoundsChanged()

    def set_padding(self, padding_px: float) -> None:
        self._padding = float(padding_px)

    def ranges(self) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
        return self._ranges

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802,N803 (pyqtgraph API)
        extent = self._ranges[ax]
        return (None, None) if extent is None else extent

    def pixelPadding(self) -> float:  # noqa: N802 (pyqtgraph API)
        """How far (pixels) the curves' pens draw beyond their data, as a PlotCurveItem says."""
        return self._padding

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return QRectF()

    def paint(self, *_args) -> None:
        pass


__all__ = ["DataBounds"]
