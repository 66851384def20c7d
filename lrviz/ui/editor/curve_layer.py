"""The decision boundary φ(x)·w + b = 0 of a non-identity feature map (issue 14), drawn as the
curve(s) it is: the zero contour of z on the editor's heatmap grid, one or several pieces,
clipped to the view (the grid covers it).

z on the grid is `grid_z` (the same values the heatmap is coloured from); the contour is
pyqtgraph's marching squares (`functions.isocurve`), whose crossings are linear
interpolations along cell edges, so on a grid of a few pixels a cell each point lies within
a fraction of a pixel of the true curve for the moderate curvatures of degrees ≤ 6.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from lrviz.core.features import FeatureMap


def grid_z(phi: FeatureMap, w: np.ndarray, b: float, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """z = φ(x)·w + b at the grid's points (rows: ys, columns: xs); ±inf where it overflows, no NaN."""
    X = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
    with np.errstate(over="ignore", invalid="ignore"):
        z = phi.transform(X) @ np.asarray(w, dtype=float) + float(b)
    z = np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf)
    return z.reshape(len(ys), len(xs))


def zero_contour(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """The pieces of z = 0 as (k, 2) arrays of data points; [] when z does not change sign."""
    finite = np.clip(z, -1e300, 1e300)
    if not (np.any(finite > 0) and np.any(finite < 0)):
        return []
    dx = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else 1.0
    dy = (ys[-1] - ys[0]) / (len(ys) - 1) if len(ys) > 1 else 1.0
    pieces = []
    for line in pg.functions.isocurve(finite.T, 0.0, connected=True):
        points = np.asarray(line, dtype=float).reshape(-1, 2)
        if len(points) < 2:
            continue
        # isocurve places sample i at i + 0.5; sample i is at xs[i] = xs[0] + i·dx
        pieces.append(np.column_stack([xs[0] + (points[:, 0] - 0.5) * dx, ys[0] + (points[:, 1] - 0.5) * dy]))
    return pieces


class BoundaryCurves(QGraphicsPathItem):
    """The curve pieces as one path in data coordinates (a child of the view box)."""

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self.setPen(pen)
        self._pieces: list[np.ndarray] = []

    @property
    def pieces(self) -> list[np.ndarray]:
        return self._pieces

    def set_pieces(self, pieces: list[np.ndarray]) -> None:
        self._pieces = pieces
        path = QPainterPath()
        for piece in pieces:
            path.addPath(pg.arrayToQPath(piece[:, 0], piece[:, 1]))
        self.setPath(path)


__all__ = ["BoundaryCurves", "grid_z", "zero_contour"]
