"""Logistic regression: the prediction, the loss and its gradient, computed stably.

This is the tutorial's model with its errata corrected (see ERRATA.md)::

    X      (m, n)   one row x_i per point
    y      (m,)     labels 0 or 1
    w      (n,)     weights;  b  scalar bias
    z      (m,)     z = Xw + b                                   (1-2)
    ŷ      (m,)     ŷ = σ(z) = 1 / (1 + e^(−z))                  (1-2)
    L      scalar   −(1/m) Σ [y log ŷ + (1 − y) log(1 − ŷ)]      (2-1)
                    + (λ/2)‖w‖²   (λ = l2 ≥ 0; the bias is never penalised)
    ∂L/∂w  (n,)     (1/m) Xᵀ(ŷ − y) + λw                         (3-8)
    ∂L/∂b  scalar   (1/m) Σ (ŷ − y)                              (3-10)

Why the loss never meets log(0): with e = exp(−|z|) ∈ (0, 1],
−[y log ŷ + (1 − y) log(1 − ŷ)] = log1p(e) + max(z, 0) − y z, and
ŷ = 1/(1 + e) for z ≥ 0, e/(1 + e) for z < 0. Nothing overflows for any finite z,
and no ŷ is formed before its logarithm (the sign split of scikit-learn's
HalfBinomialLoss).

`LossEvaluator` does loss and gradient in one pass over the data with preallocated
buffers, in cache-sized blocks; it is what the Trainer runs every epoch. The free
functions are the plain, allocating forms for everybody else.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

_BLOCK_ROWS = 32768  # rows per block: a block's temporaries (3 × 256 KiB) stay in the L2 cache


def sigmoid(z: ArrayLike) -> np.ndarray:
    """σ(z) element-wise, exact to rounding for every finite z, without overflow."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def predict_proba(X: ArrayLike, w: ArrayLike, b: float) -> np.ndarray:
    """ŷ = σ(Xw + b) (1-2): the probability of class 1 for each row of X."""
    X = np.asarray(X, dtype=float)
    return sigmoid(X @ np.asarray(w, dtype=float) + float(b))


def accuracy(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float) -> float:
    """Share of points whose predicted class (z ≥ 0, i.e. ŷ ≥ 0.5) equals the label; 0.0 without points."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if len(y) == 0:
        return 0.0
    with np.errstate(invalid="ignore", over="ignore"):
        predicted = (X @ np.asarray(w, dtype=float) + float(b)) >= 0
    return float(np.mean(predicted == (y == 1)))


def loss_and_gradient(
    X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, l2: float = 0.0
) -> tuple[float, np.ndarray, float]:
    """(L, ∂L/∂w, ∂L/∂b) of the mean cross-entropy (2-1) plus (λ/2)‖w‖², by (3-8) and (3-10)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    evaluator = LossEvaluator(X, y, l2=l2)
    theta = np.append(w, float(b))
    with np.errstate(over="ignore", invalid="ignore"):  # a huge θ gives inf, never a warning
        loss, grad = evaluator.evaluate(theta)
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
    Large data sets are processed in blocks so the temporaries stay in the cache.
    """

    _SAFE_EXPONENT = 700.0

    def __init__(self, X: np.ndarray, y: np.ndarray, l2: float = 0.0) -> None:
        m, n = X.shape
        self.m, self.n = m, n
        sign = 1.0 - 2.0 * np.asarray(y, dtype=float)
        self.A = np.empty((m, n + 1), order="F")  # column order: the faster layout for both mat-vecs
        np.multiply(X, sign[:, None], out=self.A[:, :n])
        self.A[:, n] = sign
        self.l2 = float(l2)
        rows = min(m, _BLOCK_ROWS)
        self._u = np.empty(rows)
        self._e = np.empty(rows)
        self._t = np.empty(rows)
        self._grad_block = np.empty(n + 1)
        self._blocks = [(start, min(start + _BLOCK_ROWS, m)) for start in range(0, m, _BLOCK_ROWS)]

    def evaluate(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """Return (L, ∂L/∂θ) at θ = (w₁ … wₙ, b); call inside np.errstate(over="ignore", invalid="ignore").

        A non-finite θ gives a non-finite loss, never an exception.
        """
        grad = np.empty(self.n + 1)
        if len(self._blocks) == 1:
            total = self._block(self.A, theta, grad)
        else:
            grad[:] = 0.0
            total = 0.0
            for start, stop in self._blocks:
                total += self._block(self.A[start:stop], theta, self._grad_block)
                grad += self._grad_block
        loss = total / self.m
        grad /= self.m
        if self.l2:
            w = theta[: self.n]
            loss += 0.5 * self.l2 * float(w @ w)
            grad[: self.n] += self.l2 * w
        return loss, grad

    def _block(self, A: np.ndarray, theta: np.ndarray, grad_out: np.ndarray) -> float:
        """Σ softplus(u) over the rows of A, and A_sᵀ σ(u) written into grad_out."""
        rows = A.shape[0]
        u, e, t = self._u[:rows], self._e[:rows], self._t[:rows]
        np.matmul(A, theta, out=u)  # u = s (Xw + b)                        (1-2)
        np.exp(u, out=e)
        np.log1p(e, out=t)  # softplus(u): the loss of each point         (2-1)
        total = float(t.sum())
        if not math.isfinite(total):  # e^u overflowed somewhere, or θ is not finite
            total = self._softplus_sum_clipped(u, e, t)
        np.add(e, 1.0, out=t)
        np.divide(e, t, out=t)  # σ(u) = s (ŷ − y)                          (3-5)
        np.matmul(t, A, out=grad_out)  # Σ (ŷ − y) [x, 1]                     (3-8), (3-10)
        return total

    def _softplus_sum_clipped(self, u: np.ndarray, e: np.ndarray, t: np.ndarray) -> float:
        np.minimum(u, self._SAFE_EXPONENT, out=t)
        np.subtract(u, t, out=e)
        excess = float(e.sum())  # Σ (u − c), every term ≥ 0: no cancellation
        np.exp(t, out=e)
        np.log1p(e, out=t)
        return float(t.sum()) + excess
