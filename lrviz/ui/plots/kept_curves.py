"""The kept runs' loss curves in the loss plot: dashed, one colour each, with a legend below the plot.

An overlay, not a view of its own: the main window hands it the loss plot's widget and the
RunCollection. Each shown kept run is a dashed curve of the loss (2-1) it recorded at
every epoch (the full-data loss, whatever its optimizer, so the curves compare fairly),
thinned for drawing like the run's own curve and stroked natively (series.NativeLine:
no Python paint that would hold the GIL while training runs). A race's curves grow as
its batches arrive; they are redrawn at the slow frame rate.

The legend names the current run and every shown kept run by its settings ("momentum
β=0.9, α=0.1", or the name given in the runs list). It sits in a row of the plot's layout
under the epoch axis, outside the data area, so it never covers a curve.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from lrviz.core.history import CutWatch
from lrviz.core.run_collection import KeptRun, RunCollection, describe_settings
from lrviz.ui.plain_text import escaped
from lrviz.ui.plots.series import (
    SMALLEST_POSITIVE,
    NativeLine,
    PeakDecimator,
    buckets_for,
)
from lrviz.ui.render.run_colors import run_color
from lrviz.ui.render.style import LOSS_COLOR
from lrviz.ui.state import WindowState

LEGEND_ROW = 5  # PlotItem's layout: 0 title, 1 top axis, 2 view, 3 bottom axis, 4 the training/test legend
CURRENT_PREFIX = "this run: "


class _KeptCurve:
    """One kept run's dashed curve, decimated and natively stroked."""

    def __init__(self, plot: pg.PlotItem, run: KeptRun) -> None:
        self.run = run
        pen = pg.mkPen(run_color(run.color), width=2.2, style=Qt.PenStyle.DashLine)
        self.item = pg.PlotDataItem(pen=pen, skipFiniteCheck=True)
        self.item.setZValue(-1)  # under the current run's solid curve
        plot.addItem(self.item)
        self.line = NativeLine(self.item, plot.getViewBox())
        self.decimator = PeakDecimator()
        self.cuts = CutWatch()
        self.drawn_length = -1

    def draw(self, widget: pg.PlotWidget, log: bool) -> None:
        history = self.run.history
        self.decimator.set_buckets(buckets_for(widget))
        x, y = self.decimator.decimate(history.epochs, history.loss, self.cuts.kept(history), history.note_read)
        if log and len(y):
            y = np.maximum(y, SMALLEST_POSITIVE)  # display only: log10(0) is −∞ (after decimating: no copy of every loss)
        self.item.setData(x, y)
        self.line.refresh()
        self.drawn_length = len(history)

    def remove(self, plot: pg.PlotItem) -> None:
        plot.removeItem(self.item)
        plot.getViewBox().removeItem(self.line.path_item)


class KeptCurves:
    """The dashed curves and the legend of the kept runs in `widget` (the loss plot)."""

    def __init__(self, widget: pg.PlotWidget, runs: RunCollection, state: WindowState) -> None:
        self._widget, self._runs, self._state = widget, runs, state
        self._plot = widget.getPlotItem()
        self._curves: dict[int, _KeptCurve] = {}  # by id of the KeptRun
        self._log = False
        self._dirty = False
        self.legend = pg.LegendItem(colCount=1, labelTextColor=(40, 40, 40), brush=None, pen=None,
                                    labelTextSize="8pt", horSpacing=6, verSpacing=-6)
        # a pixmap until it changes: its samples paint in Python, which would hold the GIL (and stall
        # a race's worker) at every repaint of the plot
        self.legend.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._plot.layout.addItem(self.legend, LEGEND_ROW, 1)
        self._current_sample = pg.PlotDataItem(pen=pg.mkPen(LOSS_COLOR, width=2))  # the legend's sample only
        runs.changed.connect(self._rebuild)
        runs.grown.connect(self._on_grown)
        state.clock.slowFrame.connect(self._draw_grown)
        state.run.events.settings.connect(self._on_settings)
        self._rebuild()

    # -- what tests and exports read --------------------------------------------------------------
    def shown_runs(self) -> list[KeptRun]:
        """The kept runs that have a curve in the plot, in the collection's order."""
        return [curve.run for curve in self._curves.values()]

    def curve_data(self, run: KeptRun) -> tuple[np.ndarray, np.ndarray]:
        """The drawn (decimated) data of a kept run's curve."""
        x, y = self._curves[id(run)].item.getData()
        return (np.empty(0), np.empty(0)) if x is None else (x, y)

    def legend_labels(self) -> list[str]:
        """The legend's entries as shown (HTML-escaped: a name is never markup)."""
        return [label.text for _sample, label in self.legend.items]

    # -- drawing -------------------------------------------------------------------------------------
    def set_log_scale(self, on: bool) -> None:
        """The loss plot switched its axis (call after LossPlot.set_log_scale)."""
        self._log = bool(on)
        for curve in self._curves.values():
            curve.decimator.reset()
            curve.draw(self._widget, self._log)

    def _rebuild(self) -> None:
        visible = {id(run): run for run in self._runs.visible()}
        for key in [key for key in self._curves if key not in visible]:
            self._curves.pop(key).remove(self._plot)
        for key, run in visible.items():
            curve = self._curves.get(key)
            if curve is None or curve.item.opts["pen"].color().getRgb()[:3] != run_color(run.color):
                if curve is not None:
                    curve.remove(self._plot)
                curve = self._curves[key] = _KeptCurve(self._plot, run)
            if curve.drawn_length != len(run.history):
                curve.draw(self._widget, self._log)
        self._curves = {key: self._curves[key] for key in visible}  # the collection's order
        self._rebuild_legend()

    def _rebuild_legend(self) -> None:
        self.legend.clear()
        if not self._curves:
            self.legend.setVisible(False)
            return
        self.legend.setVisible(True)
        # the axes' text colour: the theme's (dark text on light, light on dark) when it was applied
        self.legend.setLabelTextColor(self._plot.getAxis("bottom").textPen().color())
        self.legend.addItem(self._current_sample, escaped(CURRENT_PREFIX + describe_settings(self._state.run.settings)))
        for curve in self._curves.values():
            self.legend.addItem(curve.item, escaped(curve.run.label))  # a LabelItem renders HTML

    def _on_settings(self, _settings) -> None:
        self._rebuild_legend()

    def _on_grown(self, run: KeptRun) -> None:
        if id(run) in self._curves:
            self._dirty = True
            self._state.clock.request()

    def _draw_grown(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        for curve in self._curves.values():
            if curve.drawn_length != len(curve.run.history):
                curve.draw(self._widget, self._log)

    def flush(self) -> None:
        """Draw what has grown now (tests and pictures want the screen current)."""
        self._dirty = True
        self._draw_grown()


__all__ = ["KeptCurves"]
