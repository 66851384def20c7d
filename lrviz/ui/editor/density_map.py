"""The editor's density image of many points: a 2-D histogram per class, blended in class colours.

`density_rgba` is the picture (NumPy only). `DensityPainter` puts it into the editor's
ImageItem: at once for up to BACKGROUND_POINTS points, and in a thread above (about half a
second for the 4.7 million points of a 200 MB file, which froze the window when it ran in
the GUI thread; NumPy releases the GIL in each of its calls). Until a thread is done the
item keeps its last picture; a request that comes while one runs waits, and only the
newest is drawn next. The counts are of every point: the picture is the same either way,
only later.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, Signal

from lrviz.ui.latest_in_thread import run_in_background

BACKGROUND_POINTS = 200_000  # from this many points the image is computed in a thread
_BLOCK_ROWS = 1 << 16  # points per block of the counting: its temporaries are about 3 MB (2¹⁸ rows: 9 MB,
# half again the points of a 20 MB file), and the blocks are as fast


def density_rgba(X: np.ndarray, y: np.ndarray, low: np.ndarray, high: np.ndarray, bins: int,
                 colors: tuple) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """(image (bins, bins, 4) uint8, (x, y, width, height) of its rectangle) of points X (m, 2)
    with labels y, whose coordinates lie in [low, high] (Dataset.bounds).

    Rows are x2 upward, columns x1. A cell's opacity is log(1 + count) over the largest
    class count's; the colour blends the classes by opacity. Column by column and with
    bincount: reducing an (m, 2) array along axis 0, or np.histogram2d, is several times slower.
    """
    corner, size, scale = np.zeros(2), np.ones(2), np.ones(2)
    for k in (0, 1):
        lo, hi = float(low[k]), float(high[k])
        half_span = hi / 2 - lo / 2  # halves: no overflow even near ±1e308
        if not half_span > 0:  # every point at one value: one cell, of width 1 (or |value|)
            half_span = max(abs(lo), 1.0) / 2
        corner[k], size[k], scale[k] = lo, 2 * half_span, bins / half_span
    counts = np.zeros((2, bins * bins), dtype=np.int64)
    for start in range(0, len(X), _BLOCK_ROWS):  # blocks: a few MB of temporaries, not 40 MB each
        rows = slice(start, start + _BLOCK_ROWS)
        flat = np.zeros(len(X[rows]), dtype=np.intp)
        for k in (0, 1):
            cells = ((X[rows, k] / 2 - corner[k] / 2) * scale[k]).astype(np.intp)
            np.clip(cells, 0, bins - 1, out=cells)
            flat += cells * (bins if k == 1 else 1)  # row = x2 upward, column = x1
        for label in (0, 1):
            counts[label] += np.bincount(flat[y[rows] == label], minlength=bins**2)
    rgba = np.zeros((bins, bins, 4))
    for label in (0, 1):
        count = counts[label].reshape(bins, bins)
        alpha = np.log1p(count) / max(float(np.log1p(count.max())), 1.0)
        rgba[..., :3] += alpha[..., None] * (np.array(colors[label]) / 255.0)
        rgba[..., 3] = np.maximum(rgba[..., 3], alpha)
    weight = rgba[..., 3:4] + (rgba[..., 3:4] == 0)  # empty cells: divide by 1, stay transparent
    rgba[..., :3] = np.clip(rgba[..., :3] / weight, 0.0, 1.0)
    return (rgba * 255).astype(np.uint8), (corner[0], corner[1], size[0], size[1])


class DensityPainter(QObject):
    """Draws `density_rgba` of the points it is given into `item`, in a thread for many points."""

    _computed = Signal(object)  # (image, rect) from the thread, queued to the GUI thread

    def __init__(self, item: pg.ImageItem, bins: int, colors: tuple, parent: QObject | None = None,
                 background_points: int = BACKGROUND_POINTS) -> None:
        super().__init__(parent)
        self._item, self._bins, self._colors = item, bins, colors
        self._background_points = background_points
        self._busy = False
        self._waiting: tuple | None = None  # the newest request while a thread runs
        self._computed.connect(self._show)

    @property
    def busy(self) -> bool:
        """Whether a thread is computing (the item shows an older picture until it is done)."""
        return self._busy

    def draw(self, X: np.ndarray, y: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        """Draw these points. For a thread, X and y must be arrays that never change (Dataset.snapshot)."""
        request = (X, y, low, high)
        if len(X) < self._background_points:
            self._show(density_rgba(*request, self._bins, self._colors))
        elif self._busy:
            self._waiting = request
        else:
            self._start(request)

    def _start(self, request: tuple) -> None:
        self._busy = True
        done, bins, colors = self._computed, self._bins, self._colors

        def work() -> None:
            result = density_rgba(*request, bins, colors)
            try:
                done.emit(result)
            except RuntimeError:
                pass  # the window is gone

        run_in_background(work, "lrviz-density")

    def _show(self, result: tuple) -> None:
        image, rect = result
        self._item.setImage(image, levels=(0, 255))
        self._item.setRect(QRectF(*rect))
        if self._busy:  # a thread's picture: draw the newest request next
            self._busy = False
            waiting, self._waiting = self._waiting, None
            if waiting is not None:
                self._start(waiting)


__all__ = ["BACKGROUND_POINTS", "DensityPainter", "density_rgba"]
