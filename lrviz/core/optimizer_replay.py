"""The optimizer's state at ANY epoch of a run (issue 14): what Train From Here continues
from, and what the math panel shows.

Gradient descent needs nothing but θ, which every history row holds. The other optimizers
also remember a velocity (momentum, Nesterov), moments and a step count (Adam) or a random
generator's position (mini-batch SGD). Storing that state in every row would cost up to
2p + 1 floats an epoch (60 for Adam at degree 6: half a gigabyte per million epochs), so
the run keeps it compactly instead:

- snapshots: `OptimizerSnapshots` (optimizer_snapshots.py, `Run.optimizer_snapshots`) holds `OptimizedTrainer.checkpoint()`s (θ in the
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
from typing import Any

import numpy as np

from lrviz.core.model_trainer import build_trainer, mapped
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.core.optimizer_snapshots import MAX_SNAPSHOTS, OptimizerSnapshots
from lrviz.core.run import PointsSnapshot, Run
from lrviz.core.settings import DEFAULT_OPTIMIZER

MAX_REPLAY_EPOCHS = 20_000
MAX_REPLAY_WORK = 3e8  # epochs × points × parameters: about a second on a laptop


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
