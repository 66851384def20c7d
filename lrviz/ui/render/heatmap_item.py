"""The probability heatmap: ŷ on a grid, coloured in NumPy, shown as a native Qt pixmap item.

Two costs of pyqtgraph's ImageItem mattered while training runs at full speed, because
painting in Python holds the GIL that the training thread needs (PySide6 keeps it for
every call into Qt):
- a float image with a 256-entry lookup table becomes an Indexed8 QImage, which Qt
  converts on every scaled draw (measured: 3.4–4.0 ms per frame, against 0.4–0.5 ms for
  RGB32, 141×200 cells drawn at 552×779 pixels);
- its paint() is Python, so the whole draw runs with the GIL held.
Here the cells are coloured once per frame into RGB32 and drawn by QGraphicsPixmapItem's
C++ paint(), which runs without the GIL (see gil_free_paint).

A linear model's heatmap comes with its PixelRamp (pixel_ramp.py): then the item shows
that image, one pixel per device pixel, a plain copy at every paint, and keeps the grid of
probabilities as the numbers it shows.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsPixmapItem

from lrviz.ui.render.pixel_ramp import PixelRamp


class ProbabilityImage(QGraphicsPixmapItem):
    """Shows a 2-D array of probabilities in [0, 1] (row 0 at the rectangle's low y) through
    a (256, 3 or 4) uint8 lookup table, stretched over a rectangle in data coordinates."""

    def __init__(self, lut: np.ndarray) -> None:
        super().__init__()
        # Bilinear scaling: a steep boundary shows no stair-steps on screen nor stripes in an
        # exported image (measured: +0.8 ms a paint at 560×780 px, in C++ without the GIL).
        self.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        # Not cached as a pixmap (DeviceCoordinateCache): blending a window-sized ARGB cache
        # cost more than scaling this small opaque image again (measured: a forced repaint of the
        # editor 2.5 → 3.2 ms).
        self._probabilities: np.ndarray | None = None
        self._rect = QRectF()
        self._ramp: PixelRamp | None = None
        self.set_lut(lut)

    def lut(self) -> np.ndarray:
        """The lookup table, (256, 3) uint8."""
        return self._lut.copy()

    def set_lut(self, lut: np.ndarray) -> None:
        """Colour through another table (the theme's); what is shown is coloured again."""
        self._lut = np.asarray(lut, dtype=np.uint8)[:, :3].copy()
        rgb = self._lut.astype(np.uint32)
        # QImage.Format_RGB32 is 0xffRRGGBB in native byte order.
        self._lut32 = (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)
        if self._probabilities is not None:
            self.set_probabilities(self._probabilities, self._rect, self._ramp)

    @property
    def probabilities(self) -> np.ndarray | None:
        """The array last shown (rows: y upward, columns: x), or None."""
        return self._probabilities

    def data_rect(self) -> QRectF:
        """The rectangle, in data coordinates, that the image covers."""
        return QRectF(self._rect)

    def set_probabilities(self, probabilities: np.ndarray, rect: QRectF, ramp: PixelRamp | None = None) -> None:
        """Show `probabilities` over `rect`; with `ramp` (the same model at the device's pixels),
        show the ramp's image instead, and keep `probabilities` as the numbers shown."""
        p = np.asarray(probabilities, dtype=float)
        if p.ndim != 2 or p.size == 0 or rect.width() <= 0 or rect.height() <= 0:
            raise ValueError("the heatmap needs a non-empty 2-D array and a rectangle of positive size")
        self._ramp = ramp
        if ramp is not None:
            pixels = ramp.pixels(self._lut32)
            image = QImage(pixels.data, ramp.width, ramp.height, 4 * ramp.width, QImage.Format.Format_RGB32)
            self.setPixmap(QPixmap.fromImage(image))  # a copy: `pixels` may go
            self.setTransform(ramp.transform)
            self._probabilities, self._rect = p, QRectF(rect)
            return
        last = len(self._lut32) - 1
        pixels = np.ascontiguousarray(self._lut32[np.rint(np.clip(p, 0.0, 1.0) * last).astype(np.intp)])
        rows, columns = pixels.shape
        image = QImage(pixels.data, columns, rows, 4 * columns, QImage.Format.Format_RGB32)
        self.setPixmap(QPixmap.fromImage(image))  # a copy: `pixels` may go
        # Cell (row r, column c) covers [x0 + c·dx, x0 + (c+1)·dx] × [y0 + r·dy, …] in data units.
        transform = QTransform()
        transform.translate(rect.left(), rect.top())
        transform.scale(rect.width() / columns, rect.height() / rows)
        self.setTransform(transform)
        self._probabilities, self._rect = p, QRectF(rect)
