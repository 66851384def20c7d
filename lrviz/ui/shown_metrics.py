"""The metrics of the shown epoch, computed once for every view that shows them.

The metrics box, the confusion matrices and the ROC plot all read the shown epoch's model
(w, b) on the points as they are now, with their train/test split, at the state's
threshold, like the editor, which draws that epoch's boundary over the current points. ŷ
and the ROC curve are computed once per epoch and edit (SplitScores); a threshold move
only re-counts.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from lrviz.core.metrics import ModelMetrics, SplitScores
from lrviz.ui.state import WindowState


class ShownMetrics(QObject):
    """`metrics()`: the ModelMetrics of the shown epoch at the state's threshold (None before any epoch)."""

    def __init__(self, state: WindowState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._scores_key: tuple | None = None
        self._scores: SplitScores | None = None
        self._metrics_key: tuple | None = None
        self._metrics: ModelMetrics | None = None

    def key(self) -> tuple | None:
        """Changes whenever `metrics()` would: the epoch, its parameters, the points, the threshold."""
        state = self._state
        row = state.shown_row()
        if row is None:
            return None
        run = state.run
        return (run.revision, id(run.history), row.epoch, tuple(row.theta.tolist()), state.threshold)

    def metrics(self) -> ModelMetrics | None:
        key = self.key()
        if key is None:
            return None
        if key != self._metrics_key:
            if key[:-1] != self._scores_key:
                row = self._state.shown_row()
                points = self._state.run.points
                self._scores = SplitScores(points.X, points.y, points.is_test, row.w, row.b)
                self._scores_key = key[:-1]
            self._metrics = self._scores.at(self._state.threshold)
            self._metrics_key = key
        return self._metrics


__all__ = ["ShownMetrics"]
