"""A race: several optimizers (or settings) trained from the same start on the same points.

No Qt. Each racer is a Trainer from `build_trainer` (the very trainer the window's worker
and `lrviz train` use), all started at the same θ; `advance(k)` gives every racer that
has not stopped k more epochs, one racer after the other, so a worker can deliver them
together and a plot can draw them as they go. Every row holds the loss on ALL the
training points at exactly that row's θ (OptimizedTrainer's rule), so the curves of
different optimizers compare fairly; a racer's numbers equal a headless run of its
settings from that start (a test checks 1e-12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from lrviz.core.model_trainer import build_trainer
from lrviz.core.settings import OPTIMIZER_CHOICES, TrainingSettings
from lrviz.core.trainer import EpochRecord, History, StopInfo, Trainer

DEFAULT_RACERS: tuple[str, ...] = ("gd", "momentum", "adam")
DEFAULT_RACE_EPOCHS = 200


def race_settings(base: TrainingSettings, optimizers: Sequence[str]) -> list[TrainingSettings]:
    """`base` with each of `optimizers` in turn (ValueError for an unknown one or none)."""
    if not optimizers:
        raise ValueError("choose at least one optimizer for the race")
    unknown = [name for name in optimizers if name not in OPTIMIZER_CHOICES]
    if unknown:
        raise ValueError(f"unknown optimizer {unknown[0]!r}; choose from {', '.join(OPTIMIZER_CHOICES)}")
    return [replace(base, optimizer=name) for name in optimizers]


@dataclass(frozen=True)
class RacerEpochs:
    """The new epochs of one racer (raw θ rows w…, b), with why it stopped, if it did."""

    racer: int
    epochs: np.ndarray
    theta: np.ndarray
    loss: np.ndarray
    grad_norm: np.ndarray
    stop: StopInfo | None


class Race:
    """Racers from one start; `max_epochs` (of each racer's settings, or `epochs`) ends it."""

    def __init__(self, X: ArrayLike, y: ArrayLike, racers: Sequence[TrainingSettings], w0: ArrayLike,
                 b0: float, start_epoch: int = 0, epochs: int = DEFAULT_RACE_EPOCHS) -> None:
        """Trainers on (X, y) at (w0, b0) numbered `start_epoch`, each for at most `epochs`
        epochs from there; ValueError (with what to do) when one cannot be built."""
        if not racers:
            raise ValueError("choose at least one optimizer for the race")
        self.settings = tuple(racers)
        self.last_epoch = int(start_epoch) + int(epochs)
        self.trainers: list[Trainer] = [
            build_trainer(X, y, s, w0=np.asarray(w0, dtype=float), b0=float(b0), start_epoch=int(start_epoch),
                          max_epochs=self.last_epoch if s.max_epochs is None else min(s.max_epochs, self.last_epoch))
            for s in racers]

    def starts(self) -> list[EpochRecord]:
        """Each racer's first record (the same θ for all)."""
        return [trainer.current for trainer in self.trainers]

    @property
    def finished(self) -> bool:
        return all(trainer.stop is not None for trainer in self.trainers)

    def advance(self, epochs: int) -> list[RacerEpochs]:
        """Up to `epochs` more epochs of every racer still going (none for those that stopped)."""
        out = []
        for index, trainer in enumerate(self.trainers):
            if trainer.stop is not None:
                continue
            history: History = trainer.run(epochs)
            theta = np.column_stack([history.W, history.b]) if len(history) else np.empty((0, trainer.current.w.size + 1))
            out.append(RacerEpochs(index, history.epochs, theta, history.loss, history.grad_norm, trainer.stop))
        return out


__all__ = ["DEFAULT_RACERS", "DEFAULT_RACE_EPOCHS", "Race", "RacerEpochs", "race_settings"]
