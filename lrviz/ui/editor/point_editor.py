"""The plane where points are placed, and where the model is drawn behind them.

A view of the window state. Behind the points: the probability ŷ = σ(w·x + b) (1-2) of the
shown epoch as a heatmap over the visible area, the decision boundary w·x + b = 0
(ŷ = 0.5), and w drawn as an arrow normal to the boundary, pointing toward class 1. With a
feature map φ (issue 14) the boundary φ(x)·w + b = 0 is drawn as curves (curve_layer.py)
and the arrow is hidden. All
three follow the state's shown epoch (or set_parameters()) and the view's pan and zoom; the
heatmap is recomputed at most once per event-loop turn. Edits go through the state's
undoable points model; the active class is the state's. Test points (the train/test split)
are drawn hollow, and the iso-line ŷ = t of the state's threshold dashed (threshold_layer.py).

Mouse: left click places a point of the active class (Shift: the other class); dragging a
point moves it (one undo step); right click or Ctrl+click on a point deletes it; a drag on
empty space pans, the wheel zooms, as in any pyqtgraph plot.

The mouse is handled at the widget (press, move, release) rather than through the
scene's click signal: a point drag must start at the press, before pyqtgraph decides
between a click and a pan, and every event the editor uses must stop there.

Above DENSITY_THRESHOLD points the markers give way to a 2-D density image per class,
and points can no longer be picked (a click still places one).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil, log10

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import (QBrush, QColor, QContextMenuEvent, QFont, QKeyEvent, QMouseEvent, QPainter, QPen,
                           QPolygonF, QTransform)
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsLineItem, QGraphicsPolygonItem, QGraphicsRectItem,
                               QGraphicsSimpleTextItem, QWidget)

from lrviz.core.features import IDENTITY, FeatureMap
from lrviz.core.model import sigmoid
from lrviz.core.model_trainer import feature_map
from lrviz.ui.editor.arrow_place import place_arrow
from lrviz.ui.editor.class_legend import ClassLegend
from lrviz.ui.editor.curve_layer import BoundaryCurves, contour
from lrviz.ui.editor.curve_skip import CurveFrame, GridFeatures
from lrviz.ui.editor.density_map import DensityPainter
from lrviz.ui.editor.pull_layer import PullLayer
from lrviz.ui.editor.selection_layer import SelectionLayer
from lrviz.ui.editor.ghost_layer import GhostLayer
from lrviz.ui.editor.line_clip import clipped_line
from lrviz.ui.editor.threshold_layer import HeldOutPointsLayer, ThresholdLayer
from lrviz.ui.plain_text import escaped
from lrviz.ui.points_model import PointsModel
from lrviz.ui.render.gil_free_paint import GilFreePaint
from lrviz.ui.render.heatmap_item import ProbabilityImage
from lrviz.ui.render.pixel_ramp import PixelRamp, linear_ramp
from lrviz.ui.render.steady_scatter import SteadyScatter
from lrviz.ui.render.style import BOUNDARY_COLOR, CLASS_COLORS, CLASS_SYMBOLS, probability_lut
from lrviz.ui.state import WindowState

HIT_RADIUS_PX = 8.0  # a press this close to a point's centre grabs the point
CLICK_SLOP_PX = 4.0  # a press and release closer than this is a click, not a drag
HEATMAP_CELLS = 200  # along the longer side of the view
EXPORT_HEATMAP_CELLS = 1000  # in an exported image: finer than its pixels, so a steep boundary shows no steps
DENSITY_THRESHOLD = 100_000  # above this many points, draw a density image instead of markers
DENSITY_BINS = 256
ARROW_PX = (24.0, 150.0)  # the arrow's length in pixels: it grows with ‖w‖ within these bounds
_ARROW_GROWTH_PX = ARROW_PX[0] / np.log(2.0)  # the largest d(length)/d‖w‖ (at ‖w‖ = 0), pixels per unit


def arrow_length_px(norm: float) -> float:
    """The arrow's length for ‖w‖: 24 px · (1 + log₂(1 + ‖w‖)), at most 150 px.

    It shows ‖w‖ on a scale that stays readable: ‖w‖ = 0 → 24 px, 1 → 48, 3 → 72, 10 → 107;
    from about 37 on it stays at 150 px, and the label gives the number.
    """
    return float(min(ARROW_PX[0] * (1.0 + np.log2(1.0 + norm)), ARROW_PX[1]))


def arrow_label(norm: float) -> str:
    return f"w   ‖w‖ = {norm:.3g}"
MAX_ASPECT_STRETCH = 10.0  # fit_view keeps x and y at one scale unless the data's spans differ more
EMPTY_RANGE = (-4.0, 4.0)
# The view's range stays within ±VIEW_LIMIT and spans at least MIN_SPAN: pyqtgraph maps a click
# back to data through the inverse of the view's transform, whose determinant (pixels per unit)²
# underflows for spans beyond ~1e154 and overflows below ~1e-151 (every click then lands at 0).
VIEW_LIMIT = 1e150
MIN_SPAN = 1e-140
MIN_RELATIVE_SPAN = 1e-12  # nor does zooming in go where a pixel nears the float spacing
MARKER_SIZE = 11
OUTLINE = (25, 25, 25)


class _ExactAxis(pg.AxisItem):
    """Tick labels that stay distinct far from 0 (e.g. 1000000.2 and 1000000.4, not 1e+06 twice)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        strings = super().tickStrings(values, scale, spacing)
        if len(set(strings)) == len(strings) or not values or spacing * scale <= 0:
            return strings
        places = max(0, ceil(-log10(spacing * scale)))
        if max(abs(v * scale) for v in values) >= 1e15 or places > 15:
            return strings
        return [f"{v * scale:.{places}f}" for v in values]


class _BoundedViewBox(pg.ViewBox):
    """A ViewBox whose zoom stops at the view's limit, and before a pixel is finer than the floats.

    pyqtgraph scales the range first and applies its limits after, so a fast enough zoom-out
    makes an infinite range (ViewBox.setRange raises on it); and its guard against zooming in
    past the float spacing only works right of 0 (left of 0 the view shrinks to a few floats).
    """

    def scaleBy(self, s=None, center=None, x=None, y=None):  # noqa: N802 (pyqtgraph override)
        if s is not None:
            x, y = s[0], s[1]
        rect = self.targetRect()
        x = _bounded_zoom(x, rect.width(), max(abs(rect.left()), abs(rect.right())))
        y = _bounded_zoom(y, rect.height(), max(abs(rect.top()), abs(rect.bottom())))
        if self.state["aspectLocked"] is not False and x is not None and y is not None:
            x = y = (min if max(x, y) > 1 else max)(x, y)  # one factor: the more cautious
        super().scaleBy(None, center, x, y)


def _bounded_zoom(factor: float | None, span: float, magnitude: float) -> float | None:
    """The zoom factor, reduced so the new span stays within [smallest, 2·VIEW_LIMIT].

    Python floats throughout: an overflow is inf, never a NumPy warning.
    """
    if factor is None or not span > 0:
        return factor
    if factor > 1:
        return max(1.0, min(factor, 2.0 * VIEW_LIMIT / span))
    smallest = max(MIN_SPAN, MIN_RELATIVE_SPAN * magnitude)
    return min(1.0, max(factor, smallest / span))


class PointEditor(GilFreePaint, pg.PlotWidget):
    """A pyqtgraph plot that edits the state's points and shows the shown epoch's probability."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent, viewBox=_BoundedViewBox(enableMenu=False),
                         axisItems={"bottom": _ExactAxis("bottom"), "left": _ExactAxis("left")})
        self.setObjectName("pointEditor")
        self.paint_without_gil()
        self._state = state
        self._model = state.points
        self._followed: tuple | None = None  # what follow_state last drew
        self._heatmap_cells = HEATMAP_CELLS
        self._arrow_choice: tuple | None = None  # where the arrow and its label went last (arrow_place)
        self._w: np.ndarray | None = None
        self._b: float | None = None
        self._phi: FeatureMap = IDENTITY  # the inputs φ of the model drawn (curve_layer.py when not x)
        self._drawn: tuple | None = None  # (view, heatmap, boundary, w, b) as last painted
        self._grid_features = GridFeatures()  # φ on the heatmap's grid (curved models)
        self._curve_frame: CurveFrame | None = None  # the curved frame last painted (curve_skip.py)
        self._drawn_points: list[np.ndarray | None] = [None, None]  # what each scatter shows
        self._labels: tuple[str, str] | None = None
        # One gesture at a time: a point drag, or a press on empty space (a click or a pan).
        self._drag_index: int | None = None
        self._drag_offset = np.zeros(2)  # point minus pointer, so a grabbed point does not jump
        self._drag_moved = False
        self._previewing = False  # our own preview_move is running
        self._press_pos: QPointF | None = None
        self._swallow_release = False
        self._build_items()
        self.selection = SelectionLayer(self, state)  # the selected point's ring, the hover tooltip
        self.pulls = PullLayer(self, state)  # loss halos and pull arrows (View menu)
        self.ghost = GhostLayer(state, self.view_box)  # the landscape's hovered parameters, dashed
        self.class_legend = ClassLegend(self, state)  # the classes' markers and names (named data sets)
        self._heatmap_timer = QTimer(self)
        self._heatmap_timer.setSingleShot(True)
        self._heatmap_timer.setInterval(0)
        self._heatmap_timer.timeout.connect(self._draw_model)
        self.view_box.sigRangeChanged.connect(self._schedule_model)
        self.view_box.sigResized.connect(self._schedule_model)
        self._model.changed.connect(self._on_model_changed)
        state.clock.frame.connect(self.follow_state)
        self._draw_points()
        self.fit_view()
        self.follow_state()

    # -- construction --------------------------------------------------------------------------
    @property
    def view_box(self) -> pg.ViewBox:
        return self.getPlotItem().getViewBox()

    @property
    def model(self) -> PointsModel:
        return self._model

    def _build_items(self) -> None:
        self.setBackground("w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)  # right click deletes a point: no context menu over the editor
        plot.hideButtons()
        self.view_box.setMenuEnabled(False)
        self.view_box.disableAutoRange()
        self.view_box.setAspectLocked(True)
        self.view_box.setLimits(xMin=-VIEW_LIMIT, xMax=VIEW_LIMIT, yMin=-VIEW_LIMIT, yMax=VIEW_LIMIT,
                                minXRange=MIN_SPAN, minYRange=MIN_SPAN)
        plot.layout.setContentsMargins(4, 10, 14, 4)  # room for the top and right tick labels
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(pg.mkPen((50, 50, 50)))
            plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
            # A pixmap until the view pans or zooms: training frames then do not redraw the axes.
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.viewport().setMouseTracking(True)  # hover feedback over points

        # Everything redrawn per training frame is a native Qt item (no Python paint()), so
        # Qt draws it without the GIL that training needs (see gil_free_paint); the view
        # antialiases them (pyqtgraph's own items here are cached pixmaps or hidden then).
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._heatmap = ProbabilityImage(probability_lut())
        self._heatmap.setZValue(-20)
        self.view_box.addItem(self._heatmap)

        self._density = pg.ImageItem(axisOrder="row-major")
        self._density.setZValue(-15)  # over the heatmap, under the boundary and arrow
        self._density.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # redrawn per frame
        self.addItem(self._density)
        self._density_painter = DensityPainter(self._density, DENSITY_BINS, CLASS_COLORS, self)  # a thread for many

        ink = QPen(QColor(*BOUNDARY_COLOR), 2.5)
        ink.setCosmetic(True)  # 2.5 pixels wide at any zoom
        ink.setCapStyle(Qt.PenCapStyle.FlatCap)
        self._boundary = QGraphicsLineItem()
        self._boundary.setPen(ink)
        self._boundary.setZValue(-10)
        self._curves = BoundaryCurves(ink)  # φ(x)·w + b = 0 of a non-identity feature map
        self._curves.setZValue(-10)
        self._curves.setVisible(False)
        self.view_box.addItem(self._curves)
        self._arrow_shaft = QGraphicsLineItem()
        self._arrow_shaft.setPen(ink)
        self._arrow_shaft.setZValue(12)  # over the markers: the arrow is what a learner looks for
        self._arrow_head = QGraphicsPolygonItem()
        self._arrow_head.setBrush(QBrush(QColor(*BOUNDARY_COLOR)))
        head_pen = QPen(QColor(*BOUNDARY_COLOR))
        head_pen.setCosmetic(True)
        head_pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        self._arrow_head.setPen(head_pen)
        self._arrow_head.setZValue(12)
        self._arrow_label = QGraphicsSimpleTextItem("w")
        font = QFont()
        font.setBold(True)
        font.setItalic(True)
        font.setPointSizeF(12)
        self._arrow_label.setFont(font)
        self._arrow_label.setBrush(QBrush(QColor(*BOUNDARY_COLOR)))
        self._arrow_label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # upright, in pixels
        box = self._arrow_label.boundingRect()
        self._arrow_label.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))  # centred
        self._arrow_label.setZValue(12)
        # A light backing, so the label reads over markers and the heatmap alike (a native item).
        self._arrow_label_back = QGraphicsRectItem()
        self._arrow_label_back.setBrush(QBrush(QColor(255, 255, 255, 175)))
        self._arrow_label_back.setPen(QPen(Qt.PenStyle.NoPen))
        self._arrow_label_back.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self._arrow_label_back.setZValue(11.5)
        for item in (self._boundary, self._arrow_shaft, self._arrow_head, self._arrow_label, self._arrow_label_back):
            self.view_box.addItem(item)

        self._scatters = [self._make_scatter(label) for label in (0, 1)]
        for scatter in self._scatters:
            # The markers change far less often than the heatmap under them: keep them as a
            # pixmap, so a training frame does not redraw thousands of symbols.
            scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        # The dragged point alone, so a drag step does not re-send every marker to pyqtgraph.
        self._drag_marker = self._make_scatter(0)
        self._drag_marker.setZValue(11)
        self._drag_marker.setVisible(False)
        self.test_points = HeldOutPointsLayer(self.addItem, MARKER_SIZE)  # the test points, hollow
        self.threshold_line = ThresholdLayer(self._state, self.view_box, lambda: (self._w, self._b))
        self._set_model_items_visible(False)

    def _make_scatter(self, label: int) -> pg.ScatterPlotItem:
        scatter = SteadyScatter(  # its bounding rectangle asked at every paint (render/steady_scatter.py)
            symbol=CLASS_SYMBOLS[label], size=MARKER_SIZE, pen=pg.mkPen(OUTLINE, width=1.2),
            brush=pg.mkBrush(*CLASS_COLORS[label]), name=f"class {label}")
        scatter.setZValue(10)
        self.addItem(scatter)
        return scatter

    # -- public ----------------------------------------------------------------------------------
    @property
    def active_class(self) -> int:
        return self._state.active_class

    def follow_state(self) -> None:
        """Draw the model of the state's shown epoch (nothing when there is none or no points),
        when that changed since the last frame; set_parameters() draws any other model."""
        state = self._state
        history = state.run.history
        shown = state.shown_epoch
        row = state.shown_row()
        # θ is in the key: Start Here (the landscape) replaces epoch 0 by another epoch 0 in one go
        theta = None if row is None else (row.w.tobytes(), row.b)
        key = (shown, id(history), len(history), history.last_epoch, len(self._model.dataset) > 0, theta)
        if key == self._followed:
            return
        self._followed = key
        if row is None or not len(self._model.dataset):
            self.set_parameters(None, None)
        else:
            self.set_parameters(row.w, row.b, feature_map(state.run.settings))

    def set_parameters(self, w: np.ndarray | None, b: float | None, phi: FeatureMap = IDENTITY) -> None:
        """Show the model (w, b) on the inputs φ(x); (None, None), or anything not finite, hides
        heatmap, boundary and arrow."""
        if w is None or b is None:
            self._w = self._b = None
        else:
            w = np.array(w, dtype=float).reshape(-1)
            if w.shape != (phi.n_terms,):
                raise ValueError(f"the editor draws a model with {phi.n_terms} weights, not {w.size}")
            if phi != self._phi:
                self._curve_frame = None
            self._phi = phi
            finite = bool(np.all(np.isfinite(w))) and np.isfinite(float(b))
            self._w, self._b = (w, float(b)) if finite else (None, None)
        self._schedule_model()

    def draw_model_now(self) -> None:
        """Draw the model at once instead of at the next event-loop turn (an exported frame)."""
        self._heatmap_timer.stop()
        self._draw_model()

    @contextmanager
    def export_quality(self) -> Iterator[None]:
        """While an image is exported: the heatmap at EXPORT_HEATMAP_CELLS. Bilinear scaling
        hides its 200 cells on screen, but an SVG viewed at zoom showed them as steps along a
        steep boundary (one cell then spans many pixels). Drawn once, so its cost (~10 ms)
        does not matter. (A feature map's curved model keeps its grid: its contour would cost more.)"""
        if not self._phi.is_identity:
            yield
            return
        self._heatmap_cells, self._drawn = EXPORT_HEATMAP_CELLS, None
        self.draw_model_now()
        try:
            yield
        finally:
            self._heatmap_cells, self._drawn = HEATMAP_CELLS, None
            self.draw_model_now()

    def fit_view(self) -> None:
        """Show every point with a margin ([-4, 4]² when there are none).

        x and y keep one scale (so w looks normal to the boundary) unless the data's
        extents differ by more than MAX_ASPECT_STRETCH: then each axis fits its own extent.
        """
        X = self._model.dataset.X
        if len(X) == 0:
            low, high = np.full(2, EMPTY_RANGE[0]), np.full(2, EMPTY_RANGE[1])
        else:
            low, high = self._model.dataset.bounds()  # computed once per edit (by the reader, for a file)
            # The view cannot go past its limit: points beyond it stay out of sight.
            low, high = np.clip(low, -VIEW_LIMIT, VIEW_LIMIT), np.clip(high, -VIEW_LIMIT, VIEW_LIMIT)
            centre, half = low / 2 + high / 2, high / 2 - low / 2
            # One point, or all at one place: a square of half-width 2 (scaled to the values'
            # size, so a cluster at 1e6 does not get a window below the float spacing there).
            floor = max(2.0, 1e-9 * float(np.max(np.abs(centre))))
            largest = float(half.max())
            half = np.where(half > 0, half, largest if largest > 0 else floor)
            half = np.maximum(half, MIN_SPAN)  # points closer than that look like one place
            low, high = centre - half, centre + half
        spans = high - low
        self.view_box.setAspectLocked(bool(spans.max() <= MAX_ASPECT_STRETCH * spans.min()))
        self.view_box.setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]), padding=0.05)

    def data_to_viewport(self, x1: float, x2: float) -> QPointF:
        """The viewport pixel of a data point (tests click there)."""
        return QPointF(self.mapFromScene(self.view_box.mapViewToScene(QPointF(x1, x2))))

    def boundary_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The drawn boundary segment's end points, or None when none is drawn."""
        if not self._boundary.isVisible():
            return None
        line = self._boundary.line()
        return np.array([line.x1(), line.y1()]), np.array([line.x2(), line.y2()])

    def weight_arrow(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The drawn arrow's base (on the boundary) and tip, in data coordinates, or None."""
        if not self._arrow_head.isVisible():
            return None
        base = self._arrow_shaft.line().p1()
        tip = self._arrow_head.polygon().at(0)
        return np.array([base.x(), base.y()]), np.array([tip.x(), tip.y()])

    def heatmap_image(self) -> np.ndarray | None:
        """ŷ on the drawn grid (rows: x2 upward, columns: x1), or None when hidden."""
        return self._heatmap.probabilities if self._heatmap.isVisible() else None

    # -- drawing the points --------------------------------------------------------------------------
    def _on_model_changed(self) -> None:
        if self._previewing:
            self._draw_drag_marker()
            return
        if self._drag_index is not None:
            # Someone else changed the points mid-drag (undo, a loaded file): the model has put
            # the dragged point back, so this drag is over; ignore the rest of its events.
            self._end_gesture(swallow_release=True)
        self._draw_points()

    def _draw_points(self) -> None:
        dataset = self._model.dataset
        X, y = dataset.X, dataset.y
        if dataset.feature_names != self._labels:
            self._labels = dataset.feature_names
            plot = self.getPlotItem()
            # escaped: pyqtgraph draws labels as HTML, and the names come from files
            plot.setLabel("bottom", escaped(dataset.feature_names[0]), color="#333333", size="10pt")
            plot.setLabel("left", escaped(dataset.feature_names[1]), color="#333333", size="10pt")
        dense = len(X) > DENSITY_THRESHOLD
        hidden = self._drag_index if self._drag_moved else None  # drawn by the drag marker instead
        shown = None if dense else np.ones(len(y), bool)
        if shown is not None and hidden is not None:
            shown[hidden] = False
        self.test_points.draw(X, y, dataset.is_test, shown)
        for label, scatter in enumerate(self._scatters):
            chosen = np.zeros(0) if dense else (y == label) & ~dataset.is_test  # test points: hollow, above
            if not dense and hidden is not None:
                chosen[hidden] = False
            points = X[chosen] if not dense else np.empty((0, 2))
            previous = self._drawn_points[label]
            if previous is None or not np.array_equal(previous, points):
                # setData walks every marker in Python: skip it when this class did not change.
                scatter.setData(x=points[:, 0], y=points[:, 1])
                self._drawn_points[label] = points.copy()
            scatter.setVisible(not dense)
        self._drag_marker.setVisible(hidden is not None)
        self._density.setVisible(dense)
        if dense:
            self._draw_density(X, y)

    def _draw_drag_marker(self) -> None:
        index = self._drag_index
        if index is None:
            return
        if not self._drag_marker.isVisible():
            label = int(self._model.dataset.y[index])
            self._drag_marker.setSymbol(CLASS_SYMBOLS[label])
            self._drag_marker.setBrush(pg.mkBrush(*CLASS_COLORS[label]))
            self._drag_moved = True
            self._draw_points()  # once per drag: take the point out of its class's markers
        x1, x2, _ = self._model.dataset.point(index)
        self._drag_marker.setData(x=[x1], y=[x2])

    def _draw_density(self, X: np.ndarray, y: np.ndarray) -> None:
        """Above DENSITY_THRESHOLD points: a 2-D histogram per class, blended in class colours
        (density_map.py; for millions of points in a thread)."""
        dataset = self._model.dataset
        self._density_painter.draw(*dataset.snapshot(), *dataset.bounds())

    # -- drawing the model ---------------------------------------------------------------------------
    def _schedule_model(self, *_args) -> None:
        if not self._heatmap_timer.isActive():
            self._heatmap_timer.start()

    def _set_model_items_visible(self, heatmap: bool, boundary: bool = False) -> None:
        self._heatmap.setVisible(heatmap)
        self._curves.setVisible(False)
        for item in (self._boundary, self._arrow_shaft, self._arrow_head, self._arrow_label, self._arrow_label_back):
            item.setVisible(boundary)

    def _pixels_per_unit(self) -> np.ndarray:
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        rect = self.view_box.sceneBoundingRect()
        return np.array([rect.width() / (x1 - x0), rect.height() / (y1 - y0)])

    def _draw_model(self) -> None:
        self.threshold_line.redraw()
        if self._w is None:
            self._set_model_items_visible(False)
            self._drawn = self._curve_frame = None
            return
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        width, height = x1 - x0, y1 - y0
        rect = self.view_box.sceneBoundingRect()
        if not (np.isfinite(width) and np.isfinite(height)) or width <= 0 or height <= 0 or rect.isEmpty():
            return
        view = (x0, x1, y0, y1)
        if not self._phi.is_identity:
            self._draw_curved_model(view, rect)
            return
        if self._surely_unchanged(view):
            return  # no pixel can differ from the last frame drawn: not even the grid is needed
        image = sigmoid(self._z(*self._grid(view, rect, self._heatmap_cells)))
        segment = self._clipped_boundary(x0, x1, y0, y1)
        if self._looks_the_same(view, image, segment):
            return  # late in training a frame often changes no pixel: skip the repaint
        self._drawn = (view, image, segment, self._w.copy(), self._b)
        self._heatmap.set_probabilities(image, QRectF(x0, y0, width, height), self._pixel_ramp(view))
        self._set_model_items_visible(True, segment is not None)
        if segment is not None:
            self._draw_boundary(segment)

    def _pixel_ramp(self, view: tuple) -> PixelRamp | None:
        """The heatmap at the device's own pixels, copied at each paint instead of scaled
        (render/pixel_ramp.py); None in an exported image, which gets its finer grid."""
        if self._heatmap_cells != HEATMAP_CELLS:
            return None
        x0, x1, y0, y1 = view
        # where the view's corners are drawn (the view box's bounding rectangle is ½ px larger)
        top_left = self.view_box.mapViewToScene(QPointF(x0, y1))
        bottom_right = self.view_box.mapViewToScene(QPointF(x1, y0))
        ratio = self.devicePixelRatioF()
        device = QRectF(top_left * ratio, bottom_right * ratio)
        return linear_ramp(self._unit_parameters(), view, device)

    def _draw_curved_model(self, view: tuple, rect: QRectF) -> None:
        """A non-identity φ: the heatmap of σ(φ(x)·w + b) and its zero contour, no arrow (w is
        not normal to a curve). A frame that would change no colour step and move the curve by
        less than a quarter pixel is skipped (the bound of curve_skip.py)."""
        x0, x1, y0, y1 = view
        xs, ys = self._grid(view, rect, self._heatmap_cells)
        if self._curve_unchanged(view, (len(ys), len(xs))):
            return
        z = self._grid_features.z(self._phi, self._w, self._b, xs, ys)
        self._drawn = None
        self._heatmap.set_probabilities(sigmoid(z), QRectF(x0, y0, x1 - x0, y1 - y0))
        self._set_model_items_visible(True, False)
        segments, gap = contour(z, xs, ys)
        self._curves.set_segments(segments)
        self._curves.setVisible(len(segments) > 0)
        cell_px = max(rect.width() / len(xs), rect.height() / len(ys))
        self._curve_frame = CurveFrame.drawn(view, z, self._w, self._b, self._grid_features.maxima, cell_px, gap)

    def _curve_unchanged(self, view: tuple, shape: tuple[int, int]) -> bool:
        """True only if no pixel of the curved model can differ from the last frame drawn."""
        frame = self._curve_frame
        return frame is not None and self._heatmap.isVisible() and frame.unchanged(view, shape, self._w, self._b)

    def boundary_curves(self) -> list[np.ndarray]:
        """The drawn pieces of φ(x)·w + b = 0 (data coordinates); [] when the map is x itself."""
        return self._curves.pieces if self._curves.isVisible() else []

    @staticmethod
    def _grid(view: tuple, rect: QRectF, cells: int = HEATMAP_CELLS) -> tuple[np.ndarray, np.ndarray]:
        """Cell centres (xs, ys) of the heatmap: `cells` along the view's longer side."""
        x0, x1, y0, y1 = view
        longer = max(rect.width(), rect.height())
        nx = max(2, int(round(cells * rect.width() / longer)))
        ny = max(2, int(round(cells * rect.height() / longer)))
        return x0 + (np.arange(nx) + 0.5) * ((x1 - x0) / nx), y0 + (np.arange(ny) + 0.5) * ((y1 - y0) / ny)

    def _unit_parameters(self) -> tuple[float, float, float, float]:
        """(w1, w2, b) / s and s = max(|w1|, |w2|, |b|): z = s·(u·x + c) never meets inf − inf."""
        w1, w2, b = float(self._w[0]), float(self._w[1]), float(self._b)
        s = max(abs(w1), abs(w2), abs(b))
        return (w1 / s, w2 / s, b / s, s) if s > 0 else (0.0, 0.0, 0.0, 0.0)

    def _z(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """z = w·x + b on the grid (rows: ys, columns: xs); may be ±inf, never NaN."""
        u1, u2, c, s = self._unit_parameters()
        scaled = (u2 * ys)[:, None] + (u1 * xs + c)[None, :]
        with np.errstate(over="ignore"):  # |w| near 1e308: z = ±inf, and σ(±inf) is exactly 1 or 0
            return s * scaled

    def _surely_unchanged(self, view: tuple) -> bool:
        """A bound, before any grid is computed: True only if no pixel can differ from the last
        frame drawn. Late in training, w and b move by tiny steps; this costs microseconds
        where computing ŷ on the grid to compare costs about a millisecond of GUI time.

        Δz = Δw·x + Δb is linear, so over the view its largest |Δz| =: D is at a corner;
        then |Δŷ| ≤ D/4 (σ′ ≤ ¼) and the boundary moves at most D/‖w‖ along its normal: the
        thresholds of `_looks_the_same` (half a colour step, a quarter pixel) then hold. The
        arrow, which that comparison does not look at, turns by at most ‖Δw‖/‖w‖ radians
        (times the axes' scale ratio when x and y differ in scale), which moves its tip, and
        its base along a turning line, by at most that angle times their reach in pixels.
        """
        if self._drawn is None or not self._heatmap.isVisible():
            return False
        view_old, _, _, w_old, b_old = self._drawn
        if view_old != view:
            return False
        x0, x1, y0, y1 = view
        dw, db = self._w - w_old, self._b - b_old
        with np.errstate(over="ignore", invalid="ignore"):
            bound = max(abs(dw[0] * x + dw[1] * y + db) for x in (x0, x1) for y in (y0, y1))
        # Python floats from here: a subnormal ‖w‖ makes bound/‖w‖ overflow to inf (no frame is
        # then skipped), which NumPy scalars would report as a warning
        bound = float(bound)
        norm = float(np.hypot(*self._w))
        scale = self._pixels_per_unit()
        if not (np.isfinite(bound) and norm > 0 and np.all(scale > 0)):
            return False
        stretch = float(scale.max()) / float(scale.min())
        turn = float(np.hypot(*dw)) / norm * stretch  # radians, at most
        rect = self.view_box.sceneBoundingRect()
        reach = ARROW_PX[1] + 0.5 * float(np.hypot(rect.width(), rect.height()))  # tip, or base sliding
        old_norm = float(np.hypot(*w_old))
        grow = _ARROW_GROWTH_PX / (1.0 + min(norm, old_norm)) * float(np.hypot(*dw))  # the tip, along w
        return (bound / 4 < 0.5 / 255
                and bound / norm * float(scale.max()) < 0.25  # pixels
                and turn * reach + grow < 0.25
                and arrow_label(norm) == arrow_label(old_norm))

    def _looks_the_same(self, view: tuple, image: np.ndarray, segment: np.ndarray | None) -> bool:
        """True when drawing this frame would change no colour step and move no line by ¼ pixel."""
        if self._drawn is None or not self._heatmap.isVisible():
            return False
        old_view, old_image, old_segment, _, _ = self._drawn
        if old_view != view or old_image.shape != image.shape:
            return False
        if (segment is None) != (old_segment is None):
            return False
        if float(np.max(np.abs(image - old_image))) >= 0.5 / 255:  # the colour map has 256 steps
            return False
        if segment is None:
            return True
        pixel = (view[1] - view[0]) / max(self.view_box.sceneBoundingRect().width(), 1.0)
        return float(np.max(np.abs(segment - old_segment))) < 0.25 * pixel

    def _clipped_boundary(self, x0: float, x1: float, y0: float, y1: float) -> np.ndarray | None:
        """The part of w·x + b = 0 inside the view, as two points, or None (w = 0, or off view)."""
        u1, u2, c, _ = self._unit_parameters()
        segment = clipped_line(u1, u2, c, x0, x1, y0, y1)
        return None if segment is None else np.array(segment).reshape(2, 2)

    def _draw_boundary(self, segment: np.ndarray) -> None:
        """The line, and w as an arrow from the line toward class 1.

        Built in pixel units, so the arrow is normal to the line as seen and keeps a readable
        length at any zoom, even when x and y are not on one scale (then it shows the direction
        in which ŷ rises fastest on screen; with one scale, that is exactly w's direction).
        """
        self._boundary.setLine(*(float(v) for v in segment.reshape(-1)))
        scale = self._pixels_per_unit()
        u1, u2, _, _ = self._unit_parameters()
        normal_px = np.array([u1, u2]) / scale  # the line's normal, in pixels (y up)
        normal_px /= np.hypot(*normal_px)
        norm = float(np.hypot(*self._w))
        length = arrow_length_px(norm)
        text = arrow_label(norm)
        if self._arrow_label.text() != text or self._arrow_label_back.rect().height() != self._arrow_label.boundingRect().height():
            self._arrow_label.setText(text)  # (or its font grew: View ▸ Zoom, presentation mode)
            box = self._arrow_label.boundingRect()
            self._arrow_label.setTransform(QTransform.fromTranslate(-box.width() / 2, -box.height() / 2))
            self._arrow_label_back.setRect(QRectF(-box.width() / 2 - 3, -box.height() / 2, box.width() + 6,
                                                  box.height()))
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        head = float(np.clip(0.25 * length, 12.0, 20.0))
        box = self._arrow_label.boundingRect()
        points = self._model.dataset.X
        # The base on the visible boundary and the label where they cover the fewest points
        # (arrow_place.py); the label is kept inside the view, never cut off at its edge.
        place = place_arrow(segment * scale, normal_px, length, head, (box.width(), box.height()),
                            points * scale if len(points) <= DENSITY_THRESHOLD else np.empty((0, 2)),
                            np.array([x0, y0]) * scale, np.array([x1, y1]) * scale,
                            np.array([(x0 + x1) / 2, (y0 + y1) / 2]) * scale, self._arrow_choice)
        self._arrow_choice = place.choice
        base_px = place.base
        tip_px = base_px + length * normal_px
        half_width = 0.42 * head
        neck_px = tip_px - head * normal_px
        side_px = np.array([-normal_px[1], normal_px[0]]) * half_width
        base, tip, neck = base_px / scale, tip_px / scale, neck_px / scale
        self._arrow_shaft.setLine(float(base[0]), float(base[1]), float(neck[0]), float(neck[1]))
        corners = (tip, (neck_px + side_px) / scale, (neck_px - side_px) / scale)
        self._arrow_head.setPolygon(QPolygonF([QPointF(float(p[0]), float(p[1])) for p in corners]))
        label_at = place.label / scale
        self._arrow_label.setPos(float(label_at[0]), float(label_at[1]))
        self._arrow_label_back.setPos(float(label_at[0]), float(label_at[1]))

    # -- mouse ---------------------------------------------------------------------------------------------
    def _to_data(self, pos: QPointF) -> tuple[float, float]:
        """Data coordinates of a viewport position."""
        point = self.view_box.mapSceneToView(self.mapToScene(pos.toPoint()))
        return float(point.x()), float(point.y())

    def _point_at(self, pos: QPointF) -> int | None:
        """Index of the point nearest `pos` (viewport pixels) within HIT_RADIUS_PX, else None."""
        X = self._model.dataset.X
        if len(X) == 0 or len(X) > DENSITY_THRESHOLD:
            return None
        x, y = self._to_data(pos)
        scale_x, scale_y = self._pixels_per_unit()
        with np.errstate(over="ignore"):  # far-off points: an infinite distance is simply no hit
            distance2 = ((X[:, 0] - x) * scale_x) ** 2 + ((X[:, 1] - y) * scale_y) ** 2
        nearest = int(np.argmin(distance2))
        return nearest if distance2[nearest] <= HIT_RADIUS_PX**2 else None

    def _end_gesture(self, swallow_release: bool = False) -> None:
        self._drag_index = None
        self._drag_moved = False
        self._press_pos = None
        self._swallow_release = swallow_release
        self.viewport().unsetCursor()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        button, modifiers, pos = event.button(), event.modifiers(), event.position()
        if self._drag_index is not None:
            if event.buttons() & Qt.MouseButton.LeftButton:
                event.accept()  # another button during a drag: the drag goes on
                return
            self._finish_drag(None)  # its release never came (e.g. the window lost the mouse)
        if not event.buttons() & ~button:
            self._swallow_release = False  # a fresh gesture: nothing left over to swallow
        hit = self._point_at(pos)
        delete = button == Qt.MouseButton.RightButton or (
            button == Qt.MouseButton.LeftButton and modifiers & Qt.KeyboardModifier.ControlModifier)
        if delete and hit is not None:
            selected = self._state.selected_point  # the selection stays on its point, not its index
            self._state.select_point(None if selected in (None, hit) else selected - (selected > hit))
            self._model.remove_point(hit)
            self._swallow_release = True
            event.accept()
            return
        if button == Qt.MouseButton.LeftButton and hit is not None:
            self._drag_index = hit
            self._drag_offset = np.array(self._model.dataset.point(hit)[:2]) - self._to_data(pos)
            self._drag_moved = False
            self._press_pos = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        self._press_pos = pos if button == Qt.MouseButton.LeftButton else None
        super().mousePressEvent(event)  # the view may start a pan (left) or a zoom (right)
        if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            event.accept()  # ours: a left click places a point; right never leaves the editor

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        # Qt delivers the second press of a double click here, not to mousePressEvent: treat it
        # as a press. On empty space the first click has just placed a point under the mouse,
        # so the second press grabs that point instead of stacking a duplicate on it.
        if self._drag_index is None and self._press_pos is None:
            self.mousePressEvent(event)
        else:
            event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._drag_index is not None:
            pos = event.position()
            if self._drag_moved or _distance(pos, self._press_pos) > CLICK_SLOP_PX / 2:
                self._preview(pos)
            event.accept()
            return
        if not event.buttons():
            hovering = self._point_at(event.position()) is not None
            if hovering:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        button = event.button()
        if self._swallow_release:  # the press deleted a point, or its drag was cut short
            if not event.buttons():
                self._swallow_release = False
            event.accept()
            return
        if self._drag_index is not None:
            if button == Qt.MouseButton.LeftButton:
                self._finish_drag(event.position())
            event.accept()
            return
        if button == Qt.MouseButton.LeftButton and self._press_pos is not None:
            pos, press = event.position(), self._press_pos
            self._press_pos = None
            modifiers = event.modifiers()
            if _distance(pos, press) <= CLICK_SLOP_PX and not (
                    modifiers & Qt.KeyboardModifier.ControlModifier):  # Ctrl+click on nothing: nothing
                shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                label = 1 - self.active_class if shift else self.active_class
                self._model.add_point(*self._to_data(pos), label)
            super().mouseReleaseEvent(event)  # ends a pan, if the press started one
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if button in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Escape and self._drag_index is not None:
            # Escape abandons a drag: the point goes back where it was, and no step is recorded.
            self._model.cancel_preview()  # emits changed only when the point had moved
            if self._drag_index is not None:
                self._end_gesture(swallow_release=True)
                self._draw_points()
            event.accept()
            return
        selected = self._state.selected_point
        if event.key() == Qt.Key.Key_Escape and selected is not None:
            self._state.select_point(None)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and selected is not None:
            self._state.select_point(None)
            self._model.remove_point(selected)  # one undo step
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt override)
        event.accept()  # right click deletes points: no menu over the editor, whatever pyqtgraph offers

    def _preview(self, pos: QPointF) -> None:
        x1, x2 = np.array(self._to_data(pos)) + self._drag_offset
        self._previewing = True
        try:
            self._model.preview_move(self._drag_index, float(x1), float(x2))
        finally:
            self._previewing = False

    def _finish_drag(self, pos: QPointF | None) -> None:
        """One undo step for the whole drag, ending at `pos` (None: where the point is now).

        A press and release on a point without moving moves nothing.
        """
        index, moved = self._drag_index, self._drag_moved
        if pos is None:
            x1, x2, _ = self._model.dataset.point(index)
        elif not moved and _distance(pos, self._press_pos) <= CLICK_SLOP_PX:
            self._end_gesture()
            self._state.select_point(index)  # a click on a point selects it
            return
        else:
            x1, x2 = np.array(self._to_data(pos)) + self._drag_offset
        self._end_gesture()
        self._model.move_point(index, float(x1), float(x2))  # emits changed: markers redrawn whole


def _distance(a: QPointF, b: QPointF | None) -> float:
    if b is None:
        return float("inf")
    d = a - b
    return float(np.hypot(d.x(), d.y()))
