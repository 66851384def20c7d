"""The landscape's picture, computed off the GUI thread: the surface, its colours and contours.

A request names everything the picture depends on (the points' snapshot, λ, the
standardization, the held θ, the pair of axes, the path's extent, the grid size); the worker
thread answers with a `SurfacePicture` that the view only has to hand to Qt. Requests come
coarse first (a 32 × 32 grid in a few ms; from a seeded 2,000-point subsample when there
are more, and saying so) and then fine (128 × 128); a request made stale by
a newer one is skipped before each stage, and the view drops a stale answer on arrival.
NumPy releases the GIL in its loops, so the window (and training) go on meanwhile.

Shapes::

    surface, colour   (G, G)   rows: the second axis upward, columns: the first; colour ∈ [0, 1]
    contour_x, _y     (2K,)    K line segments, end points in pairs, data coordinates
"""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from lrviz.core.landscape import (
    AxisRange,
    Landscape,
    Minimum,
    NoMinimum,
    natural_units,
    stepped_range,
)
from lrviz.core.run import PointsSnapshot

CONTOUR_LEVELS = 12
DYNAMIC_DECADES = 6.0  # log(L − L_min) is shown over at most this many decades below the top


@dataclass(frozen=True)
class SurfaceRequest:
    serial: int
    points: PointsSnapshot
    l2: float
    standardize: bool
    theta: np.ndarray  # (3,) the held θ: the shown epoch's
    pair: tuple[int, int]
    path_low: np.ndarray  # (3,) the smallest value of each parameter along the path
    path_high: np.ndarray
    size: int
    parallel: bool = False  # may use a second thread for half the grid (not while training runs)

    def key(self) -> tuple:
        """What the picture depends on (everything but the serial and the grid size)."""
        return (self.points.revision, self.l2, self.standardize, tuple(self.theta.tolist()), self.pair,
                tuple(self.path_low.tolist()), tuple(self.path_high.tolist()))


@dataclass(frozen=True)
class SurfacePicture:
    request: SurfaceRequest
    size: int
    x_range: AxisRange
    y_range: AxisRange
    surface: np.ndarray
    colour: np.ndarray
    colour_levels: tuple[float, float]  # the colour bar's range, in the shown quantity
    colour_label: str
    contour_x: np.ndarray
    contour_y: np.ndarray
    minimum: Minimum | NoMinimum
    note: str | None  # the subsample, when there is one
    preview: bool = False  # from PREVIEW_POINTS points: a fine picture follows
    seconds: float = 0.0  # what it cost the worker


def cell_centres(axis: AxisRange, size: int) -> np.ndarray:
    """The grid's values: the centres of `size` equal cells over the axis (the image's pixels)."""
    step = (axis.high - axis.low) / size
    return axis.low + (np.arange(size) + 0.5) * step


def contour_segments(a: np.ndarray, levels: np.ndarray, xs: np.ndarray, ys: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Marching squares, vectorised: the segments of every level line of `a` (rows: ys, columns: xs).

    Per level only the cells whose corners straddle it are looked at (a line crosses a few
    hundred of 16,000). A cell crossed twice gives one segment between its two crossings; a
    saddle (crossed four times) two. Ends in pairs.
    """
    rows, cols = a.shape
    if rows < 2 or cols < 2:
        return np.empty(0), np.empty(0)
    corners = np.stack([a[:-1, :-1], a[:-1, 1:], a[1:, 1:], a[1:, :-1]])  # bottom-left, -right, top-right, -left
    low, high = corners.min(axis=0).reshape(-1), corners.max(axis=0).reshape(-1)
    flat = corners.reshape(4, -1)
    # the cell's edges, each from corner p to corner q: bottom (0→1), right (1→2), top (3→2), left (0→3)
    edges = ((0, 1), (1, 2), (3, 2), (0, 3))
    out_x: list[np.ndarray] = []
    out_y: list[np.ndarray] = []
    with np.errstate(divide="ignore", invalid="ignore"):
        for level in levels:
            cells = np.flatnonzero((low <= level) & (level < high))
            if not len(cells):
                continue
            r, c = np.divmod(cells, cols - 1)
            x0, x1, y0, y1 = xs[c], xs[c + 1], ys[r], ys[r + 1]
            values = flat[:, cells] > level
            crossed, px, py = [], [], []
            for p, q in edges:
                vp, vq = flat[p, cells], flat[q, cells]
                t = np.clip((level - vp) / (vq - vp), 0.0, 1.0)
                crossed.append(values[p] != values[q])
                corner_x = (x0, x1, x1, x0)
                corner_y = (y0, y0, y1, y1)
                px.append(corner_x[p] + t * (corner_x[q] - corner_x[p]))
                py.append(corner_y[p] + t * (corner_y[q] - corner_y[p]))
            count = sum(e.view(np.uint8) for e in crossed)
            two, saddle = count == 2, count == 4
            for first, second in ((0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)):
                mask = two & crossed[first] & crossed[second]
                if (first, second) in ((0, 3), (1, 2)):  # a saddle: bottom–left and right–top
                    mask |= saddle
                if mask.any():
                    out_x.append(np.column_stack([px[first][mask], px[second][mask]]).reshape(-1))
                    out_y.append(np.column_stack([py[first][mask], py[second][mask]]).reshape(-1))
    if not out_x:
        return np.empty(0), np.empty(0)
    return np.concatenate(out_x), np.concatenate(out_y)


def shown_quantity(surface: np.ndarray, minimum: Minimum | NoMinimum) -> tuple[np.ndarray, str]:
    """What the colours and contours are spaced on: log₁₀(L − L_min) with a minimum, so the floor
    and the walls both read; log₁₀ L without one (the loss falls toward 0 along a ray)."""
    finite = surface[np.isfinite(surface)]
    top = float(finite.max()) if len(finite) else 1.0
    surface = np.where(np.isfinite(surface), surface, top)
    if isinstance(minimum, Minimum):
        floor = min(minimum.loss, float(surface.min()))  # a subsample's surface may dip below
        depth = surface - floor
        span = float(depth.max())
        eps = span * 10.0 ** -DYNAMIC_DECADES if span > 0 else 1e-300
        return np.log10(np.maximum(depth, 0.0) + max(eps, 1e-300)), "log₁₀(L − L_min)"
    return np.log10(np.maximum(surface, 1e-300)), "log₁₀ L"


_HELPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lrviz-landscape-helper")


def split_surface(landscape: Landscape, theta: np.ndarray, i: int, xs: np.ndarray, j: int, ys: np.ndarray,
                  preview: bool, parallel: bool) -> np.ndarray:
    """Landscape.surface, its upper half of rows in a helper thread when `parallel` (NumPy releases
    the GIL: on two free cores the picture takes about half the time). Every node is computed by
    the same exact formula either way (within BatchedEvaluator.grid's bound)."""
    if not parallel or len(ys) < 64:
        return landscape.surface(theta, i, xs, j, ys, preview=preview)
    half = len(ys) // 2
    upper = _HELPER.submit(landscape.surface, theta, i, xs, j, ys[half:], preview)
    lower = landscape.surface(theta, i, xs, j, ys[:half], preview=preview)
    return np.vstack([lower, upper.result()])


def compute_picture(landscape: Landscape, request: SurfaceRequest, size: int, preview: bool = False
                    ) -> SurfacePicture:
    """The picture of one request at one grid size (in the worker thread); `preview`: the surface
    from a subsample of the points, for a quick first look (Landscape.surface)."""
    started = time.perf_counter()
    minimum = landscape.minimum()
    i, j = request.pair
    units = natural_units(landscape.X)
    ranges = []
    for k in (i, j):
        values = [request.path_low[k], request.path_high[k]]
        if isinstance(minimum, Minimum):
            values.append(minimum.theta[k])
        ranges.append(stepped_range(values, units[k]))
    xs, ys = cell_centres(ranges[0], size), cell_centres(ranges[1], size)
    surface = split_surface(landscape, request.theta, i, xs, j, ys, preview, request.parallel)
    value, label = shown_quantity(surface, minimum)
    low, high = float(value.min()), float(value.max())
    if high - low > 1e-12 * max(1.0, abs(high)):
        colour = (value - low) / (high - low)
        levels = np.linspace(low, high, CONTOUR_LEVELS + 2)[1:-1]
        cx, cy = contour_segments(value, levels, xs, ys)
    else:  # a flat surface: one colour, no lines
        colour = np.full(value.shape, 0.5)
        cx = cy = np.empty(0)
        low, high = low - 0.5, high + 0.5
    return SurfacePicture(request, size, ranges[0], ranges[1], surface, colour, (low, high), label, cx, cy,
                          minimum, landscape.preview_note if preview else landscape.note, preview,
                          time.perf_counter() - started)


class _Relay(QObject):
    """Lives in the GUI thread: a signal emitted by the worker thread arrives there, queued."""

    ready = Signal(object)  # SurfacePicture
    failed = Signal(object)  # (SurfaceRequest, message)


class SurfaceWorker:
    """One background thread that answers the newest request, coarse grid first."""

    def __init__(self, parent: QObject) -> None:
        self.relay = _Relay(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lrviz-landscape")
        self._lock = threading.Lock()
        self._latest = -1
        self._landscapes: dict[tuple, tuple[PointsSnapshot, Landscape]] = {}  # used by the worker thread only

    def submit(self, request: SurfaceRequest, sizes: tuple[int, ...]) -> None:
        with self._lock:
            self._latest = request.serial
        try:
            self._executor.submit(self._answer, request, sizes)
        except RuntimeError:  # shut down: the window is closing
            pass

    def shutdown(self) -> None:
        with self._lock:
            self._latest = math.inf  # every queued request is stale
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _stale(self, request: SurfaceRequest) -> bool:
        with self._lock:
            return request.serial != self._latest

    def _answer(self, request: SurfaceRequest, sizes: tuple[int, ...]) -> None:
        try:
            landscape = self._landscape(request)
            for stage, size in enumerate(sizes):
                if self._stale(request):
                    return
                picture = compute_picture(landscape, request, size, preview=stage == 0 and len(sizes) > 1)
                if self._stale(request):
                    return
                self.relay.ready.emit(picture)
        except ValueError as error:
            if not self._stale(request):
                self.relay.failed.emit((request, str(error)))
        except RuntimeError:  # the relay was deleted: the view is gone
            pass

    def _landscape(self, request: SurfaceRequest) -> Landscape:
        # the snapshot object itself is part of the key (a reopened session may reuse a revision number)
        key = (id(request.points), request.points.revision, request.l2, request.standardize)
        held = self._landscapes.get(key)
        if held is None:
            held = (request.points, Landscape(request.points.train_X, request.points.train_y, request.l2,
                                                request.standardize, trained_coordinates=True))
            self._landscapes = {key: held}  # one at a time: a new revision frees the old
        return held[1]
