"""Training the window's run: the worker thread's batches go into the Run, edits go to the worker.

The window state's Run is the one record of the run; this controller keeps the training
thread in step with it: a Reset starts a new history on the current points, the batches
of epochs become history rows (with the α, λ and data revision each was computed with),
edits of the points and settings are handed to the trainer for the next epoch, and
"train from here" cuts the history at the shown epoch (one undo step puts it back).
It announces what the user should read (`message`) and a divergence (`diverged`).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand

from lrviz.core.history import RunHistory
from lrviz.core.model_trainer import build_trainer, mapped
from lrviz.core.optimizer_replay import checkpoint_at
from lrviz.core.run import Run
from lrviz.core.settings import MODEL_SETTINGS, TrainingSettings
from lrviz.core.step_size import RECENT_EPOCHS, warning_for_points
from lrviz.core.trainer import STOP_CONVERGED, STOP_DIVERGED, STOP_MAX_EPOCHS, StopInfo
from lrviz.ui.state import WindowState
from lrviz.ui.worker import EpochBatch, TrainingController


def stop_message(stop: StopInfo | None) -> str:
    """What the status bar says when training ends."""
    if stop is None:
        return "Paused. Press Train (Space) to go on."
    if stop.kind == STOP_CONVERGED:
        return f"Converged: {stop.message}."
    if stop.kind == STOP_MAX_EPOCHS:
        message = stop.message[:1].upper() + stop.message[1:]
        return f"{message}. Raise “max epochs” to go on, or Reset to start again."
    if stop.kind == STOP_DIVERGED:
        return stop.message[:1].upper() + stop.message[1:] + "."
    return stop.message[:1].upper() + stop.message[1:]  # any other kind (a newer session's), a sentence too


def step_size_note(run: Run) -> str:
    """What the status bar adds when α was too large for the run's points (" α = 50 is above
    2/L = …; try α ≤ …."), else ""."""
    if not len(run.points) or not len(run.history):
        return ""
    settings = run.settings
    warning = warning_for_points(mapped(run.snapshot().train_X, run.settings), settings.learning_rate, settings.l2, settings.standardize,
                                 run.history.loss[-(RECENT_EPOCHS + 1):])
    return f" {warning}." if warning else ""


class RunController(QObject):
    """Starts, pauses, steps and resets training of `state.run` in the worker thread."""

    message = Signal(str)  # for the status bar
    diverged = Signal(object)  # StopInfo
    runningChanged = Signal(bool)
    failed = Signal(str)

    def __init__(self, state: WindowState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.training = TrainingController(self)
        self.training.batchReady.connect(self._on_batch)
        self.training.finished.connect(self._on_finished)
        self.training.failed.connect(self._on_failed)
        self.training.runningChanged.connect(self.runningChanged)
        state.run.events.points.connect(self._on_points_changed)

    @property
    def run(self) -> Run:
        return self._state.run

    @property
    def is_running(self) -> bool:
        return self.training.is_running

    # -- commands ------------------------------------------------------------------------------------
    def reset(self, settings: TrainingSettings) -> None:
        """Back to epoch 0 with `settings` (the start, standardization and all), on the current points."""
        self.training.pause()
        run = self.run
        run.set_settings(settings)
        run.clear_history()
        self._state.model_unsaved = False
        if len(run.points):
            self.training.reset(run.snapshot(), settings)

    def start(self) -> None:
        if len(self.run.points):  # a reset still queued in the worker runs first
            self.run.set_stop(None)
            self.training.start()

    def pause(self) -> None:
        self.training.pause()

    def step(self) -> None:
        if not self.training.is_running and len(self.run.points):
            self.training.step()

    def apply_live_settings(self, controls: TrainingSettings) -> None:
        """α, λ, the stop rules and the speed apply at the next epoch; standardization and the
        start stay those of epoch 0 until Reset."""
        trained = self.run.settings
        settings = replace(controls, standardize=trained.standardize, init=trained.init, seed=trained.seed,
                           **{name: getattr(trained, name) for name in MODEL_SETTINGS})
        self.run.set_settings(settings)
        self.training.update_settings(settings)

    def apply_restart_settings(self, controls: TrainingSettings) -> None:
        """Standardization or the start changed: a fresh epoch 0 if nothing is trained yet."""
        if len(self.run.history) <= 1 and not self.is_running:
            self.reset(controls)
        else:
            self.apply_live_settings(controls)
            self.message.emit("Standardization, the start, the features and the optimizer apply when you press Reset.")

    def train_from(self, epoch: int) -> bool:
        """Drop the epochs after `epoch` and go on from it (one undo step); False if nothing to drop."""
        history = self.run.history
        if not len(history) or not history.first_epoch <= epoch < history.last_epoch:
            return False
        self._state.undo_stack.push(_TrainFromHere(self, int(epoch)))
        return True

    def start_at(self, w, b: float) -> bool:
        """A new epoch 0 at (w, b) on the current points, like Reset with that start (one undo
        step puts the previous run back); False, with a message, when it cannot start there."""
        if not len(self.run.points):
            return False
        command = _StartAt(self, np.array(w, dtype=float).reshape(-1), float(b))
        try:
            command.first_record()
        except ValueError as error:
            self.message.emit(f"Cannot start there: {error}")
            return False
        self._state.undo_stack.push(command)
        return True

    def resume_newest(self) -> None:
        """A trainer at the newest epoch of the run's history (after it was opened or cut)."""
        self.training.pause()
        run = self.run
        if not len(run.history) or not len(run.points):
            return
        row = run.row(run.history.last_epoch)
        # The optimizer's state at that epoch, rebuilt from a snapshot when the newest is gone
        # (Train From Here), and for the points as they are now (optimizer_replay.py)
        checkpoint = checkpoint_at(run, row.epoch, run.snapshot())
        if checkpoint is None:
            checkpoint = run.optimizer_checkpoint
            if checkpoint is not None and checkpoint.get("epoch") != row.epoch:
                checkpoint = None
        self.training.reset(run.snapshot(), run.settings, resume=(row.w.copy(), row.b, row.epoch, checkpoint))

    def shutdown(self) -> None:
        self.training.shutdown()

    # -- from the worker ----------------------------------------------------------------------------------
    @Slot(object)
    def _on_batch(self, batch: EpochBatch) -> None:
        history = self.run.history
        held_until = history.last_epoch if len(history) else 0
        self.run.append_epochs(batch.epochs, batch.theta, batch.loss, batch.grad_norm, batch.learning_rate,
                               batch.l2, batch.data_revision, batch.test_loss, batch.tested)
        self.run.optimizer_checkpoint = batch.checkpoint
        self.run.optimizer_snapshots.add(batch.checkpoint)
        if batch.epochs[-1] > held_until:
            self._state.model_unsaved = True

    @Slot(object)
    def _on_finished(self, stop: StopInfo | None) -> None:
        if stop is not None:
            self.run.set_stop(stop)
        self._state.clock.flush()  # the last epoch shows at once, not up to a slow frame later
        self.message.emit(stop_message(stop) + step_size_note(self.run))
        if stop is not None and stop.kind == STOP_DIVERGED:
            self.diverged.emit(stop)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)
        self.message.emit(message)

    def _on_points_changed(self, _revision: int) -> None:
        run = self.run
        if not len(run.points):
            self.training.pause()
            return
        if len(run.history) <= 1 and not self.is_running:
            self.reset(run.settings)  # nothing trained yet: epoch 0 on the new points, exactly
            return
        self.training.update_data(run.snapshot())


class _TrainFromHere(QUndoCommand):
    """Cut the history after an epoch and train on from it; undo puts the cut epochs back."""

    def __init__(self, controller: RunController, epoch: int) -> None:
        super().__init__(f"Train from epoch {epoch:,}")
        self._controller = controller
        self._epoch = epoch
        self._tail: RunHistory | None = None
        self._tail_points: list = []
        self._stop: StopInfo | None = None
        self._optimizer: tuple = (None, None)  # the run's optimizer checkpoint and snapshots

    def redo(self) -> None:
        controller = self._controller
        controller.pause()
        self._stop = controller.run.stop
        self._optimizer = controller.run.optimizer_checkpoint, controller.run.optimizer_snapshots.copy()
        self._tail_points = controller.run.kept_revisions()  # the new epochs may let the tail's points go
        self._tail = controller.run.truncate_after(self._epoch)
        controller.run.set_stop(None)
        controller.resume_newest()

    def undo(self) -> None:
        controller = self._controller
        controller.pause()
        if self._tail is not None:
            for snapshot in self._tail_points:
                controller.run.remember_points(snapshot)
            controller.run.restore_tail(self._tail, self._stop)
            controller.run.optimizer_checkpoint, snapshots = self._optimizer
            controller.run.optimizer_snapshots = snapshots.copy()
        controller.resume_newest()


class _StartAt(QUndoCommand):
    """A fresh epoch 0 at a chosen start (from the loss landscape); undo puts the old run back."""

    def __init__(self, controller: RunController, w: np.ndarray, b: float) -> None:
        super().__init__(f"Start at w = ({w[0]:.4g}, {w[1]:.4g}), b = {b:.4g}")
        self._controller = controller
        self._w, self._b = w, b
        self._old: RunHistory | None = None
        self._old_points: list = []
        self._stop: StopInfo | None = None
        self._optimizer: tuple = (None, None)  # the old run's optimizer checkpoint and snapshots
        self._done = False

    def first_record(self):
        """The start's record on the current points with the run's settings (ValueError if impossible)."""
        run = self._controller.run
        points = run.snapshot()
        trainer = build_trainer(points.train_X, points.train_y, run.settings, w0=self._w, b0=self._b)
        return points.revision, trainer.current

    def redo(self) -> None:
        controller = self._controller
        run = controller.run
        controller.pause()
        try:
            revision, record = self.first_record()
        except ValueError as error:  # the points changed since (a redo): nothing happens
            self._done = False
            controller.message.emit(f"Cannot start there: {error}")
            return
        self._done = True
        self._stop = run.stop
        self._optimizer = run.optimizer_checkpoint, run.optimizer_snapshots.copy()
        self._old_points = run.kept_revisions()
        self._old = run.truncate_after(run.history.first_epoch - 1) if len(run.history) else None
        run.set_stop(None)
        settings = run.settings
        run.append_epochs([record.epoch], np.append(record.w, record.b)[None], [record.loss], [record.grad_norm],
                          settings.learning_rate, settings.l2, revision)
        controller.resume_newest()

    def undo(self) -> None:
        controller = self._controller
        run = controller.run
        if not self._done:
            return
        controller.pause()
        for snapshot in self._old_points:  # the old run's earlier points, in case they were let go
            run.remember_points(snapshot)
        if self._old is not None and len(self._old):
            run.restore_tail(self._old, self._stop)
            run.optimizer_checkpoint, snapshots = self._optimizer
            run.optimizer_snapshots = snapshots.copy()
        else:
            run.clear_history()
        controller.resume_newest()
