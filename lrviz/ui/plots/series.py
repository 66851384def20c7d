"""What the epoch plots share: thinning a long series, steady ranges, native curves, the
epoch cursor and clicks that select an epoch.

Every epoch stays in the run's history; only the drawing is thinned. Min/max peak
decimation keeps each bucket's extremes, so no spike disappears, and caches the
finished buckets, so a redraw with a million epochs only looks at the new ones.

A live plot must leave the GIL to the training thread (PySide6 keeps it during every call
into Qt, see gil_free_paint). The costly parts were the axes and their grid, re-rendered
whenever the range moved, i.e. every frame of a growing curve, and the curves' Python
paint. Here the auto-range moves in steps (`SteadyViewBox`), the axes are cached as
pixmaps between steps, and the curves are native path items (`NativeLine`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, Qt, QTimer
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsTextItem,
)

from lrviz.ui.render.dense_stroke import stroke_width
from lrviz.ui.render.style import CURSOR_COLOR

READ_ROWS = 1 << 18  # rows of a series read at once when buckets are (re)built
DRAWN_BUCKETS = 1024  # before the plot knows its width; then a power of two ≥ its width in pixels
SMALLEST_POSITIVE = np.finfo(float).tiny


class PeakDecimator:
    """Min/max decimation of an append-only series (x contiguous epochs), cached per bucket."""

    def __init__(self, buckets: int = DRAWN_BUCKETS) -> None:
        self._buckets = buckets
        self.reset()

    def set_buckets(self, buckets: int) -> None:
        """At most this many buckets are drawn (and at least half as many); resets on a change."""
        if buckets != self._buckets:
            self._buckets = buckets
            self.reset()

    def reset(self) -> None:
        self._bucket = 1
        self._first = None
        self._x = np.empty(0)
        self._low = np.empty(0)
        self._high = np.empty(0)

    def decimate(self, x: np.ndarray, y: np.ndarray, kept: int | None = None,
                 on_read: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The drawn (x, y) of the series. `kept`: how many of its first rows are unchanged since
        the last call (RunHistory.kept_since; None: all that were there); the buckets after
        them are dropped. `on_read(rows)` hears of every slice of rows read (at most
        READ_ROWS at once), so a history on disk gives the pages back behind a long pass.

        When the series outgrows its buckets, they double by merging pairs of finished ones,
        not by reading the series again: a 10^8-epoch run is read once, as it grows."""
        n = len(y)
        if n <= 2 * self._buckets:
            self.reset()
            return np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        bucket = 1 << int(np.ceil(np.log2(n / self._buckets)))
        if bucket < self._bucket or x[0] != self._first:
            self.reset()
            self._bucket, self._first = bucket, x[0]
        valid = min(len(self._low), (n if kept is None else min(kept, n)) // self._bucket)
        self._low, self._high, self._x = self._low[:valid], self._high[:valid], self._x[:valid]
        if bucket > self._bucket:  # pairs (fours, …) of finished buckets make the larger ones
            factor = bucket // self._bucket
            whole = len(self._low) // factor
            self._low = self._low[: whole * factor].reshape(whole, factor).min(axis=1)
            self._high = self._high[: whole * factor].reshape(whole, factor).max(axis=1)
            self._x = self._x[: whole * factor: factor]
            self._bucket = bucket
        complete = n // bucket
        done = len(self._low)
        step = max(1, READ_ROWS // bucket) * bucket
        pieces = [(self._x, self._low, self._high)]
        for start in range(done * bucket, complete * bucket, step):  # only the buckets finished since
            stop = min(start + step, complete * bucket)
            block = y[start:stop].reshape(-1, bucket)
            pieces.append((np.asarray(x[start:stop:bucket], dtype=float), block.min(axis=1), block.max(axis=1)))
            if on_read is not None:
                on_read(stop - start)
        if len(pieces) > 1:
            self._x, self._low, self._high = (np.concatenate(column) for column in zip(*pieces))
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


def tested_series(history) -> tuple[np.ndarray, np.ndarray, int]:
    """(epochs, test losses, first row) of the rows that have a test loss: views of the history
    when they are one stretch of rows (a split from some epoch on, the usual case), a copy only
    when a split came and went (first row -1). Expanding the per-row flags to pick them was
    10^8 booleans and two copies at every redraw of a long run."""
    starts, flags = history.setting_runs("tested")
    on = np.flatnonzero(flags)
    if not len(on):
        return np.empty(0, np.int64), np.empty(0), 0
    if len(on) == 1:
        first = int(starts[on[0]])
        stop = int(starts[on[0] + 1]) if on[0] + 1 < len(starts) else len(history)
        return history.epochs[first:stop], history.test_loss[first:stop], first
    epochs, values = history.test_loss_series()
    return epochs, values, -1


class SteadyViewBox(pg.ViewBox):
    """A ViewBox whose auto-range changes only when the data leaves the range or fills less
    than half of it, and then with headroom on the side it grew: a growing curve moves the
    axes a few times per decade of epochs instead of every frame. Panning or zooming by hand
    turns auto-range off as in any pyqtgraph plot; its "A" button turns it back on."""

    HEADROOM = 0.25  # of the data's span, added on a side the data outgrew
    MIN_FILL = 0.5  # start afresh when the data covers less than this share of the range
    MARGIN = 0.02  # of the range on each side, so a curve never touches the frame

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setDefaultPadding(0.0)  # auto-range then asks for the data's exact bounds
        self._auto_ranging = False
        self._tight = False
        self._ranges: list[tuple[float, float] | None] = [None, None]  # per axis, before the margin

    def settle(self) -> None:
        """Fit the data exactly (no headroom), once the curve has stopped growing."""
        self._tight = True
        try:
            if any(self.state["autoRange"]):
                self.updateAutoRange()
        finally:
            self._tight = False  # the exact fit is kept until the data leave it

    def updateAutoRange(self) -> None:  # noqa: N802 (pyqtgraph override)
        self._auto_ranging = True
        try:
            super().updateAutoRange()
        finally:
            self._auto_ranging = False

    def setRange(self, rect=None, xRange=None, yRange=None, *args, **kwargs):  # noqa: N802,N803
        if self._auto_ranging and rect is None:
            xRange = self._steady(0, xRange)
            yRange = self._steady(1, yRange)
        return super().setRange(rect, xRange, yRange, *args, **kwargs)

    def _steady(self, axis: int, wanted) -> tuple[float, float] | None:
        if wanted is None:
            return None
        data = (float(wanted[0]), float(wanted[1]))
        shown = data if self._tight else steady_range(self._ranges[axis], data,
                                                      keep_sign=not self.state["logMode"][axis])
        self._ranges[axis] = shown
        margin = self.MARGIN * (shown[1] - shown[0])
        return shown[0] - margin, shown[1] + margin


def steady_range(shown: tuple[float, float] | None, data: tuple[float, float],
                 keep_sign: bool = True) -> tuple[float, float]:
    """The range to show for data spanning `data`, given the range shown so far (SteadyViewBox).

    With `keep_sign`, headroom never crosses zero where the data does not (a loss axis does
    not go below 0, an epoch axis does not start before 0).
    """
    low, high = data
    span = high - low
    if span == 0:  # one epoch (after a Reset) or a constant: a readable range around it
        half = max(1.0, 0.1 * abs(low))
        new_low, new_high = low - half, high + half
        if keep_sign and low > 0:
            new_low = max(new_low, 0.0)
        if keep_sign and high < 0:
            new_high = min(new_high, 0.0)
        return new_low, new_high
    if shown is not None:
        shown_low, shown_high = shown
        # pyqtgraph pads the data's bounds by the pen's width in pixels (~0.3 % of the span),
        # which changes with the range itself: a little overshoot does not count.
        slack = 0.01 * (shown_high - shown_low)
        if shown_low - slack <= low and high <= shown_high + slack \
                and span >= SteadyViewBox.MIN_FILL * (shown_high - shown_low):
            return shown
        new_low = low - SteadyViewBox.HEADROOM * span if low < shown_low else shown_low
        new_high = high + SteadyViewBox.HEADROOM * span if high > shown_high else shown_high
    if shown is None or span < SteadyViewBox.MIN_FILL * (new_high - new_low):
        new_low, new_high = low - SteadyViewBox.HEADROOM * span, high + SteadyViewBox.HEADROOM * span
    if keep_sign:  # data that stops at zero asks for a little less (the pen padding above)
        whisker, room = 0.05 * span, 0.01 * span
        if low >= -whisker:
            new_low = max(new_low, min(low, -room))
        if high <= whisker:
            new_high = min(new_high, max(high, room))
    return new_low, new_high


def buckets_for(plot: pg.PlotWidget) -> int:
    """Buckets for a plot: a power of two ≥ its width in pixels, so each bucket (its min and
    max) covers at most two pixels; about 3× fewer points than a fixed 1,500 on a 450-px plot,
    and building and stroking a curve costs in proportion to its points."""
    width = max(int(plot.getPlotItem().getViewBox().width()), 128)
    return 1 << (width - 1).bit_length()


class EpochAxis(pg.AxisItem):
    """An epoch axis: ticks at whole epochs only, none below epoch 0 (not −0.5 … 0.5 at epoch 0,
    nor 0.2 … 0.8 after one step)."""

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph override)
        levels = [(spacing, offset) for spacing, offset in super().tickSpacing(minVal, maxVal, size)
                  if spacing >= 1]
        return levels or [(1.0, 0.0)]

    def tickValues(self, minVal, maxVal, size):  # noqa: N802,N803 (pyqtgraph override)
        return [(spacing, [v for v in values if v >= 0 and float(v).is_integer()])
                for spacing, values in super().tickValues(minVal, maxVal, size)]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        return [f"{int(round(v)):,}" for v in values]


def styled_plot(widget: pg.PlotWidget, object_name: str, y_label: str) -> None:
    widget.setObjectName(object_name)
    widget.setBackground("w")
    plot = widget.getPlotItem()
    plot.showGrid(x=True, y=True, alpha=0.2)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", y_label)
    plot.setMenuEnabled(False)
    plot.layout.setContentsMargins(2, 4, 16, 2)  # room for the last tick label at the right edge
    for axis in ("left", "bottom"):
        plot.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
        plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
        plot.getAxis(axis).enableAutoSIPrefix(False)  # a loss of 0.35 reads better than 350 (×0.001)
        # A pixmap between range steps: the axis and its grid were most of each paint.
        plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.getViewBox().setMouseEnabled(x=True, y=True)
    plot.enableAutoRange()


def cache_text(plot: pg.PlotWidget) -> None:
    """Keep the plot's texts (title, axis labels, legend names) as pixmaps between changes.

    They were laid out and drawn from their text documents at every paint, a few hundred
    microseconds a plot for text that changes once a session; every paint of a scrubbing step
    paid it. Qt redraws a cached item when its text, font or colour is set (theme, zoom).
    """
    for item in plot.scene().items():
        if isinstance(item, QGraphicsTextItem) and isinstance(item.parentItem(), (pg.LabelItem, pg.AxisItem)):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


SETTLE_MS = 400  # a curve that has not grown for this long is fitted exactly
REST_MS = 300  # a path unchanged for this long is drawn from a device cache (NativeLine)


class NativeLine:
    """Draws a PlotDataItem's curve with a native QGraphicsPathItem.

    pyqtgraph's PlotCurveItem paints in Python, so every live-plot frame held the GIL for
    its drawLines calls (measured: ~0.7 ms a curve). The PlotDataItem stays for what it does
    well (log mode, bounds for the auto-range, the legend's sample) but paints nothing
    (ItemHasNoContents); its display data become a path that Qt strokes without the GIL.
    Call `refresh()` after each setData or log-mode change.
    """

    def __init__(self, item: pg.PlotDataItem, view: pg.ViewBox) -> None:
        self._item = item
        self._view = view
        item.curve.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, True)
        pen = QPen(item.opts["pen"])
        pen.setCosmetic(True)
        self._width = pen.widthF()  # the pen's own width; a dense zig-zag is stroked thinner (dense_stroke)
        self._drawn: tuple[np.ndarray, np.ndarray] | None = None
        self.path_item = QGraphicsPathItem()
        self.path_item.setPen(pen)
        self.path_item.setZValue(item.zValue())
        # Once the path rests, it is stroked once per zoom and then blitted: a cursor or
        # selection moving over the curve repaints the pixels it uncovers, not a 10^4-segment
        # path (2.6 → 1.0 ms). While the path changes (training), no cache: Qt's partial device
        # cache of an item wider than its clipped view left stale gaps where the cursor had
        # passed, until the range next changed scale.
        self._rest_timer = QTimer(view)  # dies with the view, before its items could be used
        self._rest_timer.setSingleShot(True)
        self._rest_timer.setInterval(REST_MS)
        self._rest_timer.timeout.connect(self._cache_at_rest)
        self._cache_at_rest()
        view.addItem(self.path_item, ignoreBounds=True)  # the PlotDataItem gives the bounds
        view.sigRangeChanged.connect(self._fit_pen)

    def _fit_pen(self, *_args) -> None:
        """The pen's width, or 1 px where the drawn curve is a dense band on screen."""
        if self._drawn is None:
            return
        rect = self._view.boundingRect()
        width = stroke_width(*self._drawn, self._view.viewPixelSize(), (rect.width(), rect.height()), self._width)
        pen = self.path_item.pen()
        if pen.widthF() != width:
            pen.setWidthF(width)
            self.path_item.setPen(pen)

    @property
    def stroke_width(self) -> float:
        """The width the path is stroked with now (see _fit_pen)."""
        return self.path_item.pen().widthF()

    def _cache_at_rest(self) -> None:
        self.path_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    @property
    def cached(self) -> bool:
        """Whether the path is drawn from a device cache (only while it rests)."""
        return self.path_item.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache

    def refresh(self, data: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """Draw the item's display data, or `data` (x, y) instead (the item then holds none:
        data_bounds.DataBounds gives the view the bounds; a lone point needs the item's data)."""
        self.path_item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self._rest_timer.start()  # cached again once no new path came for REST_MS
        x, y = self._item.getData() if data is None else data  # displayed (log10 on a log axis); None: empty
        if x is None or len(x) == 0:
            self._drawn = None
            self.path_item.setPath(QPainterPath())
        else:
            self._drawn = (np.asarray(x, dtype=float), np.asarray(y, dtype=float))
            self._fit_pen()
            self.path_item.setPath(pg.arrayToQPath(*self._drawn))
        self._mark_a_lone_point(x is not None and len(x) == 1)

    def _mark_a_lone_point(self, lone: bool) -> None:
        """One epoch (right after Reset) is no line: show it as a dot, so the plot is not empty.
        (pyqtgraph's symbol paints in Python, but only while there is this single point.)"""
        if lone and self._item.opts["symbol"] is None:
            self._item.setSymbolPen(None)
            self._item.setSymbolBrush(self.path_item.pen().color())
            self._item.setSymbolSize(8)
            self._item.setSymbol("o")
        elif not lone and self._item.opts["symbol"] is not None:
            self._item.setSymbol(None)


def settle_timer(plot: pg.PlotWidget) -> QTimer:
    """A timer that fits the plot's range tightly once updates pause (training stopped)."""
    timer = QTimer(plot)
    timer.setSingleShot(True)
    timer.setInterval(SETTLE_MS)
    timer.timeout.connect(plot.getPlotItem().getViewBox().settle)
    return timer




class EpochCursor:
    """A vertical line at the shown epoch across the plot: a native item, moved per frame."""

    def __init__(self, view: pg.ViewBox) -> None:
        self._view = view
        pen = QPen(QColor(*CURSOR_COLOR))
        pen.setCosmetic(True)
        pen.setWidthF(1.5)
        pen.setStyle(Qt.PenStyle.DashLine)
        self.line_item = QGraphicsLineItem()
        self.line_item.setPen(pen)
        self.line_item.setZValue(20)
        self.line_item.setVisible(False)
        view.addItem(self.line_item, ignoreBounds=True)
        self._epoch: int | None = None
        view.sigRangeChanged.connect(self._redraw)

    @property
    def epoch(self) -> int | None:
        return self._epoch

    def set_epoch(self, epoch: int | None) -> None:
        if epoch != self._epoch:
            self._epoch = epoch
            self._redraw()

    def _redraw(self, *_args) -> None:
        if self._epoch is None:
            self.line_item.setVisible(False)
            return
        _, (low, high) = self._view.viewRange()
        self.line_item.setLine(QLineF(float(self._epoch), low, float(self._epoch), high))
        self.line_item.setVisible(True)


def clicked_epoch(plot: pg.PlotWidget, event) -> float | None:
    """The epoch (x) under a left click inside the plot's data area, or None."""
    if event.button() != Qt.MouseButton.LeftButton:
        return None
    view = plot.getPlotItem().getViewBox()
    if not view.sceneBoundingRect().contains(event.scenePos()):
        return None
    return float(view.mapSceneToView(event.scenePos()).x())


def history_key(history) -> tuple:
    """Changes whenever the drawn series would (epochs added, cut or replaced)."""
    if not len(history):
        return (id(history), 0)
    return (id(history), len(history), history.first_epoch, float(history.loss[-1]), float(history.loss[0]))
