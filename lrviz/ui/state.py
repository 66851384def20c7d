"""What only the window has, around the core's Run: the shown epoch, the selected point, the
active class, undo, the unsaved flags, and the one clock that paces redraws.

Every view binds to a WindowState: it reads the run and `shown_epoch` when the clock ticks,
and user input goes to the state (or through `points`, its undoable editor of the points),
never to another view. Redraws are requested, not made: any number of changes in one turn
of the event loop give one `frame`; the plots, which cost more and change less per frame,
follow `slowFrame` at most SLOW_FPS times a second.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from lrviz.core.dataset import Dataset
from lrviz.core.history import EpochRow
from lrviz.core.metrics import DEFAULT_THRESHOLD, checked_threshold
from lrviz.core.run import Run
from lrviz.ui.points_model import PointsModel

SLOW_FPS = 10


class FrameClock(QObject):
    """Coalesces redraw requests: `frame` once the event loop is free, `slowFrame` at most SLOW_FPS a second."""

    frame = Signal()
    slowFrame = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fast = QTimer(self)
        self._fast.setSingleShot(True)
        self._fast.setInterval(0)
        self._fast.timeout.connect(self.frame)
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(1000 // SLOW_FPS)
        self._slow.timeout.connect(self.slowFrame)

    def request(self, slow: bool = True) -> None:
        """Ask for a frame (and, with `slow`, a slow frame) soon; repeated requests merge."""
        if not self._fast.isActive():
            self._fast.start()
        if slow and not self._slow.isActive():
            self._slow.start()

    def flush(self) -> None:
        """Deliver pending frames now (tests and exports want what is on screen to be current)."""
        for timer, signal in ((self._fast, self.frame), (self._slow, self.slowFrame)):
            if timer.isActive():
                timer.stop()
                signal.emit()


class WindowState(QObject):
    """The run on screen and what the user selected in it."""

    shownEpochChanged = Signal(object)  # the epoch the views show (int), or None with no history
    followChanged = Signal(bool)
    selectedPointChanged = Signal(object)  # a point's index, or None
    activeClassChanged = Signal(int)
    ghostChanged = Signal(object)  # parameters (w1, w2, b) hovered in the landscape (an array), or None
    thresholdChanged = Signal(float)  # the ŷ at which a point counts as class 1 (core/metrics.py)

    def __init__(self, dataset: Dataset | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.run = Run(dataset)
        self.points = PointsModel(self.run, self)
        self.clock = FrameClock(self)
        self._follow = True
        self._selected_epoch: int | None = None
        self._shown: int | None = None
        self._selected_point: int | None = None
        self._active_class = 0
        self._threshold = DEFAULT_THRESHOLD
        self.model_unsaved = False  # epochs trained that no saved session or export holds yet
        self._ghost_params = None  # a "what if" θ from the landscape, drawn dashed by the editor
        self._history_changes = 0  # counts the run's history events: a cached shown_row is then stale
        self._row: EpochRow | None = None
        self._row_key: tuple | None = None
        self.run.events.history.connect(self._on_history)
        self.run.events.points.connect(self._on_points)
        self.run.events.settings.connect(self._on_settings)

    @property
    def undo_stack(self):
        return self.points.undo_stack

    # -- the shown epoch -----------------------------------------------------------------------------
    @property
    def follow_latest(self) -> bool:
        return self._follow

    @property
    def shown_epoch(self) -> int | None:
        """The epoch every view draws: the newest while following, else the one selected."""
        return self._shown

    def shown_row(self) -> EpochRow | None:
        """The shown epoch's history row; read once per change of epoch or history (every view
        asks for it at every frame)."""
        if self._shown is None:
            return None
        history = self.run.history
        key = (self._shown, self._history_changes, id(history), len(history), history.last_epoch)
        if key != self._row_key:
            self._row, self._row_key = self.run.row(self._shown), key
            self._row.theta.flags.writeable = False  # one row for every view: none may change it
        return self._row

    def explained_epoch(self) -> int | None:
        """The shown epoch when there are points to read it on, else None. After Clear Points
        the history stays (Undo brings the points back, and training goes on), but the
        read-outs, the math panel and the z view show no numbers of a model of no points."""
        return self._shown if len(self.run.points) else None

    def select_epoch(self, epoch: int) -> None:
        """Show `epoch` (clamped to the history); choosing the newest epoch follows training again."""
        history = self.run.history
        if not len(history):
            return
        epoch = min(max(int(epoch), history.first_epoch), history.last_epoch)
        self._selected_epoch = epoch
        self._set_follow(epoch == history.last_epoch)
        self._update_shown()

    def step_epoch(self, delta: int) -> None:
        """Move the selection by `delta` epochs from the one shown."""
        if self._shown is not None:
            self.select_epoch(self._shown + delta)

    def set_follow_latest(self, on: bool) -> None:
        """Follow the newest epoch (True), or stay at the epoch shown now (False)."""
        if not on and self._shown is not None:
            self._selected_epoch = self._shown
        self._set_follow(bool(on))
        self._update_shown()

    def _set_follow(self, on: bool) -> None:
        if on != self._follow:
            self._follow = on
            self.followChanged.emit(on)

    def _on_history(self) -> None:
        self._history_changes += 1
        if not len(self.run.history):
            self._selected_epoch = None
            self._set_follow(True)  # a new run starts followed
        self._update_shown()
        self.clock.request()

    def _update_shown(self) -> None:
        history = self.run.history
        if not len(history):
            shown = None
        elif self._follow or self._selected_epoch is None:
            shown = history.last_epoch
        else:
            shown = min(max(self._selected_epoch, history.first_epoch), history.last_epoch)
        if shown != self._shown:
            self._shown = shown
            self.shownEpochChanged.emit(shown)
            self.clock.request()

    # -- points -----------------------------------------------------------------------------------------
    @property
    def selected_point(self) -> int | None:
        return self._selected_point

    def select_point(self, index: int | None) -> None:
        if index is not None and not 0 <= int(index) < len(self.run.points):
            index = None
        if index != self._selected_point:
            self._selected_point = None if index is None else int(index)
            self.selectedPointChanged.emit(self._selected_point)
            self.clock.request(slow=False)

    def _on_points(self, _revision: int) -> None:
        if self._selected_point is not None and self._selected_point >= len(self.run.points):
            self.select_point(None)
        self.clock.request()

    def _on_settings(self, _settings) -> None:
        self.clock.request()  # the read-out's hints depend on them

    @property
    def active_class(self) -> int:
        return self._active_class

    def set_active_class(self, label: int) -> None:
        label = int(label)
        if label not in (0, 1):
            raise ValueError("the class is 0 or 1")
        if label != self._active_class:
            self._active_class = label
            self.activeClassChanged.emit(label)

    # -- the landscape's "what if" parameters -----------------------------------------------------------
    @property
    def ghost_params(self):
        """θ = (w1, w2, b) the pointer rests on in the loss landscape (a read-only array), or None."""
        return self._ghost_params

    def set_ghost_params(self, theta) -> None:
        if theta is not None:
            theta = np.array(theta, dtype=float).reshape(-1)
            theta.flags.writeable = False
        old = self._ghost_params
        if (old is None) != (theta is None) or (theta is not None and not np.array_equal(old, theta)):
            self._ghost_params = theta
            self.ghostChanged.emit(theta)
    @property
    def threshold(self) -> float:
        """The threshold t of the metrics views (ŷ ≥ t counts as class 1); training ignores it."""
        return self._threshold

    def set_threshold(self, threshold: float) -> None:
        threshold = checked_threshold(threshold)
        if threshold != self._threshold:
            self._threshold = threshold
            self.thresholdChanged.emit(threshold)
            self.clock.request(slow=False)

    # -- saved or not -------------------------------------------------------------------------------------
    def has_unsaved_changes(self) -> bool:
        return not self.undo_stack.isClean() or self.model_unsaved

    def mark_saved(self) -> None:
        self.undo_stack.setClean()
        self.model_unsaved = False
