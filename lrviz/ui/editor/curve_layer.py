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
from lrviz.ui.editor.curve_skip import GridFeatures


def grid_z(phi: FeatureMap, w: np.ndarray, b: float, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """z = φ(x)·w + b at the grid's points (rows: ys, columns: xs); ±inf where it overflows, no NaN.

    The same arithmetic as the editor's cached `curve_skip.GridFeatures.z` (one matrix-vector
    product of φ(grid), stored by columns), so both give the same values to the bit."""
    return GridFeatures().z(phi, w, b, xs, ys)


def zero_segments(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """z = 0 on the grid by marching squares, as (k, 2, 2) segments (two end points each) in data
    coordinates; (0, 2, 2) when z does not change sign. (`contour` also gives the crossing gap.)"""
    return contour(z, xs, ys)[0]


def contour(z: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, float]:
    """(segments, gap): `zero_segments`, and the smallest |z_a − z_b| over the grid edges whose
    ends have opposite signs (`curve_skip.crossing_gap`; inf when none), found on the way.

    Each crossed cell edge from sample value z_a to z_b (opposite signs; z > 0 against z ≤ 0)
    is crossed at the fraction t = z_a/(z_a − z_b) of the edge; a cell with two crossed edges
    gives one segment between them, a saddle cell (four) two segments, always pairing its
    bottom edge with its left and its top with its right: which edges are joined depends on the
    signs alone (curve_skip.py's bound relies on that). Vectorized: a few tenths of a
    millisecond for the editor's 200 × 120 grid (pyqtgraph's Python isocurve held the GIL,
    which the training thread needs, for ~90 ms a frame). The whole grid is passed over only
    to find the crossed edges; the rest works on the few hundred crossed cells, and a frame
    drawn while training pays it at every frame.
    """
    z = np.asarray(z, dtype=float)
    empty = np.empty((0, 2, 2))
    ny, nx = z.shape
    if ny < 2 or nx < 2:
        return empty, float("inf")
    if not np.isfinite(z).all():
        z = np.clip(z, -1e300, 1e300)  # ±inf: the crossing fraction stays a number
    positive = z > 0
    # the crossed edges: horizontal ones between columns i and i+1, vertical between rows j and j+1
    across = positive[:, 1:] != positive[:, :-1]  # (ny, nx − 1)
    up = positive[1:, :] != positive[:-1, :]  # (ny − 1, nx)
    # the crossed cells (some but not all four corners positive: a few hundred of ~24,000)
    crossed = across[:-1] | across[1:]
    crossed |= up[:, :-1]
    crossed |= up[:, 1:]
    cells = np.flatnonzero(crossed)
    if not len(cells):
        return empty, float("inf")
    j, i = np.divmod(cells, nx - 1)
    # which of their edges are crossed, in the order bottom, right, top, left: (cells, 4)
    mask = np.column_stack([across[j, i], up[j, i + 1], across[j + 1, i], up[j, i]])
    # each edge's two samples (row, column), for the four edges of every crossed cell
    rows_a = np.column_stack([j, j, j + 1, j])
    cols_a = np.column_stack([i, i + 1, i, i])
    rows_b = np.column_stack([j, j + 1, j + 1, j + 1])
    cols_b = np.column_stack([i + 1, i + 1, i + 1, i])
    za, zb = z[rows_a, cols_a], z[rows_b, cols_b]
    step = np.where(mask, za - zb, 1.0)
    gap = float(np.min(np.abs(step[mask])))
    t = np.where(mask, za / step, 0.0)
    x = xs[cols_a] + t * (xs[cols_b] - xs[cols_a])
    y = ys[rows_a] + t * (ys[rows_b] - ys[rows_a])
    points = np.stack([x, y], axis=-1)  # (crossed cells, 4, 2)
    count = mask.sum(axis=1)
    two = np.flatnonzero(count == 2)
    first = np.argmax(mask[two], axis=1)  # the two crossed edges, in order
    second = 3 - np.argmax(mask[two, ::-1], axis=1)
    pairs = np.stack([points[two, first], points[two, second]], axis=1)
    four = np.flatnonzero(count == 4)
    if not len(four):
        return pairs, gap
    saddles = np.concatenate([points[four][:, [0, 3]], points[four][:, [2, 1]]])  # bottom–left, top–right
    return np.concatenate([pairs, saddles]), gap


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
        # finite by construction (contour clips z), so no check: a frame drawn while training pays it
        path = pg.arrayToQPath(flat[:, 0], flat[:, 1], connect="pairs", finiteCheck=False) if len(flat) else QPainterPath()
        self.setPath(path)


__all__ = ["BoundaryCurves", "contour", "grid_z", "zero_contour", "zero_segments"]
