"""Full-batch gradient descent on the logistic regression of `model.py`.

Shapes::

    X  (m, n) points;  y (m,) labels 0/1;  θ = (w₁ … wₙ, b)  (n+1,)
    History.W  (k, n);  History.b, .loss, .grad_norm  (k,);  History.epochs  (k,) int64

The trainer holds the state of the newest epoch k: θₖ, its loss Lₖ and gradient gₖ.
One epoch is θₖ₊₁ = θₖ − α gₖ ((4-2), (4-3): every parameter from the old values), then
one pass over the data gives Lₖ₊₁ and gₖ₊₁ at θₖ₊₁. So the loss in a record is always the
loss at exactly that record's parameters, and epoch 0 is the initial state.

With `standardize=True` the trainer works on (x − mean)/std internally, and every
parameter it reports is converted back to the raw coordinates of the points: the
learner sees the boundary of the points they placed. The L2 penalty then applies to
the standardized weights, as scikit-learn does on standardized data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model import LossEvaluator

STOP_MAX_EPOCHS = "max_epochs"
STOP_CONVERGED = "converged"
STOP_DIVERGED = "diverged"

_INIT_CHOICES = ("zeros", "random")
_RANDOM_INIT_SCALE = 0.01


@dataclass(frozen=True)
class EpochRecord:
    """The state after `epoch` updates (epoch 0: the initial parameters)."""

    epoch: int
    w: np.ndarray  # (n,), raw coordinates
    b: float
    loss: float  # at exactly this (w, b)
    grad_w: np.ndarray  # at this (w, b), in the coordinates trained on
    grad_b: float
    grad_norm: float  # √(‖∂L/∂w‖² + (∂L/∂b)²)


@dataclass(frozen=True)
class StopInfo:
    """Why training stopped: `kind` is a STOP_* constant, `epoch` the last good epoch."""

    kind: str
    epoch: int
    message: str


@dataclass(frozen=True)
class History:
    """The records of consecutive epochs as arrays; the trainer never touches them again."""

    epochs: np.ndarray
    W: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    stop: StopInfo | None = None

    def __len__(self) -> int:
        return len(self.epochs)


def _validated_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"the points must form a 2-D array (m, n); got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("there are no points to train on: place some points first")
    if X.shape[1] == 0:
        raise ValueError("the points have no features")
    if y.shape != (X.shape[0],):
        raise ValueError(f"there are {X.shape[0]} points but {y.size} labels")
    if not np.all(np.isfinite(X)):
        raise ValueError("the points contain NaN or infinite coordinates")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("every label must be 0 or 1")
    return X, y.astype(float)


def _check_positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"the {name} must be a positive finite number, not {value:g}")
    return value


def _check_l2(l2: float) -> float:
    l2 = float(l2)
    if not math.isfinite(l2) or l2 < 0:
        raise ValueError(f"the L2 strength λ must be 0 or positive, not {l2:g}")
    return l2


class Trainer:
    """Gradient descent on one data set, one epoch at a time or many at once."""

    def __init__(
        self,
        X: ArrayLike,
        y: ArrayLike,
        learning_rate: float = 0.1,
        l2: float = 0.0,
        standardize: bool = False,
        seed: int = 0,
        w0: ArrayLike | None = None,
        b0: float = 0.0,
        init: str = "zeros",
        max_epochs: int | None = None,
        tol: float | None = None,
        start_epoch: int = 0,
    ) -> None:
        """`start_epoch` numbers the starting state, to resume a saved session at (w0, b0)."""
        X, y = _validated_data(X, y)
        if init not in _INIT_CHOICES:
            raise ValueError(f"init must be one of {', '.join(_INIT_CHOICES)}, not {init!r}")
        self._learning_rate = _check_positive("learning rate", learning_rate)
        self._l2 = _check_l2(l2)
        self._standardize = bool(standardize)
        self._n = X.shape[1]
        if int(start_epoch) < 0:
            raise ValueError("start_epoch must be 0 or more")
        self._epoch = int(start_epoch)
        self._stop: StopInfo | None = None
        self._max_epochs: int | None = None
        self._tol: float | None = None
        self._set_scaling(X)
        self._evaluator = LossEvaluator(self._scaled(X), y, self._l2)

        if w0 is not None:
            w_raw = np.asarray(w0, dtype=float).reshape(-1)
            if w_raw.shape != (self._n,) or not np.all(np.isfinite(w_raw)):
                raise ValueError(f"w0 must hold {self._n} finite numbers")
            if not math.isfinite(float(b0)):
                raise ValueError("b0 must be a finite number")
            self._theta = self._theta_from_raw(w_raw, float(b0))
        elif init == "random":
            rng = np.random.default_rng(seed)
            self._theta = np.zeros(self._n + 1)
            self._theta[: self._n] = rng.normal(0.0, _RANDOM_INIT_SCALE, self._n)
        else:
            self._theta = self._theta_from_raw(np.zeros(self._n), float(b0))
        self._evaluate_current()
        if not (math.isfinite(self._loss) and math.isfinite(self._grad_norm)):
            raise ValueError("the starting parameters give a non-finite loss; choose smaller ones")
        self.set_stop_rules(max_epochs, tol)

    # -- coordinates ---------------------------------------------------------------------------
    def _set_scaling(self, X: np.ndarray) -> None:
        if self._standardize:
            self._mean = X.mean(axis=0)
            std = X.std(axis=0)
            self._std = np.where(std > 0, std, 1.0)
        else:
            self._mean = np.zeros(X.shape[1])
            self._std = np.ones(X.shape[1])

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        return (X - self._mean) / self._std if self._standardize else X

    def _theta_from_raw(self, w: np.ndarray, b: float) -> np.ndarray:
        # w·x + b = (w·std)·(x − mean)/std + (b + w·mean)
        return np.append(w * self._std, b + float(w @ self._mean))

    def _raw_from_thetas(self, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(W, b) in raw coordinates for a (k, n+1) array of θ rows."""
        w_scaled = thetas[:, : self._n]
        if not self._standardize:
            return w_scaled.copy(), thetas[:, self._n].copy()
        W = w_scaled / self._std
        return W, thetas[:, self._n] - W @ self._mean

    def _evaluate_current(self) -> None:
        with np.errstate(over="ignore", invalid="ignore"):
            self._loss, self._grad = self._evaluator.evaluate(self._theta)
            self._grad_norm = math.sqrt(float(self._grad @ self._grad))

    # -- public state ------------------------------------------------------------------------------
    @property
    def current(self) -> EpochRecord:
        W, b = self._raw_from_thetas(self._theta[None, :])
        return EpochRecord(
            epoch=self._epoch, w=W[0], b=float(b[0]), loss=float(self._loss),
            grad_w=self._grad[: self._n].copy(), grad_b=float(self._grad[self._n]),
            grad_norm=float(self._grad_norm),
        )

    @property
    def stop(self) -> StopInfo | None:
        return self._stop

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @property
    def l2(self) -> float:
        return self._l2

    @property
    def standardize(self) -> bool:
        return self._standardize

    # -- live edits ---------------------------------------------------------------------------------
    def set_learning_rate(self, learning_rate: float) -> None:
        self._learning_rate = _check_positive("learning rate", learning_rate)

    def set_l2(self, l2: float) -> None:
        self._l2 = _check_l2(l2)
        self._evaluator.l2 = self._l2
        self._evaluate_current()
        self._recheck_stop()

    def set_data(self, X: ArrayLike, y: ArrayLike) -> None:
        """New points; the raw (w, b) stay, the loss and gradient are recomputed for them."""
        X, y = _validated_data(X, y)
        if X.shape[1] != self._n:
            raise ValueError(f"the points must have {self._n} features, not {X.shape[1]}")
        W, b = self._raw_from_thetas(self._theta[None, :])
        self._set_scaling(X)
        self._evaluator = LossEvaluator(self._scaled(X), y, self._l2)
        self._theta = self._theta_from_raw(W[0], float(b[0]))
        self._evaluate_current()
        self._recheck_stop()

    def set_stop_rules(self, max_epochs: int | None, tol: float | None) -> None:
        """Change the stop rules; a max-epochs or converged stop that no longer holds is lifted."""
        if max_epochs is not None and int(max_epochs) < 0:
            raise ValueError("max_epochs must be 0 or more")
        if tol is not None and (not math.isfinite(float(tol)) or float(tol) < 0):
            raise ValueError("the tolerance must be 0 or a positive number")
        self._max_epochs = None if max_epochs is None else int(max_epochs)
        self._tol = None if tol is None or float(tol) == 0 else float(tol)
        self._recheck_stop()

    def _recheck_stop(self) -> None:
        if self._stop is not None and self._stop.kind == STOP_DIVERGED:
            return
        self._stop = None
        if self._tol is not None and self._grad_norm < self._tol:
            self._stop = StopInfo(STOP_CONVERGED, self._epoch,
                                  f"gradient norm {self._grad_norm:.3g} < {self._tol:g} at epoch {self._epoch}")
        elif self._max_epochs is not None and self._epoch >= self._max_epochs:
            self._stop = StopInfo(STOP_MAX_EPOCHS, self._epoch,
                                  f"reached the maximum of {self._max_epochs:,} epochs")

    # -- training ------------------------------------------------------------------------------------
    def step(self) -> EpochRecord:
        """One epoch; returns the new current record (the same one if a stop rule already holds)."""
        self.run(1)
        return self.current

    def run(self, epochs: int) -> History:
        """Up to `epochs` epochs (fewer when a stop rule fires); the records of the new epochs."""
        epochs = int(epochs)
        if self._stop is not None or epochs <= 0:
            return self._history(np.empty((0, self._n + 1)), np.empty(0), np.empty(0), 0)
        if self._max_epochs is not None:
            epochs = min(epochs, self._max_epochs - self._epoch)
        thetas = np.empty((epochs, self._n + 1))
        losses = np.empty(epochs)
        norms = np.empty(epochs)
        theta, grad = self._theta, self._grad
        step = np.empty_like(theta)
        evaluate = self._evaluator.evaluate
        rate, tol = self._learning_rate, self._tol
        done = 0
        with np.errstate(over="ignore", invalid="ignore"):
            while done < epochs:
                np.multiply(grad, rate, out=step)
                new_theta = theta - step  # (4-2), (4-3): all parameters from the old ones
                loss, new_grad = evaluate(new_theta)
                norm = math.sqrt(float(new_grad @ new_grad))
                if not (math.isfinite(loss) and math.isfinite(norm)):
                    self._stop = StopInfo(
                        STOP_DIVERGED, self._epoch + done,
                        f"diverged at epoch {self._epoch + done + 1}; lower the learning rate")
                    break
                theta, grad = new_theta, new_grad
                thetas[done] = theta
                losses[done] = loss
                norms[done] = norm
                done += 1
                if tol is not None and norm < tol:
                    break
        if done:
            self._theta, self._grad = theta, grad
            self._loss, self._grad_norm = float(losses[done - 1]), float(norms[done - 1])
        self._epoch += done
        if self._stop is None:
            self._recheck_stop()
        return self._history(thetas[:done], losses[:done], norms[:done], done)

    def _history(self, thetas: np.ndarray, losses: np.ndarray, norms: np.ndarray, done: int) -> History:
        W, b = self._raw_from_thetas(thetas)
        epochs = np.arange(self._epoch - done + 1, self._epoch + 1, dtype=np.int64)
        stop = self._stop if done or self._stop is not None else None
        return History(epochs=epochs, W=W, b=b, loss=losses.copy(), grad_norm=norms.copy(), stop=stop)
