"""Each point's share of the model at given parameters: for the math panel and the editor.

The same fold and formulas as the trainer's LossEvaluator (model.py): A = s [X | 1] with
sᵢ = 1 − 2yᵢ, u = Aθ = s z, softplus(u) the loss and σ(u) = s (ŷ − y) the residual, so these
per-point numbers add up to exactly what the trainer reports. Shapes::

    X      (m, n)    points;  y (m,) labels 0/1;  w (n,);  b scalar;  p = n + 1
    z      (m,)      zᵢ = xᵢ·w + b                                      (1-2)
    y_hat  (m,)      ŷᵢ = σ(zᵢ)                                          (1-2)
    loss   (m,)      −[yᵢ log ŷᵢ + (1 − yᵢ) log(1 − ŷᵢ)] = softplus(uᵢ)   (2-1), without λ
    grad   (m, p)    (ŷᵢ − yᵢ) [xᵢ, 1]: point i's term of the gradient    (3-8), (3-10), without λ

λ enters the totals, never the points: L = mean(loss) + (λ/2)‖w‖² and
∂L/∂θ = mean(grad, axis=0) + λ [w, 0] (`PerPoint.total_loss`, `PerPoint.gradient`).
Here each point takes one log1p (m of them, once per display, not per epoch).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model import binary_labels, sigmoid, signed_design


@dataclass(frozen=True)
class PerPoint:
    """Per-point quantities at one (w, b); see the module docstring for shapes and definitions."""

    z: np.ndarray
    y_hat: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    w: np.ndarray
    l2: float

    @property
    def total_loss(self) -> float:
        """L = mean(loss) + (λ/2)‖w‖² (a pairwise sum: within ~1e-15 of the trainer's loss)."""
        with np.errstate(over="ignore"):
            return float(np.add.reduce(self.loss)) / len(self.loss) + 0.5 * self.l2 * float(self.w @ self.w)

    @property
    def gradient(self) -> np.ndarray:
        """∂L/∂θ = mean(grad, axis=0) + λ [w, 0], shape (p,)."""
        grad = self.grad.mean(axis=0)
        grad[: len(self.w)] += self.l2 * self.w
        return grad


def per_point(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, l2: float = 0.0) -> PerPoint:
    """z, ŷ, loss and gradient term of every point at (w, b); ValueError for malformed input.

    Stable for any finite parameters: ŷ and the loss come from u = s z without overflow
    (softplus(u) = max(u, 0) + log1p(e^−|u|), σ(u) = e^min(u, 0) / (1 + e^−|u|)); a z beyond
    float64 (inf − inf) gives NaN for that point, never a warning.
    """
    X, y, w = _checked(X, y, w, b, l2)
    n = X.shape[1]
    A = signed_design(X, y)
    sign = A[:, n]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        u, t, loss = signed_losses(A, w, b)
        sigma = np.where(u > 0, 1.0, t) / (1.0 + t)  # σ(u) = s (ŷ − y)          (3-5)
        z = sign * u  # exact: the sign fold only flips signs
        y_hat = sigmoid(z)  # (1-2), stable on both sides (1 − σ(u) would lose tiny ŷ)
        grad = A * sigma[:, None]  # σ(u) s [x, 1] = (ŷ − y) [x, 1]              (3-8), (3-10)
    return PerPoint(z=z, y_hat=y_hat, loss=loss, grad=grad, w=w.copy(), l2=float(l2))


def mean_loss(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float) -> float:
    """mean(per_point(X, y, w, b).loss), the mean cross-entropy (2-1) without λ: the same numbers,
    without ŷ and the (m, p) gradient terms (the metrics views compute it for every epoch shown,
    where per_point's other arrays were two thirds of its time). ValueError as per_point."""
    X, y, w = _checked(X, y, w, b, 0.0)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        loss = signed_losses(signed_design(X, y), w, b)[2]
    return float(np.add.reduce(loss)) / len(loss)


def _checked(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, l2: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, w) as arrays, or ValueError for malformed input (see per_point)."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    w = np.asarray(w, dtype=float).reshape(-1)
    if X.ndim != 2 or y.shape != (X.shape[0],) or w.shape != (X.shape[1],):
        raise ValueError(f"shapes do not fit: X {X.shape}, y {y.shape}, w {w.shape}")
    if not (np.isfinite(X).all() and np.isfinite(w).all() and math.isfinite(float(b))):
        raise ValueError("the points, the weights and the bias must be finite numbers")
    if not binary_labels(y):
        raise ValueError("every label must be 0 or 1")
    if not (math.isfinite(float(l2)) and float(l2) >= 0):
        raise ValueError(f"the L2 strength λ must be 0 or positive, not {float(l2):g}")
    return X, y, w


def signed_losses(A: np.ndarray, w: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """u = Aθ = s z, e^−|u| and softplus(u), the loss of each point (2-1) (warnings off at the caller)."""
    u = A @ np.append(w, float(b))  # s z
    t = np.exp(-np.abs(u))  # e^−|u| ∈ [0, 1]
    return u, t, np.maximum(u, 0.0) + np.log1p(t)  # softplus(u)                 (2-1)
