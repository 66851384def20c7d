"""The loss (and optionally the gradient) at G parameter vectors at once.

For the loss landscape's grid and for several runs trained side by side, with the same stable
softplus sums as the trainer (softplus.py), so a node and a single LossEvaluator evaluation
agree to rounding. Shapes::

    X       (m, n)     points;  y (m,) labels 0/1;  p = n + 1
    thetas  (p, G)     one column θ = (w₁ … wₙ, b) per node
    A       (m, p)     sᵢ [xᵢ, 1], sᵢ = 1 − 2yᵢ (row-major: blocks of rows are contiguous)
    U, T    (k, g)     per tile of k points and g nodes: U = A_b θ = s z,  T = e^−|U|
    relu    (g,)       Σ max(u, 0) = Σ (u + |u|)/2  (exact per element: no cancellation)
    D       (g,)       Π (1 + T) − 1 over the points so far (softplus.combine), flushed to log1p
    loss    (G,)       Σ [max(u, 0) + log1p(e^−|u|)] / m + (λ/2)‖w‖²
    grad    (p, G)     Aᵀ σ(U) / m + λ [w, 0]
    grid    (Gj, Gi)   `BatchedEvaluator.grid`: θ_i over values_i (columns), θ_j over values_j (rows)

General nodes (`loss`, `loss_and_gradient`): one exp per (point, node) pair; the factors
1 + e^−|u| ≤ 2 cannot overflow for any parameters, and the log1p part is the exact tree of
softplus.py over a tile's rows, carried across tiles, one log1p per node every ~900 points.
Relative error for the computed U, float64: ≤ (2⌈log₂ k⌉ + 2⌈m/900⌉ + 12)·2⁻⁵³ (≈ 1e-14).
float32, the mode for pictures: U, T and the tree in float32, the sums over tiles in float64;
U is rounded to float32 (|δu| ≤ 2⁻²⁴|u|) and exp and each tree level add a few 2⁻²⁴, so
≈ 1e-7 relative on landscapes with |z| ≲ 20 (tests/core/test_batched.py checks 1e-6).

Grids (`grid`): z is linear in each parameter, so e^u = e^(α − γ)·e^(β + γ) with α, β the
parts of u from the two axes: one exp per (point, grid value), one multiply per pair, and
the product form of softplus.py (float64, within 2.5e-13), with the general path for the
nodes or grids where its bounds do not hold.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, DTypeLike

from lrviz.core.model import binary_labels
from lrviz.core.softplus import combine, fast_floor, tree_product

_PAIRS_PER_BLOCK = 1 << 17  # (point, node) pairs per tile: U and T of 0.5–1 MiB stay in the L2 cache
_FLUSH_ROWS = 900  # Π (1 + t) over up to 900 points stays below 2⁹⁰⁰, far inside float64


def _checked(X: ArrayLike, y: ArrayLike, thetas: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    thetas = np.asarray(thetas, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"the points must form a non-empty 2-D array (m, n); got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"there are {X.shape[0]} points but {y.size} labels")
    if thetas.ndim != 2 or thetas.shape[0] != X.shape[1] + 1:
        raise ValueError(f"the parameters must be a ({X.shape[1] + 1}, G) array; got shape {thetas.shape}")
    if not (np.isfinite(X).all() and np.isfinite(thetas).all()):
        raise ValueError("the points and the parameters must be finite numbers")
    if not binary_labels(y):
        raise ValueError("every label must be 0 or 1")
    return X, y, thetas


class BatchedEvaluator:
    """The loss (and gradient) of one data set at many parameter vectors; the design matrix built once.

    `dtype` float32 is the fast mode for pictures (see the module docstring for its error);
    float64 agrees with LossEvaluator to ~1e-14. `block_rows` overrides the points per block.
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0, dtype: DTypeLike = np.float64,
                 block_rows: int | None = None) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        self.m, self.n = X.shape
        self.l2 = float(l2)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            raise ValueError(f"dtype must be float32 or float64, not {self.dtype}")
        A = np.empty((self.m, self.n + 1))
        np.multiply(y, -2.0, out=A[:, self.n])
        A[:, self.n] += 1.0
        np.multiply(X, A[:, self.n : self.n + 1], out=A[:, : self.n])
        self._A = A.astype(self.dtype, copy=False)
        self._block_rows = block_rows

    def _tile(self, G: int) -> tuple[int, int]:
        """(points, nodes) per tile: its U and T (and the tree's halves) stay in the L2 cache.

        A tile's tree product is Π (1 + t) ≤ 2^points in the working dtype: ≤ 2¹²⁷ for float32.
        """
        rows = self._block_rows or (64 if self.dtype == np.float32 else 32)
        rows = max(1, min(rows, 64 if self.dtype == np.float32 else 512, self.m))
        return rows, max(1, min(G, _PAIRS_PER_BLOCK // rows))

    def loss(self, thetas: ArrayLike) -> np.ndarray:
        """(G,) losses at the columns of `thetas` (p, G), in float64."""
        return self._evaluate(np.asarray(thetas, dtype=float), gradient=False)[0]

    def loss_and_gradient(self, thetas: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """((G,) losses, (p, G) gradients) at the columns of `thetas`, in float64."""
        loss, grad = self._evaluate(np.asarray(thetas, dtype=float), gradient=True)
        assert grad is not None
        return loss, grad

    def _evaluate(self, thetas: np.ndarray, gradient: bool) -> tuple[np.ndarray, np.ndarray | None]:
        p, G = thetas.shape
        if p != self.n + 1:
            raise ValueError(f"the parameters must be a ({self.n + 1}, G) array; got shape {thetas.shape}")
        rows, nodes = self._tile(G)
        loss = np.empty(G)
        grad = np.empty((p, G)) if gradient else None
        buffers = self._buffers(rows, nodes)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            for first in range(0, G, nodes):
                last = min(first + nodes, G)
                if last - first < nodes:  # a last, narrower tile: buffers of its width (np.dot's out must be contiguous)
                    buffers = self._buffers(rows, last - first)
                loss[first:last] = self._sums(thetas[:, first:last], rows, buffers,
                                              None if grad is None else grad[:, first:last])
        loss /= self.m
        if grad is not None:
            grad /= self.m
        if self.l2:
            W = thetas[: self.n]
            loss += 0.5 * self.l2 * np.einsum("ij,ij->j", W, W)
            if grad is not None:
                grad[: self.n] += self.l2 * W
        return loss, grad

    def grid(self, theta: ArrayLike, i: int, values_i: ArrayLike, j: int, values_j: ArrayLike) -> np.ndarray:
        """Losses on the grid θ_i = values_i[a], θ_j = values_j[b] (the rest of θ fixed): shape (len_j, len_i).

        Exact in float64 and without an exp per pair: u = α + β with α = c + A_i θ_i and
        β = A_j θ_j, so e^u = e^(α − γ) e^(β + γ) (one exp per point and grid value; γ per point
        balances the two factors) and Σ log(1 + e^u) is the product form of softplus.py over
        groups of R points, R small enough that Π (1 + e^u) cannot overflow on this grid.
        Nodes where the bound of the product form fails (tiny losses) are redone by `loss`;
        so is the whole grid when a factor would leave float64 (|u| beyond ~700).
        Relative error ≤ 2.5e-13, as LossEvaluator.
        """
        theta = np.asarray(theta, dtype=float).reshape(-1)
        va = np.asarray(values_i, dtype=float).reshape(-1)
        vb = np.asarray(values_j, dtype=float).reshape(-1)
        p = self.n + 1
        if theta.shape != (p,) or not (0 <= i < p and 0 <= j < p and i != j):
            raise ValueError(f"θ must hold {p} numbers and i, j be two different indices below {p}")
        nodes = self._grid_thetas(theta, i, va, j, vb)
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            totals = self._grid_sums(theta, i, va, j, vb)
        if totals is None:
            return self.loss(nodes).reshape(len(vb), len(va))
        loss = totals.reshape(-1)
        redo = ~((loss >= fast_floor(self.m)) & (loss < math.inf))
        loss /= self.m
        if self.l2:
            W = nodes[: self.n]
            loss += 0.5 * self.l2 * np.einsum("ij,ij->j", W, W)
        if redo.any():
            loss[redo] = self.loss(nodes[:, redo])
        return loss.reshape(len(vb), len(va))

    @staticmethod
    def _grid_thetas(theta: np.ndarray, i: int, va: np.ndarray, j: int, vb: np.ndarray) -> np.ndarray:
        """The grid's nodes as a (p, len_j · len_i) array, row-major over (b, a)."""
        nodes = np.repeat(theta[:, None], len(va) * len(vb), axis=1)
        nodes[i] = np.tile(va, len(vb))
        nodes[j] = np.repeat(vb, len(va))
        return nodes

    def _grid_sums(self, theta: np.ndarray, i: int, va: np.ndarray, j: int, vb: np.ndarray) -> np.ndarray | None:
        """Σ softplus(u) per node (len_j, len_i) by the factored product form; None where it cannot apply."""
        A = self._A if self.dtype == np.float64 else self._A.astype(float)
        base = theta.copy()
        base[i] = base[j] = 0.0
        c = A @ base
        alpha = c[:, None] + A[:, i : i + 1] * va  # (m, Ga)
        beta = A[:, j : j + 1] * vb  # (m, Gb)
        a0, a1, b0, b1 = alpha.min(axis=1), alpha.max(axis=1), beta.min(axis=1), beta.max(axis=1)
        gamma = 0.25 * ((a0 + a1) - (b0 + b1))
        reach = max(float(np.max(np.abs(np.concatenate([a0, a1]) - np.concatenate([gamma, gamma])))),
                    float(np.max(np.abs(np.concatenate([b0, b1]) + np.concatenate([gamma, gamma])))))
        top = float(np.max(a1 + b1))  # the largest u on the grid
        group = int(700.0 // (max(top, 0.0) + 0.7))  # Π over a group of (1 + e^u) < e^700
        if not (reach < 700.0 and group >= 4):
            return None
        group = min(group, 32)
        np.subtract(alpha, gamma[:, None], out=alpha)
        np.exp(alpha, out=alpha)  # P (m, Ga)
        np.add(beta, gamma[:, None], out=beta)
        np.exp(beta, out=beta)  # Q (m, Gb)
        Ga, Gb = len(va), len(vb)
        rows_b = max(1, min(Gb, _PAIRS_PER_BLOCK // (group * Ga)))
        E = np.empty((group, rows_b, Ga))
        logs = np.empty((rows_b, Ga))
        totals = np.zeros((Gb, Ga))
        chunk = np.zeros((rows_b, Ga))
        for first in range(0, Gb, rows_b):
            last = min(first + rows_b, Gb)
            e, lg, ch = E[:, : last - first], logs[: last - first], chunk[: last - first]
            ch[:] = 0.0
            for count, start in enumerate(range(0, self.m, group), 1):
                r = min(group, self.m - start)
                er = e[:r]
                # e^u = Q·P for every pair; einsum's outer product is the same multiply, rounded
                # the same, in about half the time of the broadcast np.multiply (stride-0 operand)
                np.einsum("kb,ka->kba", beta[start : start + r, first:last], alpha[start : start + r], out=er)
                np.add(er, 1.0, out=er)  # 1 + e^u
                np.multiply.reduce(er, axis=0, out=lg)
                np.log(lg, out=lg)
                ch += lg
                if count % 64 == 0:  # two-level sum: 64 groups, then the chunks
                    totals[first:last] += ch
                    ch[:] = 0.0
            totals[first:last] += ch
        return totals

    def _buffers(self, rows: int, nodes: int) -> tuple[np.ndarray, ...]:
        dt, half = self.dtype, (rows + 1) // 2
        return (np.empty((rows, nodes), dt), np.empty((rows, nodes), dt), np.empty((half, nodes), dt),
                np.empty((half, nodes), dt), np.empty(nodes), np.empty(nodes), np.empty(nodes), np.empty(nodes))

    def _sums(self, thetas: np.ndarray, rows: int, buffers: tuple[np.ndarray, ...],
              grad: np.ndarray | None) -> np.ndarray:
        """Σ softplus(u) over all points for a tile of nodes (p, g), and Aᵀσ into `grad` (p, g)."""
        dt = self.dtype
        g = thetas.shape[1]
        theta_dt = np.ascontiguousarray(thetas, dtype=dt)
        U, T, out, tmp = (b[:, :g] for b in buffers[:4])
        relu2, logs, D, D_tmp = (b[:g] for b in buffers[4:])
        relu2[:] = 0.0  # Σ (u + |u|) = 2 Σ max(u, 0)
        logs[:] = 0.0
        D[:] = 0.0
        if grad is not None:
            grad[:] = 0.0
        since_flush = 0
        bits = np.int32 if dt == np.float32 else np.int64
        sign_bit = np.array(np.iinfo(bits).min, dtype=bits)
        for start in range(0, self.m, rows):
            A_b = self._A[start : start + rows]
            k = A_b.shape[0]
            u, t = U[:k], T[:k]
            np.dot(A_b, theta_dt, out=u)
            np.bitwise_or(u.view(bits), sign_bit, out=t.view(bits))  # −|u|: the sign bit set
            np.subtract(u, t, out=u)  # u + |u|: 2u or exactly 0
            np.exp(t, out=t)  # e^−|u| ∈ [0, 1]
            if grad is not None:  # σ(u) = e^min(u, 0) / (1 + e^−|u|), then Aᵀσ
                sigma = np.where(u > 0, dt.type(1), t)
                sigma /= 1 + t
                grad += A_b.T.astype(float) @ sigma.astype(float)
            relu2 += _pairwise_rows(u)
            block = tree_product(t, out[: (k + 1) // 2], tmp[: (k + 1) // 2])
            if since_flush + k > _FLUSH_ROWS:
                logs += np.log1p(D)
                D[:] = 0.0
                since_flush = 0
            combine(D, block.astype(float, copy=False), D_tmp)
            since_flush += k
        logs += np.log1p(D)
        return 0.5 * relu2 + logs


def _pairwise_rows(v: np.ndarray) -> np.ndarray:
    """Σ over axis 0 by halving (overwrites v): error ⌈log₂ r⌉·u, not the r·u of a running sum."""
    rows = v.shape[0]
    while rows > 1:
        h = rows // 2
        v[:h] += v[h : 2 * h]
        if rows % 2:
            v[h] = v[2 * h]
            h += 1
        rows = h
    return v[0]


def batched_loss(X: ArrayLike, y: ArrayLike, thetas: ArrayLike, l2: float = 0.0, dtype: DTypeLike = np.float64,
                 block_rows: int | None = None, gradient: bool = False
                 ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """The loss at each column of `thetas` (p, G), shape (G,); with `gradient`, also the (p, G) gradients.

    Checks its input (ValueError for malformed or non-finite values); for repeated calls on the
    same points, BatchedEvaluator builds the design matrix once.
    """
    X, y, thetas = _checked(X, y, thetas)
    if not (math.isfinite(float(l2)) and float(l2) >= 0):
        raise ValueError(f"the L2 strength λ must be 0 or positive, not {float(l2):g}")
    evaluator = BatchedEvaluator(X, y, l2, dtype, block_rows)
    return evaluator.loss_and_gradient(thetas) if gradient else evaluator.loss(thetas)
