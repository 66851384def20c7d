"""The update of a run's optimizer at one epoch, with every quantity of its published formula:
what the math panel shows in place of gradient descent's (4-2), (4-3) for the other optimizers.

`optimizer_step(run, epoch)` rebuilds the optimizer's state at `epoch` (velocity, moments and
step count, the random generator's position: `optimizer_replay.trainer_at_epoch`), applies the
α, λ and points of the update that produced the next row (as `explain` does for gradient
descent), and computes the update formula by formula, in the coordinates trained on:

    momentum   v = β v₋ − α g,  g = ∇L(θ);  θ' = θ + v          Sutskever et al. (2013), (1)–(2)
    nesterov   v = β v₋ − α ∇L(θ + β v₋);  θ' = θ + v            Sutskever et al. (2013), (3)–(4)
    adam       t = t₋ + 1;  m = β₁m₋ + (1 − β₁)g;  v = β₂v₋ + (1 − β₂)g²;
               m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);  θ' = θ − α m̂/(√v̂ + ε)   Kingma & Ba (2015), Alg. 1
    sgd        a fresh order of the m points; for each batch B of it θ ← θ − α ĝ_B  (the first
               batch is shown: its points and ĝ_B); ⌈m/B⌉ updates    Goodfellow et al. (2016), Alg. 8.1
    newton     g, H = ∇²L(θ);  Δ = H⁻¹g;  θ' = θ − Δ (and H's eigenvalues: the curvature)
                                                                 Boyd & Vandenberghe (2004), §9.5

The formulas are written out here again, not taken from `optim.py`, so that a test can hold
the two against each other (and against the history's next row) to 1e-12.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lrviz.core.explain import agrees_to_digits
from lrviz.core.model_trainer import feature_map, mapped
from lrviz.core.optimizer_replay import trainer_at_epoch
from lrviz.core.run import Run


@dataclass(frozen=True)
class OptimizerStep:
    """One epoch of the optimizer: its inputs, every intermediate quantity and the result.

    `values` holds the named quantities of the formula in the order they are computed (arrays
    of p = n + 1 entries (w…, b) unless said otherwise); `next_raw` is θ' in raw coordinates,
    as the history stores it; `next_matches` whether it agrees with the history's next row to
    the digits shown (None at the newest epoch, whose update has not happened yet).
    """

    name: str
    source: str
    epoch: int
    learning_rate: float
    l2: float
    hyper: dict[str, Any]
    names: tuple[str, ...]
    standardized: bool
    theta: np.ndarray
    values: dict[str, Any] = field(default_factory=dict)
    next_theta: np.ndarray = field(default_factory=lambda: np.empty(0))
    next_raw: np.ndarray = field(default_factory=lambda: np.empty(0))
    next_row_theta: np.ndarray | None = None
    next_matches: bool | None = None
    points_changed: bool = False


def optimizer_step(run: Run, epoch: int) -> OptimizerStep | None:
    """The run's optimizer's update from `epoch` (None for gradient descent, or when its state
    at that epoch cannot be rebuilt within optimizer_replay's limits)."""
    settings = run.settings
    trainer = trainer_at_epoch(run, epoch)
    if trainer is None:
        return None
    row, history = run.row(epoch), run.history
    next_row = run.row(epoch + 1) if epoch < history.last_epoch else None
    if next_row is not None:
        rate, l2, points = next_row.learning_rate, next_row.l2, run.points_at(next_row.data_revision)
    else:
        rate, l2, points = settings.learning_rate, settings.l2, run.snapshot()
    try:
        if points.revision != row.data_revision:
            trainer.set_data(mapped(points.train_X, settings), points.train_y)
        trainer.set_learning_rate(rate)
        trainer.set_l2(l2)
    except ValueError:
        return None
    optimizer, problem, theta = trainer.optimizer, trainer.problem, trainer.theta
    values, next_theta = _FORMULAS[optimizer.name](optimizer, problem, theta)
    mean, std = trainer.scaling
    n = len(theta) - 1
    with np.errstate(over="ignore", invalid="ignore"):
        next_w = next_theta[:n] / std
        next_b = float(next_theta[n])
        for j in range(n):  # the trainer's order of rounding
            next_b -= float(next_w[j] * mean[j])
    next_raw = np.append(next_w, next_b)
    matches = None if next_row is None else agrees_to_digits(next_raw, next_row.theta)
    return OptimizerStep(
        name=optimizer.name, source=optimizer.source, epoch=int(epoch), learning_rate=float(rate), l2=float(l2),
        hyper=dict(optimizer.hyper), names=feature_map(settings).parameter_names(),
        standardized=bool(settings.standardize), theta=theta, values=values, next_theta=next_theta,
        next_raw=next_raw, next_row_theta=None if next_row is None else next_row.theta.copy(),
        next_matches=matches, points_changed=next_row is not None and next_row.data_revision != row.data_revision)


def _zeros_or(vector: np.ndarray | None, like: np.ndarray) -> np.ndarray:
    return np.zeros_like(like) if vector is None else np.array(vector, dtype=float)


def _momentum(optimizer, problem, theta):
    beta, alpha = optimizer.momentum, optimizer.learning_rate
    v_prev = _zeros_or(optimizer.velocity, theta)
    values: dict[str, Any] = {"v_prev": v_prev}
    if optimizer.name == "nesterov":
        look = theta + beta * v_prev
        values["look"] = look
        g = problem.gradient(look)
    else:
        g = problem.gradient(theta)
    v = beta * v_prev - alpha * g
    values.update(g=g, v=v)
    return values, theta + v


def _adam(optimizer, problem, theta):
    b1, b2, eps, alpha = optimizer.beta1, optimizer.beta2, optimizer.eps, optimizer.learning_rate
    m_prev, v_prev = _zeros_or(optimizer.m, theta), _zeros_or(optimizer.v, theta)
    t = optimizer.t + 1
    g = problem.gradient(theta)
    m = b1 * m_prev + (1 - b1) * g
    v = b2 * v_prev + (1 - b2) * g * g
    correction1, correction2 = 1 - b1 ** t, 1 - b2 ** t
    m_hat, v_hat = m / correction1, v / correction2
    step = alpha * m_hat / (np.sqrt(v_hat) + eps)
    values = {"t": t, "m_prev": m_prev, "v_prev": v_prev, "g": g, "m": m, "v": v, "beta1_t": b1 ** t,
              "beta2_t": b2 ** t, "correction1": correction1,
              "correction2": correction2, "m_hat": m_hat, "v_hat": v_hat, "step": step}
    return values, theta - step


def _sgd(optimizer, problem, theta):
    rng = np.random.Generator(np.random.PCG64())
    rng.bit_generator.state = optimizer.rng.bit_generator.state  # a copy: the trainer's is not advanced
    order = rng.permutation(problem.m)
    size, alpha = optimizer.batch_size, optimizer.learning_rate
    first = order[:size]
    g_first = problem.gradient(theta, first)
    after_first = theta - alpha * g_first
    current = theta
    for start in range(0, problem.m, size):
        current = current - alpha * problem.gradient(current, order[start:start + size])
    values = {"batch_size": size, "updates": -(-problem.m // size), "m": problem.m, "first_batch": first,
              "g_first": g_first, "after_first": after_first, "g": problem.gradient(theta)}
    return values, current


def _newton(optimizer, problem, theta):
    g, H = problem.gradient(theta), problem.hessian(theta)
    try:
        step = np.linalg.solve(H, g)
        if not np.isfinite(step).all():
            raise np.linalg.LinAlgError
        solved = "solve"
    except np.linalg.LinAlgError:
        try:
            step = np.linalg.lstsq(H, g, rcond=None)[0]
        except np.linalg.LinAlgError:
            step = np.full_like(theta, np.nan)
        solved = "least squares"
    with np.errstate(invalid="ignore"):
        eigenvalues = np.linalg.eigvalsh(H) if np.isfinite(H).all() else np.full(len(theta), np.nan)
    values = {"g": g, "H": H, "step": step, "solved": solved, "eigenvalues": eigenvalues}
    return values, theta - step


_FORMULAS = {"momentum": _momentum, "nesterov": _momentum, "adam": _adam, "sgd": _sgd, "newton": _newton}

__all__ = ["OptimizerStep", "optimizer_step"]
