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

Divergence: an epoch whose loss or gradient is not finite is never recorded; the trainer
keeps the last finite state and stops. A parameter that leaves float64 while the loss stays
finite (e.g. a bias of −inf on one class) is caught after the loop, per row, and cut the
same way. So no NaN or inf ever leaves the trainer, and overflow is expected and silenced
locally (np.errstate), never reported as a NumPy warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model import LossEvaluator, binary_labels
from lrviz.core.wording import counted

STOP_MAX_EPOCHS = "max_epochs"
STOP_CONVERGED = "converged"
STOP_DIVERGED = "diverged"

_INIT_CHOICES = ("zeros", "random")
_RANDOM_INIT_SCALE = 0.01
_FIRST_CAPACITY = 1 << 16  # rows preallocated by run(); doubled when a long run needs more


@dataclass(frozen=True)
class StopInfo:
    """Why training stopped: `kind` is a STOP_* constant, `epoch` the last good epoch."""

    kind: str
    epoch: int
    message: str


@dataclass(frozen=True)
class EpochRecord:
    """The state after `epoch` updates (epoch 0: the initial parameters).

    `stop` says why training stopped when a stop rule holds at this state (None while it
    can go on), so the record of the last epoch alone explains the end, e.g. a divergence.
    """

    epoch: int
    w: np.ndarray  # (n,), raw coordinates
    b: float
    loss: float  # at exactly this (w, b)
    grad_w: np.ndarray  # at this (w, b), in the coordinates trained on
    grad_b: float
    grad_norm: float  # √(‖∂L/∂w‖² + (∂L/∂b)²)
    stop: StopInfo | None = None


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


def _norm(vector: np.ndarray) -> float:
    """Euclidean norm without overflow of the squares (math.hypot scales); cheaper than a dot for few entries."""
    return math.hypot(*vector.tolist())


def _below(value: float, limit: float) -> str:
    """`value` (< limit) with as few significant digits as show that it is below `limit`:
    never "0.001 < 0.001"."""
    for digits in (3, 6, 9, 17):
        text = f"{value:.{digits}g}"
        if float(text) < limit:
            return text
    return repr(value)


def _validated_data(X: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """(X as float64, the labels as given): no copy of either when they are arrays already."""
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
    if not np.isfinite(X).all():
        raise ValueError("the points contain NaN or infinite coordinates")
    if not binary_labels(y):
        raise ValueError("every label must be 0 or 1")
    return X, y


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
        if not math.isfinite(float(b0)):
            raise ValueError("b0 must be a finite number")
        if w0 is not None:
            w_raw = np.asarray(w0, dtype=float).reshape(-1)
            if w_raw.shape != (self._n,) or not np.all(np.isfinite(w_raw)):
                raise ValueError(f"w0 must hold {self._n} finite numbers")
            self._theta = self._theta_from_raw(w_raw, float(b0))
        elif init == "random":  # small weights in the coordinates trained on, like scikit-learn's SGD
            w_trained = np.random.default_rng(seed).normal(0.0, _RANDOM_INIT_SCALE, self._n)
            self._theta = self._theta_from_raw(w_trained / self._std, float(b0))
            self._theta[: self._n] = w_trained
        else:
            self._theta = self._theta_from_raw(np.zeros(self._n), float(b0))
        # The state of the newest epoch: θ, its loss, Aᵀσ (the gradient's data term times m,
        # see LossEvaluator.sums; the gradient itself is formed when asked for) and its norm.
        self._loss, self._gsum, self._grad_norm = self._state_at(self._theta, self._evaluator)
        # _descend's buffers, kept between runs: the spare Aᵀσ (swapped with _gsum), step, gradient
        self._scratch = np.empty(self._n + 1), np.empty(self._n + 1), np.empty(self._n + 1)
        self.set_stop_rules(max_epochs, tol)

    # -- coordinates ---------------------------------------------------------------------------
    def _set_scaling(self, X: np.ndarray) -> None:
        n = X.shape[1]
        self._mean, self._std = np.zeros(n), np.ones(n)
        if not self._standardize:
            return
        # Statistics of X / max|X|: no overflow even for coordinates near 1e308.
        scale = np.max(np.abs(X), axis=0)
        scale[scale == 0] = 1.0
        with np.errstate(under="ignore"):
            Z = X / scale
            mean = Z.mean(axis=0) * scale
            std = Z.std(axis=0) * scale
        # A constant column (up to rounding) keeps std 1 and its exact value as mean: it then
        # trains as a column of exact zeros instead of amplified rounding noise.
        constant = (X.max(axis=0) == X.min(axis=0)) | (std <= 1e-12 * scale)
        self._mean = np.where(constant, X[0], mean)
        self._std = np.where(constant, 1.0, std)

    def _scaled(self, X: np.ndarray) -> np.ndarray:
        if not self._standardize:
            return X
        with np.errstate(over="ignore", invalid="ignore"):
            Z = (X - self._mean) / self._std
        if not np.all(np.isfinite(Z)):  # only for points spread over ±1e308
            raise ValueError("the points span too wide a range to standardize; rescale them")
        return Z

    def _theta_from_raw(self, w: np.ndarray, b: float) -> np.ndarray:
        theta = np.empty(self._n + 1)
        if not self._standardize:
            theta[: self._n], theta[self._n] = w, b
            return theta
        # w·x + b = (w·std)·(x − mean)/std + (b + w·mean)
        with np.errstate(over="ignore", invalid="ignore"):
            np.multiply(w, self._std, out=theta[: self._n])
            theta[self._n] = b + float(w @ self._mean)
        return theta

    def _raw_from_thetas(self, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(W, b) in raw coordinates for a (k, n+1) array of θ rows (fresh arrays)."""
        if not self._standardize:
            return thetas[:, : self._n].copy(), thetas[:, self._n].copy()
        with np.errstate(over="ignore", invalid="ignore"):
            W = thetas[:, : self._n] / self._std
            b = thetas[:, self._n].copy()
            for j in range(self._n):  # one feature at a time: the same rounding for any k rows
                b -= W[:, j] * self._mean[j]
        return W, b

    def _gradient(self, theta: np.ndarray, gsum: np.ndarray, l2: float, out: np.ndarray) -> np.ndarray:
        """∂L/∂θ = Aᵀσ/m + λ[w, 0] (3-8), (3-10) from the sums of LossEvaluator.sums, into `out`."""
        np.multiply(gsum, 1.0 / self._evaluator.m, out=out)
        if l2:
            out[: self._n] += l2 * theta[: self._n]
        return out

    def _state_at(self, theta: np.ndarray, evaluator: LossEvaluator,
                  l2: float | None = None) -> tuple[float, np.ndarray, float]:
        """(loss, Aᵀσ, gradient norm) at θ; ValueError when any of it, or θ in raw coordinates, is not finite."""
        l2 = self._l2 if l2 is None else l2
        gsum = np.empty(self._n + 1)
        with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
            m = evaluator.m
            at_zero = not any(theta.tolist())  # the usual start: no exp needed
            loss = (evaluator.sums_at_zero(gsum) if at_zero else evaluator.sums(theta, gsum)) / m
            if l2:
                w = theta[: self._n]
                loss += 0.5 * l2 * float(w @ w)
                grad = gsum / m
                grad[: self._n] += l2 * w
                grad_norm = _norm(grad)
            else:
                grad_norm = _norm(gsum) / m
            finite = math.isfinite(loss + grad_norm) and all(map(math.isfinite, theta.tolist()))
            if finite and self._standardize:
                W, b = self._raw_from_thetas(theta[None, :])
                finite = bool(np.isfinite(W).all()) and math.isfinite(b[0])
        if not finite:
            raise ValueError("these parameters give a loss too large for float64 on these points; "
                             "choose smaller weights")
        return float(loss), gsum, grad_norm

    # -- public state ------------------------------------------------------------------------------
    @property
    def current(self) -> EpochRecord:
        W, b = self._raw_from_thetas(self._theta[None, :])
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            grad = self._gradient(self._theta, self._gsum, self._l2, np.empty(self._n + 1))
        return EpochRecord(
            epoch=self._epoch, w=W[0], b=float(b[0]), loss=float(self._loss),
            grad_w=grad[: self._n], grad_b=float(grad[self._n]),
            grad_norm=float(self._grad_norm), stop=self._stop,
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

    @property
    def scaling(self) -> tuple[np.ndarray, np.ndarray]:
        """(mean, std) of the standardization, copies (zeros and ones without it): the trained
        x is (x − mean)/std, and raw (w, b) map to (w·std, b + w·mean) there."""
        return self._mean.copy(), self._std.copy()

    # -- live edits ---------------------------------------------------------------------------------
    def set_learning_rate(self, learning_rate: float) -> None:
        self._learning_rate = _check_positive("learning rate", learning_rate)

    def set_l2(self, l2: float) -> None:
        """A new λ; the loss and gradient at the same (w, b) are recomputed (ValueError keeps the old λ)."""
        l2 = _check_l2(l2)
        if l2 == self._l2:
            return
        evaluator = self._evaluator
        self._loss, self._gsum, self._grad_norm = self._state_at(self._theta, evaluator, l2)
        evaluator.l2 = l2
        self._l2 = l2
        self._recheck_stop()

    def set_data(self, X: ArrayLike, y: ArrayLike) -> None:
        """New points; the raw (w, b) stay, the loss and gradient are recomputed for them.

        On a ValueError nothing changes: the trainer keeps its old points.
        """
        X, y = _validated_data(X, y)
        if X.shape[1] != self._n:
            raise ValueError(f"the points must have {self._n} features, not {X.shape[1]}")
        W, b = self._raw_from_thetas(self._theta[None, :])
        old_scaling = self._mean, self._std
        try:
            self._set_scaling(X)
            evaluator = LossEvaluator(self._scaled(X), y, self._l2)
            theta = self._theta_from_raw(W[0], float(b[0]))
            state = self._state_at(theta, evaluator)
        except ValueError:
            self._mean, self._std = old_scaling
            raise
        self._evaluator, self._theta = evaluator, theta
        self._loss, self._gsum, self._grad_norm = state
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
                                  f"gradient norm {_below(self._grad_norm, self._tol)} < {self._tol:g} "
                                  f"at epoch {self._epoch:,}")
        elif self._max_epochs is not None and self._epoch >= self._max_epochs:
            self._stop = StopInfo(STOP_MAX_EPOCHS, self._epoch,
                                  f"reached the maximum of {counted(self._max_epochs, 'epoch')}")

    # -- training ------------------------------------------------------------------------------------
    def step(self) -> EpochRecord:
        """One epoch; returns the new current record (the same one if a stop rule already holds).

        The record's `stop` is set once a stop rule holds, so a caller stepping epoch by epoch
        learns why training ended from the record alone.
        """
        self.run(1)
        return self.current

    def run(self, epochs: int) -> History:
        """Up to `epochs` epochs (fewer when a stop rule fires); the records of the new epochs."""
        epochs = int(epochs)
        if self._max_epochs is not None:
            epochs = min(epochs, self._max_epochs - self._epoch)
        if self._stop is not None or epochs <= 0:
            return self._history(np.empty((0, self._n + 1)), np.empty(0), np.empty(0))
        # Preallocated, grown by doubling: a run(10**9) that converges early costs no 24 GB.
        capacity = min(epochs, _FIRST_CAPACITY)
        thetas, losses, norms = np.empty((capacity, self._n + 1)), np.empty(capacity), np.empty(capacity)
        done = 0
        before = self._theta, self._loss, self._grad_norm  # _descend never writes into self._theta
        # _descend swaps _gsum with a scratch buffer each epoch: an interrupt (Ctrl+C) in it would
        # leave a later epoch's gradient with this θ. A copy (p floats) restores the held state.
        gsum_before, stop_before = self._gsum.copy(), self._stop
        try:
            with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
                while True:
                    done, finished = self._descend(thetas, losses, norms, done, min(epochs, capacity))
                    if finished or done == epochs:
                        break
                    capacity = min(2 * capacity, epochs)
                    thetas = np.resize(thetas, (capacity, self._n + 1))
                    losses, norms = np.resize(losses, capacity), np.resize(norms, capacity)
        except BaseException:  # KeyboardInterrupt above all: the trainer stays at its epoch
            (self._theta, self._loss, self._grad_norm), self._gsum, self._stop = before, gsum_before, stop_before
            self._scratch = np.empty(self._n + 1), np.empty(self._n + 1), np.empty(self._n + 1)
            raise
        with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
            W, b = self._raw_from_thetas(thetas[:done])
            # one sum for the usual case; a NaN or inf anywhere makes it non-finite (a finite sum
            # that overflows only sends us to the row-by-row check below)
            finite = math.isfinite(float(np.add.reduce(thetas[:done], axis=None))) and (
                not self._standardize or bool(np.isfinite(W).all() and np.isfinite(b).all()))
        if not finite:
            bad = ~(np.isfinite(W).all(axis=1) & np.isfinite(b) & np.isfinite(thetas[:done]).all(axis=1))
            finite = not bad.any()
        if not finite:
            # θ (or θ in raw coordinates) left float64 while the loss stayed finite, e.g. a bias
            # of −inf on one class: cut there and restore the last finite state exactly.
            done = int(np.argmax(bad))
            self._diverged(self._epoch + done)
            if done:
                self._theta = thetas[done - 1].copy()
                self._loss, self._grad_norm = float(losses[done - 1]), float(norms[done - 1])
            else:
                self._theta, self._loss, self._grad_norm = before
            with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
                self._evaluator.sums(self._theta, self._gsum)  # deterministic: the same Aᵀσ as then
            W, b = W[:done].copy(), b[:done].copy()
        self._epoch += done
        if self._stop is None:
            self._recheck_stop()
        if done < len(losses):  # trim: copies, so the big preallocated arrays are freed
            losses, norms = losses[:done].copy(), norms[:done].copy()
        return History(epochs=np.arange(self._epoch - done + 1, self._epoch + 1, dtype=np.int64),
                       W=W, b=b, loss=losses, grad_norm=norms, stop=self._stop)

    def _descend(self, thetas: np.ndarray, losses: np.ndarray, norms: np.ndarray,
                 done: int, until: int) -> tuple[int, bool]:
        """Epochs into rows done … until−1; returns (rows filled, whether a stop rule fired).

        One loss-and-gradient pass per epoch: the state (θₖ, Lₖ, gₖ) is held, the update
        θₖ₊₁ = θₖ − α gₖ (4-2), (4-3) takes every parameter from the old values, then one pass
        gives Lₖ₊₁ and gₖ₊₁ at exactly θₖ₊₁. Without λ the step is (α/m)·Aᵀσ and the gradient
        is never formed: a few NumPy calls fewer per epoch, which is most of an epoch at m = 100.
        Call inside np.errstate (overflow is detected here).
        """
        theta, gsum = self._theta, self._gsum
        spare, step, grad = self._scratch
        m, n, l2 = self._evaluator.m, self._n, self._l2
        sums, rate, tol = self._evaluator.sums, self._learning_rate, self._tol
        multiply, subtract, isfinite, hypot = np.multiply, np.subtract, math.isfinite, math.hypot
        half_l2, inverse_m = 0.5 * l2, 1.0 / m
        scaled_rate = np.float64(rate * inverse_m)  # NumPy scalars: no conversion in each call
        rate = np.float64(rate)
        if l2:
            grad = self._gradient(theta, gsum, l2, grad)
        finished = False
        while done < until:
            new_theta = thetas[done]
            if l2:
                multiply(grad, rate, out=step)
            else:
                multiply(gsum, scaled_rate, out=step)
            subtract(theta, step, out=new_theta)
            loss = sums(new_theta, spare) * inverse_m
            if l2:
                w = new_theta[:n]
                loss += half_l2 * float(w @ w)
                norm = hypot(*self._gradient(new_theta, spare, l2, grad).tolist())
            else:
                norm = hypot(*spare.tolist()) * inverse_m
            if not isfinite(loss + norm):  # both are ≥ 0 or NaN: the sum is finite iff both are
                self._diverged(self._epoch + done)
                finished = True
                break
            losses[done] = loss
            norms[done] = norm
            theta, gsum, spare = new_theta, spare, gsum
            done += 1
            if tol is not None and norm < tol:
                finished = True
                break
        if theta is not self._theta:
            self._theta = theta.copy()
            self._loss, self._grad_norm = float(losses[done - 1]), float(norms[done - 1])
        self._gsum = gsum
        self._scratch = spare, step, grad
        return done, finished

    def _diverged(self, last_good_epoch: int) -> None:
        self._stop = StopInfo(STOP_DIVERGED, last_good_epoch,
                              f"diverged at epoch {last_good_epoch + 1}; lower the learning rate")

    def _history(self, thetas: np.ndarray, losses: np.ndarray, norms: np.ndarray) -> History:
        W, b = self._raw_from_thetas(thetas)
        epochs = np.arange(self._epoch - len(losses) + 1, self._epoch + 1, dtype=np.int64)
        return History(epochs=epochs, W=W, b=b, loss=losses, grad_norm=norms, stop=self._stop)
