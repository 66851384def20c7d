"""A pyqtgraph ScatterPlotItem whose bounding rectangle is computed once per change.

Qt asks an item for its bounding rectangle several times at each paint, and pyqtgraph's
ScatterPlotItem answers in Python (data bounds, pixel padding through pixelVectors, a few
Point objects): about 15-35 µs a call on these machines, three calls per scatter per paint,
four scatters in the editor: up to 0.4 ms of each paint of the editor, which the timeline
repaints at every step that moves the boundary. The answer only changes when pyqtgraph
resets its cached data bounds (`self.bounds`, replaced by a new list on new data, new spot
sizes or pens, and every change of the view's transform), so it is kept until then.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF


class SteadyScatter(pg.ScatterPlotItem):
    """pg.ScatterPlotItem with its boundingRect kept while pyqtgraph's bounds stay."""

    _kept_for: list | None = None  # the `bounds` list the rectangle was computed with
    _kept_values: tuple | None = None
    _kept_rect: QRectF | None = None

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        bounds = self.bounds
        if self._kept_rect is None or bounds is not self._kept_for or tuple(bounds) != self._kept_values:
            rect = super().boundingRect()  # fills self.bounds on the way
            self._kept_for, self._kept_values, self._kept_rect = self.bounds, tuple(self.bounds), rect
        return QRectF(self._kept_rect)


__all__ = ["SteadyScatter"]
