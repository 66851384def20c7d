"""The math panel: the tutorial's derivation with the numbers of the shown epoch and the
selected point, typeset with Qt's rich text (fractions and sums as nested tables).

A view of the window state, like the read-out: it redraws at every frame when an epoch is
selected, and while following training at most LIVE_HZ times a second (its text layout
takes ~40 ms for 10,000 points' panel and holds the GIL, which the training thread needs;
the last epoch always shows). Hidden, it computes nothing. Its LaTeX and plain text
are the same lines (`latex()`, `plain_text()`), for the copy actions.

Why Qt rich text and not ziamath (LaTeX to SVG in pure Python): ziamath took 120 ms per
equation here, so a panel of 20 equations would hold the GIL for seconds per redraw; the
rich text of the whole panel lays out in a few milliseconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtWidgets import QDockWidget, QTextBrowser, QWidget

from lrviz.core.model_trainer import feature_map, mapped
from lrviz.core.step_size import StepSizeBound, step_size_bound, step_size_warning
from lrviz.ui.plain_text import show_own_html
from lrviz.ui.render.throttle import LiveThrottle
from lrviz.ui.state import WindowState

if TYPE_CHECKING:  # the derivation's modules are imported when the panel first draws: the window starts sooner
    from lrviz.core.explain import Explanation
    from lrviz.core.explain_optimizer import OptimizerStep
    from lrviz.ui.panels.math_pieces import Line

LIVE_HZ = 2.0
EMPTY_TEXT = ("No epoch to explain yet: place points of both classes (click in the editor, or pick a data set "
              "in the Data menu).")


def model_notes(ex: Explanation, step: OptimizerStep | None = None) -> list[Line]:
    """What differs from the tutorial's model (issue 14): φ(x) in place of x, another optimizer
    (whose own update `step` section 4 shows, when its state at this epoch could be rebuilt)."""
    from lrviz.ui.panels.math_optimizer import TITLES
    from lrviz.ui.panels.math_pieces import Line, lit

    notes = []
    if ex.terms:
        notes.append(Line("note", lit(f"Feature map: every equation holds with φ(x) in place of x, "
                                      f"φ(x) = ({', '.join(ex.terms)}): z = φ(x)·w + b has {len(ex.terms)} weights.")))
    if ex.optimizer != "gd" and step is not None:
        notes.append(Line("note", lit(f"This run's optimizer is {ex.optimizer} ({TITLES[ex.optimizer]}): sections 1–3 "
                                      "hold as written; section 4 shows its own update from this epoch, with its "
                                      "state and numbers.")))
    elif ex.optimizer != "gd":
        notes.append(Line("note", lit(f"This run's optimizer is {ex.optimizer}; the update shown below is the "
                                      "tutorial's gradient descent step (4-2), (4-3) from this epoch, so it need "
                                      "not equal the next row.")))
    return notes


def recent_losses(state: WindowState, epoch: int) -> np.ndarray:
    """The losses of the epochs up to `epoch` that the oscillation detector looks at."""
    history = state.run.history
    end = epoch - history.first_epoch + 1
    return np.asarray(history.loss[max(0, end - 51):end])


class MathPanel(QDockWidget):
    """A dock with the derivation at the shown epoch; `text` is its QTextBrowser."""

    def __init__(self, state: WindowState, parent: QWidget | None = None) -> None:
        super().__init__("The Math", parent)
        self.setObjectName("mathPanel")
        self._state = state
        self.text = QTextBrowser()
        self.text.setObjectName("mathText")
        self.text.setOpenLinks(False)
        self.text.setMinimumWidth(380)
        self.setWidget(self.text)
        self._lines: list[Line] = []
        self._drawn: tuple | None = None
        self._bound_key: tuple | None = None
        self._bound: StepSizeBound | None = None
        self.explanation: Explanation | None = None
        self.optimizer_step: OptimizerStep | None = None  # the optimizer's update shown (not gd)
        self.warning = ""
        self._live = LiveThrottle(self.refresh, 1.0 / LIVE_HZ, self)
        state.clock.frame.connect(self._on_frame)
        state.clock.slowFrame.connect(self._on_slow_frame)
        self.visibilityChanged.connect(lambda visible: visible and self.refresh())

    def _on_frame(self) -> None:
        if not self._state.follow_latest or len(self._state.run.history) <= 1:
            self.refresh()

    def _on_slow_frame(self) -> None:
        if self.isVisible():
            self._live.request()

    def refresh(self, force: bool = False) -> None:
        """Recompute and redraw when what it shows changed (and it is visible, or `force`)."""
        if not (self.isVisible() or force):
            return
        state = self._state
        run, epoch = state.run, state.shown_epoch
        history = run.history
        key = (epoch, id(history), len(history), history.last_epoch, state.selected_point, run.revision,
               run.settings)
        if key == self._drawn and not force:
            return
        self._drawn = key
        self._lines = self.lines()
        from lrviz.ui.panels.math_pieces import to_html

        show_own_html(self.text, to_html(self._lines) if self._lines else f"<p>{EMPTY_TEXT}</p>")

    def lines(self) -> list[Line]:
        """The derivation's lines at the shown epoch (empty without one)."""
        from lrviz.core.explain import explain
        from lrviz.core.explain_optimizer import optimizer_step
        from lrviz.ui.panels.math_derivation import derivation
        from lrviz.ui.panels.math_optimizer import optimizer_lines

        state = self._state
        epoch = state.explained_epoch()  # None with no points: the empty text, like the read-out's dashes
        self.explanation, self.warning, self.optimizer_step = None, "", None
        if epoch is None:
            return []
        run = state.run
        row = run.row(epoch)
        points = run.points_at(row.data_revision)
        if not len(points.y):
            return []
        explanation = explain(run, epoch, self._cached_bound(row.data_revision, epoch))
        rate_now = explanation.learning_rate
        if run.settings.optimizer == "gd":  # 2/L is gradient descent's bound; the others' loss may rise
            self.warning = step_size_warning(rate_now, explanation.bound, recent_losses(state, epoch))
        self.explanation = explanation
        point = state.selected_point
        if point is not None and row.data_revision != run.revision:
            point = None  # the selection indexes today's points, not those of this epoch
        step = optimizer_step(run, epoch) if run.settings.optimizer != "gd" else None
        self.optimizer_step = step
        update = optimizer_lines(step) if step is not None else None
        return model_notes(explanation, step) + derivation(explanation, point, self.warning, rate_now, update)

    def _cached_bound(self, revision: int, epoch: int) -> StepSizeBound:
        run = self._state.run
        history = run.history
        l2 = run.row(epoch + 1).l2 if epoch < history.last_epoch else run.settings.l2
        key = (id(run), revision, l2, run.settings.standardize, feature_map(run.settings))
        if key != self._bound_key:
            self._bound = step_size_bound(mapped(run.points_at(revision).train_X, run.settings), l2,
                                          run.settings.standardize)
            self._bound_key = key
        return self._bound

    def latex(self) -> str:
        """The panel as LaTeX: one display equation (with \\tag) a line, notes as comments."""
        from lrviz.ui.panels.math_pieces import to_latex

        self.refresh(force=True)
        return to_latex(self._lines) if self._lines else f"% {EMPTY_TEXT}\n"

    def plain_text(self) -> str:
        """The panel as plain Unicode text, one equation a line."""
        from lrviz.ui.panels.math_pieces import to_text

        self.refresh(force=True)
        return to_text(self._lines) if self._lines else EMPTY_TEXT + "\n"


__all__ = ["EMPTY_TEXT", "MathPanel", "recent_losses"]
