"""The z view: every point at its zᵢ = w·xᵢ + b (horizontal) and its label (vertical,
slightly jittered), the curve ŷ = σ(z) (1-2), each point's ŷᵢ on it, and the threshold z = 0.

Scrubbing the timeline shows the points spread along the sigmoid as training separates
them: a point's distance from its label's level is what its loss (2-2) measures. A view of
the window state: it draws the shown epoch (at every frame for a selected epoch, at most
LIVE_HZ times a second while following training: pyqtgraph's scatter plots build and paint
their markers in Python, holding the GIL that training needs), computes nothing while hidden, and marks the
selected point; a click on a point selects it. The numbers come from `core.explain`.

Above MAX_DRAWN points every k-th point is drawn (the title says so): pyqtgraph's scatter
plots build their markers in Python, and the training thread needs the GIL.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QWidget,
)

from lrviz.core.explain import Explanation, explain
from lrviz.core.model import sigmoid
from lrviz.core.step_size import StepSizeBound
from lrviz.ui.render.gil_free_paint import GilFreePaint
from lrviz.ui.render.throttle import LiveThrottle
from lrviz.ui.render.style import BOUNDARY_COLOR, CLASS_COLORS, CLASS_SYMBOLS
from lrviz.ui.state import WindowState

MAX_DRAWN = 2000
LIVE_HZ = 4.0
JITTER = 0.07  # the label's level ± this, so equal points stay apart
MIN_HALF_RANGE = 6.0  # σ(±6) = 0.0025 … 0.9975: the whole S shape
HIT_PX = 8.0
_NO_BOUND = StepSizeBound(math.nan, math.nan)  # the z view needs no 2/L


def jitter(m: int) -> np.ndarray:
    """A deterministic spread in [−JITTER, JITTER] per point index (a golden-ratio sequence):
    the same point keeps its offset as training goes on."""
    return JITTER * (2.0 * ((np.arange(m) * 0.6180339887498949) % 1.0) - 1.0)


def half_range(z: np.ndarray) -> float:
    """The symmetric z range shown: at least ±6, else the next power of two above max |z|, so
    the axes change in rare steps, not every frame."""
    finite = z[np.isfinite(z)]
    largest = float(np.max(np.abs(finite))) if len(finite) else 0.0
    if largest <= MIN_HALF_RANGE:
        return MIN_HALF_RANGE
    return float(2.0 ** math.ceil(math.log2(largest * 1.05)))


class SigmoidPlot(GilFreePaint, pg.PlotWidget):
    """Points at (zᵢ, yᵢ + jitter), σ(z), ŷᵢ on the curve, the threshold, the selected point."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paint_without_gil()
        self.setObjectName("sigmoidPlot")
        self._state = state
        self._drawn: tuple | None = None
        self._half: float | None = None
        self.explanation: Explanation | None = None
        self.drawn_indices = np.empty(0, dtype=np.int64)
        self._build_items()
        self._title = ""
        self._live = LiveThrottle(self.refresh, 1.0 / LIVE_HZ, self)
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(lambda: self.isVisible() and self._live.request())
        state.selectedPointChanged.connect(lambda _index: self.refresh())
        self.scene().sigMouseClicked.connect(self._on_click)

    def _build_items(self) -> None:
        self.setBackground("w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        plot.setLabel("bottom", "z = w·x + b")
        plot.setLabel("left", "label y, and ŷ = σ(z)")
        plot.showGrid(x=True, y=True, alpha=0.15)
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()
        plot.setYRange(-0.15, 1.15, padding=0)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
            plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        view = plot.getViewBox()
        ink = QPen(QColor(*BOUNDARY_COLOR), 2.0)
        ink.setCosmetic(True)
        self.curve = QGraphicsPathItem()  # native: stroked without the GIL
        self.curve.setPen(ink)
        self.curve.setZValue(5)
        view.addItem(self.curve, ignoreBounds=True)
        dashed = pg.mkPen((120, 120, 120), width=1, style=Qt.PenStyle.DashLine)
        self.threshold = pg.InfiniteLine(0.0, angle=90, pen=dashed, label="z = 0", labelOpts={"position": 0.62})
        self.half_line = pg.InfiniteLine(0.5, angle=0, pen=dashed)
        plot.addItem(self.threshold)
        plot.addItem(self.half_line)
        self.points = []
        self.on_curve = []
        for label in (0, 1):
            color = CLASS_COLORS[label]
            scatter = pg.ScatterPlotItem(symbol=CLASS_SYMBOLS[label], size=9, pen=pg.mkPen((25, 25, 25), width=1),
                                         brush=pg.mkBrush(*color, 200), name=f"class {label}")
            scatter.setZValue(10)
            scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.addItem(scatter)
            self.points.append(scatter)
            dots = pg.ScatterPlotItem(symbol="o", size=5, pen=pg.mkPen(*color), brush=pg.mkBrush(255, 255, 255))
            dots.setZValue(8)
            dots.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            plot.addItem(dots)
            self.on_curve.append(dots)
        self.rings = []
        for _ in range(2):  # the selected point, and its ŷ on the curve
            ring = QGraphicsEllipseItem(QRectF(-11, -11, 22, 22))
            pen = QPen(QColor(230, 120, 0), 3.0)
            pen.setCosmetic(True)
            ring.setPen(pen)
            ring.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            ring.setZValue(13)
            ring.setVisible(False)
            view.addItem(ring, ignoreBounds=True)
            self.rings.append(ring)

    # -- drawing ------------------------------------------------------------------------------------
    def _on_frame(self) -> None:
        if not self._state.follow_latest or len(self._state.run.history) <= 1:
            self.refresh()

    def refresh(self) -> None:
        """Draw the shown epoch when it (or the selection) changed and the view is visible."""
        if not self.isVisible():
            return
        state = self._state
        run, epoch = state.run, state.explained_epoch()  # None with no points: an empty view
        history = run.history
        key = (epoch, id(history), len(history), history.last_epoch, run.revision, state.selected_point)
        if key == self._drawn:
            return
        self._drawn = key
        self.explanation = None
        if epoch is not None and len(run.points_at(run.row(epoch).data_revision).y):
            self.explanation = explain(run, epoch, _NO_BOUND)
        self._draw(self.explanation)

    def _draw(self, ex: Explanation | None) -> None:
        if ex is None:
            for item in (*self.points, *self.on_curve):
                item.setData([], [])
            self.curve.setPath(QPainterPath())
            for ring in self.rings:
                ring.setVisible(False)
            self.drawn_indices = np.empty(0, dtype=np.int64)
            return
        m = ex.count
        half = half_range(ex.z)
        if half != self._half:
            self._half = half
            self.getPlotItem().setXRange(-half, half, padding=0.02)
            grid = np.linspace(-half, half, 400)
            self.curve.setPath(pg.arrayToQPath(grid, sigmoid(grid)))
        stride = max(1, -(-m // MAX_DRAWN))
        drawn = np.arange(0, m, stride)
        self.drawn_indices = drawn
        heights = ex.y + jitter(m)
        held_out = ~ex.trains
        for label in (0, 1):
            mine = drawn[ex.y[drawn] == label]
            if held_out[mine].any():  # a split's test points are hollow, as in the editor
                color = CLASS_COLORS[label]
                fill, hollow = pg.mkBrush(*color, 200), pg.mkBrush(255, 255, 255, 230)
                ink, ring = pg.mkPen((25, 25, 25), width=1), pg.mkPen(*color, width=2)
                tested = held_out[mine]
                self.points[label].setData(ex.z[mine], heights[mine],
                                           brush=[hollow if t else fill for t in tested],
                                           pen=[ring if t else ink for t in tested])
            else:
                self.points[label].setData(ex.z[mine], heights[mine])
            self.on_curve[label].setData(ex.z[mine], ex.y_hat[mine])
        title = "points at z = w·x + b, with ŷ = σ(z) on the curve"  # no epoch: a new title re-lays the axes out
        if stride > 1:
            title += f" (every {stride}th of {m:,} points drawn)"
        if title != self._title:
            self._title = title
            self.setTitle(title, color=(60, 60, 60), size="9pt")
        self._draw_selection(ex, heights)

    def _draw_selection(self, ex: Explanation, heights: np.ndarray) -> None:
        state = self._state
        index = state.selected_point
        same_points = state.run.row(ex.epoch).data_revision == state.run.revision
        if index is None or not same_points or index >= ex.count or not math.isfinite(ex.z[index]):
            for ring in self.rings:
                ring.setVisible(False)
            return
        self.rings[0].setPos(float(ex.z[index]), float(heights[index]))
        self.rings[1].setPos(float(ex.z[index]), float(ex.y_hat[index]))
        for ring in self.rings:
            ring.setVisible(True)

    def point_pixel(self, index: int) -> QPointF:
        """The viewport pixel of point `index`'s marker (tests click there)."""
        ex = self.explanation
        height = float(ex.y[index] + jitter(ex.count)[index])
        view = self.getPlotItem().getViewBox()
        return QPointF(self.mapFromScene(view.mapViewToScene(QPointF(float(ex.z[index]), height))))

    def _on_click(self, event) -> None:
        ex = self.explanation
        if ex is None or event.button() != Qt.MouseButton.LeftButton or not len(self.drawn_indices):
            return
        view = self.getPlotItem().getViewBox()
        scene_pos = event.scenePos()
        drawn = self.drawn_indices
        heights = ex.y[drawn] + jitter(ex.count)[drawn]
        target = view.mapSceneToView(scene_pos)
        (x0, x1), (y0, y1) = view.viewRange()
        rect = view.sceneBoundingRect()
        dx = (ex.z[drawn] - target.x()) * rect.width() / (x1 - x0)
        dy = (heights - target.y()) * rect.height() / (y1 - y0)
        with np.errstate(invalid="ignore", over="ignore"):
            distance2 = np.where(np.isfinite(dx), dx * dx + dy * dy, np.inf)
        nearest = int(np.argmin(distance2))
        if distance2[nearest] <= HIT_PX**2 and self._state.run.row(ex.epoch).data_revision == self._state.run.revision:
            self._state.select_point(int(drawn[nearest]))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._drawn = None
        self.refresh()


__all__ = ["JITTER", "MAX_DRAWN", "SigmoidPlot", "half_range", "jitter"]
