"""The NumPy engine of lrviz: the model, the trainer, the data and the file formats.

Never imports Qt or pyqtgraph (tests/test_packaging.py checks it).
"""

from __future__ import annotations

from lrviz.core.model import accuracy, loss_and_gradient, predict_proba, sigmoid
from lrviz.core.trainer import (
    STOP_CONVERGED,
    STOP_DIVERGED,
    STOP_MAX_EPOCHS,
    EpochRecord,
    History,
    StopInfo,
    Trainer,
)

__all__ = [
    "STOP_CONVERGED",
    "STOP_DIVERGED",
    "STOP_MAX_EPOCHS",
    "EpochRecord",
    "History",
    "StopInfo",
    "Trainer",
    "accuracy",
    "loss_and_gradient",
    "predict_proba",
    "sigmoid",
]
