"""The plane where points are placed, and where the model is drawn behind them.

Behind the points: the probability ŷ = σ(w·x + b) (1-2) as a heatmap over the visible
area, the decision boundary w·x + b = 0 (ŷ = 0.5), and w drawn as an arrow normal to
the boundary, pointing toward class 1. All three follow set_parameters() and the view's
pan and zoom; the heatmap is recomputed at most once per event-loop turn.

Mouse: left click places a point of the active class (Shift: the other class); dragging
a point moves it (one undo step); right click or Ctrl+click on a point deletes it; a drag
on empty space pans, the wheel zooms, as in any pyqtgraph plot.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPolygonItem, QWidget

from lrviz.core.model import sigmoid
from lrviz.ui.points_model import PointsModel
from lrviz.ui.style import BOUNDARY_COLOR, CLASS_COLORS, CLASS_SYMBOLS, probability_lut

HIT_RADIUS_PX = 8.0  # a click this close to a point's centre grabs the point
CLICK_SLOP_PX = 4.0  # a press and release closer than this is a click, not a drag
HEATMAP_CELLS = 200  # along the longer side of the view
DENSITY_THRESHOLD = 100_000  # above this many points, draw a density image instead of markers
ARROW_FRACTION = 0.12  # the arrow's length as a share of the view's diagonal
EMPTY_RANGE = (-4.0, 4.0)


class PointEditor(pg.PlotWidget):
    """A pyqtgraph plot that edits a PointsModel and shows the model's probability."""

    activeClassChanged = Signal(int)

    def __init__(self, model: PointsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointEditor")
        self._model = model
        self._active_class = 0
        self._w: np.ndarray | None = None
        self._b: float | None = None
        self._drawn: tuple | None = None  # (view, heatmap, boundary) as last painted
        self._drag_index: int | None = None
        self._drag_origin: tuple[float, float] | None = None
        self._press_pos: QPointF | None = None
        self._swallow_release = False
        self._build_items()
        self._heatmap_timer = QTimer(self)
        self._heatmap_timer.setSingleShot(True)
        self._heatmap_timer.setInterval(0)
        self._heatmap_timer.timeout.connect(self._draw_model)
        self.view_box.sigRangeChanged.connect(self._schedule_model)
        model.changed.connect(self._draw_points)
        self._draw_points()

    # -- construction --------------------------------------------------------------------------
    @property
    def view_box(self) -> pg.ViewBox:
        return self.getPlotItem().getViewBox()

    def _build_items(self) -> None:
        self.setBackground("w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        self.view_box.setMenuEnabled(False)
        self.view_box.setAspectLocked(True)
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(pg.mkPen((60, 60, 60)))
            plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))

        self._heatmap = pg.ImageItem(axisOrder="row-major")
        self._heatmap.setLookupTable(probability_lut())
        self._heatmap.setLevels((0.0, 1.0))
        self._heatmap.setZValue(-20)
        self.addItem(self._heatmap)

        self._density = pg.ImageItem(axisOrder="row-major")
        self._density.setZValue(5)
        self.addItem(self._density)

        boundary_pen = pg.mkPen(BOUNDARY_COLOR, width=2.5)
        self._boundary = pg.PlotCurveItem(pen=boundary_pen)
        self._boundary.setZValue(-10)
        self.addItem(self._boundary)
        self._arrow_shaft = pg.PlotCurveItem(pen=pg.mkPen(BOUNDARY_COLOR, width=2.5))
        self._arrow_shaft.setZValue(-10)
        self.addItem(self._arrow_shaft)
        self._arrow_head = QGraphicsPolygonItem()
        self._arrow_head.setBrush(QBrush(QColor(*BOUNDARY_COLOR)))
        head_pen = QPen(QColor(*BOUNDARY_COLOR))
        head_pen.setCosmetic(True)
        self._arrow_head.setPen(head_pen)
        self._arrow_head.setZValue(-10)
        self.view_box.addItem(self._arrow_head)
        self._arrow_label = pg.TextItem("w", color=BOUNDARY_COLOR, anchor=(0.5, 0.5))
        self._arrow_label.setZValue(-10)
        self.addItem(self._arrow_label)

        self._scatters = []
        for label in (0, 1):
            scatter = pg.ScatterPlotItem(
                symbol=CLASS_SYMBOLS[label], size=11, pen=pg.mkPen((25, 25, 25), width=1.2),
                brush=pg.mkBrush(*CLASS_COLORS[label]), name=f"class {label}")
            scatter.setZValue(10)
            # The markers change far less often than the heatmap under them: keep them as a
            # pixmap, so a training frame does not redraw thousands of symbols.
            scatter.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.addItem(scatter)
            self._scatters.append(scatter)
        self._set_model_items_visible(False)

    # -- public ----------------------------------------------------------------------------------
    @property
    def active_class(self) -> int:
        return self._active_class

    def set_active_class(self, label: int) -> None:
        label = int(label)
        if label not in (0, 1):
            raise ValueError("the class is 0 or 1")
        if label != self._active_class:
            self._active_class = label
            self.activeClassChanged.emit(label)

    def set_parameters(self, w: np.ndarray | None, b: float | None) -> None:
        """Show the model (w, b); (None, None) hides heatmap, boundary and arrow."""
        if w is None or b is None:
            self._w = self._b = None
        else:
            self._w, self._b = np.array(w, dtype=float), float(b)
        self._schedule_model()

    def fit_view(self) -> None:
        """Zoom so every point is visible, with a margin; a default square when there are none."""
        X = self._model.dataset.X
        if len(X) == 0:
            low, high = np.full(2, EMPTY_RANGE[0]), np.full(2, EMPTY_RANGE[1])
        else:
            centre = (X.min(axis=0) + X.max(axis=0)) / 2
            half = (X.max(axis=0) - X.min(axis=0)) / 2
            largest = half.max() if half.max() > 0 else 2.0  # one point, or all at one place
            half = np.where(half > 0, half, largest)
            low, high = centre - half, centre + half
        self.view_box.setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]), padding=0.05)

    def data_to_viewport(self, x1: float, x2: float) -> QPointF:
        """The viewport pixel of a data point (tests click there)."""
        return QPointF(self.mapFromScene(self.view_box.mapViewToScene(QPointF(x1, x2))))

    def boundary_points(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The drawn boundary segment's end points, or None when none is drawn."""
        if not self._boundary.isVisible():
            return None
        x, y = self._boundary.getData()
        return (np.array([x[0], y[0]]), np.array([x[-1], y[-1]])) if x is not None and len(x) else None

    def heatmap_image(self) -> np.ndarray | None:
        return self._heatmap.image if self._heatmap.isVisible() else None

    # -- drawing the points --------------------------------------------------------------------------
    def _draw_points(self) -> None:
        dataset = self._model.dataset
        X, y = dataset.X, dataset.y
        plot = self.getPlotItem()
        plot.setLabel("bottom", dataset.feature_names[0])
        plot.setLabel("left", dataset.feature_names[1])
        dense = len(X) > DENSITY_THRESHOLD
        for label, scatter in enumerate(self._scatters):
            scatter.setVisible(not dense)
            if not dense:
                chosen = X[y == label]
                scatter.setData(x=chosen[:, 0], y=chosen[:, 1])
        self._density.setVisible(dense)
        if dense:
            self._draw_density(X, y)

    def _draw_density(self, X: np.ndarray, y: np.ndarray) -> None:
        """Above DENSITY_THRESHOLD points: a 2-D histogram per class, blended in class colours."""
        low, high = X.min(axis=0), X.max(axis=0)
        span = np.where(high > low, high - low, 1.0)
        bins = 256
        edges = [np.linspace(low[k], low[k] + span[k], bins + 1) for k in (0, 1)]
        rgba = np.zeros((bins, bins, 4))
        for label in (0, 1):
            chosen = X[y == label]
            counts, _, _ = np.histogram2d(chosen[:, 1], chosen[:, 0], bins=[edges[1], edges[0]])
            alpha = np.log1p(counts) / max(np.log1p(counts.max()), 1.0)
            colour = np.array(CLASS_COLORS[label]) / 255.0
            rgba[..., :3] += alpha[..., None] * colour
            rgba[..., 3] = np.maximum(rgba[..., 3], alpha)
        rgba[..., :3] /= np.maximum(rgba[..., 3:4] + (rgba[..., 3:4] == 0), 1e-12)
        rgba[..., :3] = np.clip(rgba[..., :3], 0, 1)
        self._density.setImage((rgba * 255).astype(np.uint8), levels=(0, 255))
        self._density.setRect(QRectF(low[0], low[1], span[0], span[1]))

    # -- drawing the model ---------------------------------------------------------------------------
    def _schedule_model(self, *_args) -> None:
        if not self._heatmap_timer.isActive():
            self._heatmap_timer.start()

    def _set_model_items_visible(self, heatmap: bool, boundary: bool = False) -> None:
        self._heatmap.setVisible(heatmap)
        for item in (self._boundary, self._arrow_shaft, self._arrow_head, self._arrow_label):
            item.setVisible(boundary)

    def _draw_model(self) -> None:
        if self._w is None:
            self._set_model_items_visible(False)
            self._drawn = None
            return
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        width, height = x1 - x0, y1 - y0
        if not (np.isfinite(width) and np.isfinite(height)) or width <= 0 or height <= 0:
            return
        longer = max(width, height)
        nx = max(2, int(round(HEATMAP_CELLS * width / longer)))
        ny = max(2, int(round(HEATMAP_CELLS * height / longer)))
        xs = x0 + (np.arange(nx) + 0.5) * (width / nx)
        ys = y0 + (np.arange(ny) + 0.5) * (height / ny)
        w1, w2 = float(self._w[0]), float(self._w[1])
        with np.errstate(over="ignore", invalid="ignore"):
            z = (w2 * ys)[:, None] + (w1 * xs + self._b)[None, :]
        z = np.nan_to_num(z, nan=0.0, posinf=np.finfo(float).max, neginf=-np.finfo(float).max)
        image = sigmoid(z)
        view = (x0, x1, y0, y1)
        segment = self._clipped_boundary(x0, x1, y0, y1)
        if self._looks_the_same(view, image, segment):
            return  # late in training a frame often changes no pixel: skip the repaint
        self._drawn = (view, image, segment)
        self._heatmap.setImage(image, autoLevels=False, levels=(0.0, 1.0))
        self._heatmap.setRect(QRectF(x0, y0, width, height))
        self._set_model_items_visible(True, segment is not None)
        if segment is not None:
            self._draw_boundary(segment, np.hypot(width, height))

    def _looks_the_same(self, view: tuple, image: np.ndarray, segment: np.ndarray | None) -> bool:
        """True when drawing this frame would change no colour step and move no line by ¼ pixel."""
        if self._drawn is None or not self._heatmap.isVisible():
            return False
        old_view, old_image, old_segment = self._drawn
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
        """The part of w·x + b = 0 inside the view, as two points, or None."""
        norm = float(np.hypot(*self._w))
        if not np.isfinite(norm) or norm == 0.0:
            return None
        normal = self._w / norm
        offset = self._b / norm
        if not np.isfinite(offset):
            return None
        point = -offset * normal  # the boundary's point nearest the origin
        direction = np.array([-normal[1], normal[0]])
        t_low, t_high = -np.inf, np.inf
        for axis, (low, high) in enumerate(((x0, x1), (y0, y1))):
            if abs(direction[axis]) < 1e-15:
                if not low <= point[axis] <= high:
                    return None
                continue
            ta, tb = (low - point[axis]) / direction[axis], (high - point[axis]) / direction[axis]
            t_low, t_high = max(t_low, min(ta, tb)), min(t_high, max(ta, tb))
        if not t_low < t_high:
            return None
        return np.array([point + t_low * direction, point + t_high * direction])

    def _draw_boundary(self, segment: np.ndarray, diagonal: float) -> None:
        self._boundary.setData(segment[:, 0], segment[:, 1])
        normal = self._w / np.hypot(*self._w)
        base = segment.mean(axis=0)
        length = ARROW_FRACTION * diagonal
        tip = base + length * normal
        head = 0.28 * length
        neck = tip - head * normal
        side = np.array([-normal[1], normal[0]]) * head * 0.45
        self._arrow_shaft.setData([base[0], neck[0]], [base[1], neck[1]])
        self._arrow_head.setPolygon(QPolygonF([QPointF(*tip), QPointF(*(neck + side)), QPointF(*(neck - side))]))
        label_at = tip + 0.12 * length * normal
        self._arrow_label.setPos(label_at[0], label_at[1])

    # -- mouse ---------------------------------------------------------------------------------------------
    def _to_data(self, pos: QPointF) -> tuple[float, float]:
        point = self.view_box.mapSceneToView(self.mapToScene(pos.toPoint()))
        return float(point.x()), float(point.y())

    def _point_at(self, pos: QPointF) -> int | None:
        """Index of the point nearest `pos` (viewport pixels) within HIT_RADIUS_PX, else None."""
        X = self._model.dataset.X
        if len(X) == 0 or len(X) > DENSITY_THRESHOLD:
            return None
        x, y = self._to_data(pos)
        (x0, x1), (y0, y1) = self.view_box.viewRange()
        rect = self.view_box.sceneBoundingRect()
        scale_x, scale_y = rect.width() / (x1 - x0), rect.height() / (y1 - y0)
        distance2 = ((X[:, 0] - x) * scale_x) ** 2 + ((X[:, 1] - y) * scale_y) ** 2
        nearest = int(np.argmin(distance2))
        return nearest if distance2[nearest] <= HIT_RADIUS_PX**2 else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        pos = event.position()
        hit = self._point_at(pos)
        modifiers = event.modifiers()
        if event.button() == Qt.MouseButton.RightButton and hit is not None:
            self._model.remove_point(hit)
            self._swallow_release = True
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            if hit is not None and modifiers & Qt.KeyboardModifier.ControlModifier:
                self._model.remove_point(hit)
                self._swallow_release = True
                event.accept()
                return
            if hit is not None:
                self._drag_index = hit
                self._drag_origin = self._model.dataset.point(hit)[:2]
                event.accept()
                return
            self._press_pos = pos
            super().mousePressEvent(event)  # the view may start a pan
            event.accept()  # ours too: a press and release without moving places a point
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._drag_index is not None:
            self._model.preview_move(self._drag_index, *self._to_data(event.position()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if self._swallow_release:  # the press deleted a point: its release belongs to it
            self._swallow_release = False
            event.accept()
            return
        if self._drag_index is not None and event.button() == Qt.MouseButton.LeftButton:
            index, origin = self._drag_index, self._drag_origin
            self._drag_index = self._drag_origin = None
            end = self._to_data(event.position())
            if (end[0], end[1]) != origin:
                self._model.move_point(index, *end, from_position=origin)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and self._press_pos is not None:
            moved = event.position() - self._press_pos
            self._press_pos = None
            if abs(moved.x()) <= CLICK_SLOP_PX and abs(moved.y()) <= CLICK_SLOP_PX:
                shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                label = 1 - self._active_class if shift else self._active_class
                self._model.add_point(*self._to_data(event.position()), label)
            super().mouseReleaseEvent(event)  # ends a pan, if the press started one
            event.accept()
            return
        super().mouseReleaseEvent(event)
