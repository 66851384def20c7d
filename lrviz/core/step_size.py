"""How large a learning rate gradient descent on this loss can take, and when α was too large.

The Hessian of the loss (2-1) plus (λ/2)‖w‖² is (1/m) Ãᵀ D Ã + λ diag(1, …, 1, 0), with
Ã = [X | 1] (the bias column included; the standardized X when training is standardized) and
D = diag(ŷᵢ(1 − ŷᵢ)) ≤ 1/4. So the gradient is Lipschitz with

    L = λ_max(ÃᵀÃ) / (4m) + λ,

and gradient descent decreases the loss at every epoch for any α < 2/L (the descent lemma:
L(θ − αg) ≤ L(θ) − α(1 − αL/2)‖g‖²). Above 2/L it may still converge (L is a bound: near a
separating solution the Hessian is far smaller), but nothing guarantees it; a loss that
keeps rising in many recent epochs says it did not. `step_size_warning` says either in
plain words, with the α to try.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.trainer import Trainer

RECENT_EPOCHS = 50  # the window of losses the oscillation detector looks at
RISING_SHARE = 0.2  # "a clear share": at least this share of the recent steps raised the loss
_MIN_STEPS = 5  # fewer steps than this say nothing about oscillation
_RISE_TOLERANCE = 1e-12  # relative: rises within rounding are no rise


@dataclass(frozen=True)
class StepSizeBound:
    """L (the Lipschitz bound of the gradient) and 2/L (the largest α with a guaranteed decrease)."""

    lipschitz: float
    largest_rate: float  # 2/L; inf when L = 0 (no points)


def design_with_bias(X: ArrayLike, standardize: bool = False) -> np.ndarray:
    """Ã = [X | 1], with X standardized as the Trainer does it when `standardize`."""
    X = np.asarray(X, dtype=float)
    if standardize and len(X):  # the trainer's own statistics, constant columns included
        mean, std = Trainer(X, np.zeros(len(X)), standardize=True).scaling
        X = (X - mean) / std
    return np.column_stack([X, np.ones(len(X))])


def _gram_with_bias(X: np.ndarray) -> np.ndarray:
    """ÃᵀÃ for Ã = [X | 1] without forming Ã: [[XᵀX, Xᵀ1], [1ᵀX, m]] (the copy into [X | 1]
    took most of the time for millions of points; each column is summed alone, as a
    reduction along axis 0 of an (m, n) array is many times slower)."""
    m, n = X.shape
    gram = np.empty((n + 1, n + 1))
    gram[:n, :n] = X.T @ X
    sums = [float(np.add.reduce(X[:, k])) for k in range(n)]
    gram[:n, n] = gram[n, :n] = sums
    gram[n, n] = m
    return gram


def step_size_bound(X: ArrayLike, l2: float = 0.0, standardize: bool = False) -> StepSizeBound:
    """L = λ_max(ÃᵀÃ)/(4m) + λ for these points, and 2/L."""
    try:
        A = design_with_bias(X, standardize) if standardize else np.asarray(X, dtype=float)
    except ValueError:  # points spread over ±1e308 cannot be standardized: no α is safe
        return StepSizeBound(math.inf, 0.0)
    m = len(A)
    if m == 0:
        return StepSizeBound(float(l2), 2.0 / l2 if l2 > 0 else math.inf)
    with np.errstate(over="ignore", invalid="ignore"):
        gram = A.T @ A if standardize else _gram_with_bias(A)
    if not np.isfinite(gram).all():  # coordinates near 1e154 and beyond: any α is too large
        return StepSizeBound(math.inf, 0.0)
    largest = float(np.linalg.eigvalsh(gram)[-1])
    lipschitz = largest / (4.0 * m) + float(l2)
    return StepSizeBound(lipschitz, 2.0 / lipschitz if lipschitz > 0 else math.inf)


def rising_share(losses: ArrayLike) -> tuple[int, int]:
    """(steps that raised the loss, steps looked at) over the last RECENT_EPOCHS losses."""
    recent = np.asarray(losses, dtype=float)[-(RECENT_EPOCHS + 1):]
    if len(recent) < 2:
        return 0, 0
    steps = np.diff(recent)
    rises = steps > _RISE_TOLERANCE * np.abs(recent[:-1])
    return int(np.count_nonzero(rises)), len(steps)


def round_down(value: float, digits: int = 2) -> float:
    """`value` rounded down to `digits` significant digits: an α to try is never above the bound."""
    if not math.isfinite(value) or value <= 0:
        return value
    exponent = math.floor(math.log10(value)) - digits + 1
    scale = 10.0 ** exponent
    rounded = math.floor(value / scale * (1 + 1e-12)) * scale
    return float(f"{rounded:.{digits}g}")


def step_size_warning(learning_rate: float, bound: StepSizeBound, losses: ArrayLike = ()) -> str:
    """A plain-language warning when α > 2/L or the loss rose in a clear share of the recent
    epochs; "" when neither holds."""
    rises, steps = rising_share(losses)
    oscillates = steps >= _MIN_STEPS and rises >= RISING_SHARE * steps
    above = learning_rate > bound.largest_rate
    if not (above or oscillates):
        return ""
    limit = round_down(bound.largest_rate, 3)  # shown rounded down: "try α ≤ 2/L" is then safe
    what = (f"the loss oscillates (it rose in {rises} of the last {steps} epochs)" if oscillates
            else "the loss may oscillate or diverge")
    if above:
        return f"α = {learning_rate:g} is above 2/L = {limit:g} for these points: {what}; try α ≤ {limit:g}"
    return (f"The loss rose in {rises} of the last {steps} epochs although α = {learning_rate:g} is below "
            f"2/L = {limit:g}: the points or λ changed while training, or rounding dominates near the optimum")


def warning_for_points(X: ArrayLike, learning_rate: float, l2: float, standardize: bool,
                       losses: ArrayLike = ()) -> str:
    """`step_size_warning` for training on X with these settings, given the recent losses."""
    return step_size_warning(learning_rate, step_size_bound(X, l2, standardize), losses)


def bound_tooltip(bound: StepSizeBound) -> str:
    """One sentence for the learning-rate field: the bound for the current points."""
    if not math.isfinite(bound.largest_rate):
        return "With points placed, the field says the largest α that surely lowers the loss (2/L)."
    return (f"For these points the loss falls at every epoch for α < 2/L = {round_down(bound.largest_rate, 3):g} "
            f"(L = λ_max(ÃᵀÃ)/(4m) + λ = {bound.lipschitz:.3g}, Ã = [X | 1]); a larger α may oscillate or diverge.")


__all__ = ["bound_tooltip", "warning_for_points", "RECENT_EPOCHS", "RISING_SHARE", "StepSizeBound", "design_with_bias", "rising_share", "round_down",
           "step_size_bound", "step_size_warning"]
