"""A Trainer whose epochs are taken by one of `optim.py`'s update rules, with a checkpoint.

It is a `Trainer` (the same construction, standardization, raw-coordinate reporting, stop
rules, divergence handling and `History` rows); only the epoch differs. After each epoch the
row's loss and gradient norm are computed on ALL the points at exactly that row's θ (with the
engine's `LossEvaluator`), whatever the optimizer used to get there (a mini-batch, a
look-ahead point), so the loss curves of different optimizers compare fairly.

The tutorial's gradient descent keeps its fast path in `Trainer` (this class does not change
it); `OptimizedTrainer` with "gd" takes the same steps through `optim.GradientDescent`, equal
to `Trainer` up to rounding (a test checks 1e-12).

`checkpoint()` is the state of the run as plain JSON data: the epoch, θ in the coordinates
trained on (exact, no round trip through raw coordinates), the optimizer and its state.
`OptimizedTrainer(..., resume=checkpoint)` continues exactly where it was.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.optim import Optimizer, OptimizerSettings, Problem
from lrviz.core.trainer import STOP_DIVERGED, Trainer, _validated_data

CHECKPOINT_FORMAT = "lrviz-optimizer-state/1"


class OptimizedTrainer(Trainer):
    """Training with `optimizer` (an OptimizerSettings; gradient descent by default)."""

    def __init__(self, X: ArrayLike, y: ArrayLike, optimizer: OptimizerSettings | None = None,
                 resume: dict[str, Any] | None = None, **trainer_arguments: Any) -> None:
        """`trainer_arguments` are Trainer's (learning_rate, l2, standardize, seed, w0, b0, …);
        `seed` also seeds SGD's shuffles. `resume`: a `checkpoint()` of a run on the same points
        and settings; it sets the epoch, θ and the optimizer's state (ValueError if it does not fit)."""
        self._settings = optimizer or OptimizerSettings()
        if resume is not None:
            trainer_arguments["start_epoch"] = _checkpoint_epoch(resume)
        super().__init__(X, y, **trainer_arguments)
        X_checked, y_checked = _validated_data(X, y)
        self._problem = Problem(self._scaled(X_checked), y_checked, self._l2)
        self._optimizer: Optimizer = self._settings.build(self._learning_rate, int(trainer_arguments.get("seed", 0)))
        if resume is not None:
            self._resume(resume)

    # -- the optimizer ------------------------------------------------------------------------------
    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @property
    def optimizer_settings(self) -> OptimizerSettings:
        return self._settings

    @property
    def problem(self) -> Problem:
        """The loss the next epoch descends (the points and λ in the coordinates trained on)."""
        return self._problem

    @property
    def theta(self) -> np.ndarray:
        """θ = (w, b) in the coordinates trained on (standardized when the trainer standardizes), a copy."""
        return self._theta.copy()

    def set_learning_rate(self, learning_rate: float) -> None:
        super().set_learning_rate(learning_rate)
        self._optimizer.learning_rate = self._learning_rate

    def set_l2(self, l2: float) -> None:
        super().set_l2(l2)
        self._problem.l2 = self._l2

    def set_data(self, X: ArrayLike, y: ArrayLike) -> None:
        """New points (see Trainer.set_data); the optimizer's state (in the coordinates trained on) is kept."""
        super().set_data(X, y)
        X, y = _validated_data(X, y)
        self._problem = Problem(self._scaled(X), y, self._l2)

    # -- checkpoint -----------------------------------------------------------------------------------
    def checkpoint(self) -> dict[str, Any]:
        """The run's state as plain JSON data; ValueError after a divergence (nothing to resume)."""
        if self._stop is not None and self._stop.kind == STOP_DIVERGED:
            raise ValueError("a diverged run cannot be resumed; reset it or lower the learning rate")
        return {"format": CHECKPOINT_FORMAT, "optimizer": self._settings.name,
                "hyper": dict(self._optimizer.hyper), "epoch": self._epoch,
                "theta": [float(v) for v in self._theta], "state": self._optimizer.state_to_json()}

    def _resume(self, checkpoint: dict[str, Any]) -> None:
        if checkpoint.get("optimizer") != self._settings.name:
            raise ValueError(f"the checkpoint is of the optimizer {checkpoint.get('optimizer')!r}, "
                             f"not {self._settings.name!r}")
        theta = np.asarray(checkpoint.get("theta"), dtype=float)
        if theta.shape != (self._n + 1,) or not np.isfinite(theta).all():
            raise ValueError(f"the checkpoint's theta must hold {self._n + 1} finite numbers")
        state = checkpoint.get("state")
        if not isinstance(state, dict):
            raise ValueError("the checkpoint's state must be an object")  # noqa: TRY004 (bad data, as a file reader reports it)
        self._optimizer.load_state(state)
        self._theta = theta.copy()
        self._loss, self._gsum, self._grad_norm = self._state_at(self._theta, self._evaluator)
        self._recheck_stop()

    # -- one epoch --------------------------------------------------------------------------------
    def _descend(self, thetas: np.ndarray, losses: np.ndarray, norms: np.ndarray,
                 done: int, until: int) -> tuple[int, bool]:
        """Trainer._descend's contract, with the optimizer's epoch in place of (4-2), (4-3)."""
        theta, gsum = self._theta, self._gsum
        spare, _, grad = self._scratch
        m, n, l2, tol = self._evaluator.m, self._n, self._l2, self._tol
        finished = False
        while done < until:
            new_theta = thetas[done]
            new_theta[:] = self._optimizer.epoch(theta, self._problem)
            loss = self._evaluator.sums(new_theta, spare) / m  # ALL the points, at exactly this θ
            if l2:
                w = new_theta[:n]
                loss += 0.5 * l2 * float(w @ w)
            norm = math.hypot(*self._gradient(new_theta, spare, l2, grad).tolist())
            if not (math.isfinite(loss + norm) and all(map(math.isfinite, new_theta.tolist()))):
                self._diverged(self._epoch + done)
                finished = True
                break
            losses[done], norms[done] = loss, norm
            theta, gsum, spare = new_theta, spare, gsum
            done += 1
            if tol is not None and norm < tol:
                finished = True
                break
        if theta is not self._theta:
            self._theta = theta.copy()
            self._loss, self._grad_norm = float(losses[done - 1]), float(norms[done - 1])
        self._gsum = gsum
        self._scratch = spare, self._scratch[1], grad
        return done, finished


def _checkpoint_epoch(checkpoint: dict[str, Any]) -> int:
    if not isinstance(checkpoint, dict) or checkpoint.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"not an optimizer checkpoint (expected the format {CHECKPOINT_FORMAT!r})")
    epoch = checkpoint.get("epoch")
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise ValueError("the checkpoint's epoch must be a whole number ≥ 0")
    return epoch


__all__ = ["CHECKPOINT_FORMAT", "OptimizedTrainer"]
