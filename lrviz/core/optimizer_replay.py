"""The optimizer's state at ANY epoch of a run (issue 14): what Train From Here continues
from, and what the math panel shows.

Gradient descent needs nothing but θ, which every history row holds. The other optimizers
also remember a velocity (momentum, Nesterov), moments and a step count (Adam) or a random
generator's position (mini-batch SGD). Storing that state in every row would cost up to
2p + 1 floats an epoch (60 for Adam at degree 6: half a gigabyte per million epochs), so
the run keeps it compactly instead:

- snapshots: `OptimizerSnapshots` holds `OptimizedTrainer.checkpoint()`s (θ in the
  coordinates trained on and the optimizer's state, exact JSON data) at some epochs: the
  window adds the checkpoint that comes with each batch of epochs (about 40 a second), and
  keeps at most MAX_SNAPSHOTS of them by thinning old ones to a doubling spacing (the
  newest is always kept). Sessions keep the newest (`Run.optimizer_checkpoint`).
- replay: the state at epoch e is rebuilt by training again from the newest snapshot at or
  before e (or from epoch 0, whose state is the fresh optimizer's) through the history's
  rows up to e, with the α, λ and points each row records. An epoch is a deterministic
  function of θ, the state and the points, so the replay takes the very same steps: its θ at
  e equals the history's row e (checked; a snapshot that does not lead there, e.g. of a
  branch that Train From Here cut, is passed over).

The replay costs at most the spacing of the snapshots in epochs (a few hundred for a run of
10⁵ epochs) and is refused beyond MAX_REPLAY_EPOCHS epochs or MAX_REPLAY_WORK (None is
returned: the caller then starts the optimizer afresh at e, as before this module). A
session keeps only the newest checkpoint, so in a reopened run the state at an older epoch
is replayed from epoch 0, within those limits.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

import numpy as np

from lrviz.core.model_trainer import build_trainer, mapped
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.core.settings import DEFAULT_OPTIMIZER

if TYPE_CHECKING:  # run.py imports this module
    from lrviz.core.run import PointsSnapshot, Run

MAX_SNAPSHOTS = 512
MAX_REPLAY_EPOCHS = 20_000
MAX_REPLAY_WORK = 3e8  # epochs × points × parameters: about a second on a laptop


class OptimizerSnapshots:
    """Optimizer checkpoints by epoch, at most MAX_SNAPSHOTS (see the module docstring)."""

    def __init__(self, limit: int = MAX_SNAPSHOTS) -> None:
        self._limit = max(2, int(limit))
        self._by_epoch: dict[int, dict[str, Any]] = {}
        self._spacing = 1

    def __len__(self) -> int:
        return len(self._by_epoch)

    @property
    def epochs(self) -> list[int]:
        return sorted(self._by_epoch)

    def add(self, checkpoint: dict[str, Any] | None) -> None:
        """Keep a checkpoint (None, e.g. of gradient descent, is ignored)."""
        if not isinstance(checkpoint, dict) or not isinstance(checkpoint.get("epoch"), int):
            return
        self._by_epoch[checkpoint["epoch"]] = checkpoint
        while len(self._by_epoch) > self._limit:
            self._spacing *= 2
            self._thin()

    def _thin(self) -> None:
        epochs = sorted(self._by_epoch)
        kept, last = {}, None
        for epoch in epochs[:-1]:
            if last is None or epoch - last >= self._spacing:
                kept[epoch] = self._by_epoch[epoch]
                last = epoch
        kept[epochs[-1]] = self._by_epoch[epochs[-1]]  # the newest, always
        self._by_epoch = kept

    def drop_after(self, epoch: int) -> None:
        """Forget the checkpoints of epochs after `epoch` (the history was cut there)."""
        self._by_epoch = {e: c for e, c in self._by_epoch.items() if e <= epoch}

    def clear(self) -> None:
        self._by_epoch, self._spacing = {}, 1

    def copy(self) -> OptimizerSnapshots:
        other = OptimizerSnapshots(self._limit)
        other._by_epoch, other._spacing = dict(self._by_epoch), self._spacing
        return other

    def at(self, epoch: int) -> dict[str, Any] | None:
        return self._by_epoch.get(int(epoch))

    def at_or_before(self, epoch: int) -> list[dict[str, Any]]:
        """The checkpoints of epochs ≤ `epoch`, newest first."""
        return [self._by_epoch[e] for e in sorted(self._by_epoch, reverse=True) if e <= epoch]


def trainer_at_epoch(run: Run, epoch: int) -> OptimizedTrainer | None:
    """An OptimizedTrainer at exactly the state of `epoch` of `run`: θ in the coordinates
    trained on, the optimizer's state, the points, α and λ of that row; no stop rules.

    None for gradient descent (θ is all its state: see `run.trainer_at`) and when no snapshot
    leads to the row within MAX_REPLAY_EPOCHS.
    """
    settings = run.settings
    if settings.optimizer == DEFAULT_OPTIMIZER or not len(run.history):
        return None
    history = run.history
    target = run.row(epoch)
    starts: dict[int, dict[str, Any] | None] = {}
    for checkpoint in [run.optimizer_checkpoint, *run.optimizer_snapshots.at_or_before(epoch)]:
        if isinstance(checkpoint, dict) and isinstance(checkpoint.get("epoch"), int) \
                and history.first_epoch <= checkpoint["epoch"] <= epoch:
            starts.setdefault(checkpoint["epoch"], checkpoint)
    if history.first_epoch == 0:
        starts.setdefault(0, None)  # epoch 0: the fresh optimizer, at row 0's θ
    try:
        size = len(run.points_at(target.data_revision).train_y) * len(target.theta)
    except KeyError:  # the row's points are not kept: nothing to replay on
        return None
    for start_epoch in sorted(starts, reverse=True):
        if epoch - start_epoch > MAX_REPLAY_EPOCHS or (epoch - start_epoch) * size > MAX_REPLAY_WORK:
            break
        trainer = _start(run, start_epoch, starts[start_epoch])
        if trainer is not None and _replay(run, trainer, start_epoch, epoch) and _at_row(trainer, target.theta):
            return trainer
    return None


def checkpoint_at(run: Run, epoch: int, points: PointsSnapshot | None = None) -> dict[str, Any] | None:
    """The optimizer's checkpoint at `epoch` (None: see `trainer_at_epoch`), expressed for
    `points` when given: training then goes on on those points, as it would have after an
    edit (with standardization, θ is re-expressed in their coordinates)."""
    trainer = trainer_at_epoch(run, epoch)
    if trainer is None:
        return None
    try:
        if points is not None and points.revision != run.row(epoch).data_revision:
            trainer.set_data(mapped(points.train_X, run.settings), points.train_y)
        return trainer.checkpoint()
    except ValueError:
        return None


def _start(run: Run, epoch: int, checkpoint: dict[str, Any] | None) -> OptimizedTrainer | None:
    """The trainer at a snapshot (or the fresh optimizer at row `epoch`), if it is at that row."""
    row = run.row(epoch)
    try:
        points = run.points_at(row.data_revision)
        trainer = build_trainer(points.train_X, points.train_y, run.settings, checkpoint=checkpoint,
                                learning_rate=row.learning_rate, l2=row.l2, max_epochs=None, tol=None,
                                w0=row.w, b0=row.b, start_epoch=row.epoch)
    except (KeyError, ValueError):
        return None
    if not isinstance(trainer, OptimizedTrainer) or not _at_row(trainer, row.theta):
        return None
    return trainer


def _replay(run: Run, trainer: OptimizedTrainer, start: int, epoch: int) -> bool:
    """Train rows start+1 … epoch again, each with the α, λ and points its row records."""
    history = run.history
    first, last = history.index_of(start) + 1, history.index_of(epoch) + 1  # rows [first, last)
    if first >= last:
        return True
    cuts = {first, last}
    for name in ("learning_rate", "l2", "data_revision"):
        starts, _ = history.setting_runs(name)
        cuts.update(int(s) for s in starts[(starts > first) & (starts < last)])
    cuts = sorted(cuts)
    revision = run.row(start).data_revision
    try:
        for a, b in pairwise(cuts):
            row = run.row(history.first_epoch + a)
            if row.data_revision != revision:
                points = run.points_at(row.data_revision)
                trainer.set_data(mapped(points.train_X, run.settings), points.train_y)
                revision = row.data_revision
            trainer.set_learning_rate(row.learning_rate)
            trainer.set_l2(row.l2)
            if len(trainer.run(b - a)) != b - a:
                return False
    except (KeyError, ValueError):
        return False
    return True


def _at_row(trainer: OptimizedTrainer, theta: np.ndarray) -> bool:
    """Whether the trainer's θ (raw coordinates) is the row's, up to rounding."""
    record = trainer.current
    here = np.append(record.w, record.b)
    scale = float(np.max(np.abs(theta), initial=1.0))
    return bool(np.all(np.abs(here - theta) <= 1e-12 * scale))


__all__ = ["MAX_REPLAY_EPOCHS", "MAX_REPLAY_WORK", "MAX_SNAPSHOTS", "OptimizerSnapshots", "checkpoint_at", "trainer_at_epoch"]
