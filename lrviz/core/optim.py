"""Update rules beyond the tutorial's gradient descent, with explicit, saveable state.

Every optimizer works on θ = (w, b) in the coordinates trained on (standardized when the
Trainer standardizes) and on the loss L(θ) = (1/m) Σ ℓᵢ(θ) + (λ/2)‖w‖² of (2-1). One call of
`epoch` is one epoch: one update from the full-data gradient, except mini-batch SGD, whose
epoch is one pass over the training points in a fresh random order (⌈m/B⌉ updates).

State: each optimizer's `state` is what the next epoch needs beyond θ (the velocity of
momentum, Adam's moments and step count, SGD's random generator). `state_to_json()` turns it
into plain JSON data (lists of floats, ints; floats survive JSON exactly, Python writes them with
repr) and `load_state()` takes it back, so 100 epochs + save + load + 100 epochs equal 200
epochs bit for bit. SGD's shuffle of an epoch is drawn from its generator at the start of that
epoch and training stops only between epochs, so the position in the shuffle at a save is
always the start of the next epoch's order, which the saved generator state determines.

Hyper-parameters (defaults and ranges) are defined once, in `OPTIMIZER_SPECS`; the command
line reads them from there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lrviz.core.model import sigmoid
from lrviz.core.settings import DEFAULT_OPTIMIZER, OPTIMIZER_CHOICES, OPTIMIZER_SPECS

# The optimizer settings are defined in settings.py (TrainingSettings holds them; it cannot
# import this module, which imports it): one definition for the window, sessions and the CLI.
# Which hyper-parameters (besides the learning rate α) each optimizer takes.
OPTIMIZER_PARAMETERS: dict[str, tuple[str, ...]] = {
    "gd": (), "sgd": ("batch_size",), "momentum": ("momentum",), "nesterov": ("momentum",),
    "adam": ("beta1", "beta2", "eps"), "newton": (),
}


class Problem:
    """The loss of logistic regression on fixed points Z (m, n), labels y: full-data and
    mini-batch gradients and the Hessian, for the update rules (one job: the derivatives)."""

    def __init__(self, Z: np.ndarray, y: np.ndarray, l2: float) -> None:
        self.Z = np.asarray(Z, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.l2 = float(l2)
        self.m, self.n = self.Z.shape

    def gradient(self, theta: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """∂L/∂θ (3-8), (3-10): [Zᵀ(ŷ − y), Σ(ŷ − y)]/|rows| + λ[w, 0], over `rows` (all when None)."""
        Z, y = (self.Z, self.y) if rows is None else (self.Z[rows], self.y[rows])
        w, b = theta[: self.n], theta[self.n]
        residual = sigmoid(Z @ w + b) - y
        grad = np.empty(self.n + 1)
        grad[: self.n] = Z.T @ residual / len(y)
        grad[self.n] = residual.sum() / len(y)
        if self.l2:
            grad[: self.n] += self.l2 * w
        return grad

    def hessian(self, theta: np.ndarray) -> np.ndarray:
        """∇²L = [Z 1]ᵀ diag(ŷ(1 − ŷ)) [Z 1]/m + λ diag(1, …, 1, 0) (the bias is not penalized)."""
        A = np.column_stack([self.Z, np.ones(self.m)])
        p = sigmoid(A @ theta)
        H = (A * (p * (1 - p))[:, None]).T @ A / self.m
        H[np.arange(self.n), np.arange(self.n)] += self.l2
        return H


class Optimizer:
    """One update rule: `epoch(θ, problem)` returns θ after one epoch; `state` is all it remembers."""

    name = ""
    source = ""

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = float(learning_rate)

    @property
    def hyper(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in OPTIMIZER_PARAMETERS[self.name]}

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        raise NotImplementedError

    def state_to_json(self) -> dict[str, Any]:
        """The state as plain JSON data (see the module's docstring)."""
        return {}

    def load_state(self, state: dict[str, Any]) -> None:
        """Take back what `state_to_json` gave (ValueError when it does not fit)."""
        if state:
            raise ValueError(f"{self.name} keeps no state, but the state names {', '.join(state)}")


def _vector(state: dict[str, Any], key: str, size: int | None) -> np.ndarray | None:
    value = state.get(key)
    if value is None:
        return None
    array = np.asarray(value, dtype=float)
    if array.ndim != 1 or (size is not None and array.size != size) or not np.isfinite(array).all():
        raise ValueError(f"the optimizer state's {key} must be a list of finite numbers")
    return array


def _list(array: np.ndarray | None) -> list[float] | None:
    return None if array is None else [float(v) for v in array]


class GradientDescent(Optimizer):
    """θ ← θ − α ∇L(θ): the tutorial's (4-2), (4-3) (Cauchy 1847), every parameter from the old values."""

    name = "gd"
    source = "the tutorial's (4-2), (4-3); Cauchy (1847)"

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        return theta - self.learning_rate * problem.gradient(theta)


def shuffle_generator(seed: int) -> np.random.Generator:
    """SGD's generator for `seed`: PCG64 from SeedSequence(seed, spawn_key=(1,))."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(int(seed), spawn_key=(1,))))


class MiniBatchSGD(Optimizer):
    """Mini-batch stochastic gradient descent (Robbins & Monro 1951; Goodfellow, Bengio & Courville
    2016, Algorithm 8.1): each epoch shuffles the points with the seeded generator and, for each
    batch B of `batch_size` points in that order, θ ← θ − α ĝ_B with ĝ_B = (1/|B|) Σ_{i∈B} ∇ℓᵢ(θ)
    + λ[w, 0], the batch's estimate of ∇L(θ).

    The shuffles come from `shuffle_generator(seed)`, a stream independent of the random start's
    `default_rng(seed)` (the same seed serves both without the two sharing random bits)."""

    name = "sgd"
    source = "Robbins & Monro (1951); Goodfellow et al., Deep Learning (2016), Algorithm 8.1"

    def __init__(self, learning_rate: float, batch_size: int = 32, seed: int = 0) -> None:
        super().__init__(learning_rate)
        self.batch_size = int(batch_size)
        self.rng = shuffle_generator(seed)

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        order = self.rng.permutation(problem.m)
        for start in range(0, problem.m, self.batch_size):
            theta = theta - self.learning_rate * problem.gradient(theta, order[start:start + self.batch_size])
        return theta

    def state_to_json(self) -> dict[str, Any]:
        state = self.rng.bit_generator.state  # {"bit_generator": "PCG64", "state": {...ints}, ...}
        return {"rng": {"bit_generator": state["bit_generator"],
                        "state": {k: int(v) for k, v in state["state"].items()},
                        "has_uint32": int(state["has_uint32"]), "uinteger": int(state["uinteger"])}}

    def load_state(self, state: dict[str, Any]) -> None:
        try:
            rng = np.random.Generator(np.random.PCG64())
            rng.bit_generator.state = state["rng"]
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"the SGD state's random generator cannot be restored ({error})") from None
        self.rng = rng


class Momentum(Optimizer):
    """Classical momentum (Polyak 1964, in the form of Sutskever et al. 2013, eq. (1)–(2)):
    v ← β v − α ∇L(θ);  θ ← θ + v;  v starts at 0."""

    name = "momentum"
    source = "Polyak (1964); Sutskever, Martens, Dahl & Hinton (2013), eq. (1)–(2)"

    def __init__(self, learning_rate: float, momentum: float = 0.9) -> None:
        super().__init__(learning_rate)
        self.momentum = float(momentum)
        self.velocity: np.ndarray | None = None

    def _look(self, theta: np.ndarray, velocity: np.ndarray) -> np.ndarray:
        return theta

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        v = np.zeros_like(theta) if self.velocity is None else self.velocity
        v = self.momentum * v - self.learning_rate * problem.gradient(self._look(theta, v))
        self.velocity = v
        return theta + v

    def state_to_json(self) -> dict[str, Any]:
        return {"velocity": _list(self.velocity)}

    def load_state(self, state: dict[str, Any]) -> None:
        self.velocity = _vector(state, "velocity", None)


class Nesterov(Momentum):
    """Nesterov's accelerated gradient (Nesterov 1983, in the form of Sutskever et al. 2013,
    eq. (3)–(4)): v ← β v − α ∇L(θ + β v);  θ ← θ + v;  v starts at 0."""

    name = "nesterov"
    source = "Nesterov (1983); Sutskever, Martens, Dahl & Hinton (2013), eq. (3)–(4)"

    def _look(self, theta: np.ndarray, velocity: np.ndarray) -> np.ndarray:
        return theta + self.momentum * velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015, Algorithm 1): t ← t + 1; g = ∇L(θ);
    m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ = m/(1 − β₁ᵗ);  v̂ = v/(1 − β₂ᵗ);
    θ ← θ − α m̂/(√v̂ + ε);  m, v start at 0."""

    name = "adam"
    source = "Kingma & Ba, Adam: A Method for Stochastic Optimization (ICLR 2015), Algorithm 1"

    def __init__(self, learning_rate: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(learning_rate)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.t = 0
        self.m: np.ndarray | None = None
        self.v: np.ndarray | None = None

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        g = problem.gradient(theta)
        m = np.zeros_like(theta) if self.m is None else self.m
        v = np.zeros_like(theta) if self.v is None else self.v
        self.t += 1
        self.m = self.beta1 * m + (1 - self.beta1) * g
        self.v = self.beta2 * v + (1 - self.beta2) * g * g
        m_hat = self.m / (1 - self.beta1 ** self.t)
        v_hat = self.v / (1 - self.beta2 ** self.t)
        return theta - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.eps)

    def state_to_json(self) -> dict[str, Any]:
        return {"t": self.t, "m": _list(self.m), "v": _list(self.v)}

    def load_state(self, state: dict[str, Any]) -> None:
        t = state.get("t", 0)
        if isinstance(t, bool) or not isinstance(t, int) or t < 0:
            raise ValueError("the Adam state's step count t must be a whole number ≥ 0")
        self.t, self.m, self.v = t, _vector(state, "m", None), _vector(state, "v", None)


class Newton(Optimizer):
    """Newton's method (Boyd & Vandenberghe, Convex Optimization 2004, §9.5): θ ← θ − (∇²L)⁻¹∇L,
    the full step (no learning rate: α is not used). For logistic regression this is iteratively
    reweighted least squares (Hastie, Tibshirani & Friedman 2009, §4.4.1). A singular Hessian
    (λ = 0 on separable points) takes the least-squares (pseudo-inverse) step."""

    name = "newton"
    source = "Boyd & Vandenberghe, Convex Optimization (2004), §9.5"

    def epoch(self, theta: np.ndarray, problem: Problem) -> np.ndarray:
        g, H = problem.gradient(theta), problem.hessian(theta)
        try:
            step = np.linalg.solve(H, g)
            if not np.isfinite(step).all():
                raise np.linalg.LinAlgError
        except np.linalg.LinAlgError:
            try:
                step = np.linalg.lstsq(H, g, rcond=None)[0]
            except np.linalg.LinAlgError:  # a Hessian of NaN: the trainer sees a divergence
                step = np.full_like(theta, np.nan)
        return theta - step


_CLASSES: dict[str, Callable[..., Optimizer]] = {
    cls.name: cls for cls in (GradientDescent, MiniBatchSGD, Momentum, Nesterov, Adam, Newton)}


def markdown_table() -> str:
    """The optimizers' parameters as the README's table (tests/test_readme_models.py keeps them equal)."""
    users = {name: [o for o, params in OPTIMIZER_PARAMETERS.items() if name in params] for name in OPTIMIZER_SPECS}
    rows = ["| option | default | range | used by | what it is |", "|---|---|---|---|---|"]
    rows += [f"| `--{spec.name.replace('_', '-')}` | {spec.default:g} | {spec.describe_range()} | "
             f"{', '.join(users[spec.name])} | {spec.meaning} |" for spec in OPTIMIZER_SPECS.values()]
    return "\n".join(rows)


@dataclass(frozen=True)
class OptimizerSettings:
    """Which optimizer and its hyper-parameters, checked against OPTIMIZER_SPECS (ValueError)."""

    name: str = DEFAULT_OPTIMIZER
    batch_size: int = OPTIMIZER_SPECS["batch_size"].default
    momentum: float = OPTIMIZER_SPECS["momentum"].default
    beta1: float = OPTIMIZER_SPECS["beta1"].default
    beta2: float = OPTIMIZER_SPECS["beta2"].default
    eps: float = OPTIMIZER_SPECS["eps"].default

    def __post_init__(self) -> None:
        if self.name not in OPTIMIZER_CHOICES:
            raise ValueError(f"the optimizer must be one of {', '.join(OPTIMIZER_CHOICES)}, not {self.name!r}")
        for name, spec in OPTIMIZER_SPECS.items():
            object.__setattr__(self, name, spec.check(getattr(self, name)))

    def build(self, learning_rate: float, seed: int = 0) -> Optimizer:
        """A fresh optimizer (zero velocity / moments; SGD's generator seeded with `seed`)."""
        kwargs = {name: getattr(self, name) for name in OPTIMIZER_PARAMETERS[self.name]}
        if self.name == "sgd":
            kwargs["seed"] = seed
        return _CLASSES[self.name](learning_rate, **kwargs)

    def describe(self, learning_rate: float) -> str:
        """A short label, e.g. "momentum β=0.9, α=0.1" (for a legend or a summary)."""
        symbols = {"batch_size": "B", "momentum": "β", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}
        parts = [f"{symbols[p]}={getattr(self, p):g}" for p in OPTIMIZER_PARAMETERS[self.name]]
        if self.name != "newton":
            parts.append(f"α={learning_rate:g}")
        return f"{self.name} {', '.join(parts)}".strip()


__all__ = ["DEFAULT_OPTIMIZER", "OPTIMIZER_CHOICES", "OPTIMIZER_PARAMETERS", "OPTIMIZER_SPECS", "Adam",
           "GradientDescent", "MiniBatchSGD", "Momentum", "Nesterov", "Newton", "Optimizer", "OptimizerSettings",
           "Problem", "markdown_table", "shuffle_generator"]
