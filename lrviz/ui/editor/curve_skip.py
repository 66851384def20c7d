"""A sound frame-skip bound for the editor's curved model (a non-identity feature map φ).

While training settles, w and b move by tiny steps and most frames would draw the same
picture. For the straight boundary the editor bounds the change with z linear in x; with
φ it is not, but z is still linear in the PARAMETERS, so for every point x of the grid (in exact arithmetic; `rounding_slack` adds the
rounding of the two computed z)

    |Δz(x)| = |Σⱼ Δwⱼ φⱼ(x) + Δb|  ≤  D := Σⱼ |Δwⱼ| · maxgrid |φⱼ| + |Δb|,

with the maxima of |φⱼ| over the grid precomputed once per view. What is drawn depends on z
at the grid points only:

- the heatmap σ(z): σ′ ≤ ¼, so no cell's probability moves by D/4 or more;
- the zero contour (marching squares on the same grid, `curve_layer.zero_contour`): when
  every grid value has |z| > D, no sign changes, so the same cell edges are crossed in the
  same order; on an edge from z_a to z_b (opposite signs, s = z_a − z_b, |s| = |z_a| + |z_b|
  > 2D) the crossing sits at the fraction t = z_a/s, and with z_a, z_b each moving by at most D
  it moves by |Δt| = |Δz_a·s − z_a(Δz_a − Δz_b)| / (|s|·|s + Δz_a − Δz_b|) ≤ 3D/(|s| − 2D)
  of the edge (|z_a| ≤ |s|). Times the cell's size in pixels, that bounds how far any
  point of the drawn curve moves.

`CurveFrame.unchanged` says skip only when D/4 < half a colour step (the colour map has 256)
and every curve point moves less than a quarter pixel: the thresholds of the straight case
(`PointEditor._looks_the_same`). The comparison is always against the last frame DRAWN, so
skipped steps cannot add up to a visible change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

COLOUR_STEP = 0.5 / 255  # half a step of the 256-colour map
CURVE_PIXELS = 0.25  # how far (pixels) a curve may move and still count as unchanged


def term_maxima(features: np.ndarray) -> np.ndarray:
    """max over the grid of |φⱼ(x)| for each column j of φ(grid) (N, n)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.max(np.abs(features), axis=0)


def change_bound(maxima: np.ndarray, dw: np.ndarray, db: float) -> float:
    """D = Σⱼ |Δwⱼ|·max|φⱼ| + |Δb| ≥ |Δz| at every grid point (inf when it overflows)."""
    with np.errstate(over="ignore", invalid="ignore"):
        bound = float(np.abs(dw) @ maxima) + abs(float(db))
    return float("inf") if math.isnan(bound) else bound  # NaN (0·inf): no bound


def rounding_slack(maxima: np.ndarray, w: np.ndarray, b: float) -> float:
    """A bound on the rounding of one computed z = φ·w + b at any grid point: a dot product of n
    terms is off by at most n·u·Σ|wⱼφⱼ| (u = 2⁻⁵³; Higham, Accuracy and Stability of Numerical
    Algorithms, 2002, §3.1), doubled for safety, plus the bias's addition."""
    with np.errstate(over="ignore", invalid="ignore"):
        size = float(np.abs(w) @ maxima) + abs(float(b))
    return 2.0 * (len(maxima) + 2) * np.finfo(float).eps * size


def crossing_gap(z: np.ndarray) -> float:
    """The smallest |z_a − z_b| over the grid edges whose ends have opposite signs (inf: none)."""
    gaps = []
    for a, b in ((z[:, :-1], z[:, 1:]), (z[:-1, :], z[1:, :])):
        crossing = (a > 0) != (b > 0)
        if crossing.any():
            with np.errstate(over="ignore", invalid="ignore"):
                gaps.append(float(np.min(np.abs(a[crossing] - b[crossing]))))
    return min(gaps) if gaps else float("inf")


class GridFeatures:
    """φ at the heatmap's grid points and its columns' maxima, kept while the view and φ stay:
    a training frame then costs one matrix-vector product, not φ of every grid point again.

    φ(grid) is stored by columns (Fortran order): the product then runs down each column, two
    to three times faster than one dot product per grid point (measured 60 against 150 µs on
    the editor's 200 × 120 grid at degree 3), and a frame drawn while training pays it."""

    def __init__(self) -> None:
        self._key: tuple | None = None
        self.features = np.empty((0, 0), order="F")
        self.maxima = np.empty(0)

    def at(self, phi, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """φ(grid) (len(ys)·len(xs), n), rows: ys, columns: xs, as `curve_layer.grid_z` orders them."""
        key = (phi, xs.tobytes(), ys.tobytes())
        if key != self._key:
            X = np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])
            with np.errstate(over="ignore", invalid="ignore"):
                self.features = np.asfortranarray(phi.transform(X))
            self.maxima = term_maxima(self.features)
            self._key = key
        return self.features

    def z(self, phi, w: np.ndarray, b: float, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """z = φ(x)·w + b on the grid (rows: ys, columns: xs): ±inf where it overflows, no NaN;
        `curve_layer.grid_z` is this."""
        features = self.at(phi, xs, ys)
        with np.errstate(over="ignore", invalid="ignore"):
            z = features @ np.asarray(w, dtype=float)
            z += float(b)
        if not np.isfinite(z).all():  # rare: only then the extra passes
            z = np.nan_to_num(z, nan=0.0, posinf=np.inf, neginf=-np.inf)
        return z.reshape(len(ys), len(xs))


@dataclass(frozen=True)
class CurveFrame:
    """What the last drawn curved frame needs for the bound: its view, parameters and grid facts."""

    view: tuple
    shape: tuple[int, int]
    w: np.ndarray
    b: float
    maxima: np.ndarray  # max |φⱼ| over the grid
    min_abs_z: float  # min |z| over the grid
    gap: float  # crossing_gap(z)
    cell_px: float  # the larger side of a grid cell, in pixels

    @classmethod
    def drawn(cls, view: tuple, z: np.ndarray, w: np.ndarray, b: float, maxima: np.ndarray,
              cell_px: float, gap: float | None = None) -> CurveFrame | None:
        """The frame just drawn from grid values `z`; None when z is not finite (no bound then).
        `gap`: crossing_gap(z) when the caller has it (`curve_layer.contour` finds it)."""
        if not np.isfinite(z).all():
            return None
        return cls(view, z.shape, np.array(w, dtype=float), float(b), maxima, float(np.min(np.abs(z))),
                   crossing_gap(z) if gap is None else float(gap), float(cell_px))

    def unchanged(self, view: tuple, shape: tuple[int, int], w: np.ndarray, b: float) -> bool:
        """True only if drawing (w, b) now would change no colour step and move no curve point
        by a quarter pixel (see the module's docstring)."""
        if view != self.view or shape != self.shape or np.shape(w) != self.w.shape:
            return False
        w = np.asarray(w, dtype=float)
        # the exact |Δz|, plus the rounding of the z computed then and of the z computed now
        bound = (change_bound(self.maxima, w - self.w, float(b) - self.b)
                 + rounding_slack(self.maxima, self.w, self.b) + rounding_slack(self.maxima, w, b))
        if not (bound / 4 < COLOUR_STEP and bound < self.min_abs_z):
            return False
        if self.gap == float("inf"):  # no curve drawn, none appears: signs do not change
            return True
        return 3 * bound / (self.gap - 2 * bound) * self.cell_px < CURVE_PIXELS


__all__ = ["COLOUR_STEP", "CURVE_PIXELS", "CurveFrame", "GridFeatures", "change_bound", "crossing_gap", "rounding_slack", "term_maxima"]
