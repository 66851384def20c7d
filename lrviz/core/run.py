"""One training run: its points, its settings, its per-epoch history and why it stopped.

No Qt: the window, `lrviz train` and tests share it. Every change is announced by an event
(`run.events.<name>`, see `events.Event`), emitted only when something really changed:

    points(revision)   the points were edited; each edit gets a new revision number
    settings(settings) the settings the run trains with changed
    history()          epochs were added, or the history was cleared or cut
    stop(stop)         why training stopped changed (a StopInfo, or None)

The points of every revision that an epoch of the history was computed on stay
available (`points_at`), so any epoch's loss can be recomputed from its row alone
(`recompute_row`), even after points were moved or α changed while training ran.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lrviz.core.dataset import Dataset
from lrviz.core.events import Event
from lrviz.core.history import EpochRow, RunHistory
from lrviz.core.model_trainer import build_trainer
from lrviz.core.model_trainer import parameter_names as settings_columns
from lrviz.core.optimizer_snapshots import OptimizerSnapshots
from lrviz.core.settings import DEFAULT_SETTINGS, TrainingSettings
from lrviz.core.trainer import StopInfo, Trainer


class RunEvents:
    """The events of a Run, one per thing that can change."""

    def __init__(self) -> None:
        self.points = Event("points")
        self.settings = Event("settings")
        self.history = Event("history")
        self.stop = Event("stop")


@dataclass(frozen=True)
class PointsSnapshot:
    """The points at one revision: read-only arrays that never change (safe for another thread)."""

    revision: int
    X: np.ndarray
    y: np.ndarray
    is_test: np.ndarray | None = None  # (m,) bool, the split (core/split.py); None: every point trains

    @property
    def has_test(self) -> bool:
        return self.is_test is not None and bool(self.is_test.any())

    @property
    def train_X(self) -> np.ndarray:
        """The points training uses (all of them without a split): what the Trainer gets."""
        return self.X[~self.is_test] if self.has_test else self.X

    @property
    def train_y(self) -> np.ndarray:
        return self.y[~self.is_test] if self.has_test else self.y

    @property
    def test_X(self) -> np.ndarray:
        return self.X[self.is_test] if self.has_test else self.X[:0]

    @property
    def test_y(self) -> np.ndarray:
        return self.y[self.is_test] if self.has_test else self.y[:0]


class Run:
    """Points (with a revision), settings, history and stop reason of one training run."""

    def __init__(self, points: Dataset | None = None, settings: TrainingSettings = DEFAULT_SETTINGS,
                 revision: int = 0) -> None:
        self.events = RunEvents()
        self._points = points.copy() if points is not None else Dataset()
        self._revision = int(revision)
        self._settings = settings
        self._history = RunHistory(settings_columns(settings))
        self._stop: StopInfo | None = None
        # The optimizer's state at the newest epoch (OptimizedTrainer.checkpoint()), for non-gd
        # optimizers: sessions save it so that a reopened run continues exactly.
        self.optimizer_checkpoint: dict | None = None
        # Its state at earlier epochs, thinned (optimizer_replay.py: Train From Here and the
        # math panel rebuild the state at any epoch from the nearest one).
        self.optimizer_snapshots = OptimizerSnapshots()
        self._snapshots: dict[int, PointsSnapshot] = {}

    def take(self, other: Run, adopt: bool = False) -> None:
        """Become `other` (points, revision, kept points, settings, history, stop), announcing each
        change: a window keeps one Run that its views are bound to, and opens a session into it.
        `adopt`: take other's history itself instead of a copy (other is not used again: a
        session's 2·10^6 epochs are then not copied once more in the GUI thread)."""
        self._points, self._revision = other._points.copy(), other._revision
        self._snapshots = dict(other._snapshots)
        self._history = other._history if adopt else other._history.copy()
        self.optimizer_checkpoint = other.optimizer_checkpoint
        self.optimizer_snapshots = other.optimizer_snapshots.copy()
        self.events.points.emit(self._revision)
        self.set_settings(other._settings)
        self.set_stop(other._stop)
        self.events.history.emit()

    # -- points ---------------------------------------------------------------------------------------
    @property
    def points(self) -> Dataset:
        """The live point set; edit it only through the Run's methods (they count revisions)."""
        return self._points

    @property
    def revision(self) -> int:
        return self._revision

    def insert_point(self, index: int, x1: float, x2: float, label: int, is_test: bool = False) -> None:
        self._points.insert(index, x1, x2, label, is_test)
        self._points_edited()

    def set_split(self, is_test) -> None:
        """A new train/test split of the points (a new revision: training uses other points)."""
        if not np.array_equal(np.asarray(is_test, dtype=bool), self._points.is_test):
            self._points.set_split(is_test)
            self._points_edited()

    def remove_point(self, index: int) -> tuple[float, float, int]:
        removed = self._points.remove(index)
        self._points_edited()
        return removed

    def move_point(self, index: int, x1: float, x2: float) -> None:
        if self._points.point(index)[:2] == (float(x1), float(x2)):
            return
        self._points.move(index, x1, x2)
        self._points_edited()

    def replace_points(self, dataset: Dataset) -> None:
        self._points = dataset.copy()
        self._points_edited()

    def _points_edited(self) -> None:
        self._revision += 1
        self.events.points.emit(self._revision)

    def snapshot(self) -> PointsSnapshot:
        """The current points (read-only arrays that never change), remembered under their revision for the history."""
        snapshot = self._snapshots.get(self._revision)
        if snapshot is None:
            X, y = self._points.snapshot()  # shared, read-only: the Dataset copies before an edit
            snapshot = PointsSnapshot(self._revision, X, y, self._points.frozen_split())
            self._snapshots[self._revision] = snapshot
        return snapshot

    def points_at(self, revision: int) -> PointsSnapshot:
        """The points of a revision that the history (or the present) refers to; KeyError otherwise."""
        if revision == self._revision:
            return self.snapshot()
        try:
            return self._snapshots[int(revision)]
        except KeyError:
            raise KeyError(f"the points of revision {revision} are not kept (no epoch was computed on them)") from None

    def remember_points(self, snapshot: PointsSnapshot) -> None:
        """Keep the points of an earlier revision (a session's history refers to them)."""
        self._snapshots[int(snapshot.revision)] = snapshot

    def kept_revisions(self) -> list[PointsSnapshot]:
        """The snapshots of the revisions the history refers to, oldest first."""
        used = self._history.revisions()
        return [self._snapshots[r] for r in sorted(used) if r in self._snapshots]

    def _forget_unused_points(self) -> None:
        """Keep the revisions the history refers to, and newer ones (a batch may still bring them)."""
        used = self._history.revisions()
        newest = max(used) if used else -1
        self._snapshots = {r: s for r, s in self._snapshots.items() if r in used or r > newest}

    # -- settings -------------------------------------------------------------------------------------
    @property
    def settings(self) -> TrainingSettings:
        """The settings the run trains with (standardize and the start: those of its epoch 0)."""
        return self._settings

    def set_settings(self, settings: TrainingSettings) -> None:
        if settings != self._settings:
            self._settings = settings
            self.events.settings.emit(settings)

    # -- history ----------------------------------------------------------------------------------------
    @property
    def history(self) -> RunHistory:
        """Read it freely; change it through append_epochs, clear_history and truncate_after."""
        return self._history

    def append_epochs(self, epochs: np.ndarray, theta: np.ndarray, loss: np.ndarray, grad_norm: np.ndarray,
                      learning_rate, l2, data_revision, test_loss=None, tested=None) -> None:
        """Add epochs after the newest (an epoch already held is replaced, with all after it)."""
        epochs = np.asarray(epochs, dtype=np.int64).reshape(-1)
        if not len(epochs):
            return
        history = self._history
        if len(history) and epochs[0] <= history.last_epoch:
            history.truncate_after(int(epochs[0]) - 1)
        history.append(epochs, theta, loss, grad_norm, learning_rate, l2, data_revision, test_loss, tested)
        self._forget_unused_points()
        self.events.history.emit()

    def clear_history(self) -> None:
        """No epochs; the columns become those of the settings' feature map."""
        names = settings_columns(self._settings)
        if names != self._history.names:
            self._history = RunHistory(names)
        else:
            self._history.clear()
        self.optimizer_checkpoint = None
        self.optimizer_snapshots.clear()
        self._forget_unused_points()
        self.set_stop(None)
        self.events.history.emit()

    def truncate_after(self, epoch: int) -> RunHistory:
        """Drop the epochs after `epoch`; returns them (so an undo can put them back)."""
        tail = self._history.tail(epoch)
        if len(tail):
            self.optimizer_checkpoint = None  # it was of the newest epoch, which is gone
            self.optimizer_snapshots.drop_after(epoch)
            self._history.truncate_after(epoch)
            self.events.history.emit()
        return tail

    def restore_tail(self, tail: RunHistory, stop: StopInfo | None) -> None:
        """Put back epochs that `truncate_after` dropped (the undo of Train From Here)."""
        self._history.truncate_after(tail.first_epoch - 1)
        self._history.extend(tail)
        self.set_stop(stop)
        self.events.history.emit()

    def row(self, epoch: int) -> EpochRow:
        return self._history.row(epoch)

    # -- stop -----------------------------------------------------------------------------------------
    @property
    def stop(self) -> StopInfo | None:
        return self._stop

    def set_stop(self, stop: StopInfo | None) -> None:
        if stop != self._stop:
            self._stop = stop
            self.events.stop.emit(stop)


def trainer_at(run: Run, epoch: int, settings: TrainingSettings | None = None) -> Trainer:
    """A Trainer at exactly the state of `epoch`: its parameters, points, α and λ.

    With `settings`, the stop rules (and α, λ) come from them instead of the row; the
    standardization and start are the run's. Used to recompute an epoch and to go on
    training from it.
    """
    row = run.row(epoch)
    points = run.points_at(row.data_revision)
    learning_rate, l2 = row.learning_rate, row.l2
    max_epochs, tol = run.settings.max_epochs, run.settings.tol
    if settings is not None:
        learning_rate, l2, max_epochs, tol = settings.learning_rate, settings.l2, settings.max_epochs, settings.tol
    return build_trainer(points.train_X, points.train_y, run.settings, learning_rate=learning_rate, l2=l2,
                         w0=row.w, b0=row.b, start_epoch=row.epoch, max_epochs=max_epochs, tol=tol)


def recompute_row(run: Run, epoch: int) -> tuple[float, float]:
    """(loss, gradient norm) of `epoch` computed afresh from its row: its θ, λ and points."""
    record = trainer_at(run, epoch).current
    return record.loss, record.grad_norm


__all__ = ["PointsSnapshot", "Run", "RunEvents", "recompute_row", "trainer_at"]
