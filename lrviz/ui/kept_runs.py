"""Keep Run and Race: the commands of several runs side by side (the views are drawn elsewhere).

`keepRunAction` keeps the current run in the window's RunCollection (its dashed curve
stays in the loss plot, its path on the landscape) and starts a new run from the same
start: the run is cut back to its first epoch and training can go on from there. One
undo step puts the run back as it was and forgets the kept copy.

`raceAction` asks which optimizers race (RaceDialog), makes each a kept run that starts
at the current run's first epoch on the current points, and trains them together in one
worker thread (race_worker.py); their curves and paths grow as the batches arrive.
While a race runs, the action stops it.

Deleting a kept run (the runs list) is undoable too; renaming and hiding are not (they
change how runs are shown, not what was trained).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog, QMainWindow

from lrviz.core.history import RunHistory
from lrviz.core.model_trainer import parameter_names as settings_columns
from lrviz.core.race import Race, race_settings
from lrviz.core.run_collection import MAX_KEPT_RUNS, KeptRun, RunCollection
from lrviz.core.trainer import StopInfo
from lrviz.ui.race_worker import RaceController
from lrviz.ui.run_controller import RunController
from lrviz.ui.state import WindowState


class KeptRunsActions(QObject):
    """keepRunAction, raceAction and the undoable delete of a kept run, on `runs`."""

    message = Signal(str)  # for the status bar
    raceFinished = Signal()  # a race ended by itself (every racer stopped)

    def __init__(self, window: QMainWindow, state: WindowState, controller: RunController) -> None:
        super().__init__(window)
        self._window, self._state, self._controller = window, state, controller
        self.runs = RunCollection()
        self.race_controller = RaceController(self)
        self.race_controller.batchReady.connect(self._on_race_batch)
        self.race_controller.finished.connect(self._on_race_finished)
        self.race_controller.failed.connect(self.message)
        self.race_controller.runningChanged.connect(self._show_racing)
        self.runs.changed.connect(self._mark_unsaved)  # a session holds the kept runs, names and all
        self._racers: list[KeptRun] = []
        self._race_revision = 0
        make = window.make_action
        self.keep_run_action = make("keepRunAction", "&Keep Run", self.keep_run, "K",
                                    "Keep this run's curve and path for comparison, and start a new run "
                                    "from the same start (undoable)")
        self.race_action = make("raceAction", "R&ace Optimizers…", self._race_or_stop, "Ctrl+Shift+R",
                                "Train several optimizers from the same start together, and watch them race")

    def _mark_unsaved(self) -> None:
        self._state.model_unsaved = True

    # -- keep ------------------------------------------------------------------------------------------
    def keep_run(self) -> bool:
        """Keep the current run and start again from its first epoch (one undo step); False, with a
        message, when there is nothing to keep or no room."""
        run = self._state.run
        if len(run.history) < 2:
            self.message.emit("Nothing to keep yet: train a few epochs first (the run has no curve).")
            return False
        if self.runs.is_full:
            self.message.emit(f"{MAX_KEPT_RUNS} runs are kept already: delete one in the runs list first.")
            return False
        self._state.undo_stack.push(_KeepRun(self))
        return True

    def delete(self, kept: KeptRun) -> None:
        """Delete a kept run (one undo step)."""
        if any(k is kept for k in self.runs):
            self._state.undo_stack.push(_DeleteKeptRun(self.runs, kept))

    # -- race ------------------------------------------------------------------------------------------
    @property
    def is_racing(self) -> bool:
        return self.race_controller.is_running

    def _race_or_stop(self) -> None:
        if self.is_racing:
            self.stop_race()
            return
        from lrviz.ui.race_dialog import RaceDialog  # here: the window starts sooner

        dialog = RaceDialog(MAX_KEPT_RUNS - len(self.runs), self._window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_race(dialog.optimizers(), dialog.epochs())

    def start_race(self, optimizers: list[str], epochs: int) -> bool:
        """Race `optimizers` for `epochs` epochs from the current run's first epoch; False, with a
        message, when it cannot start (no points or epochs, no room, settings that do not train)."""
        run = self._state.run
        if not len(run.points) or not len(run.history):
            self.message.emit("Nothing to race on: place points of both classes and press Reset first.")
            return False
        if len(optimizers) > MAX_KEPT_RUNS - len(self.runs):
            self.message.emit(f"The race needs {len(optimizers)} free places in the runs list, which has "
                              f"{MAX_KEPT_RUNS - len(self.runs)}: delete kept runs first.")
            return False
        start = run.row(run.history.first_epoch)
        points = run.snapshot()
        base = replace(run.settings, max_epochs=None)  # the race's length is `epochs`
        try:
            race = Race(points.train_X, points.train_y, race_settings(base, optimizers), start.w, start.b,
                        start_epoch=start.epoch, epochs=int(epochs))
        except ValueError as error:
            self.message.emit(f"The race cannot start: {error}")
            return False
        self._controller.pause()  # both cores for the race
        self._race_revision = points.revision
        self._racers = []
        for settings, record in zip(race.settings, race.starts()):
            history = RunHistory(settings_columns(settings))
            history.append([record.epoch], np.append(record.w, record.b)[None], [record.loss], [record.grad_norm],
                           settings.learning_rate, settings.l2, points.revision)
            self._racers.append(self.runs.keep(settings, history))
        self._state.model_unsaved = True
        self.race_controller.start(race, run.settings.epochs_per_second)
        self.message.emit(f"Racing {len(optimizers)} optimizers for {int(epochs):,} epochs…")
        return True

    def stop_race(self) -> None:
        if self.is_racing:
            self.race_controller.stop()
            self.message.emit("The race was stopped; its runs stay in the runs list.")

    def shutdown(self) -> None:
        self.race_controller.shutdown()

    def _on_race_batch(self, parts) -> None:
        for part in parts:
            kept = self._racers[part.racer]
            if not any(k is kept for k in self.runs):
                continue  # deleted while racing
            s = kept.settings
            self.runs.append_epochs(kept, part.epochs, part.theta, part.loss, part.grad_norm, s.learning_rate, s.l2,
                                    self._race_revision, part.stop)

    def _on_race_finished(self, _completed: bool) -> None:
        racers = [k for k in self._racers if any(k is r for r in self.runs) and len(k.history)]
        ranked = sorted(racers, key=lambda k: float(k.history.loss[-1]))
        if ranked:
            last = max(k.history.last_epoch for k in ranked)
            summary = ", ".join(f"{k.label.split(',')[0]} {float(k.history.loss[-1]):.4g}" for k in ranked)
            self.message.emit(f"The race is over at epoch {last:,}. Loss, lowest first: {summary}.")
        self.raceFinished.emit()

    def _show_racing(self, racing: bool) -> None:
        self.race_action.setText("Stop the R&ace" if racing else "R&ace Optimizers…")
        self.keep_run_action.setEnabled(not racing)  # the list changes under a race; keep after it


class _KeepRun(QUndoCommand):
    """Keep the run, cut it back to its first epoch; undo forgets the copy and puts the epochs back."""

    def __init__(self, actions: KeptRunsActions) -> None:
        super().__init__("Keep Run")
        self._actions = actions
        run = actions._state.run
        self._kept = KeptRun(run.settings, run.history.copy(), None, 0, True, run.stop)
        self._tail: RunHistory | None = None
        self._stop: StopInfo | None = None

    def redo(self) -> None:
        actions = self._actions
        runs, run, controller = actions.runs, actions._state.run, actions._controller
        if runs.is_full:
            return
        if self._tail is None or any(k.color == self._kept.color for k in runs):
            self._kept.color = runs.free_color()  # the first time, or its colour was taken since
        controller.pause()
        runs.add(self._kept)
        self._stop = run.stop
        self._tail = run.truncate_after(run.history.first_epoch)
        run.set_stop(None)
        actions._state.set_follow_latest(True)
        controller.resume_newest()
        actions.message.emit(f"Kept “{self._kept.label}”; a new run starts from the same start.")

    def undo(self) -> None:
        actions = self._actions
        runs, run, controller = actions.runs, actions._state.run, actions._controller
        if not any(k is self._kept for k in runs):
            return
        controller.pause()
        runs.remove(self._kept)
        if self._tail is not None and len(self._tail):
            run.restore_tail(self._tail, self._stop)
        controller.resume_newest()


class _DeleteKeptRun(QUndoCommand):
    def __init__(self, runs: RunCollection, kept: KeptRun) -> None:
        super().__init__(f"Delete the kept run “{kept.label}”")
        self._runs, self._kept, self._index = runs, kept, 0

    def redo(self) -> None:
        if any(k is self._kept for k in self._runs):
            self._index = self._runs.remove(self._kept)

    def undo(self) -> None:
        if not any(k is self._kept for k in self._runs) and not self._runs.is_full:
            if any(k.color == self._kept.color for k in self._runs):
                self._kept.color = self._runs.free_color()
            self._runs.add(self._kept, min(self._index, len(self._runs)))


__all__ = ["KeptRunsActions"]
