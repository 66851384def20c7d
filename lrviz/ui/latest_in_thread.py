"""One computation at a time in a thread, the newest request next: for numbers of many points.

A pass over the 4.7 million points of a 200 MB file (an accuracy, the step-size bound)
takes a tenth of a second or more, several times that on a loaded machine; in the GUI
thread each one is a frozen frame. In a thread, NumPy releases the GIL inside each call, so
the window keeps painting while it runs. A daemon thread (as in documents._PointsLoad): it
never delays the application's exit.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

BACKGROUND_POINTS = 200_000  # from this many points, views compute their numbers in a thread
BACKGROUND_NICENESS = 10  # how much lower than the GUI thread such a thread is scheduled


def lower_this_thread() -> None:
    """Schedule the calling thread BACKGROUND_NICENESS below the thread that created it (the
    GUI thread). On a loaded machine the GUI thread shares the cores with these threads as
    well: at the same priority each of them took as much CPU as it, and a frame waited.
    (Linux: a thread's niceness is its own; elsewhere, or if refused, nothing changes.)"""
    try:
        thread = threading.get_native_id()  # it starts at its creator's, the GUI thread's
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICENESS))
    except (AttributeError, OSError):
        pass


def run_in_background(work: Callable[[], None], name: str) -> None:
    """`work()` in a new daemon thread of lower scheduling priority than the GUI thread."""

    def lowered() -> None:
        lower_this_thread()
        work()

    threading.Thread(target=lowered, name=name, daemon=True).start()


class LatestInThread(QObject):
    """`submit(compute)` runs compute() in a thread; `show(result)` gets its result in the GUI thread.

    While one runs, a new request waits, and only the newest of those runs next (the older
    ones are of points or settings already gone). An exception of compute() is passed to
    `show` as the result (a view decides what to say).
    """

    _finished = Signal(object)  # queued from the thread to the GUI thread

    def __init__(self, show: Callable[[object], None], name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._show, self._name = show, name
        self._busy = False
        self._waiting: Callable[[], object] | None = None
        self._finished.connect(self._done)

    @property
    def busy(self) -> bool:
        """Whether a computation runs or waits (a view shows older numbers, or none, meanwhile)."""
        return self._busy

    def submit(self, compute: Callable[[], object]) -> None:
        """Run `compute` (it must only read arrays that never change, e.g. a Run's snapshot)."""
        if self._busy:
            self._waiting = compute
            return
        self._busy = True
        finished = self._finished

        def work() -> None:
            try:
                result = compute()
            except Exception as error:  # noqa: BLE001 (handed to the view, never lost in the thread)
                result = error
            try:
                finished.emit(result)
            except RuntimeError:
                pass  # the window is gone

        run_in_background(work, self._name)

    def _done(self, result: object) -> None:
        self._busy = False
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self.submit(waiting)
        self._show(result)


__all__ = ["BACKGROUND_POINTS", "LatestInThread", "lower_this_thread", "run_in_background"]
