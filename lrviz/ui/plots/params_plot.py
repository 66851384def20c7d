"""The parameters θ of every epoch (w1, w2 and b today, one curve per named column), with a
cursor at the shown epoch: how (4-2) and (4-3) move them.

A view of the window state, bound like the loss plot: curves at the slow frame rate, the
cursor at every frame, a click selects the epoch under it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem, QWidget

from lrviz.core.history import CutWatch, RunHistory, parameter_names
from lrviz.ui.plots.data_bounds import DataBounds
from lrviz.ui.plots.epoch_plot import EpochPlot
from lrviz.ui.plots.fitted_legend import FittedLegend
from lrviz.ui.plots.series import NativeLine, PeakDecimator, buckets_for
from lrviz.ui.render.style import parameter_color
from lrviz.ui.state import WindowState


class ParamsPlot(EpochPlot):
    """Every parameter column against the epoch."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(state, "paramsPlot", "parameter value", "parameters", parent)
        self._legend = _legend_above_the_data(self.getPlotItem())
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._lines: dict[str, NativeLine] = {}
        self._decimators: dict[str, PeakDecimator] = {}
        self._drawn: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # what each line shows
        self._holding: set[str] = set()  # curves whose data item holds data (a lone point)
        self._bounds = DataBounds()  # the auto-range's bounds of every curve at once
        self.getPlotItem().getViewBox().addItem(self._bounds)
        self._cuts = CutWatch()
        self._set_columns(parameter_names(2))
        zero = pg.InfiniteLine(pos=0, angle=0, pen=pg.mkPen((120, 120, 120), width=1))
        for static in (zero, self._legend):  # pixmaps until the view or the legend changes
            static.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(zero)
        self.scene().sigPrepareForPaint.connect(self._fit_restyled_legend)  # View ▸ Zoom's new type

    def _set_columns(self, names: tuple[str, ...]) -> None:
        """One curve per parameter column, named as in the history."""
        if tuple(self._curves) == names:
            return
        view = self.getPlotItem().getViewBox()
        for name, curve in self._curves.items():
            self.removeItem(curve)
            view.removeItem(self._lines[name].path_item)
        self._curves = {name: self.plot(name=name, pen=pg.mkPen(parameter_color(name, k), width=2),
                                        skipFiniteCheck=True) for k, name in enumerate(names)}
        self._lines = {name: NativeLine(curve, view) for name, curve in self._curves.items()}
        self._decimators = {name: PeakDecimator() for name in self._curves}
        self._drawn, self._holding = {}, set()
        self._bounds.set_padding(max(curve.curve.pixelPadding() for curve in self._curves.values()))
        self._fit_legend()

    def _fit_legend(self) -> None:
        """The legend within the data area's width and a share of the plot's height (fitted_legend.py):
        a feature map's many terms (issue 14) in one row of eight ran past the right edge, and in
        a narrow plot, one a row, took most of its height."""
        plot = self.getPlotItem()
        beside = plot.geometry().width() - plot.getViewBox().geometry().width()  # the axis, the margins
        self._legend.fit(max(0.0, self.width() - max(beside, 0.0) - 4), self.height())
        plot.layout.activate()  # now, not at the next turn of the event loop: the legend's new size,
        self._legend.layout.activate()  # and its entries in their places
        if plot.geometry() != self.range:  # held wider than the view by the legend before it fitted
            plot.setGeometry(self.range)

    def _fit_restyled_legend(self) -> None:
        if not getattr(self, "closed", False) and self._legend.restyled():
            self._fit_legend()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if hasattr(self, "_legend") and not getattr(self, "closed", False):  # close() deletes the items
            self._fit_legend()

    def draw_history(self, history: RunHistory) -> None:
        self._set_columns(history.names)
        kept = self._cuts.kept(history)
        self.set_series(history.epochs, {name: history.column(name) for name in history.names}, kept,
                        history.note_read)

    # -- drawing ---------------------------------------------------------------------------------------------
    def set_history(self, epochs: np.ndarray, W: np.ndarray, b: np.ndarray) -> None:  # noqa: N803
        """w1 … wn and b of every epoch (the columns of the tutorial's model)."""
        names = tuple(f"w{k + 1}" for k in range(W.shape[1])) + ("b",)
        self._set_columns(names)
        self.set_series(epochs, {**{f"w{k + 1}": W[:, k] for k in range(W.shape[1])}, "b": b})

    def set_series(self, epochs: np.ndarray, series: dict[str, np.ndarray], kept: int | None = None,
                   on_read=None) -> None:
        """Each series, decimated (`kept` and `on_read` as PeakDecimator.decimate), straight into
        its native line; one DataBounds tells the auto-range where they all lie (the data items'
        setData cost ~0.4 ms a curve, ten curves at every slow frame of a degree-3 run). A lone
        point goes through its data item, which draws it as a dot."""
        buckets = buckets_for(self)
        extent: list[float] = []
        for name, values in series.items():
            self._decimators[name].set_buckets(buckets)
            x, y = self._decimators[name].decimate(epochs, values, kept, on_read)
            self._drawn[name] = (x, y)
            if len(x) <= 1:
                self._curves[name].setData(x, y)
                self._lines[name].refresh()
                self._holding.add(name)
            else:
                if name in self._holding:
                    self._curves[name].setData(np.empty(0), np.empty(0))
                    self._holding.discard(name)
                self._lines[name].refresh((x, y))
            if len(x):
                extent += [float(x[0]), float(x[-1]), float(np.min(y)), float(np.max(y))]
        if extent:
            xs, ys = extent[0::4] + extent[1::4], extent[2::4] + extent[3::4]
            self._bounds.set_ranges((min(xs), max(xs)), (min(ys), max(ys)))
        else:
            self._bounds.set_ranges(None, None)
        self._settle.start()

    def drawn_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The (decimated) points the curve of `name` draws."""
        return self._drawn.get(name, (np.empty(0), np.empty(0)))

    def clear_history(self) -> None:
        for decimator in self._decimators.values():
            decimator.reset()
        self.set_history(np.empty(0, np.int64), np.empty((0, 2)), np.empty(0))


def _legend_above_the_data(plot: pg.PlotItem) -> FittedLegend:
    """The legend in one row where the title was: it never covers a curve (inside the data
    area it sat on w1, w2 and b). Each curve named by the plot joins it."""
    plot.setTitle(None)
    plot.layout.removeItem(plot.titleLabel)
    legend = FittedLegend()
    plot.layout.addItem(legend, 0, 1, alignment=Qt.AlignmentFlag.AlignHCenter)
    plot.legend = legend  # PlotItem.plot(name=…) adds its curves here
    return legend


__all__ = ["ParamsPlot"]
