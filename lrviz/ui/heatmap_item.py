"""The probability heatmap as an opaque RGB32 image, colours looked up in NumPy.

pyqtgraph's ImageItem turns a float image with a 256-entry lookup table into an Indexed8
QImage, and Qt converts that to RGB on every scaled draw: about 3–4 ms per frame for the
editor, with the GIL held (PySide6's QPainter calls keep it), time the training thread then
waits. Colouring the cells once into RGB32 makes the draw ~7× cheaper (measured:
Indexed8 3.4–4.0 ms, RGB32 0.4–0.5 ms for 141×200 cells drawn at 552×779 pixels).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QImage


class ProbabilityImage(pg.ImageItem):
    """Shows a 2-D array of probabilities in [0, 1] (rows: y) through a (256, 3 or 4) uint8 LUT."""

    def __init__(self, lut: np.ndarray) -> None:
        super().__init__(axisOrder="row-major")
        rgb = np.asarray(lut, dtype=np.uint32)[:, :3]
        # QImage.Format_RGB32 is 0xffRRGGBB in native byte order.
        self._lut32 = (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)
        self._pixels: np.ndarray | None = None  # the QImage's buffer; kept alive with it

    def render(self) -> None:  # pyqtgraph override: called before a paint when the image changed
        self._renderRequired = False
        self._unrenderable = self.image is None or self.image.ndim != 2 or self.image.size == 0
        if self._unrenderable:
            self.qimage = None
            return
        last = len(self._lut32) - 1
        index = np.rint(np.clip(self.image, 0.0, 1.0) * last).astype(np.intp)
        self._pixels = np.ascontiguousarray(self._lut32[index])
        self.qimage = pg.functions.ndarray_to_qimage(self._pixels, QImage.Format.Format_RGB32)
