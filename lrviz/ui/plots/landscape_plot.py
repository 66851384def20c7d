"""The loss landscape: L (2-1) with λ over two of (w1, w2, b), the third held at the shown epoch's.

A view of the window state. On the surface (colours and contour lines spaced on
log₁₀(L − L_min), or log₁₀ L when there is no minimum): the run's path (every epoch's θ,
projected on the pair; a long run's from path_digest: each bucket's extremes, never a copy
of every epoch, and through the shown epoch's own row), the shown epoch as a ring that follows the timeline, the direction
gradient descent moves from there ((4-2), (4-3)) as an arrow, and the minimum as a cross.
The axes are the parameters the update uses: the raw (w1, w2, b) the history holds, or with
standardized training w̃ = w·std, b̃ = b + w·mean (Landscape's trained coordinates: the
bowl gradient descent really walks, its path, marker, arrow and minimum mapped there, a
hovered or clicked θ mapped back to raw for the editor and the run); every value shown is
the Trainer's loss. The note under the plot says which parameter is held, at what value,
which coordinates, and what the surface is computed from.

Linked both ways: hovering sets `state.ghost_params` (the editor draws that boundary dashed)
and shows its exact loss; a click (not a drag) asks for a new start there, the held
parameter kept (`startRequested`; the main window hands it to the RunController, undoable).

The surface is computed in a worker thread (landscape_surface.py), coarse then fine, and
only while the view is visible; while following training, at most at the slow frame rate.
Everything redrawn per frame is a native Qt item (see gil_free_paint).
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsLineItem,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from lrviz.core.landscape import PARAMETER_NAMES, Landscape, Minimum
from lrviz.core.path_digest import PathDigest, drawn_positions
from lrviz.core.run import PointsSnapshot
from lrviz.ui.plots.landscape_surface import (
    SurfacePicture,
    SurfaceRequest,
    SurfaceWorker,
)
from lrviz.ui.render.dense_stroke import stroke_width
from lrviz.ui.render.gil_free_paint import GilFreePaint
from lrviz.ui.render.heatmap_item import ProbabilityImage
from lrviz.ui.render.style import CURSOR_COLOR
from lrviz.ui.state import WindowState

PAIRS: tuple[tuple[int, int], ...] = ((0, 1), (0, 2), (1, 2))  # (w1, w2) first: the default
COARSE, FINE, LIVE_FINE = 32, 128, 64
LIVE_REST = 4.0  # while training, the worker rests this many times its last picture's time (≤ 20 % of a core)
LIVE_PAIRS_BUDGET = 2e7  # while training, the fine grid only when points × nodes stay below this
PATH_DRAWN_MAX = 20_000  # vertices of the drawn path at most (every epoch stays in the history)
# The path is drawn from a digest of the history (path_digest): every epoch of a short run,
# then each bucket's extremes; a long run is read once as it grows, never copied whole.
ARROW_PX = 42.0
PATH_COLOR = (255, 255, 255)
MINIMUM_COLOR = (240, 40, 40)


FEATURE_MAP_NOTE = ("The landscape shows the tutorial's 3 parameters (w1, w2, b); this run has a feature map "
                    "with more weights. To see it, choose the features \"x1, x2 (tutorial)\" and press Reset.")


PATH_WIDTH = 1.6  # px, the descent path's pen (with a 3.4 px dark casing behind it)


def _pen(color, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(*color), width)
    pen.setCosmetic(True)
    pen.setStyle(style)
    return pen


class LandscapePlot(GilFreePaint, pg.PlotWidget):
    """The surface with the path, the shown epoch, its step and the minimum."""

    startRequested = Signal(object)  # θ (3,): a click's start, the held parameter kept
    pictureShown = Signal(object)  # SurfacePicture, once it is on screen (tests wait for it)
    noteChanged = Signal(str)
    hoverChanged = Signal(str)
    namesChanged = Signal(object)  # the axes' parameter names: (w1, w2, b) or (w̃1, w̃2, b̃)

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapePlot")
        self.paint_without_gil()
        self._state = state
        self._pair = PAIRS[0]
        self._serial = 0
        self._requested: tuple | None = None  # the key of the newest request
        self._picture: SurfacePicture | None = None
        self._landscape: tuple[PointsSnapshot, float, bool, Landscape] | None = None  # for exact numbers
        self._digest = PathDigest()  # the vertices of the run's path that are drawn
        self._path_all = np.empty((0, 2))  # the digest's vertices on the pair, in the landscape's coordinates
        self._path_rows = np.empty(0, np.int64)  # their rows in the history
        self._grown = False
        self._last_len = 0
        self._message: str | None = None
        self._path_key: tuple | None = None  # what the drawn path shows
        self._path_source: tuple | None = None  # what _path_all and _extent were taken from
        self._path_version = 0  # counts the changes of _path_all (the drawn path follows)
        self._landscape_version = 0  # counts the landscapes built for exact numbers (the path's coordinates)
        self._names = PARAMETER_NAMES
        self._extent: tuple[np.ndarray, np.ndarray] | None = None  # each parameter's range along the path
        self._others = np.empty((0, 3))  # raw θ of other paths the range covers too (kept runs, keep_in_view)
        self._others_live = False  # they are growing (a race): slices as while training, coarse and rested
        self._pending: tuple[int, int] | None = None  # (serial, final size) of the request being computed
        self._live = False
        self._next_live = 0.0
        self._colour_label = ""
        self._owed = False  # a live request was held back: ask again when the worker is free
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.refresh)
        self._worker = SurfaceWorker(self)
        self._worker.relay.ready.connect(self._show_picture)
        self._worker.relay.failed.connect(self._show_failure)
        self.destroyed.connect(self._worker.shutdown)
        self._build_items()
        state.clock.slowFrame.connect(self.refresh)
        state.clock.frame.connect(self._follow_selection)
        self.scene().sigMouseMoved.connect(self._on_hover)
        self.scene().sigMouseClicked.connect(self._on_click)

    # -- construction ---------------------------------------------------------------------------------
    def _build_items(self) -> None:
        self.setBackground("w")
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.hideButtons()
        view = plot.getViewBox()
        view.setMenuEnabled(False)
        view.setMouseEnabled(x=False, y=False)  # the picture follows the path; a click starts there
        view.disableAutoRange()
        for axis in ("left", "bottom"):
            plot.getAxis(axis).setTextPen(pg.mkPen((50, 50, 50)))
            plot.getAxis(axis).setPen(pg.mkPen((150, 150, 150)))
            plot.getAxis(axis).enableAutoSIPrefix(False)
            plot.getAxis(axis).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.viewport().setMouseTracking(True)
        colormap = pg.colormap.get("viridis")
        self.image = ProbabilityImage(colormap.getLookupTable(nPts=256, alpha=False))
        self.image.setZValue(-20)
        view.addItem(self.image)
        self.contours = QGraphicsPathItem()
        self.contours.setPen(_pen((255, 255, 255, 150), 1.0))
        self.contours.setZValue(-10)
        view.addItem(self.contours)
        self.path = QGraphicsPathItem()
        self.path.setPen(_pen(PATH_COLOR, PATH_WIDTH))
        self.path.setZValue(5)
        view.addItem(self.path)
        self._path_casing = QGraphicsPathItem(self.path)  # a dark edge: the white path reads on light colours too
        self._path_casing.setPen(_pen((20, 20, 20, 170), 3.4))
        self._path_casing.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.arrow_shaft = QGraphicsLineItem()
        self.arrow_shaft.setPen(_pen(CURSOR_COLOR, 2.5))
        self.arrow_head = QGraphicsPolygonItem()
        self.arrow_head.setBrush(QBrush(QColor(*CURSOR_COLOR)))
        self.arrow_head.setPen(_pen(CURSOR_COLOR, 1.0))
        self.marker = QGraphicsEllipseItem(-6.0, -6.0, 12.0, 12.0)  # pixels: it ignores the zoom
        self.marker.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.marker.setPen(_pen((20, 20, 20), 2.0))
        self.marker.setBrush(QBrush(QColor(*CURSOR_COLOR)))
        cross = QPainterPath()
        for dx, dy in ((7, 7), (7, -7)):
            cross.moveTo(-dx, -dy)
            cross.lineTo(dx, dy)
        self.minimum_cross = QGraphicsPathItem(cross)
        self.minimum_cross.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.minimum_cross.setPen(_pen(MINIMUM_COLOR, 3.0))
        for z, item in enumerate((self.arrow_shaft, self.arrow_head, self.minimum_cross, self.marker)):
            item.setZValue(10 + z)
            view.addItem(item)
        self.colour_bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=colormap, interactive=False, width=14,
                                          colorMapMenu=False)
        self.colour_bar.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.layout.addItem(self.colour_bar, 2, 3)
        self._set_items_visible(False)

    def _set_items_visible(self, surface: bool, path: bool = False) -> None:
        for item in (self.image, self.contours):
            item.setVisible(surface)
        for item in (self.path, self.marker, self.arrow_shaft, self.arrow_head):
            item.setVisible(path)
        if not path:
            self._path_key = None
        if not surface:
            self.minimum_cross.setVisible(False)

    # -- public ---------------------------------------------------------------------------------------
    @property
    def pair(self) -> tuple[int, int]:
        return self._pair

    def set_pair(self, pair: tuple[int, int]) -> None:
        """Show the surface over θ_i × θ_j (i, j from PAIRS); the third is held."""
        pair = tuple(pair)
        if pair not in PAIRS or pair == self._pair:
            return
        self._pair = pair
        self._picture = None
        self._set_items_visible(False)
        self._label_axes()
        self.refresh()

    @property
    def names(self) -> tuple[str, str, str]:
        """The parameters' names on the axes: (w̃1, w̃2, b̃) with standardized training."""
        return self._names

    def _label_axes(self) -> None:
        plot = self.getPlotItem()
        plot.setLabel("bottom", self._names[self._pair[0]])
        plot.setLabel("left", self._names[self._pair[1]])

    def shown(self, thetas) -> np.ndarray:
        """Raw θ (rows) in the landscape's coordinates (Landscape.shown; unchanged without one)."""
        landscape = self.exact_landscape()
        return np.array(thetas, dtype=float) if landscape is None else landscape.shown(thetas)

    @property
    def picture(self) -> SurfacePicture | None:
        """The surface on screen, with its grid and ranges (None before the first)."""
        return self._picture

    @property
    def message(self) -> str | None:
        """Why nothing is drawn (no points, no training yet), or None."""
        return self._message

    def keep_in_view(self, thetas, live: bool = False) -> None:
        """Raw θ rows (w1, w2, b) of other paths, e.g. kept runs racing, that the surface's range
        covers too (an empty array: only the run's own path). `live`: they are still growing,
        so slices are paced as while training; the first call without it gets the fine slice."""
        self._others = np.array(thetas, dtype=float).reshape(-1, 3)
        if self._others_live and not live:
            self._requested = None  # the same range again, now at the fine grid
        self._others_live = bool(live)
        self._path_source = None
        self.refresh()

    def path_points(self) -> np.ndarray:
        """The path's points (θ_i, θ_j), in the landscape's coordinates, (m, 2), each an epoch's
        exactly: every epoch of a run up to 2·path_digest.RESOLUTION epochs, then the digest's
        vertices (each bucket's first row and extremes, the newest)."""
        return self._path_all.copy()

    @property
    def digest(self) -> PathDigest:
        """The digest of the run's path the drawing is made from (what it read, tests check)."""
        return self._digest

    def drawn_path(self) -> np.ndarray:
        """The vertices of the drawn path (a subset of path_points, in order), (d, 2)."""
        path = self.path.path()
        return np.array([[path.elementAt(k).x, path.elementAt(k).y] for k in range(path.elementCount())]
                        ).reshape(-1, 2)

    def marker_position(self) -> tuple[float, float] | None:
        if not self.marker.isVisible():
            return None
        return self.marker.pos().x(), self.marker.pos().y()

    def arrow(self) -> tuple[np.ndarray, np.ndarray] | None:
        """The step arrow's (start, end) in data coordinates, or None when hidden."""
        if not self.arrow_shaft.isVisible():
            return None
        line = self.arrow_shaft.line()
        return np.array([line.x1(), line.y1()]), np.array([line.x2(), line.y2()])

    def minimum_position(self) -> tuple[float, float] | None:
        if not self.minimum_cross.isVisible():
            return None
        return self.minimum_cross.pos().x(), self.minimum_cross.pos().y()

    def source(self):
        """(points, λ, now) the landscape is of: at the newest epoch, the current points and λ (what
        the next epoch descends: edits apply there); at an earlier one, those it was computed with."""
        row = self._state.shown_row()
        if row is None:
            return None
        run = self._state.run
        if row.epoch == run.history.last_epoch and len(run.points):
            return run.snapshot(), float(run.settings.l2), True
        try:
            return run.points_at(row.data_revision), float(row.l2), False
        except KeyError:
            return None

    def exact_landscape(self) -> Landscape | None:
        """The loss function of `source()` (and the run's standardization), for exact numbers."""
        source = self.source()
        if source is None:
            return None
        points, l2, _now = source
        standardize = self._state.run.settings.standardize
        held = self._landscape
        if held is not None and held[0] is points and held[1] == l2 and held[2] == standardize:
            return held[3]
        try:
            landscape = Landscape(points.train_X, points.train_y, l2, standardize, max_surface_points=0,
                                  trained_coordinates=True)
        except ValueError:
            return None
        self._landscape = (points, l2, standardize, landscape)
        self._landscape_version += 1  # not id(): a freed landscape's id may come back
        return landscape

    def shutdown(self) -> None:
        self._worker.shutdown()

    # -- following the state ------------------------------------------------------------------------------
    def _follow_selection(self) -> None:
        """A selected epoch moves the marker (and the slice) at once; while following training,
        everything follows at the slow frame rate."""
        if not self._state.follow_latest:
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Draw the path and marker of the shown epoch, and ask for the slice through it."""
        if not self.isVisible():
            return
        state = self._state
        row = state.shown_row()
        history = state.run.history
        if row is None or not len(state.run.points):
            self._path_all, self._path_rows = np.empty((0, 2)), np.empty(0, np.int64)
            self._path_source = None
            self._picture = None
            self._requested = None
            self._set_items_visible(False)
            self._say("No points: place points of both classes to see the loss landscape." if not len(state.run.points)
                      else "No epoch yet: press Reset or Train.")
            return
        if history.n_weights != 2:  # a feature map (issue 14): more weights than the surface's axes
            self._path_all, self._path_rows = np.empty((0, 2)), np.empty(0, np.int64)
            self._path_source = None
            self._picture = None
            self._requested = None
            self._set_items_visible(False)
            self._say(FEATURE_MAP_NOTE)
            return
        self._message = None
        i, j = self._pair
        self._grown = len(history) != self._last_len
        self._last_len = len(history)
        landscape = self.exact_landscape()
        names = PARAMETER_NAMES if landscape is None else landscape.names
        if names != self._names:
            self._names = names
            self._label_axes()
            self.namesChanged.emit(names)
        self._digest.update(history)  # the new epochs only: a long run is never copied whole
        source_key = (id(history), self._digest.version, self._pair, self._landscape_version)
        if source_key != self._path_source:
            self._path_source = source_key
            self._path_version += 1
            self._path_rows, theta = self._digest.vertices()
            theta = self.shown(theta)
            self._path_all = theta[:, [i, j]]
            finite = np.isfinite(theta).all(axis=1)
            self._extent = (theta[finite].min(axis=0), theta[finite].max(axis=0)) if finite.any() else None
            if self._extent is not None and len(self._others):  # kept runs' paths: in the picture too
                others = self.shown(self._others)
                others = others[np.isfinite(others).all(axis=1)]
                if len(others):
                    self._extent = (np.minimum(self._extent[0], others.min(axis=0)),
                                    np.maximum(self._extent[1], others.max(axis=0)))
        self._draw_path()
        self._request(row)
        self._draw_marker(row)
        self._say(self._note(row))

    def _request(self, row) -> None:
        run = self._state.run
        source = self.source()
        if source is None:
            return
        points, l2, _now = source
        if self._extent is None:
            return
        low, high = self._extent
        request = SurfaceRequest(self._serial + 1, points, l2, bool(run.settings.standardize),
                                 self.shown(row.theta), self._pair, low, high, FINE)
        key = (id(points), *request.key())
        if key == self._requested:
            return
        live = self._state.follow_latest and (self._grown or self._others_live)
        if live and (self._pending is not None or time.perf_counter() < self._next_live):
            # training goes on: the worker's share of the CPU stays at about a fifth; the slice
            # is asked for again once the worker has rested (or by the next slow frame)
            self._owed = True
            if self._pending is None:
                self._retry.start(max(1, int(1000 * (self._next_live - time.perf_counter()))))
            return
        self._owed = False
        fine = LIVE_FINE if live and len(points.y) * FINE * FINE > LIVE_PAIRS_BUDGET else FINE
        request = dataclasses.replace(request, parallel=not live)  # both cores only while training rests
        self._serial += 1
        self._requested = key
        self._pending = (self._serial, fine)
        self._live = live
        self._worker.submit(request, (COARSE, fine))

    def _show_picture(self, picture: SurfacePicture) -> None:
        if self._pending == (picture.request.serial, picture.size):
            self._pending = None
            if self._live:  # rest LIVE_REST times as long as the picture took before the next live one
                self._next_live = time.perf_counter() + LIVE_REST * picture.seconds
            if self._owed:
                self._retry.start(max(1, int(1000 * (self._next_live - time.perf_counter()))))
        if picture.request.serial != self._serial or not self.isVisible():
            return  # stale: a newer request is on its way
        self._picture = picture
        rect = QRectF(picture.x_range.low, picture.y_range.low, picture.x_range.high - picture.x_range.low,
                      picture.y_range.high - picture.y_range.low)
        self.image.set_probabilities(picture.colour, rect)
        self.contours.setPath(pg.arrayToQPath(picture.contour_x, picture.contour_y, connect="pairs")
                              if len(picture.contour_x) else QPainterPath())
        self.getPlotItem().getViewBox().setRange(rect=rect, padding=0.0)
        self._draw_path()  # its thinning is in pixels of the new range
        self._set_colour_bar(picture.colour_levels, picture.colour_label)
        minimum = picture.minimum
        if isinstance(minimum, Minimum):
            i, j = self._pair
            self.minimum_cross.setPos(float(minimum.theta[i]), float(minimum.theta[j]))
        self.minimum_cross.setVisible(isinstance(minimum, Minimum))
        self.image.setVisible(True)
        self.contours.setVisible(True)
        row = self._state.shown_row()
        if row is not None:
            self._draw_marker(row)
            self._say(self._note(row))
        self.pictureShown.emit(picture)

    def _set_colour_bar(self, levels: tuple[float, float], label: str) -> None:
        """The colour bar is painted in Python (a cached pixmap): redrawn only when its ticks move
        visibly (2 % of its span) while training, not for every slice; exactly otherwise."""
        low, high = self.colour_bar.levels()
        span = max(high - low, 1e-300)
        slack = 0.02 * span if self._live and self._state.follow_latest else 0.0  # exact once training rests
        if abs(levels[0] - low) > slack or abs(levels[1] - high) > slack:
            self.colour_bar.setLevels(levels)
        if label != self._colour_label:
            self._colour_label = label
            self.colour_bar.axis.setLabel(label)

    def _show_failure(self, failure) -> None:
        request, message = failure
        if self._pending is not None and self._pending[0] == request.serial:
            self._pending = None
            if self._owed:
                self._retry.start(1)
        if request.serial == self._serial:
            self._picture = None
            self._set_items_visible(False, path=True)
            self._say(f"No landscape: {message}.")

    # -- drawing ------------------------------------------------------------------------------------------
    def _draw_path(self) -> None:
        """The path through the digest's vertices and the shown epoch's own row, thinned for
        drawing only: a vertex that stays on the previous one's pixel is skipped (zig-zags keep
        every turn), then a stride caps the count; the first, newest and shown epoch stay."""
        view = self.getPlotItem().getViewBox()
        history = self._state.run.history
        row = self._state.shown_row()
        selected = history.index_of(row.epoch) if row is not None and len(history) else None
        key = (self._path_version, self._pair, selected, tuple(map(tuple, view.viewRange())),
               view.sceneBoundingRect().size().toTuple())
        if key == self._path_key:
            return
        self._path_key = key
        points, at = self._path_all, -1
        if selected is not None and len(points):
            at = int(np.searchsorted(self._path_rows, selected))
            if at == len(self._path_rows) or self._path_rows[at] != selected:  # between two vertices
                points = np.insert(points, at, self.shown(row.theta)[list(self._pair)], axis=0)
        finite = np.isfinite(points).all(axis=1)
        at = int(np.count_nonzero(finite[:at])) if at >= 0 and finite[at] else -1
        points = points[finite]
        (x0, x1), (y0, y1) = view.viewRange()
        size = view.sceneBoundingRect()
        cell = np.array([(x1 - x0) / max(size.width(), 1.0), (y1 - y0) / max(size.height(), 1.0)])
        points = points[drawn_positions(points, cell, PATH_DRAWN_MAX, keep=at)]
        width = stroke_width(points[:, 0], points[:, 1], tuple(cell), (size.width(), size.height()), PATH_WIDTH)
        if self.path.pen().widthF() != width:  # a dense zig-zag (a noisy run): thin, and no casing (dense_stroke)
            self.path.setPen(_pen(PATH_COLOR, width))
        self._path_casing.setVisible(width == PATH_WIDTH)
        self.path.setPath(pg.arrayToQPath(points[:, 0], points[:, 1]) if len(points) else QPainterPath())
        self._path_casing.setPath(self.path.path())
        self.path.setVisible(len(points) > 0)

    def _draw_marker(self, row) -> None:
        i, j = self._pair
        theta = self.shown(row.theta)
        self.marker.setPos(float(theta[i]), float(theta[j]))
        self.marker.setVisible(True)
        landscape = self.exact_landscape()
        step = None if landscape is None else landscape.exact_step(theta)
        self._draw_arrow(np.array([theta[i], theta[j]]), None if step is None else np.array([step[i], step[j]]))

    def _draw_arrow(self, start: np.ndarray, direction: np.ndarray | None) -> None:
        """The step's direction as a 42-pixel arrow from the marker (its length is not the step's)."""
        view = self.getPlotItem().getViewBox()
        (x0, x1), (y0, y1) = view.viewRange()
        box = view.sceneBoundingRect()
        scale = np.array([box.width() / (x1 - x0), box.height() / (y1 - y0)]) if x1 > x0 and y1 > y0 else None
        if direction is None or scale is None or not np.all(np.isfinite(scale)):
            self.arrow_shaft.setVisible(False)
            self.arrow_head.setVisible(False)
            return
        pixels = direction * scale
        norm = math.hypot(*pixels)
        if not (norm > 0 and math.isfinite(norm)):
            self.arrow_shaft.setVisible(False)
            self.arrow_head.setVisible(False)
            return
        unit = pixels / norm
        end = start + unit * ARROW_PX / scale
        self.arrow_shaft.setLine(float(start[0]), float(start[1]), float(end[0]), float(end[1]))
        side = np.array([-unit[1], unit[0]])
        tip, back = end, end - unit * 11.0 / scale
        corners = [tip, back + side * 5.0 / scale, back - side * 5.0 / scale]
        self.arrow_head.setPolygon(QPolygonF([QPointF(float(c[0]), float(c[1])) for c in corners]))
        self.arrow_shaft.setVisible(True)
        self.arrow_head.setVisible(True)

    def _note(self, row) -> str:
        i, j = self._pair
        held = 3 - i - j
        names = self._names
        name = names[held]
        picture = self._picture
        surface_held = float(self.shown(row.theta)[held]) if picture is None else float(picture.request.theta[held])
        source = self.source()
        loss = row.loss
        if source is not None and source[2] and (source[0].revision != row.data_revision or source[1] != row.l2):
            landscape = self.exact_landscape()  # the points or λ changed since: the loss there now
            exact = None if landscape is None else landscape.exact_loss(landscape.shown(row.theta))
            loss = row.loss if exact is None else exact
        parts = [f"{name} held at {surface_held:.6g} (epoch {row.epoch:,}: L = {loss:.6g})"]
        if source is not None and not source[2]:
            parts.append(f"points and λ of epoch {row.epoch:,}")
        if names != PARAMETER_NAMES:
            parts.append("standardized coordinates: w̃ = w·std, b̃ = b + w·mean (the parameters the update uses)")
        if picture is not None:
            minimum = picture.minimum
            if isinstance(minimum, Minimum):
                t = minimum.theta
                parts.append(f"minimum L = {minimum.loss:.6g} at {names[0]} = {t[0]:.4g}, {names[1]} = {t[1]:.4g}, "
                             f"{names[2]} = {t[2]:.4g}")
            else:
                parts.append(f"no minimum: {minimum.reason}")
            if picture.note:
                parts.append(picture.note)
        return " · ".join(parts)

    def _say(self, text: str) -> None:
        self._message = text if self._picture is None and not self.path.isVisible() else None
        self.noteChanged.emit(text)

    # -- the mouse ----------------------------------------------------------------------------------------
    def _theta_at(self, scene_pos) -> np.ndarray | None:
        """θ under the pointer, in the landscape's coordinates: the pair from the position, the held
        parameter the shown epoch's."""
        row = self._state.shown_row()
        view = self.getPlotItem().getViewBox()
        if row is None or self._picture is None or not view.sceneBoundingRect().contains(scene_pos):
            return None
        point = view.mapSceneToView(scene_pos)
        theta = self.shown(row.theta)
        theta[self._pair[0]], theta[self._pair[1]] = point.x(), point.y()
        return theta if np.isfinite(theta).all() else None

    def _on_hover(self, scene_pos) -> None:
        theta = self._theta_at(scene_pos)
        landscape = self.exact_landscape()
        if theta is None or landscape is None:
            self._state.set_ghost_params(None)
            self.hoverChanged.emit("")
            return
        raw = landscape.raw(theta)  # the editor draws the boundary of the points' own coordinates
        self._state.set_ghost_params(raw if np.isfinite(raw).all() else None)
        loss = landscape.exact_loss(theta)
        loss_text = "beyond float64" if loss is None else f"{loss:.10g}"
        names = self._names
        self.hoverChanged.emit(f"pointer: {names[0]} = {theta[0]:.5g}, {names[1]} = {theta[1]:.5g}, "
                               f"{names[2]} = {theta[2]:.5g}: L = {loss_text}  (click to start there)")

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self._state.set_ghost_params(None)  # a closed dock leaves no ghost behind in the editor

    def leaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().leaveEvent(event)
        self._state.set_ghost_params(None)
        self.hoverChanged.emit("")

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():
            return
        theta = self._theta_at(event.scenePos())
        landscape = self.exact_landscape()
        if theta is None or landscape is None:
            return
        raw = landscape.raw(theta)  # the run starts from raw parameters (RunController.start_at)
        if np.isfinite(raw).all():
            event.accept()
            self.startRequested.emit(raw)


class LandscapeView(QWidget):
    """The landscape with its pair chooser, its note and the pointer's read-out."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.plot = LandscapePlot(state)
        self.axes_combo = QComboBox()
        self.axes_combo.setObjectName("landscapeAxesCombo")
        for i, j in PAIRS:
            self.axes_combo.addItem(f"{PARAMETER_NAMES[i]}, {PARAMETER_NAMES[j]}", (i, j))
        self.axes_combo.currentIndexChanged.connect(lambda index: self.plot.set_pair(PAIRS[index]))
        self.plot.namesChanged.connect(self._name_pairs)
        self.note = QLabel()
        self.note.setObjectName("landscapeNote")
        self.hover = QLabel()
        self.hover.setObjectName("landscapeReadout")
        for label in (self.note, self.hover):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        self.plot.noteChanged.connect(self.note.setText)
        self.plot.hoverChanged.connect(self.hover.setText)
        top = QHBoxLayout()
        top.addWidget(QLabel("Loss L (2-1) over"))
        top.addWidget(self.axes_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.hover)
        plot = self.plot.getPlotItem()
        plot.setLabel("bottom", "w1")
        plot.setLabel("left", "w2")

    def _name_pairs(self, names) -> None:
        for index, (i, j) in enumerate(PAIRS):
            self.axes_combo.setItemText(index, f"{names[i]}, {names[j]}")


__all__ = ["PAIRS", "LandscapePlot", "LandscapeView"]
