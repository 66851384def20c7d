"""Work that can wait for the window's first paint waits for it (`lrviz --train` starts training then).

Started before the window had painted, training at full speed took the GIL and, through
NumPy's BLAS threads, the second CPU while the window was still building its first frame:
on two cores the first paint came later, and the process had used more CPU than the wall
clock by then. `FirstPaint(window).then(call)` runs `call` in the event-loop turn after the
window's first paint event (at once if that has been), or after `longest_ms` if the
window never paints (minimised at start, a platform that sends no paint events), so the
call is never lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Knows whether `widget` has painted yet, and runs what waits for that once it has."""

    def __init__(self, widget: QWidget, longest_ms: int = 2000) -> None:
        super().__init__(widget)
        self.painted = False
        self._widget = widget
        self._waiting: list[Callable[[], object]] = []
        widget.installEventFilter(self)
        QTimer.singleShot(longest_ms, self._done)  # a window that never paints still gets its calls

    def then(self, call: Callable[[], object]) -> None:
        """Run `call` after the first paint: now if that has been, else in the turn after it."""
        if self.painted:
            call()
        else:
            self._waiting.append(call)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and watched is self._widget and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._done)  # the next turn: after this frame is painted and shown
        return False

    def _done(self) -> None:
        if self.painted:
            return
        self.painted = True
        self._widget.removeEventFilter(self)
        waiting, self._waiting = self._waiting, []
        for call in waiting:
            call()


__all__ = ["FirstPaint"]
