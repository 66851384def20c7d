"""The learning-rate field's tooltip states the bound 2/L for the points on screen.

The bound depends on the points, λ and the standardization; it is recomputed at the slow
frame rate when one of them changed (a drag of a point changes the points many times a
second), never per edit; for many points (LatestInThread) in a thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from lrviz.core.step_size import bound_tooltip, step_size_bound
from lrviz.ui.latest_in_thread import BACKGROUND_POINTS, LatestInThread
from lrviz.ui.state import WindowState


class StepSizeHints(QObject):
    """Keeps `field`'s tooltip (its own text, then the bound) up to date with the run."""

    def __init__(self, state: WindowState, field: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._field = field
        self._base = field.toolTip()
        self._key: tuple | None = None
        self._thread = LatestInThread(self._take, "lrviz-step-size", self)
        state.clock.slowFrame.connect(self.update)
        self.update()

    def update(self) -> None:
        run = self._state.run
        key = (run.revision, run.settings.l2, run.settings.standardize)
        if key == self._key:
            return
        self._key = key
        points, l2, standardize = run.snapshot(), run.settings.l2, run.settings.standardize
        if len(points.y) >= BACKGROUND_POINTS:  # a pass over millions of points: in a thread
            self._thread.submit(lambda: (key, step_size_bound(points.train_X, l2, standardize)))
            return
        self._show(step_size_bound(points.train_X, l2, standardize))

    def _take(self, result) -> None:
        if isinstance(result, Exception):
            raise result  # as if it had been computed here
        key, bound = result
        if key == self._key:
            self._show(bound)

    def _show(self, bound) -> None:
        self._field.setToolTip(f"{self._base}\n\n{bound_tooltip(bound)}")
