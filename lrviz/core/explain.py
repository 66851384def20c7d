"""Every number of the tutorial's derivation, for one epoch of a run: what the math panel,
the point tooltips and the z view show.

`explain(run, epoch)` takes the epoch's history row (θ, λ, data revision), the points it
was computed on, and the α, λ and points of the update that produced the next row (history.py:
row k+1 = θₖ − αₖ₊₁ ∇L(θₖ; points and λ of row k+1)), and returns, for all m points at once
(`Explanation.point(i)` picks one)::

    X_raw  (m, n)  the points as placed;  X (m, n) the x the update uses: X_raw, or
                   (X_raw − mean)/std with standardized training (the trainer's statistics)
    w, b           θ in those coordinates: w = w_raw·std, b = b_raw + w_raw·mean
    z      (m,)    zᵢ = w·xᵢ + b                                       (1-2)
    y_hat  (m,)    ŷᵢ = σ(zᵢ)                                           (1-2)
    loss   (m,)    −yᵢ log ŷᵢ − (1 − yᵢ) log(1 − ŷᵢ)                    (2-2), (2-3)
    residual (m,)  ŷᵢ − yᵢ                                              (3-5)
    grad   (m, p)  (ŷᵢ − yᵢ)[xᵢ₁ … xᵢₙ, 1]: point i's term                (3-7), (3-9)
    trains (m,)    whether point i is a training point (a split's test points are explained
                   too, but only the training points enter the sums: m counts those)
    data_loss      mean(loss) (2-1);  penalty (λ/2)‖w‖²;  total_loss their sum
    mean_grad (p,) (1/m) Σ grad (3-8), (3-10);  gradient = mean_grad + λ[w, 0]
    next_theta (p,) θ − α·(mean_grad + λ_next[w, 0]) (4-2), (4-3), in the trained coordinates;
                   next_w_raw, next_b_raw the same in raw coordinates (as the history stores them)

With a feature map φ every line holds with φ(x) in place of x: X_raw is φ(points) (its
columns named by `terms`), `positions` the points in the plane.

`next_matches` says whether that update equals the history's next row to the 6 significant
digits shown (None at the newest epoch, whose update has not happened yet: α and λ are then
the run's settings, which the next epoch will use).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrviz.core.model_trainer import feature_map, mapped
from lrviz.core.per_point import per_point
from lrviz.core.run import Run
from lrviz.core.step_size import StepSizeBound, step_size_bound
from lrviz.core.trainer import Trainer

SHOWN_DIGITS = 6


@dataclass(frozen=True)
class PointTerms:
    """One point's line of the derivation (see the module docstring)."""

    index: int
    x_raw: np.ndarray
    x: np.ndarray
    y: int
    z: float
    y_hat: float
    loss: float
    residual: float
    grad: np.ndarray  # (p,): (ŷᵢ − yᵢ)·[xᵢ, 1]

    @property
    def pull(self) -> np.ndarray:
        """−(ŷᵢ − yᵢ)·xᵢ: the direction this point moves w in (the descent direction of its term)."""
        return -self.grad[:-1]


@dataclass(frozen=True)
class Explanation:
    """The derivation's numbers at one epoch, for all points (see the module docstring)."""

    epoch: int
    standardized: bool
    mean: np.ndarray
    std: np.ndarray
    X_raw: np.ndarray
    X: np.ndarray
    y: np.ndarray
    w_raw: np.ndarray
    b_raw: float
    w: np.ndarray
    b: float
    l2: float
    z: np.ndarray
    y_hat: np.ndarray
    loss: np.ndarray
    residual: np.ndarray
    grad: np.ndarray
    data_loss: float
    penalty: float
    total_loss: float
    row_loss: float
    mean_grad: np.ndarray
    gradient: np.ndarray
    learning_rate: float
    update_l2: float
    update_gradient: np.ndarray
    next_theta: np.ndarray
    next_w_raw: np.ndarray
    next_b_raw: float
    next_epoch: int
    next_row_theta: np.ndarray | None
    next_matches: bool | None
    points_changed: bool
    bound: StepSizeBound
    trains: np.ndarray  # (count,) bool: the points the sums (2-1), (3-8), (3-10) run over
    # With a feature map (issue 14) X_raw is φ(x) of the points and `terms` names its columns
    # (empty for the tutorial's x1, x2); `positions` are the points in the plane either way.
    terms: tuple[str, ...] = ()
    positions: np.ndarray | None = None
    optimizer: str = "gd"  # the run's; the update below is gradient descent's (4-2), (4-3)

    @property
    def m(self) -> int:
        """The m of the sums: the training points (every point without a split)."""
        return int(np.count_nonzero(self.trains))

    @property
    def count(self) -> int:
        """Every point explained, test points included."""
        return len(self.y)

    def training_sum(self, values: np.ndarray) -> np.ndarray:
        """Σ over the training points of a per-point array (axis 0)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return np.sum(values[self.trains], axis=0)

    @property
    def n(self) -> int:
        return self.X.shape[1]

    def point(self, index: int) -> PointTerms:
        """Point `index`'s terms; IndexError when the epoch's points have no such point."""
        if not 0 <= index < self.count:
            raise IndexError(f"epoch {self.epoch} was computed on {self.count} points; there is no point {index}")
        return PointTerms(index=int(index), x_raw=self.X_raw[index].copy(), x=self.X[index].copy(),
                          y=int(self.y[index]), z=float(self.z[index]), y_hat=float(self.y_hat[index]),
                          loss=float(self.loss[index]), residual=float(self.residual[index]),
                          grad=self.grad[index].copy())


def agrees_to_digits(a: np.ndarray, b: np.ndarray, digits: int = SHOWN_DIGITS) -> bool:
    """Whether two parameter vectors read the same with `digits` significant digits (or differ
    only by rounding far below them, which can fall on either side of a shown digit)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(b), initial=0.0)), 1e-300)
    for x, y in zip(a.tolist(), b.tolist()):
        if f"{x:.{digits}g}" != f"{y:.{digits}g}" and abs(x - y) > 1e-10 * (abs(x) + abs(y)) + 1e-13 * scale:
            return False
    return True


def explain(run: Run, epoch: int, bound: StepSizeBound | None = None) -> Explanation:
    """The derivation's numbers at `epoch` of `run` (KeyError/IndexError for an epoch it does not hold).

    `bound` may pass a 2/L computed before for the same points, λ and standardization.
    """
    row = run.row(epoch)
    history = run.history
    standardized = bool(run.settings.standardize)
    points = run.points_at(row.data_revision)
    phi = feature_map(run.settings)
    positions = np.asarray(points.X, dtype=float)
    X_raw, y = mapped(positions, run.settings), np.asarray(points.y)
    trains = ~points.is_test if points.has_test else np.ones(len(y), dtype=bool)
    n = X_raw.shape[1]
    if standardized and trains.any():
        mean, std = Trainer(X_raw[trains], y[trains], standardize=True).scaling
        X = (X_raw - mean) / std
    else:
        mean, std, X = np.zeros(n), np.ones(n), X_raw
    w_raw, b_raw = row.w.copy(), row.b
    with np.errstate(over="ignore", invalid="ignore"):  # the trainer's mapping, in its order
        w = w_raw * std
        b = b_raw + float(w_raw @ mean)
    terms = per_point(X, y, w, b, row.l2)
    m = int(np.count_nonzero(trains))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        data_loss = float(np.add.reduce(terms.loss[trains])) / m if m else 0.0
        penalty = 0.5 * row.l2 * float(w @ w)
        mean_grad = terms.grad[trains].mean(axis=0) if m else np.zeros(n + 1)
    gradient = mean_grad.copy()
    gradient[:n] += row.l2 * w

    has_next = len(history) and epoch < history.last_epoch
    if has_next:
        next_row = run.row(epoch + 1)
        rate, update_l2, next_theta_raw = next_row.learning_rate, next_row.l2, next_row.theta.copy()
        points_changed = next_row.data_revision != row.data_revision
    else:
        rate, update_l2, next_theta_raw = run.settings.learning_rate, run.settings.l2, None
        points_changed = False
    update_gradient = mean_grad.copy()
    update_gradient[:n] += update_l2 * w
    theta = np.append(w, b)
    with np.errstate(over="ignore", invalid="ignore"):
        next_theta = theta - rate * update_gradient
        next_w_raw = next_theta[:n] / std
        next_b_raw = float(next_theta[n])
        for j in range(n):
            next_b_raw -= float(next_w_raw[j] * mean[j])
    matches = None
    if next_theta_raw is not None:
        matches = agrees_to_digits(np.append(next_w_raw, next_b_raw), next_theta_raw)
    if bound is None:
        bound = step_size_bound(X_raw[trains], update_l2, standardized)
    return Explanation(
        epoch=int(row.epoch), standardized=standardized, mean=mean, std=std, X_raw=X_raw, X=X, y=y,
        w_raw=w_raw, b_raw=float(b_raw), w=w, b=float(b), l2=float(row.l2), z=terms.z, y_hat=terms.y_hat,
        loss=terms.loss, residual=terms.grad[:, n].copy(), grad=terms.grad, data_loss=data_loss, penalty=penalty,
        total_loss=data_loss + penalty, row_loss=float(row.loss), mean_grad=mean_grad, gradient=gradient,
        learning_rate=float(rate), update_l2=float(update_l2), update_gradient=update_gradient,
        next_theta=next_theta, next_w_raw=next_w_raw, next_b_raw=next_b_raw, next_epoch=int(row.epoch) + 1,
        next_row_theta=next_theta_raw, next_matches=matches, points_changed=points_changed, bound=bound,
        trains=trains, terms=() if phi.is_identity else phi.terms, positions=positions,
        optimizer=run.settings.optimizer)


__all__ = ["SHOWN_DIGITS", "Explanation", "PointTerms", "agrees_to_digits", "explain"]
