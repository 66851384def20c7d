"""Logistic regression: the prediction, the loss and its gradient, computed stably.

This is the tutorial's model with its errata corrected (the README's "The model" states it). Shapes, once::

    X      (m, n)   one row x_i per point
    y      (m,)     labels 0 or 1
    w      (n,)     weights;  b  scalar bias;  θ = (w₁ … wₙ, b)  (n+1,)
    z      (m,)     z = Xw + b                                   (1-2)   LossEvaluator._block, predict_proba
    ŷ      (m,)     ŷ = σ(z) = 1 / (1 + e^(−z))                  (1-2)   sigmoid
    L      scalar   −(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]      (2-1)   LossEvaluator._block
                    + (λ/2)‖w‖²   (λ = l2 ≥ 0; the bias is never penalised)
    ∂L/∂w  (n,)     (1/m) Xᵀ(ŷ − y) + λw                         (3-8)   LossEvaluator._block, .evaluate
    ∂L/∂b  scalar   (1/m) Σ (ŷ − y)                              (3-10)  LossEvaluator._block
    w, b ← w − α ∂L/∂w, b − α ∂L/∂b  (simultaneous)         (4-2), (4-3)  trainer.Trainer._descend

Why the loss never meets log(0): with e = exp(−|z|) ∈ (0, 1],
−[y log ŷ + (1 − y) log(1 − ŷ)] = log1p(e) + max(z, 0) − y z, and
ŷ = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0. Nothing overflows for any finite z,
and no ŷ is formed before its logarithm (the sign split of scikit-learn's
HalfBinomialLoss). `LossEvaluator` uses an equivalent sign fold that needs one exp per
point (see its docstring).

`LossEvaluator` does loss and gradient in one pass over the data with preallocated
buffers, in cache-sized blocks; it is what the Trainer runs every epoch. The free
functions are the plain, allocating forms for everybody else.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

# Rows per block. A block's three temporaries and its slice of the design matrix
# (4 × 8 KiB × rows/1024 for n = 2) stay in the 2 MiB L2 cache; fewer, larger blocks keep the
# per-call overhead of NumPy small. Measured with benchmarks/bench_engine.py.
_BLOCK_ROWS = 16384


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
    if not np.all((y == 0) | (y == 1)):
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


class LossEvaluator:
    """Loss and gradient at θ = (w, b) in one pass, with preallocated buffers.

    Two folds make one epoch cost one exp, one log1p and one division per point:
    the bias goes into the matrix as a column of ones, A = [X | 1], and each row is
    multiplied by sᵢ = 1 − 2yᵢ (±1). Then uᵢ = sᵢ zᵢ, and by the symmetry
    σ(−z) = 1 − σ(z) the per-point loss of (2-1) is softplus(uᵢ) = log(1 + e^uᵢ),
    and ŷᵢ − yᵢ = sᵢ σ(uᵢ) (3-5), so ∂L/∂θ = Aᵀ(ŷ − y)/m = A_sᵀ σ(u)/m (3-8, 3-10).
    σ(u) = e^u / (1 + e^u) has no cancellation for any u. Where e^u would overflow
    (u > 700, a badly misclassified point) the block is redone with
    softplus(u) = log1p(e^c) + (u − c), c = min(u, 700), which is exact in float64.

    Large data sets are stored as separate column-major blocks of `_BLOCK_ROWS` rows, so
    each block's temporaries stay in the cache and both mat-vecs run on contiguous memory.
    Call `evaluate` inside np.errstate(over="ignore", invalid="ignore", under="ignore").
    """

    _SAFE_EXPONENT = 700.0

    def __init__(self, X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> None:
        X = np.asarray(X, dtype=float)
        m, n = X.shape
        self.m, self.n = m, n
        self.l2 = float(l2)
        sign = 1.0 - 2.0 * np.asarray(y, dtype=float)
        rows = min(m, _BLOCK_ROWS)
        u, e, t, ones = np.empty(rows), np.empty(rows), np.empty(rows), np.ones(rows)
        self._blocks = []
        for start in range(0, m, rows):
            stop = min(start + rows, m)
            # column order: measured faster than row order for the pair of mat-vecs with n+1 = 3
            A = np.empty((stop - start, n + 1), order="F")
            np.multiply(X[start:stop], sign[start:stop, None], out=A[:, :n])
            A[:, n] = sign[start:stop]
            k = stop - start
            self._blocks.append((A, u[:k], e[:k], t[:k], ones[:k]))
        self._grad_block = np.empty(n + 1)

    def evaluate(self, theta: np.ndarray, grad: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """Return (L, ∂L/∂θ) at θ = (w₁ … wₙ, b), the gradient written into `grad` when given.

        A non-finite θ gives a non-finite loss or gradient, never an exception.
        """
        if grad is None:
            grad = np.empty(self.n + 1)
        if len(self._blocks) == 1:
            total = self._block(*self._blocks[0], theta, grad)
        else:
            grad[:] = 0.0
            total = 0.0
            for block in self._blocks:
                total += self._block(*block, theta, self._grad_block)
                grad += self._grad_block
        loss = total / self.m
        grad /= self.m
        if self.l2:
            w = theta[: self.n]
            loss += 0.5 * self.l2 * float(w @ w)  # (λ/2)‖w‖²
            grad[: self.n] += self.l2 * w  # + λw                                   (3-8)
        return loss, grad

    def _block(self, A: np.ndarray, u: np.ndarray, e: np.ndarray, t: np.ndarray, ones: np.ndarray,
               theta: np.ndarray, grad_out: np.ndarray) -> float:
        """Σ softplus(u) over the rows of A, and A_sᵀ σ(u) written into grad_out."""
        np.dot(A, theta, out=u)  # u = s (Xw + b)                             (1-2)
        np.exp(u, out=e)
        np.log1p(e, out=t)  # softplus(u): the loss of each point              (2-1)
        total = float(np.dot(t, ones))  # BLAS sum: twice as fast as t.sum()
        if not math.isfinite(total):  # e^u overflowed somewhere, or θ is not finite
            total = self._softplus_sum_clipped(u, e, t, ones)
        np.add(e, 1.0, out=t)
        np.divide(e, t, out=t)  # σ(u) = s (ŷ − y)                               (3-5)
        np.dot(t, A, out=grad_out)  # Σ (ŷ − y) [x, 1]                            (3-8), (3-10)
        return total

    def _softplus_sum_clipped(self, u: np.ndarray, e: np.ndarray, t: np.ndarray, ones: np.ndarray) -> float:
        """Σ softplus(u) where some e^u overflowed; leaves e = e^min(u, 700), so σ(u) = 1 there."""
        np.minimum(u, self._SAFE_EXPONENT, out=t)
        np.subtract(u, t, out=e)
        excess = float(np.dot(e, ones))  # Σ (u − c), every term ≥ 0: no cancellation
        np.exp(t, out=e)
        np.log1p(e, out=t)
        return float(np.dot(t, ones)) + excess
