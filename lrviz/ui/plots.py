"""Live plots of the loss and of the parameters against the epoch.

Every epoch stays in the window's history; only the drawing is thinned. Min/max peak
decimation keeps each bucket's extremes, so no spike disappears, and caches the
finished buckets, so a redraw with a million epochs only looks at the new ones.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from lrviz.ui.style import LOSS_COLOR, PARAM_COLORS

DRAWN_BUCKETS = 1500  # min and max of each: ~3,000 points a curve, ~2 per pixel on a wide plot
_SMALLEST_POSITIVE = np.finfo(float).tiny


class PeakDecimator:
    """Min/max decimation of an append-only series (x contiguous epochs), cached per bucket."""

    def __init__(self, buckets: int = DRAWN_BUCKETS) -> None:
        self._buckets = buckets
        self.reset()

    def reset(self) -> None:
        self._size = 0
        self._bucket = 1
        self._first = None
        self._x = np.empty(0)
        self._low = np.empty(0)
        self._high = np.empty(0)

    def decimate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        n = len(y)
        if n <= 2 * self._buckets:
            return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bucket = 1 << int(np.ceil(np.log2(n / self._buckets)))
        if bucket != self._bucket or n < self._size or x[0] != self._first:
            self.reset()
            self._bucket, self._first = bucket, x[0]
        complete = n // bucket
        done = len(self._low)
        if complete > done:  # only the buckets finished since the last call
            block = y[done * bucket: complete * bucket].reshape(-1, bucket)
            self._low = np.concatenate([self._low, block.min(axis=1)])
            self._high = np.concatenate([self._high, block.max(axis=1)])
            self._x = np.concatenate([self._x, x[done * bucket: complete * bucket: bucket]])
        self._size = n
        tail_x, tail_y = x[complete * bucket:], y[complete * bucket:]
        xs = np.empty(2 * complete + len(tail_x))
        ys = np.empty_like(xs)
        xs[0: 2 * complete: 2] = self._x
        xs[1: 2 * complete: 2] = self._x + (bucket - 1)
        ys[0: 2 * complete: 2] = self._low
        ys[1: 2 * complete: 2] = self._high
        xs[2 * complete:] = tail_x
        ys[2 * complete:] = tail_y
        return xs, ys


def _styled_plot(widget: pg.PlotWidget, object_name: str, y_label: str) -> None:
    widget.setObjectName(object_name)
    widget.setBackground("w")
    plot = widget.getPlotItem()
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", y_label)
    plot.setMenuEnabled(False)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
        plot.getAxis(axis).enableAutoSIPrefix(False)  # a loss of 0.35 reads better than 350 (×0.001)
    plot.getViewBox().setMouseEnabled(x=True, y=True)
    plot.enableAutoRange()


class LossPlot(pg.PlotWidget):
    """The loss (2-1) at every epoch, on a linear or log axis."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _styled_plot(self, "lossPlot", "loss L (2-1)")
        self.setTitle("loss", color=(60, 60, 60), size="10pt")
        self._curve = self.plot(pen=pg.mkPen(LOSS_COLOR, width=2), skipFiniteCheck=True)
        self._decimator = PeakDecimator()
        self._epochs = np.empty(0, np.int64)
        self._loss = np.empty(0)
        self._log = False

    def set_history(self, epochs: np.ndarray, loss: np.ndarray) -> None:
        self._epochs, self._loss = epochs, loss
        self._redraw()

    def history_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The complete series this plot shows (every epoch), not the decimated drawing."""
        return self._epochs, self._loss

    def drawn_data(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._curve.getData()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def set_log_scale(self, on: bool) -> None:
        self._log = bool(on)
        self.getPlotItem().setLogMode(y=self._log)
        self._decimator.reset()
        self._redraw()

    def clear_history(self) -> None:
        self._decimator.reset()
        self.set_history(np.empty(0, np.int64), np.empty(0))

    def _redraw(self) -> None:
        loss = self._loss
        if self._log and len(loss):
            loss = np.maximum(loss, _SMALLEST_POSITIVE)  # for display only: log10(0) is −∞
        x, y = self._decimator.decimate(self._epochs, loss)
        self._curve.setData(x, y)


class ParamsPlot(pg.PlotWidget):
    """w1, w2 and b against the epoch: how (4-2) and (4-3) move the parameters."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _styled_plot(self, "paramsPlot", "parameter value")
        self.setTitle("parameters", color=(60, 60, 60), size="10pt")
        legend = self.addLegend(offset=(8, 8), labelTextColor=(40, 40, 40), brush=(255, 255, 255, 200))
        legend.setZValue(10)
        self._curves = {
            name: self.plot(name=name, pen=pg.mkPen(PARAM_COLORS[name], width=2), skipFiniteCheck=True)
            for name in ("w1", "w2", "b")
        }
        self._decimators = {name: PeakDecimator() for name in self._curves}
        self.addItem(pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen((120, 120, 120), width=1)))

    def set_history(self, epochs: np.ndarray, W: np.ndarray, b: np.ndarray) -> None:
        series = {"w1": W[:, 0], "w2": W[:, 1], "b": b}
        for name, values in series.items():
            x, y = self._decimators[name].decimate(epochs, values)
            self._curves[name].setData(x, y)

    def drawn_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._curves[name].getData()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def clear_history(self) -> None:
        for decimator in self._decimators.values():
            decimator.reset()
        self.set_history(np.empty(0, np.int64), np.empty((0, 2)), np.empty(0))
