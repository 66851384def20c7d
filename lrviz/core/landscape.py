"""The loss landscape: L (2-1) with λ over the parameters θ = (w1, w2, b) the run reports.

The history stores θ in the raw coordinates of the points (the Trainer converts back from
standardized ones), so the landscape is drawn over raw θ too: the path is then exactly the
history's rows, and a click names a start the Trainer takes as it is. With standardization
the Trainer penalises the standardized weights, (λ/2) Σ (std_k w_k)², so the surface here
does the same: at every θ it is the loss the Trainer reports there.

`trained_coordinates=True` (the window's choice with standardization): every θ in and out is
instead the one the update uses, w̃ = w·std, b̃ = b + w·mean, so the picture shows the bowl
gradient descent really walks (round after standardization, where the raw one is a long
narrow valley); `shown` and `raw` map between the two. Shapes::

    X (m, 2) points;  y (m,) labels;  θ (3,) = (w1, w2, b), raw coordinates
    surface    (Gj, Gi)   L over θ_i = values_i (columns) × θ_j = values_j (rows), the rest held
    penalty    (2,)       λ·std_k² per weight: (1/2) Σ penalty_k w_k² is the λ term

Three kinds of number, each as exact as it claims:
- `exact_loss` / `exact_step`: float64, the Trainer's own formula (LossEvaluator on the same
  scaled points, θ converted by the same operations), equal to Trainer's loss to ~1e-15;
  every number shown as text comes from here.
- `surface`: BatchedEvaluator.grid in float64 (within 2.5e-13 of the exact loss), on a seeded
  subsample of `MAX_SURFACE_POINTS` points when there are more (`note` says so).
- `minimum`: a damped Newton solve of the 3-parameter problem (scikit-learn's fit to 1e-8),
  or NoMinimum with the reason: one class (b runs off), λ = 0 with separable classes
  (‖w‖ runs off along a ray), λ = 0 with the points on one line (a valley of minima).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.batched import BatchedEvaluator
from lrviz.core.model import LossEvaluator
from lrviz.core.trainer import Trainer

MAX_SURFACE_POINTS = 10_000
PREVIEW_POINTS = 2_000  # a coarse first picture of many points uses this many (seeded), then the full one
PARAMETER_NAMES = ("w1", "w2", "b")
TRAINED_NAMES = ("w̃1", "w̃2", "b̃")  # the parameters standardized training updates
_NEWTON_ITERATIONS = 200
_RUNAWAY_NORM = 1e7  # ‖θ‖ in unit-scaled coordinates: no finite minimum of real data lies out there


@dataclass(frozen=True)
class Minimum:
    """The minimiser θ* (raw coordinates) and L(θ*), in float64."""

    theta: np.ndarray
    loss: float
    iterations: int


@dataclass(frozen=True)
class NoMinimum:
    """Why the loss has no (single) lowest point; `reason` is a sentence for the learner."""

    reason: str


class Landscape:
    """The loss of one set of points, with one λ and one choice of standardization, at any θ.

    Raises ValueError (with a message for the user) for points the Trainer would refuse.
    """

    def __init__(self, X: ArrayLike, y: ArrayLike, l2: float = 0.0, standardize: bool = False,
                 max_surface_points: int = MAX_SURFACE_POINTS, seed: int = 0,
                 trained_coordinates: bool = False) -> None:
        trainer = Trainer(X, y, l2=l2, standardize=standardize)  # the same checks and scaling
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y)
        self.m = len(self.y)
        self.l2 = float(l2)
        self.standardize = bool(standardize)
        self._mean, self._std = trainer.scaling
        # trained_coordinates: every θ in and out is the one the update uses (w̃ = w·std,
        # b̃ = b + w·mean), i.e. the landscape of the standardized points without standardization
        self.trained_coordinates = bool(trained_coordinates) and self.standardize
        self._map_mean, self._map_std = self._mean, self._std
        if self.trained_coordinates:
            self.X = self._scaled(self.X)
            self.standardize = False
            self._mean, self._std = np.zeros_like(self._mean), np.ones_like(self._std)
        self.penalty = self.l2 * self._std ** 2
        self._exact = LossEvaluator(self._scaled(self.X), self.y, self.l2)
        # max_surface_points = 0: exact numbers only (no surface evaluator is built)
        if 0 < max_surface_points < self.m:
            rows = np.sort(np.random.default_rng(seed).choice(self.m, max_surface_points, replace=False))
            Xs, ys = self.X[rows], self.y[rows]
        else:
            Xs, ys = self.X, self.y
        self.surface_points = len(ys)
        # the λ term is added per node, weighted
        self._batched = BatchedEvaluator(Xs, ys, 0.0) if max_surface_points > 0 else None
        self._minimum: Minimum | NoMinimum | None = None
        self._seed = seed
        self._surface_data = (Xs, ys)
        self._preview: BatchedEvaluator | None = None

    # -- the coordinates the landscape is drawn in ------------------------------------------------------
    @property
    def names(self) -> tuple[str, str, str]:
        """The parameters' names: (w̃1, w̃2, b̃) in trained coordinates, (w1, w2, b) otherwise."""
        return TRAINED_NAMES if self.trained_coordinates else PARAMETER_NAMES

    def shown(self, thetas: ArrayLike) -> np.ndarray:
        """Raw θ rows (k, 3) (or one θ, (3,)) in this landscape's coordinates: w·std, b + w·mean
        (the Trainer's map, one feature at a time) in trained coordinates, unchanged otherwise."""
        thetas = np.array(thetas, dtype=float)
        if not self.trained_coordinates:
            return thetas
        flat = thetas.reshape(-1, 3)
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.empty_like(flat)
            out[:, :2] = flat[:, :2] * self._map_std
            out[:, 2] = flat[:, 2] + (flat[:, 0] * self._map_mean[0] + flat[:, 1] * self._map_mean[1])
        return out.reshape(thetas.shape)

    def raw(self, theta: ArrayLike) -> np.ndarray:
        """θ (3,) of this landscape's coordinates as the raw (w1, w2, b) the history and the
        editor use: w̃/std, b̃ − w·mean (the Trainer's map back)."""
        theta = np.array(theta, dtype=float).reshape(3)
        if not self.trained_coordinates:
            return theta
        with np.errstate(over="ignore", invalid="ignore"):
            w = theta[:2] / self._map_std
            return np.array([w[0], w[1], theta[2] - w[0] * self._map_mean[0] - w[1] * self._map_mean[1]])

    # -- the coordinates the Trainer trains on (the same operations, so the same rounding) ------------------
    def _scaled(self, X: np.ndarray) -> np.ndarray:
        if not self.standardize:
            return X
        with np.errstate(over="ignore", invalid="ignore"):
            return (X - self._mean) / self._std

    def _trained_theta(self, theta: np.ndarray) -> np.ndarray:
        w, b = theta[:2], float(theta[2])
        if not self.standardize:
            return np.array([w[0], w[1], b])
        with np.errstate(over="ignore", invalid="ignore"):
            return np.array([*(w * self._std), b + float(w @ self._mean)])

    @property
    def note(self) -> str | None:
        """What the plot must say about the surface's points, or None when it uses them all."""
        if self.surface_points == self.m:
            return None
        return f"surface from {self.surface_points:,} of {self.m:,} points"

    @property
    def preview_note(self) -> str | None:
        """What a preview surface (`surface(..., preview=True)`) must say, or None when it is the full one."""
        if self.surface_points <= PREVIEW_POINTS:
            return self.note
        return f"coarse preview from {PREVIEW_POINTS:,} of {self.m:,} points"

    # -- exact numbers ---------------------------------------------------------------------------------
    def exact_loss(self, theta: ArrayLike) -> float | None:
        """L(θ) in float64 as the Trainer computes it; None where it leaves float64."""
        state = self._state(theta)
        return None if state is None else state[0]

    def exact_step(self, theta: ArrayLike) -> np.ndarray | None:
        """The direction gradient descent moves θ from here, in raw coordinates: −∂L/∂θ by (4-2),
        (4-3) in the coordinates trained on, mapped back (the negative gradient itself without
        standardization). None where the loss leaves float64."""
        state = self._state(theta)
        if state is None:
            return None
        step = -state[1]
        if self.standardize:
            dw = step[:2] / self._std
            step = np.array([dw[0], dw[1], step[2] - float(dw @ self._mean)])
        return step

    def _state(self, theta: ArrayLike) -> tuple[float, np.ndarray] | None:
        theta = np.asarray(theta, dtype=float).reshape(-1)
        if theta.shape != (3,) or not np.isfinite(theta).all():
            return None
        trained = self._trained_theta(theta)
        with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
            loss, grad = self._exact.evaluate(trained)
            finite = math.isfinite(loss) and bool(np.isfinite(grad).all())
        return (float(loss), grad.copy()) if finite else None

    # -- the surface --------------------------------------------------------------------------------------
    def surface(self, theta: ArrayLike, i: int, values_i: ArrayLike, j: int, values_j: ArrayLike,
                preview: bool = False) -> np.ndarray:
        """L over the grid θ_i = values_i × θ_j = values_j, the third parameter held at θ's: (Gj, Gi).

        `preview`: from a seeded subsample of PREVIEW_POINTS points (when there are more), for a
        quick first picture; `preview_note` says so.
        """
        if self._batched is None:
            raise ValueError("this landscape was made for exact numbers only (max_surface_points = 0)")
        evaluator = self._batched
        if preview and self.surface_points > PREVIEW_POINTS:
            if self._preview is None:
                Xs, ys = self._surface_data
                rows = np.sort(np.random.default_rng(self._seed).choice(len(ys), PREVIEW_POINTS, replace=False))
                self._preview = BatchedEvaluator(Xs[rows], ys[rows], 0.0)
            evaluator = self._preview
        theta = np.asarray(theta, dtype=float).reshape(-1)
        va = np.asarray(values_i, dtype=float).reshape(-1)
        vb = np.asarray(values_j, dtype=float).reshape(-1)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            loss = evaluator.grid(theta, i, va, j, vb)
            for k in (0, 1):  # (1/2) Σ λ std_k² w_k², per node
                if self.penalty[k]:
                    w = va[None, :] if k == i else vb[:, None] if k == j else theta[k]
                    loss = loss + 0.5 * self.penalty[k] * np.square(w)
        return loss

    # -- the minimum ---------------------------------------------------------------------------------------
    def minimum(self) -> Minimum | NoMinimum:
        """The lowest point of L (computed once), or why there is none."""
        if self._minimum is None:
            self._minimum = self._solve()
        return self._minimum

    def _solve(self) -> Minimum | NoMinimum:
        ones = int(np.count_nonzero(self.y))
        if ones in (0, self.m):
            side = "−∞" if ones == 0 else "+∞"
            return NoMinimum(f"only one class: the loss keeps falling as b → {side}, so there is no minimum")
        # Newton is affine invariant: solve on unit-scaled columns (well conditioned for |x| = 1e6),
        # then map back. The λ term in these coordinates: (1/2) Σ (penalty_k / s_k²) w'_k².
        center = self.X.mean(axis=0)
        scale = self.X.std(axis=0)
        scale[~(scale > 0)] = 1.0
        A = np.column_stack([(self.X - center) / scale, np.ones(self.m)])
        q = np.append(self.penalty / scale ** 2, 0.0)
        if not q.any():
            singular = np.linalg.svd(A, compute_uv=False)
            if singular[-1] <= 1e-10 * singular[0]:
                return NoMinimum("the points lie on one line, so the loss is flat along a valley "
                                 "and has no single minimum; λ > 0 gives one")
        theta, iterations = self._newton(A, 1.0 - 2.0 * self.y.astype(float), q)
        if theta is None:
            return NoMinimum("the classes are linearly separable and λ = 0: the loss keeps falling as ‖w‖ "
                             "grows along a ray, so there is no minimum; λ > 0 gives one")
        w = theta[:2] / scale
        raw = np.array([w[0], w[1], theta[2] - float(w @ center)])
        loss = self.exact_loss(raw)
        if loss is None:
            return NoMinimum("the minimum lies beyond the range of float64 numbers")
        return Minimum(raw, loss, iterations)

    @staticmethod
    def _newton(A: np.ndarray, sign: np.ndarray, q: np.ndarray) -> tuple[np.ndarray | None, int]:
        """Minimise (1/m) Σ softplus(sᵢ aᵢ·θ) + (1/2) Σ q θ² by Newton with backtracking.

        (None, k) when the iterates run off: λ = 0 and some θ separates the classes strictly
        (every point on its own side, a certificate), or ‖θ‖ grows past any real minimum.
        """
        m = A.shape[0]
        signed = A * sign[:, None]

        def objective(theta: np.ndarray) -> float:
            return float(np.mean(np.logaddexp(0.0, signed @ theta)) + 0.5 * q @ theta ** 2)

        theta = np.zeros(A.shape[1])
        with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
            value = objective(theta)
            for iteration in range(1, _NEWTON_ITERATIONS + 1):
                u = signed @ theta
                if not q.any() and bool(np.all(u < 0)) and iteration > 1:
                    return None, iteration  # a separating line: the loss → 0 along this ray
                e = np.exp(-np.abs(u))
                sigma = np.where(u >= 0, 1.0 / (1.0 + e), e / (1.0 + e))  # σ(u)
                curvature = e / (1.0 + e) ** 2  # σ(u) σ(−u)
                grad = signed.T @ sigma / m + q * theta
                hessian = (A.T * curvature) @ A / m + np.diag(q)
                try:
                    step = -np.linalg.solve(hessian, grad)
                except np.linalg.LinAlgError:
                    step = -grad
                if not np.isfinite(step).all():
                    step = -grad
                slope = float(grad @ step)
                t = 1.0
                while t > 1e-12:
                    trial = theta + t * step
                    trial_value = objective(trial)
                    if trial_value <= value + 1e-4 * t * slope:
                        break
                    t *= 0.5
                else:  # no decrease left at this precision: θ is the minimiser to rounding
                    return theta, iteration
                theta, value = trial, trial_value
                if float(np.max(np.abs(theta))) > _RUNAWAY_NORM:
                    return None, iteration
                if float(np.max(np.abs(t * step))) <= 1e-13 * (1.0 + float(np.max(np.abs(theta)))):
                    return theta, iteration
        return None, _NEWTON_ITERATIONS


@dataclass(frozen=True)
class AxisRange:
    """One axis of the picture: [low, high], chosen in steps so a growing path moves it rarely."""

    low: float
    high: float


def stepped_range(values: ArrayLike, unit: float) -> AxisRange:
    """A range holding every finite value, with a margin: its half-width is `unit` times a power of
    two and its centre a multiple of a quarter of that, so it changes in steps as the values
    move (a path running off to infinity doubles the picture now and then, never shrinks it to
    nothing). `unit` > 0 is the parameter's natural scale (the smallest half-width)."""
    v = np.asarray(values, dtype=float).reshape(-1)
    v = v[np.isfinite(v)]
    unit = float(unit) if math.isfinite(unit) and unit > 0 else 1.0
    low, high = (float(v.min()), float(v.max())) if len(v) else (0.0, 0.0)
    center = 0.5 * (low + high)
    need = max(0.625 * (high - low), unit)
    half = unit * 2.0 ** math.ceil(math.log2(need / unit))
    quarter = half / 4.0
    center = round(center / quarter) * quarter
    if center - half > low or center + half < high:  # rounding of the centre: one step wider
        half *= 2.0
    return AxisRange(center - half, center + half)


def natural_units(X: ArrayLike) -> np.ndarray:
    """The scale of each parameter (w1, w2, b) at which the loss changes by about 1: 1/spread of
    each feature for the weights (1 for a constant one), and 1 + Σ |mean_k|/spread_k for b."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not len(X):
        return np.ones(3)
    with np.errstate(over="ignore", invalid="ignore"):
        spread = np.max(np.abs(X - X.mean(axis=0)), axis=0)
        spread[~(np.isfinite(spread) & (spread > 0))] = 1.0
        mean = X.mean(axis=0)
        bias = 1.0 + float(np.sum(np.abs(mean) / spread))
    units = np.append(1.0 / spread, bias if math.isfinite(bias) else 1.0)
    units[~(np.isfinite(units) & (units > 0))] = 1.0
    return units


__all__ = ["MAX_SURFACE_POINTS", "PARAMETER_NAMES", "PREVIEW_POINTS", "TRAINED_NAMES", "AxisRange", "Landscape", "Minimum", "NoMinimum",
           "natural_units", "stepped_range"]
