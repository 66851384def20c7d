"""At most a few redraws a second of a costly view while training runs, never a stale last one.

Typesetting the math panel (Qt's rich-text layout of its tables) takes tens of milliseconds
and holds Python's GIL, which the training thread needs; numbers changing 10 times a
second cannot be read anyway. `LiveThrottle.request()` runs the redraw at once when the
last one is older than the interval, and otherwise once the interval is over, so the
view always ends on the newest state.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class LiveThrottle(QObject):
    """Calls `redraw` at most once per `interval_s`, with a trailing call for the last request."""

    def __init__(self, redraw: Callable[[], None], interval_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._redraw = redraw
        self._interval = float(interval_s)
        self._last = -float("inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def request(self) -> None:
        wait = self._last + self._interval - time.monotonic()
        if wait <= 0:
            self._timer.stop()
            self._fire()
        elif not self._timer.isActive():
            self._timer.start(max(1, int(wait * 1000)))

    def _fire(self) -> None:
        self._last = time.monotonic()
        self._redraw()
