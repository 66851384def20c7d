"""The pen width for a curve that is denser on screen than its pen.

Qt strokes a wide pen (width > 1) by building the outline of the whole path and filling it
as one polygon. For a long zig-zag (min/max buckets of a noisy run, each bucket spanning
most of the plot) that outline crosses itself thousands of times: 2,000 vertices across a
300 px plot took 1.5 s at width 2 and 9 ms at width 1 (measured on the shared Xeon), and
opening a noisy 200 MB session froze the window 2.5 s on its first paint. Where the curve
is that dense it reads as a band anyway, so it is stroked 1 px wide; a curve that looks
like a line keeps its width.
"""

from __future__ import annotations

import numpy as np

DENSE = 8.0  # a path longer on screen than DENSE × (width + height) of the view is a band


def on_screen_length(x: np.ndarray, y: np.ndarray, pixel_width: float, pixel_height: float) -> float:
    """The length in pixels of the polyline (x, y) in data units, with one pixel being
    `pixel_width` × `pixel_height` data units."""
    if len(x) < 2 or not (pixel_width > 0 and pixel_height > 0):
        return 0.0
    steps = np.hypot(np.diff(x) / pixel_width, np.diff(y) / pixel_height)
    return float(np.sum(steps[np.isfinite(steps)]))


def stroke_width(x: np.ndarray, y: np.ndarray, pixel_size: tuple[float, float], view_pixels: tuple[float, float],
                 width: float) -> float:
    """`width`, or 1 where the curve is a dense band in a view of `view_pixels` (width, height)."""
    if width <= 1.0:
        return width
    length = on_screen_length(x, y, *pixel_size)
    return 1.0 if length > DENSE * (view_pixels[0] + view_pixels[1]) else width


__all__ = ["DENSE", "on_screen_length", "stroke_width"]
