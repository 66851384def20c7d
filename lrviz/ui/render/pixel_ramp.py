"""A linear model's heatmap at the screen's own pixels, cut from one ramp of colours.

For ŷ = σ(w·x + b), z is linear on the screen: z = z₀ + a·i + c·j at the pixel of column i
and row j. When |a| ≥ |c|, row j is the ramp z₀ + a·k (k = 0, 1, …) moved by j·c/a pixels,
so the whole image is a stack of windows of one ramp of about W + H colours: σ is evaluated
once per ramp sample, and the rows are copied out of the ramp (columns, when |c| > |a|).
The ramp has SUBSTEPS samples a pixel, so a row moves by a whole sample: each pixel gets
the colour of ŷ at most 1/(2·SUBSTEPS) pixel from its centre.

Why: the heatmap had been a small image (200 cells along the longer side) that Qt scaled
up bilinearly at every paint of the editor. That scaling runs on Qt's GUI thread pool (the
GUI thread waits for it), and cost 0.5-2 ms a paint on these 2-core machines, most of a
full repaint of the editor; the timeline repaints the editor at every step. An image with
one pixel per device pixel is drawn as a plain copy (about 0.2 ms), and cutting it from
the ramp costs about as much as colouring the small image did.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QTransform

from lrviz.core.model import sigmoid

MAX_PIXELS = 8_000_000  # a larger view (a wall screen) keeps the small image, scaled
SUBSTEPS = 8  # ramp samples a pixel


@dataclass(frozen=True)
class PixelRamp:
    """ŷ along the ramp and where each row (or column) starts on it: `pixels` colours them."""

    probabilities: np.ndarray  # ŷ at the ramp's samples, SUBSTEPS a pixel
    starts: np.ndarray  # (height,) or (width,): the sample where each row (column) of the image starts
    by_rows: bool  # rows are windows of the ramp (else columns)
    width: int
    height: int
    transform: QTransform  # maps the image's pixels (row 0 at the top) to data coordinates

    def pixels(self, lut32: np.ndarray) -> np.ndarray:
        """(height, width) uint32 RGB32 colours through `lut32` (256 entries), row 0 at the top."""
        last = len(lut32) - 1
        colours = lut32[np.rint(np.clip(self.probabilities, 0.0, 1.0) * last).astype(np.intp)]
        along = self.width if self.by_rows else self.height  # pixels in a window
        windows = np.lib.stride_tricks.sliding_window_view(colours, SUBSTEPS * (along - 1) + 1)[:, ::SUBSTEPS]
        if self.by_rows:
            return windows[self.starts]
        return np.ascontiguousarray(windows[self.starts].T)


def linear_ramp(unit: tuple[float, float, float, float], view: tuple[float, float, float, float],
                device: QRectF) -> PixelRamp | None:
    """The ramp of z = s·(u₁x₁ + u₂x₂ + c) (`unit` = (u₁, u₂, c, s), as the editor scales w
    and b) over `view` (x0, x1, y0, y1) shown on the `device` rectangle (device pixels, y
    down); None when the view is too large or its numbers are not finite (then the caller
    draws the small image). The image's pixels are whole device pixels covering the rectangle."""
    u1, u2, c, s = unit
    x0, x1, y0, y1 = view
    left, top, right, bottom = device.left(), device.top(), device.right(), device.bottom()
    if not all(math.isfinite(v) for v in (left, top, right, bottom)) or right <= left or bottom <= top:
        return None
    column0, row0 = math.floor(left), math.floor(top)
    width, height = math.ceil(right) - column0, math.ceil(bottom) - row0
    if width * height > MAX_PIXELS:
        return None
    dx = (x1 - x0) / (right - left)  # data units per device pixel
    dy = (y1 - y0) / (bottom - top)
    corner_x = x0 + (column0 - left) * dx  # the data point at the image's top left corner
    corner_y = y1 - (row0 - top) * dy
    z00 = u1 * (corner_x + 0.5 * dx) + u2 * (corner_y - 0.5 * dy) + c  # at the first pixel's centre, over s
    along, down = u1 * dx, -u2 * dy  # its change a pixel right, a pixel down
    if not all(math.isfinite(v) for v in (dx, dy, corner_x, corner_y, z00, along, down)):
        return None
    by_rows = abs(along) >= abs(down)
    step, cross = (along, down) if by_rows else (down, along)
    count = height if by_rows else width  # rows (or columns), each one window
    starts = np.rint(np.arange(count) * (SUBSTEPS * cross / step if step else 0.0)).astype(np.intp)
    first = int(starts.min())
    starts -= first
    length = SUBSTEPS * ((width if by_rows else height) - 1) + 1 + int(starts.max())
    with np.errstate(over="ignore"):  # s·z beyond the float range: ±inf, and σ is exactly 0 or 1
        z = s * (z00 + (step / SUBSTEPS) * (np.arange(length) + first))
    transform = QTransform(dx, 0.0, 0.0, -dy, corner_x, corner_y)
    return PixelRamp(sigmoid(z), starts, by_rows, width, height, transform)


__all__ = ["MAX_PIXELS", "PixelRamp", "linear_ramp"]
