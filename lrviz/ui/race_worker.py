"""A race trained in one worker thread, its epochs delivered to the GUI in frame-sized batches.

The RaceWorker lives in its own QThread and owns the core `Race` (core/race.py): it gives
every racer the epochs that are due (at the run's speed, epochs per second, or as fast as
possible), then emits ONE batch with the new epochs of all racers, at most ~15 times a
second, so the racers arrive together and the plots draw them together. A stop (Stop
Race, a new race, closing the window) is answered within one chunk.

Each race has its own stop event and number: a new race started right after a stop can
neither un-stop the old loop (clearing a shared flag could) nor receive its late batches.
"""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, QThread, Signal, Slot

from lrviz.core.race import Race

# A batch ~15 times a second: the kept curves and paths are redrawn at the slow frame rate
# (10/s) anyway, and every batch costs the GUI thread (holding the GIL) three history appends.
FRAME_SECONDS = 1 / 15
_GIL_SWITCH_SECONDS = 0.001  # between batches: the GUI thread gets the GIL to draw


class RaceWorker(QObject):
    """Trains a Race given to `run` until it finishes or its stop event is set."""

    batch = Signal(int, object)  # (race number, list[RacerEpochs] of one frame)
    finished = Signal(int, bool)  # (race number, True: every racer stopped by itself)
    failed = Signal(int, str)

    @Slot(object)
    def run(self, job: tuple) -> None:
        number, race, epochs_per_second, stop = job
        try:
            self.finished.emit(number, self._run(number, race, epochs_per_second, stop))
        except (ValueError, FloatingPointError, MemoryError) as error:  # a racer that cannot go on
            self.failed.emit(number, f"The race stopped: {error}")

    def _run(self, number: int, race: Race, epochs_per_second: float | None, stop: threading.Event) -> bool:
        begun, done, chunk = time.perf_counter(), 0, 1
        while not stop.is_set() and not race.finished:
            if epochs_per_second is None:
                started = time.perf_counter()
                parts = race.advance(chunk)
                spent = time.perf_counter() - started
                done += chunk
                # chunks of about a frame: few batches, and a stop answered within one
                chunk = max(1, min(4 * chunk, int(chunk * FRAME_SECONDS / max(spent, 1e-6))))
                self.batch.emit(number, parts)
                stop.wait(_GIL_SWITCH_SECONDS)
                continue
            due = int((time.perf_counter() - begun) * epochs_per_second) + 1
            if due > done:
                self.batch.emit(number, race.advance(due - done))
                done = due
            next_due = begun + (done / epochs_per_second)
            stop.wait(max(_GIL_SWITCH_SECONDS, min(FRAME_SECONDS, next_due - time.perf_counter())))
        return race.finished


class RaceController(QObject):
    """Starts and stops races in the worker's thread; relays its batches to the GUI thread."""

    batchReady = Signal(object)
    finished = Signal(bool)
    failed = Signal(str)
    runningChanged = Signal(bool)
    _start = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None  # started with the first race: a window that never races has none
        self._worker: RaceWorker | None = None
        self._running = False
        self._number = 0  # of the newest race: batches of a stopped one still queued are dropped
        self._stop = threading.Event()
        self._shut_down = False

    @property
    def is_running(self) -> bool:
        return self._running

    def start(self, race: Race, epochs_per_second: float | None) -> None:
        """Train `race` (stopping a race that still runs first)."""
        self.stop()
        if self._shut_down:
            return
        if self._thread is None:
            self._thread = QThread()
            self._thread.setObjectName("lrviz-race")
            self._worker = RaceWorker()
            self._worker.moveToThread(self._thread)
            self._start.connect(self._worker.run)
            self._worker.batch.connect(self._on_batch)
            self._worker.finished.connect(self._on_finished)
            self._worker.failed.connect(self._on_failed)
            self._thread.start()
        self._number += 1
        self._stop = threading.Event()
        self._running = True
        self.runningChanged.emit(True)
        self._start.emit((self._number, race, epochs_per_second, self._stop))

    def stop(self) -> None:
        """Stop the race; its batches still queued are dropped (the worker answers within a chunk)."""
        self._stop.set()
        if self._running:
            self._running = False
            self.runningChanged.emit(False)

    def shutdown(self) -> None:
        """Stop the race and the thread, and wait for both; safe to call more than once."""
        self.stop()
        self._shut_down = True
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()

    def _current(self, number: int) -> bool:
        return self._running and number == self._number

    def _on_batch(self, number: int, parts) -> None:
        if self._current(number):
            self.batchReady.emit(parts)

    def _on_finished(self, number: int, completed: bool) -> None:
        if self._current(number) and completed:
            self._running = False
            self.runningChanged.emit(False)
            self.finished.emit(True)

    def _on_failed(self, number: int, message: str) -> None:
        if self._current(number):
            self._running = False
            self.runningChanged.emit(False)
            self.failed.emit(message)


__all__ = ["RaceController", "RaceWorker"]
