"""The decision boundary φ(x)·w + b = 0 of a non-identity feature map (issue 14), drawn as the
curve(s) it is: the zero contour of z on the editor's heatmap grid, one or several pieces,
clipped to the view (the grid covers it).

z on the grid is `grid_z` (the same values the heatmap is coloured from); the contour is a
vectorized marching squares (`zero_segments`), whose crossings are linear interpolations
along cell edges, so on a grid of a few pixels a cell each point lies within a fraction of a
pixel of the true curve for the moderate curvatures of degrees ≤ 6.
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


def zero_segments(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """z = 0 on the grid by marching squares, as (k, 2, 2) segments (two end points each) in data
    coordinates; (0, 2, 2) when z does not change sign.

    Each crossed cell edge from sample value z_a to z_b (opposite signs; z > 0 against z ≤ 0)
    is crossed at the fraction t = z_a/(z_a − z_b) of the edge; a cell with two crossed edges
    gives one segment between them, a saddle cell (four) two segments, always pairing its
    bottom edge with its left and its top with its right: which edges are joined depends on the
    signs alone (curve_skip.py's bound relies on that). Vectorized: about a millisecond for the
    editor's 200 × 120 grid, where a Python marching squares (pyqtgraph's isocurve) held the
    GIL for ~90 ms a frame, which the training thread needs.
    """
    z = np.clip(np.asarray(z, dtype=float), -1e300, 1e300)
    ny, nx = z.shape
    empty = np.empty((0, 2, 2))
    positive = z > 0
    if ny < 2 or nx < 2 or positive.all() or not positive.any():
        return empty
    # the crossed cells: some but not all four corners positive (a few hundred of ~24,000)
    p = positive.view(np.int8)
    corners = p[:-1, :-1] + p[:-1, 1:] + p[1:, 1:] + p[1:, :-1]
    cells = np.flatnonzero((corners > 0) & (corners < 4))
    j, i = np.divmod(cells, nx - 1)
    # which of their edges are crossed, in the order bottom, right, top, left: (cells, 4)
    mask = np.stack([positive[j, i] != positive[j, i + 1], positive[j, i + 1] != positive[j + 1, i + 1],
                     positive[j + 1, i] != positive[j + 1, i + 1], positive[j, i] != positive[j + 1, i]], axis=-1)
    # each edge's two samples (row, column), for the four edges of every crossed cell
    rows_a, cols_a = np.stack([j, j, j + 1, j], -1), np.stack([i, i + 1, i, i], -1)
    rows_b, cols_b = np.stack([j, j + 1, j + 1, j + 1], -1), np.stack([i + 1, i + 1, i + 1, i], -1)
    za, zb = z[rows_a, cols_a], z[rows_b, cols_b]
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(mask, za / np.where(mask, za - zb, 1.0), 0.0)
    x = xs[cols_a] + t * (xs[cols_b] - xs[cols_a])
    y = ys[rows_a] + t * (ys[rows_b] - ys[rows_a])
    points = np.stack([x, y], axis=-1)  # (crossed cells, 4, 2)
    count = mask.sum(axis=1)
    two = np.flatnonzero(count == 2)
    order = np.argsort(~mask[two], axis=1, kind="stable")[:, :2]  # the two crossed edges, in order
    pairs = points[two[:, None], order]
    four = np.flatnonzero(count == 4)
    saddles = np.concatenate([points[four][:, [0, 3]], points[four][:, [2, 1]]])  # bottom–left, top–right
    return np.concatenate([pairs, saddles]) if len(saddles) else pairs


def zero_contour(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> list[np.ndarray]:
    """The segments of z = 0 (`zero_segments`) as a list of (2, 2) arrays; [] when z keeps its sign."""
    return list(zero_segments(z, xs, ys))


class BoundaryCurves(QGraphicsPathItem):
    """The curve's segments as one path in data coordinates (a child of the view box)."""

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self.setPen(pen)
        self._segments = np.empty((0, 2, 2))

    @property
    def segments(self) -> np.ndarray:
        return self._segments

    @property
    def pieces(self) -> list[np.ndarray]:
        """The segments as (2, 2) arrays."""
        return list(self._segments)

    def set_segments(self, segments: np.ndarray) -> None:
        self._segments = segments
        flat = segments.reshape(-1, 2)
        path = pg.arrayToQPath(flat[:, 0], flat[:, 1], connect="pairs") if len(flat) else QPainterPath()
        self.setPath(path)


__all__ = ["BoundaryCurves", "grid_z", "zero_contour", "zero_segments"]
