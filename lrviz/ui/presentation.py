"""View ▸ Presentation Mode (F5, Esc leaves) and View ▸ Zoom In / Zoom Out / Actual Size.

For a projector: full screen, everything drawn 1.6× larger (fonts, markers, lines; through
render/display_scale.py, the one place sizes are scaled), the side panel compact and the
status bar and the training settings hidden (the keys and menus still reach them). Zoom scales the same way in a normal window, in steps; presentation mode
multiplies the zoom by 1.6. Leaving restores the window's state and every size as built.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLayout, QMainWindow, QScrollArea, QWidget

from lrviz.ui.render.display_scale import set_display_scale
from lrviz.ui.render.style_keeper import keep_styled

PRESENTATION_SCALE = 1.6
ZOOM_STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0)
_COMPACT_MARGIN = 2


class PresentationActions(QObject):
    """presentationAction, leavePresentationAction, zoomInAction, zoomOutAction, zoomResetAction."""

    scaleChanged = Signal(float)

    def __init__(self, host: QMainWindow, side: QScrollArea | None = None,
                 hidden_while_presenting: Sequence[QWidget] = ()) -> None:
        """`host` makes the actions and is scaled; `side` (the side panel's scroll area) is made
        compact while presenting (`hidden_while_presenting` hidden), and kept wide enough for its
        scaled contents."""
        super().__init__(host)
        self._host, self._side = host, side
        self._hidden = list(hidden_while_presenting)
        self._side_layout: QLayout | None = side.widget().layout() if side is not None else None
        self._zoom = ZOOM_STEPS.index(1.0)
        self._presenting = False
        self._before: Qt.WindowState | None = None
        self._side_spacing: tuple | None = None
        make = host.make_action
        self.presentation_action = make("presentationAction", "&Presentation Mode", self.set_presenting, "F5",
                                        "Full screen, everything 1.6× larger, for a projector (Esc leaves)")
        self.presentation_action.setCheckable(True)
        self.leave_presentation_action = make("leavePresentationAction", "Leave Presentation Mode",
                                              lambda: self.set_presenting(False), "Esc")
        self.leave_presentation_action.setEnabled(False)  # Esc is the editor's (cancel a drag) otherwise
        self.zoom_in_action = make("zoomInAction", "Zoom &In", lambda: self.zoom_by(1), None,
                                   "Larger fonts, markers and lines")
        self.zoom_in_action.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out_action = make("zoomOutAction", "Zoom &Out", lambda: self.zoom_by(-1), "Ctrl+-",
                                    "Smaller fonts, markers and lines")
        self.zoom_reset_action = make("zoomResetAction", "&Actual Size", self.reset_zoom, "Ctrl+0",
                                      "Fonts, markers and lines as built")

    @property
    def presenting(self) -> bool:
        return self._presenting

    @property
    def scale(self) -> float:
        return ZOOM_STEPS[self._zoom] * (PRESENTATION_SCALE if self._presenting else 1.0)

    def zoom_by(self, steps: int) -> None:
        self._zoom = min(max(self._zoom + int(steps), 0), len(ZOOM_STEPS) - 1)
        self._apply()

    def reset_zoom(self) -> None:
        self._zoom = ZOOM_STEPS.index(1.0)
        self._apply()

    def set_presenting(self, on: bool) -> None:
        on = bool(on)
        if on == self._presenting:
            self.presentation_action.setChecked(on)
            return
        self._presenting = on
        host = self._host
        self.presentation_action.setChecked(on)
        self.leave_presentation_action.setEnabled(on)
        host.statusBar().setVisible(not on)
        self._compact_side(on)
        if on:
            self._before = host.windowState()
            host.showFullScreen()
        else:
            host.setWindowState(self._before or Qt.WindowState.WindowNoState)
            host.showNormal() if self._before in (None, Qt.WindowState.WindowNoState) else host.show()
        self._apply()

    def _compact_side(self, on: bool) -> None:
        for widget in self._hidden:
            widget.setVisible(not on)
        layout = self._side_layout
        if layout is None:
            return
        if on:
            self._side_spacing = (layout.contentsMargins(), layout.spacing())
            layout.setContentsMargins(_COMPACT_MARGIN, _COMPACT_MARGIN, _COMPACT_MARGIN, _COMPACT_MARGIN)
            layout.setSpacing(_COMPACT_MARGIN)
        elif self._side_spacing is not None:
            margins, spacing = self._side_spacing
            layout.setContentsMargins(margins)
            layout.setSpacing(spacing)

    def _apply(self) -> None:
        set_display_scale(self._host, self.scale)
        keep_styled(self._host)  # items and views added later get the new size at once
        side = self._side
        if side is not None:  # as wide as its scaled contents: no text is cut off
            side.widget().adjustSize()
            side.setMinimumWidth(side.widget().sizeHint().width() + side.verticalScrollBar().sizeHint().width())
        self.scaleChanged.emit(self.scale)


__all__ = ["PRESENTATION_SCALE", "ZOOM_STEPS", "PresentationActions"]
