"""The part of a straight line inside a view rectangle: the editor's boundary, the threshold's
iso-line and the landscape's ghost boundary all draw one.

No Qt: a pure function, tested through the layers that draw with it.
"""

from __future__ import annotations

import math


def clipped_line(w1: float, w2: float, b: float, x0: float, x1: float, y0: float, y1: float
                 ) -> tuple[float, float, float, float] | None:
    """The part of w1·x + w2·y + b = 0 inside [x0, x1] × [y0, y1], or None (w = 0, or outside).

    Worked out in the rectangle's own scale, so views near ±1e150 and lines nearly parallel
    to an axis give no overflow.
    """
    scale = max(abs(x0), abs(x1), abs(y0), abs(y1))
    values = (w1, w2, b)
    if not scale > 0 or not all(map(math.isfinite, values)):
        return None
    a1, a2, c = w1 * scale, w2 * scale, b
    size = max(abs(a1), abs(a2), abs(c))
    if not (size > 0 and math.isfinite(size)):
        return None
    a1, a2, c = a1 / size, a2 / size, c / size
    norm = math.hypot(a1, a2)
    if norm < 1e-300:
        return None
    n1, n2 = a1 / norm, a2 / norm
    px, py = -c / norm * n1, -c / norm * n2  # the line's point nearest the origin (scaled units)
    dx, dy = -n2, n1
    t_low, t_high = -math.inf, math.inf
    for p, d, low, high in ((px, dx, x0 / scale, x1 / scale), (py, dy, y0 / scale, y1 / scale)):
        if abs(d) < 1e-15:
            if not low <= p <= high:
                return None
            continue
        ta, tb = (low - p) / d, (high - p) / d
        t_low, t_high = max(t_low, min(ta, tb)), min(t_high, max(ta, tb))
    if not t_low < t_high:
        return None
    return ((px + t_low * dx) * scale, (py + t_low * dy) * scale,
            (px + t_high * dx) * scale, (py + t_high * dy) * scale)


__all__ = ["clipped_line"]
