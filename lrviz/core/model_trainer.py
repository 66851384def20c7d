"""The trainer a TrainingSettings gives, for the window's worker and `trainer_at`: on φ(X)
(the settings' feature map), with the engine's own gradient descent for "gd" and an
`OptimizedTrainer` for the other optimizers (which alone can resume from a checkpoint).

One function so that the worker, Train From Here and the recomputation of a row build the
same model from the same settings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.features import FeatureMap
from lrviz.core.optim import DEFAULT_OPTIMIZER, OptimizerSettings
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import Trainer


def feature_map(settings: TrainingSettings) -> FeatureMap:
    """φ of the settings (terms named x1, x2)."""
    return FeatureMap(settings.degree, settings.sin)


def parameter_names(settings: TrainingSettings) -> tuple[str, ...]:
    """The history's θ columns for these settings: w1, w2, b, or w[term] … b."""
    return feature_map(settings).parameter_names()


def optimizer_settings(settings: TrainingSettings) -> OptimizerSettings:
    return OptimizerSettings(settings.optimizer, batch_size=settings.batch_size, momentum=settings.momentum,
                             beta1=settings.beta1, beta2=settings.beta2, eps=settings.eps)


def mapped(X: ArrayLike, settings: TrainingSettings) -> np.ndarray:
    """φ(X) of the settings' map; ValueError (with what to do) when powers leave float64."""
    phi = feature_map(settings)
    Z = phi.transform(np.asarray(X, dtype=float).reshape(-1, 2))
    if not np.isfinite(Z).all():
        raise ValueError(f"the points are too large for degree {phi.degree}: their powers leave float64; "
                         "rescale them or choose a lower degree")
    return Z


def build_trainer(X: ArrayLike, y: ArrayLike, settings: TrainingSettings,
                  checkpoint: dict[str, Any] | None = None, **overrides: Any) -> Trainer:
    """A Trainer on φ(X) with the settings' optimizer; `overrides` replace Trainer arguments
    (w0, b0, start_epoch, learning_rate, …); `checkpoint` (non-gd only) resumes exactly."""
    arguments = {**settings.trainer_arguments(), **overrides}
    Z = mapped(X, settings)
    if settings.optimizer == DEFAULT_OPTIMIZER:
        return Trainer(Z, y, **arguments)
    if checkpoint is not None:
        arguments.pop("start_epoch", None)
    return OptimizedTrainer(Z, y, optimizer_settings(settings), resume=checkpoint, **arguments)


__all__ = ["build_trainer", "feature_map", "mapped", "optimizer_settings", "parameter_names"]
