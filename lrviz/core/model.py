"""Logistic regression: the prediction, the loss and its gradient, computed stably.

This is the tutorial's model with its errata corrected (the README's "The model" states it). Shapes, once::

    X      (m, n)   one row x_i per point
    y      (m,)     labels 0 or 1
    w      (n,)     weights;  b  scalar bias;  θ = (w₁ … wₙ, b)  (n+1,)
    z      (m,)     z = Xw + b                                   (1-2)   _kernel, predict_proba
    ŷ      (m,)     ŷ = σ(z) = 1 / (1 + e^(−z))                  (1-2)   sigmoid
    L      scalar   −(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]      (2-1)   _kernel
                    + (λ/2)‖w‖²   (λ = l2 ≥ 0; the bias is never penalised)
    ∂L/∂w  (n,)     (1/m) Xᵀ(ŷ − y) + λw                         (3-8)   _kernel, LossEvaluator.evaluate
    ∂L/∂b  scalar   (1/m) Σ (ŷ − y)                              (3-10)  _kernel
    w, b ← w − α ∂L/∂w, b − α ∂L/∂b  (simultaneous)         (4-2), (4-3)  trainer.Trainer._descend

Why the loss never meets log(0): with e = exp(−|z|) ∈ (0, 1],
−[y log ŷ + (1 − y) log(1 − ŷ)] = log1p(e) + max(z, 0) − y z, and
ŷ = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0. Nothing overflows for any finite z,
and no ŷ is formed before its logarithm (the sign split of scikit-learn's
HalfBinomialLoss). `LossEvaluator` uses an equivalent sign fold that needs one exp and no
log per point (see its docstring and softplus.py).

The evaluator's own arrays, for a block of k ≤ 16,384 rows (k⁺ = k rounded up to 32)::

    A      (k, n+1)   sᵢ [xᵢ, 1], sᵢ = 1 − 2yᵢ, column-major     signed_design
    u      (k,)       u = Aθ = s z                                 one mat-vec
    e      (k⁺,)      e^u (padding 0)                              the one exp per point
    f      (k⁺,)      1 + e (padding 1), seen as (32, k⁺/32) for the group products
    σ      (k,)       σ(u) = e/(1 + e) = s(ŷ − y)                 (3-5)
    g      (n+1,)     Aᵀσ, the unnormalised gradient               (3-8), (3-10)

`LossEvaluator` does loss and gradient in one pass over the data with preallocated
buffers, in cache-sized blocks; it is what the Trainer runs every epoch. The free
functions are the plain, allocating forms for everybody else.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.softplus import GROUP, fast_floor, log1p_sums

# Rows per block. A block's four temporaries and its slice of the design matrix
# (7 × 8 KiB × rows/1024 for n = 2) stay in the 2 MiB L2 cache; fewer, larger blocks keep the
# per-call overhead of NumPy small. Measured with benchmarks/bench_engine.py.
_BLOCK_ROWS = 16384
_ONE = np.float64(1.0)  # a NumPy scalar: a Python float costs a conversion in every call


def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) element-wise (1-2), exact to rounding for every finite z, without overflow."""
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):  # e^(−|z|) → 0 for |z| > 745 is the right answer
        e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _linear(X: ArrayLike, w: ArrayLike, b: float) -> np.ndarray:
    """z = Xw + b (1-2) for checked, finite inputs; an overflow gives ±inf, never a warning."""
    X = np.asarray(X, dtype=float)
    w = np.asarray(w, dtype=float).reshape(-1)
    if X.ndim != 2 or w.shape != (X.shape[1],):
        raise ValueError(f"the points (shape {X.shape}) and the weights (shape {w.shape}) do not fit")
    if not (np.all(np.isfinite(w)) and math.isfinite(float(b))):
        raise ValueError("the weights and the bias must be finite numbers")
    with np.errstate(over="ignore", invalid="ignore"):
        return X @ w + float(b)


def predict_proba(X: ArrayLike, w: ArrayLike, b: float) -> np.ndarray:
    """ŷ = σ(Xw + b) (1-2): the probability of class 1 for each row of X, shape (m,)."""
    return sigmoid(_linear(X, w, b))


def accuracy(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float) -> float:
    """Share of points whose predicted class (z ≥ 0, i.e. ŷ ≥ 0.5) equals the label; 0.0 without points."""
    y = np.asarray(y)
    if len(y) == 0:
        return 0.0
    if y.shape != (np.shape(X)[0],):
        raise ValueError(f"there are {np.shape(X)[0]} points but {y.size} labels")
    predicted = _linear(X, w, b) >= 0  # a NaN z (inf − inf) counts as wrong, never as NaN
    return float(np.mean(predicted == (y == 1)))


def loss_and_gradient(
    X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, l2: float = 0.0
) -> tuple[float, np.ndarray, float]:
    """(L, ∂L/∂w, ∂L/∂b) of the mean cross-entropy (2-1) plus (λ/2)‖w‖², by (3-8) and (3-10).

    Raises ValueError for malformed input, and when the loss itself exceeds the float64
    range (so no inf or NaN ever leaves the core).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    w = np.asarray(w, dtype=float).reshape(-1)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"the points must form a non-empty 2-D array (m, n); got shape {X.shape}")
    if y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError(f"shapes do not fit: X {X.shape}, y {y.shape}, w {w.shape}")
    if not (np.all(np.isfinite(X)) and np.all(np.isfinite(w)) and math.isfinite(float(b))):
        raise ValueError("the points, the weights and the bias must be finite numbers")
    if not binary_labels(y):
        raise ValueError("every label must be 0 or 1")
    if not (math.isfinite(float(l2)) and float(l2) >= 0):
        raise ValueError(f"the L2 strength λ must be 0 or positive, not {float(l2):g}")
    evaluator = LossEvaluator(X, y, l2=float(l2))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        loss, grad = evaluator.evaluate(np.append(w, float(b)))
        finite = math.isfinite(loss + float(grad @ grad))
    if not finite:
        raise ValueError("the loss overflows float64 at these parameters; use smaller weights")
    return loss, grad[:-1].copy(), float(grad[-1])


def binary_labels(y: np.ndarray) -> bool:
    """Whether every label is 0 or 1: as many nonzero labels as ones (cheaper than (y == 0) | (y == 1))."""
    if y.dtype == bool:
        return True
    return y.dtype.kind in "iuf" and np.count_nonzero(y) == np.count_nonzero(y == 1)


def signed_design(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """A = s [X | 1] (m, n+1) with sᵢ = 1 − 2yᵢ, column-major: Aθ is s·z, and Aᵀσ(u) is [Xᵀ(ŷ − y), Σ(ŷ − y)].

    Built in place, without an m-long temporary: the signs go straight into the last column.
    (Through X.T: a broadcast multiply from row-major X into a column-major array is 6× slower.)
    """
    m, n = X.shape
    A = np.empty((m, n + 1), order="F")
    sign = A[:, n]
    np.multiply(y, -2.0, out=sign)
    sign += 1.0
    np.multiply(X.T, sign, out=A[:, :n].T)
    return A


class _Block:
    """One block's rows of A and the buffers of one pass (see the module's shape table).

    Blocks of equal length share their buffers; the scratch of the rare exact paths is made on
    first use. The padding of e and f (up to a multiple of GROUP) is never written.
    """

    __slots__ = ("A", "u", "e", "f", "sigma", "e_groups", "f_groups", "logs", "floor", "_shared")

    def __init__(self, A: np.ndarray, shared: dict[int, list]) -> None:
        k = A.shape[0]
        self.A = A
        self.floor = fast_floor(k)
        if k not in shared:
            padded = -(-k // GROUP) * GROUP
            buffer = np.empty(2 * k + 2 * padded + padded // GROUP)
            e, f = buffer[:padded], buffer[padded : 2 * padded]
            e[k:] = 0.0
            f[k:] = 1.0
            shared[k] = [buffer[2 * padded : 2 * padded + k], e, f, buffer[2 * padded + k : 2 * padded + 2 * k],
                         buffer[2 * padded + 2 * k :], None]
        self._shared = shared[k]
        u, e, f, self.sigma, self.logs, _ = self._shared
        self.u, self.e, self.f = u, e[:k], f[:k]
        self.e_groups, self.f_groups = e.reshape(GROUP, -1), f.reshape(GROUP, -1)

    def scratch(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(t, out, tmp) for the exact paths: e^−|u| padded with zeros as (GROUP, cols), and the tree's two halves."""
        if self._shared[5] is None:
            cols = self.logs.shape[0]
            self._shared[5] = (np.zeros((GROUP, cols)), np.empty((GROUP // 2, cols)), np.empty((GROUP // 2, cols)))
        return self._shared[5]


def _kernel(block: _Block) -> Callable[[np.ndarray, np.ndarray], float]:
    """The block's pass: Σ softplus(u) over its rows, with A_sᵀ σ(u) written into grad_out.

    A closure over the block's arrays: at m = 100 an epoch is a dozen NumPy calls, and attribute
    look-ups and a method call would be a tenth of it. The block does not hold its closure, so
    no reference cycle keeps a dropped evaluator's arrays alive until the cyclic GC runs.
    """
    A, u, e, f, sigma, f_groups, logs, floor = (block.A, block.u, block.e, block.f, block.sigma, block.f_groups,
                                                block.logs, block.floor)
    dot, exp, add, divide, reduce, log, inf = np.dot, np.exp, np.add, np.divide, np.multiply.reduce, math.log, math.inf
    few = len(logs) <= 64  # a NumPy call costs more than a few floats in Python

    def sums(theta: np.ndarray, grad_out: np.ndarray) -> float:
        dot(A, theta, out=u)  # u = s (Xw + b)                                   (1-2)
        exp(u, out=e)
        add(e, _ONE, out=f)
        divide(e, f, out=sigma)  # σ(u) = s (ŷ − y)                               (3-5)
        dot(sigma, A, out=grad_out)  # Σ (ŷ − y) [x, 1]                           (3-8), (3-10)
        reduce(f_groups, axis=0, out=logs)  # Π (1 + e^u) per group of 32
        if few:
            products = logs.tolist()
            total = math.prod(products)  # one more rounding per group: within fast_floor's bound
            total = log(total) if total < inf else math.fsum(map(log, products))  # (2-1)
        else:
            np.log(logs, out=logs)
            total = float(np.add.reduce(logs))
        if floor <= total < inf:
            return total
        return LossEvaluator._sums_exact(block, total, grad_out)

    return sums


class LossEvaluator:
    """Loss and gradient at θ = (w, b) in one pass, with preallocated buffers.

    Two folds make one epoch cost one exp, one division and no log per point: the bias goes
    into the matrix as a column of ones, A = [X | 1], and each row is multiplied by
    sᵢ = 1 − 2yᵢ (±1). Then uᵢ = sᵢ zᵢ, and by the symmetry σ(−z) = 1 − σ(z) the per-point
    loss of (2-1) is softplus(uᵢ) = log(1 + e^uᵢ), and ŷᵢ − yᵢ = sᵢ σ(uᵢ) (3-5), so
    ∂L/∂θ = Aᵀ(ŷ − y)/m = A_sᵀ σ(u)/m (3-8, 3-10). σ(u) = e^u / (1 + e^u) has no cancellation
    for any u.

    The loss of a block is Σ log Π (1 + e^uᵢ) over groups of 32 rows (softplus.py): one log
    per group. The product form is used when its error bound is within 2⁻⁴² of the block's
    loss (mean loss per point ≥ 2⁻¹⁰); below that (points far on their right side, losses down
    to 1e-300) the exact tree of softplus.log1p_sums takes over, and where a product or e^u
    overflows (a group whose loss exceeds 709) the split max(u, 0) + log1p(e^−|u|) does.
    Relative error of the loss: ≤ 2.5e-13 with respect to the computed u (softplus.py).

    Large data sets are stored as separate column-major blocks of `_BLOCK_ROWS` rows, so
    each block's temporaries stay in the cache and both mat-vecs run on contiguous memory.
    Call `evaluate` inside np.errstate(over="ignore", invalid="ignore", under="ignore").
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> None:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y)
        m, n = X.shape
        self.m, self.n = m, n
        self.l2 = float(l2)
        rows = min(m, _BLOCK_ROWS)
        buffers: dict[int, tuple] = {}
        self._blocks = [_Block(signed_design(X[start : start + rows], y[start : start + rows]), buffers)
                        for start in range(0, m, rows)]
        self._grad_sum = np.empty(n + 1)
        self._kernels = [_kernel(block) for block in self._blocks]
        if len(self._kernels) == 1:  # the block's pass itself: one call level less per epoch
            self.sums = self._kernels[0]  # type: ignore[method-assign]

    def evaluate(self, theta: np.ndarray, grad: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """Return (L, ∂L/∂θ) at θ = (w₁ … wₙ, b), the gradient written into `grad` when given.

        A non-finite θ gives a non-finite loss or gradient, never an exception.
        """
        if grad is None:
            grad = np.empty(self.n + 1)
        total = self.sums(theta, grad)
        loss = total / self.m
        grad /= self.m
        if self.l2:
            w = theta[: self.n]
            loss += 0.5 * self.l2 * float(w @ w)  # (λ/2)‖w‖²
            grad[: self.n] += self.l2 * w  # + λw                                   (3-8)
        return loss, grad

    def sums(self, theta: np.ndarray, grad_sum: np.ndarray) -> float:
        """Σᵢ softplus(uᵢ), with Aᵀσ(u) written into grad_sum: the loss and gradient times m, without λ."""
        grad_sum[:] = 0.0
        total = 0.0
        grad_block = self._grad_sum
        for kernel in self._kernels:
            total += kernel(theta, grad_block)
            grad_sum += grad_block
        return total

    def sums_at_zero(self, grad_sum: np.ndarray) -> float:
        """`sums` at θ = 0, the usual start: every u is 0, each loss log 2 and σ = 1/2, so no exp.

        The gradient is bitwise the one `sums` gives there (σ = e⁰/(1 + e⁰) = 0.5 exactly).
        """
        single = len(self._blocks) == 1
        if not single:
            grad_sum[:] = 0.0
        for block in self._blocks:
            block.sigma.fill(0.5)
            np.dot(block.sigma, block.A, out=grad_sum if single else self._grad_sum)
            if not single:
                grad_sum += self._grad_sum
        return self.m * math.log(2.0)

    @staticmethod
    def _sums_exact(block: _Block, total: float, grad_out: np.ndarray) -> float:
        """The block's loss where the product form is too coarse or overflowed (rare)."""
        t_groups, out, tmp = block.scratch()
        if total == total and total < math.inf:  # tiny losses: the exact tree over e^u
            return float(np.add.reduce(log1p_sums(block.e_groups, out, tmp)))
        # e^u or a product overflowed, or u holds NaN: softplus(u) = max(u, 0) + log1p(e^−|u|).
        u, e, sigma = block.u, block.e, block.sigma
        t = t_groups.reshape(-1)[: len(u)]
        np.maximum(u, 0.0, out=sigma)
        relu = float(np.add.reduce(sigma))
        np.abs(u, out=t)
        np.negative(t, out=t)
        np.exp(t, out=t)  # e^−|u| ∈ [0, 1]: a second exp, on this rare path only
        if np.isinf(e).any():  # σ = e/(1 + e) was inf/inf there: σ(u) = e^min(u, 0) / (1 + e^−|u|)
            np.minimum(e, 1.0, out=sigma)
            np.add(t, 1.0, out=e)
            np.divide(sigma, e, out=sigma)
            np.dot(sigma, block.A, out=grad_out)
        return relu + float(np.add.reduce(log1p_sums(t_groups, out, tmp)))
