"""Sums of softplus terms without a logarithm per point, exact to a stated relative bound.

The loss of logistic regression is a sum of softplus(uᵢ) = log(1 + e^uᵢ) (model.py folds the
label into uᵢ). NumPy's float64 `log1p` costs 17–20 ns an element on a CPU without AVX-512
against 0.4 ns for a multiply, so the engine never takes one per point. Instead

    Σᵢ log(1 + eᵢ) = Σ_groups log Πᵢ (1 + eᵢ),       eᵢ = e^uᵢ ≥ 0,

one `log` per group of `GROUP` points. Shapes::

    e, d   (r, c)   one column per group (or per node of a batch); the r rows are multiplied
    (c,)            one sum of log1p per column

Two ways to form the product, chosen by a bound:

* **Product** ``Π fl(1 + eᵢ)``: each rounding (of 1 + eᵢ, and of each multiply) moves the
  log of the product by at most u = 2⁻⁵³, so the error is at most ``2·r·u`` absolute per column,
  whatever the eᵢ (plus u per product when the caller multiplies the columns' products
  together before one log). That is small relative to the sum unless the sum itself is tiny
  (all points far on their right side: losses down to 1e-300). Callers accept it when
  ``(2k + ⌈k/GROUP⌉)·u ≤ TOLERANCE·sum`` (`fast_floor`), which makes it relative.
* **Tree** (`log1p_sums`): with dᵢ = eᵢ, pairs of rows combine as
  (1 + a)(1 + b) − 1 = a + b + ab. The combination is exact in log space
  (log1p of the result is log1p(a) + log1p(b)) and adds three non-negative terms, so each
  level costs a relative error of at most 2u of the sum of its inputs; nothing cancels,
  and tiny terms keep their relative precision (a sum of 1e-300 stays exact).

Error bounds (u = 2⁻⁵³, relative to the exact sum over the given eᵢ; NumPy's exp, log and log1p
are within 4 ulp):

* product, accepted by `fast_floor`: ≤ TOLERANCE (2⁻⁴² ≈ 2.3e-13) + (8 + log₂ c)·u;
* tree over r rows: ≤ (2·⌈log₂ r⌉ + 8 + log₂ c)·u, e.g. 26·u ≈ 2.9e-15 for r = 32, c = 512.

Both need Πᵢ (1 + eᵢ) < 2¹⁰²⁴ per column; a column whose product overflows reports inf, and the
caller then uses the split softplus(u) = max(u, 0) + log1p(e^−|u|), whose factors are ≤ 2.
"""

from __future__ import annotations

import numpy as np

GROUP = 32  # points per product: (1 + e)³² stays finite while the group's mean loss is below 22
TOLERANCE = 2.0 ** -42  # accepted relative error of the product form
UNIT_ROUNDOFF = 2.0 ** -53


def fast_floor(points: int) -> float:
    """The smallest sum of `points` softplus terms whose product form is within TOLERANCE.

    The product form is off by at most (2·points + ⌈points/GROUP⌉)·u absolute; at or above this
    floor (a mean loss of about 2⁻¹⁰ per point) that is at most TOLERANCE relative, the computed
    sum being within the same bound of the exact one.
    """
    return product_error(points) / TOLERANCE * (1.0 + TOLERANCE)


def product_error(points: int) -> float:
    """Bound on |log Π fl(1 + eᵢ) − Σ log1p(eᵢ)| over `points` terms in groups of GROUP, absolute."""
    return (2 * points + -(-points // GROUP)) * UNIT_ROUNDOFF


def tree_product(d: np.ndarray, out: np.ndarray | None = None, tmp: np.ndarray | None = None) -> np.ndarray:
    """Π over axis 0 of (1 + d), minus 1, for d ≥ 0 of shape (r, c): the exact pairwise tree, (c,).

    log1p of the result is Σ log1p(d) over the rows to (2⌈log₂ r⌉ + 1)·u relative. `d` is left
    unchanged; `out` and `tmp` are optional scratch of shape (⌈r/2⌉, c); the result may be a
    view of `out` (or of `d` when r = 1). A column whose product exceeds the dtype's range is inf.
    """
    rows, cols = d.shape
    if rows == 1:
        return d[0]
    half = (rows + 1) // 2
    if out is None:
        out = np.empty((half, cols), dtype=d.dtype)
    if tmp is None:
        tmp = np.empty((half, cols), dtype=d.dtype)
    current = d
    while rows > 1:
        h = rows // 2
        x, y = current[:h], current[h : 2 * h]
        np.multiply(x, y, out=tmp[:h])
        np.add(x, y, out=out[:h])
        np.add(out[:h], tmp[:h], out=out[:h])  # (1 + x)(1 + y) − 1, no cancellation
        if rows % 2:  # the odd row goes up a level unchanged
            out[h] = current[2 * h]
            h += 1
        current, rows = out, h
    return current[0]


def log1p_sums(d: np.ndarray, out: np.ndarray | None = None, tmp: np.ndarray | None = None) -> np.ndarray:
    """Σ over axis 0 of log1p(d), for d ≥ 0 of shape (r, c), with one log1p per column, (c,).

    Relative error ≤ (2⌈log₂ r⌉ + 5)·u per column; see `tree_product` for the scratch.
    """
    return np.log1p(tree_product(d, out, tmp))


def combine(acc: np.ndarray, d: np.ndarray, tmp: np.ndarray) -> None:
    """acc ← (1 + acc)(1 + d) − 1 in place: one more level of the tree (all arrays of one shape)."""
    np.multiply(acc, d, out=tmp)
    np.add(acc, d, out=acc)
    np.add(acc, tmp, out=acc)
