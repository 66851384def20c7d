"""The loss (2-1) of every epoch of the run, with a cursor at the shown epoch.

A view of the window state: the curve follows the run's history at the slow frame rate, the
cursor follows the shown epoch at every frame, and a click on the plot selects the epoch
under it. Once the points have a test set, the test loss (computed by the worker in the
same pass as the training loss, stored in the history) is drawn beside it, dashed.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QWidget

from lrviz.core.history import CutWatch, RunHistory
from lrviz.ui.plots.epoch_plot import EpochPlot
from lrviz.ui.plots.series import (
    SMALLEST_POSITIVE,
    NativeLine,
    PeakDecimator,
    buckets_for,
    tested_series,
)
from lrviz.ui.render.style import LOSS_COLOR, TEST_LOSS_COLOR
from lrviz.ui.state import WindowState


class LossPlot(EpochPlot):
    """The loss (2-1) at every epoch, on a linear or log axis."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(state, "lossPlot", "loss L (2-1)", "loss", parent)
        self._curve = self.plot(pen=pg.mkPen(LOSS_COLOR, width=2), skipFiniteCheck=True)
        self._line = NativeLine(self._curve, self.getPlotItem().getViewBox())
        self._decimator = PeakDecimator()
        self._epochs = np.empty(0, np.int64)
        self._loss = np.empty(0)
        self._log = False
        self._test_curve = self.plot(pen=pg.mkPen(TEST_LOSS_COLOR, width=2, style=Qt.PenStyle.DashLine),
                                     skipFiniteCheck=True)
        self._test_line = NativeLine(self._test_curve, self.getPlotItem().getViewBox())
        self._test_decimator = PeakDecimator()
        self._test_epochs, self._test_loss = np.empty(0, np.int64), np.empty(0)
        self._legend: pg.LegendItem | None = None
        self._cuts = CutWatch()
        self._kept: tuple[int, int] | None = None  # (rows, test rows) unchanged since the last drawing
        self._on_read = None  # the history's note_read while its columns are decimated

    def draw_history(self, history: RunHistory) -> None:
        self._test_epochs, self._test_loss, first_tested = tested_series(history)
        kept = self._cuts.kept(history)
        if len(self._test_epochs) and self._legend is None:
            # under the epoch axis, outside the data area: it never covers a curve (issue 14)
            self._legend = pg.LegendItem(colCount=2, labelTextColor=(40, 40, 40), labelTextSize="8pt",
                                         horSpacing=14, verSpacing=-6)
            self.getPlotItem().layout.addItem(self._legend, 4, 1)
            self._legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # its samples paint in Python
            self._legend.addItem(self._curve, "training")
            self._legend.addItem(self._test_curve, "test")
        if self._legend is not None:
            self._legend.setVisible(bool(len(self._test_epochs)))
        self._kept = (kept, max(0, kept - first_tested) if first_tested >= 0 else 0)
        self._on_read = history.note_read
        try:
            self.set_history(history.epochs, history.loss)
        finally:
            self._kept = self._on_read = None

    def test_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The test loss series this plot shows (every tested epoch); empty without a split."""
        return self._test_epochs, self._test_loss

    # -- drawing ----------------------------------------------------------------------------------------
    def set_history(self, epochs: np.ndarray, loss: np.ndarray) -> None:
        self._epochs, self._loss = epochs, loss
        self._redraw()

    def _shown(self, y: np.ndarray) -> np.ndarray:
        """On a log axis, drawn values below the smallest positive float are raised to it
        (log10(0) is −∞); after decimating, as max(·, tiny) keeps each bucket's min and max."""
        return np.maximum(y, SMALLEST_POSITIVE) if self._log and len(y) else y

    def history_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The complete series this plot shows (every epoch), not the decimated drawing."""
        return self._epochs, self._loss

    def drawn_data(self) -> tuple[np.ndarray, np.ndarray]:
        x, y = self._curve.getData()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def set_log_scale(self, on: bool) -> None:
        self._log = bool(on)
        self.getPlotItem().setLogMode(y=self._log)
        self._redraw()  # the buckets hold the losses themselves: the same buckets, clamped

    def clear_history(self) -> None:
        self._decimator.reset()
        self._test_decimator.reset()
        self._test_epochs, self._test_loss = np.empty(0, np.int64), np.empty(0)
        self.set_history(np.empty(0, np.int64), np.empty(0))

    def _redraw(self) -> None:
        kept, test_kept = self._kept or (None, None)
        self._decimator.set_buckets(buckets_for(self))
        x, y = self._decimator.decimate(self._epochs, self._loss, kept, self._on_read)
        self._curve.setData(x, self._shown(y))
        self._line.refresh()
        self._test_decimator.set_buckets(buckets_for(self))
        x, y = self._test_decimator.decimate(self._test_epochs, self._test_loss, test_kept, self._on_read)
        self._test_curve.setData(x, self._shown(y))
        self._test_line.refresh()
        self._settle.start()
