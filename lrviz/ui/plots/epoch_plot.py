"""What the loss and parameter plots share as views: a plot of the run's history against the
epoch, bound to the window state.

The curves follow the history at the slow frame rate (and only when it changed), the
cursor follows the shown epoch at every frame, and a click (not a drag, which pans)
selects the epoch under it. A subclass draws the history in `draw_history`.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from lrviz.core.history import RunHistory
from lrviz.ui.plots.series import (
    EpochAxis,
    EpochCursor,
    SteadyViewBox,
    cache_text,
    clicked_epoch,
    history_key,
    settle_timer,
    styled_plot,
)
from lrviz.ui.render.gil_free_paint import GilFreePaint
from lrviz.ui.state import WindowState


class EpochPlot(GilFreePaint, pg.PlotWidget):
    """A steady-ranged, GIL-free plot over the epochs with a cursor at the shown epoch."""

    def __init__(self, state: WindowState, object_name: str, y_label: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, viewBox=SteadyViewBox(enableMenu=False), axisItems={"bottom": EpochAxis("bottom")})
        self.paint_without_gil()
        self._state = state
        self._settle = settle_timer(self)
        styled_plot(self, object_name, y_label)
        self.setTitle(title, color=(60, 60, 60), size="10pt")
        self.cursor = EpochCursor(self.getPlotItem().getViewBox())
        cache_text(self)
        self._drawn_key: tuple | None = None
        state.clock.slowFrame.connect(self.refresh)
        state.clock.frame.connect(self._follow_selection)
        self.scene().sigMouseClicked.connect(self._on_click)

    def refresh(self) -> None:
        """Draw the run's history, if it changed since the last drawing, and the cursor."""
        history = self._state.run.history
        key = history_key(history)
        if key != self._drawn_key:
            self._drawn_key = key
            self.draw_history(history)
            cache_text(self)  # a legend may have come with the history
        self._move_cursor()

    def draw_history(self, history: RunHistory) -> None:
        raise NotImplementedError

    def _follow_selection(self) -> None:
        """A selected epoch moves the cursor at once; while following training, the cursor
        stays with the curve's end, redrawn with it at the slow rate: moving it every frame
        repainted both plots 40 times a second and took the GIL from training."""
        if not self._state.follow_latest:
            self._move_cursor()

    def _move_cursor(self) -> None:
        self.cursor.set_epoch(self._state.shown_epoch)

    def _on_click(self, event) -> None:
        epoch = clicked_epoch(self, event)
        if epoch is not None:
            self._state.select_epoch(round(epoch))
