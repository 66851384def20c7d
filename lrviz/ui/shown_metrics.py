"""The metrics of the shown epoch, computed once for every view that shows them.

The metrics box, the confusion matrices and the ROC plot all read the shown epoch's model
(w, b) on the points as they are now, with their train/test split, at the state's
threshold, like the editor, which draws that epoch's boundary over the current points. ŷ
and the ROC curve are computed once per epoch and edit (SplitScores); a threshold move
only re-counts.

While the views follow a running training, a new epoch is scored at most every 20 times
as long as scoring took (a few ms for thousands of points, so every slow frame; about a
second for a million): the GUI thread then never takes much of the GIL from training.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from lrviz.core.mapped_cache import MappedCache
from lrviz.core.metrics import ModelMetrics, SplitScores
from lrviz.core.model_trainer import mapped
from lrviz.ui.latest_in_thread import run_in_background
from lrviz.ui.state import WindowState

BACKGROUND_POINTS = 200_000  # from this many points (about 0.1 s of scoring) a thread scores them


class ShownMetrics(QObject):
    """`metrics()`: the ModelMetrics of the shown epoch at the state's threshold (None before any epoch)."""

    _scoredInThread = Signal(object)  # (scores key, SplitScores or None, seconds), queued to the GUI thread

    def __init__(self, state: WindowState, training: Callable[[], bool] = lambda: False,
                 parent: QObject | None = None, in_thread: bool = True) -> None:
        """`training()` says whether training runs now (only then may a new epoch wait).
        `in_thread`: whether BACKGROUND_POINTS points or more are scored in a thread (not for
        a picture that is exported: it must have its numbers at once)."""
        super().__init__(parent)
        self._in_thread = in_thread
        self._scoring: tuple | None = None  # the scores key a thread works on now
        self._failed: tuple | None = None  # the scores key a thread could not score
        self._scoredInThread.connect(self._take_scores)
        self._state = state
        self._training = training
        self._scores_key: tuple | None = None
        self._scores: SplitScores | None = None
        self._metrics_key: tuple | None = None
        self._metrics: ModelMetrics | None = None
        self._scored_at = -float("inf")
        self._scoring_seconds = 0.0
        self._mapped = MappedCache()  # φ of the points, kept while they stay (each epoch maps the same)
        self._later = QTimer(self)  # after a wait, a frame: the views then catch up
        self._later.setSingleShot(True)
        self._later.timeout.connect(lambda: state.clock.request())

    def key(self) -> tuple | None:
        """Changes whenever `metrics()` would: the epoch, its parameters, the points, the threshold."""
        state = self._state
        row = state.shown_row()
        if row is None:
            return None
        run = state.run
        return (run.revision, id(run.history), row.epoch, tuple(row.theta.tolist()), state.threshold)

    @property
    def metrics_key(self) -> tuple | None:
        """The key of the numbers `metrics()` returned last (older than `key()` while it waits)."""
        return self._metrics_key

    def redraw_at_frame(self, drawn_key: tuple | None) -> bool:
        """Whether a view that shows `drawn_key` redraws at this frame: at once for a selected
        epoch or a new threshold; while following training, at the slow rate only."""
        key = self.key()
        threshold_moved = key is not None and drawn_key is not None and key[:-1] == drawn_key[:-1]
        state = self._state
        return not state.follow_latest or len(state.run.history) <= 1 or threshold_moved

    def metrics(self) -> ModelMetrics | None:
        key = self.key()
        if key is None:
            return None
        if key != self._metrics_key:
            if key[:-1] != self._scores_key:
                if self._may_wait(key):
                    if not self._later.isActive():
                        wait = 20 * self._scoring_seconds - (time.perf_counter() - self._scored_at)
                        self._later.start(max(1, int(1000 * wait) + 1))
                    return self._metrics
                if self._in_background():
                    if key[:-1] == self._failed:
                        return None
                    self._score_in_thread(key[:-1])
                    return self._metrics if self._same_points(key) else None
                started = time.perf_counter()
                self._scores = self._score()
                self._scores_key = key[:-1]
                self._scored_at = time.perf_counter()
                self._scoring_seconds = self._scored_at - started
            self._metrics = self._scores.at(self._state.threshold)
            self._metrics_key = key
        return self._metrics

    @property
    def pending(self) -> bool:
        """Whether a thread is scoring: `metrics()` will change when it is done (a view that drew
        None or older numbers draws again at the next frame, which then comes)."""
        return self._scoring is not None

    def drawn_key(self, metrics: ModelMetrics | None, key: tuple | None) -> tuple | None:
        """What a view that just drew `metrics()` (asked at `key()`) has drawn: None while the
        numbers are still coming, so that it draws again when they are there."""
        if metrics is not None:
            return self._metrics_key
        return None if self.pending else key

    def _score(self) -> SplitScores:
        row = self._state.shown_row()
        points = self._state.run.points
        return SplitScores(self._mapped.get(points.X, self._state.run.settings), points.y, points.is_test, row.w, row.b)

    def _in_background(self) -> bool:
        return self._in_thread and len(self._state.run.points) >= BACKGROUND_POINTS

    def _same_points(self, key: tuple) -> bool:
        old = self._scores_key
        return old is not None and self._metrics is not None and old[:2] == key[:2]

    def _score_in_thread(self, scores_key: tuple) -> None:
        """Score the shown epoch in a thread, unless one is busy (its result asks for a frame,
        and that frame's `metrics()` starts the newest key then)."""
        if self._scoring is not None:
            return
        self._scoring = scores_key
        row = self._state.shown_row()
        points = self._state.run.snapshot()  # arrays that never change (an edit copies first)
        X, y, is_test = points.X, points.y, points.is_test
        settings = self._state.run.settings
        done = self._scoredInThread

        def work() -> None:
            started = time.perf_counter()
            try:
                scores = SplitScores(mapped(X, settings), y, is_test, row.w, row.b)
            except ValueError:
                scores = None  # mapped's refusal (powers beyond float64): no numbers for these points
            try:
                done.emit((scores_key, scores, time.perf_counter() - started))
            except RuntimeError:
                pass  # the window is gone

        run_in_background(work, "lrviz-metrics")

    def _take_scores(self, result: tuple) -> None:
        scores_key, scores, seconds = result
        self._scoring = None
        if scores is None:
            self._failed = scores_key
        else:
            self._scores, self._scores_key = scores, scores_key
            self._scored_at, self._scoring_seconds = time.perf_counter(), seconds
            threshold = self._state.threshold  # the newest numbers, even if the shown epoch moved on meanwhile
            self._metrics, self._metrics_key = scores.at(threshold), scores_key + (threshold,)
        self._state.clock.request()

    def _may_wait(self, key: tuple) -> bool:
        """Keep the last numbers a little longer: only a newer epoch of the same run, while following."""
        old = self._scores_key
        same_run = old is not None and self._metrics is not None and old[:2] == key[:2]
        recent = time.perf_counter() - self._scored_at < 20 * self._scoring_seconds
        return (same_run and recent and self._state.follow_latest and key[-1] == self._metrics_key[-1]
                and self._training())


__all__ = ["ShownMetrics"]
