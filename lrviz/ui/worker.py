"""Training in a worker thread, with every epoch delivered to the GUI in rate-limited batches.

The TrainingWorker lives in its own QThread and owns the Trainer, so pausing and resuming
continue from the same parameters. It runs epochs until about one frame (1/30 s, by its
own clock) has passed, then emits ONE EpochBatch holding every epoch since the last
emit; at slow speeds it emits after each epoch and waits, interruptibly, until the next
is due. So the GUI gets every epoch exactly once and never more than ~30 signals a
second: no event queue grows, however fast training runs.

The GUI talks to the worker through TrainingController. Edits (new points, new settings)
are handed over under a lock and taken at the next epoch boundary. Each reset starts a
new generation; batches of an older one still in the queue are dropped.

Stopping is a counter, not a flag: pause, reset and shutdown each add one stop request,
and a run is started with the count at that moment (its token) and ends as soon as the
count differs. A start right after a reset or a pause therefore cannot cancel their stop
request (clearing a flag could, before the loop had seen it: the old loop then trained
the old trainer forever while the queued reset and run waited behind it), and the
`finished` of a run that a newer start replaced is told apart by its token and ignored.
"""

from __future__ import annotations

import math
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from lrviz.core.metrics import TestLoss
from lrviz.core.model_trainer import build_trainer, mapped
from lrviz.core.optimized_trainer import OptimizedTrainer
from lrviz.core.run import PointsSnapshot
from lrviz.core.settings import TrainingSettings
from lrviz.core.trainer import History, Trainer

FRAME_SECONDS = 1 / 40  # at most ~40 emits a second: the window redraws at 30+ fps
GIL_SWITCH_SECONDS = 0.001
_CHUNK_SECONDS = 0.004  # run() chunks this long, so a pause is answered within a few ms


@dataclass(frozen=True)
class EpochBatch:
    """Consecutive epochs since the last emit, with the α, λ and data revision of each
    (the columns of `RunHistory.append`); the worker never touches these arrays again."""

    epochs: np.ndarray  # (k,) int64
    theta: np.ndarray  # (k, p): w1 … wn, b in raw coordinates
    loss: np.ndarray
    grad_norm: np.ndarray
    learning_rate: np.ndarray
    l2: np.ndarray
    data_revision: np.ndarray
    generation: int = 0
    test_loss: np.ndarray | None = None  # the loss (2-1) on the test points, where `tested`
    tested: np.ndarray | None = None  # (k,) bool; both None when no epoch had a test set
    checkpoint: dict | None = None  # a non-gd optimizer's state after the last epoch (OptimizedTrainer)

    def __len__(self) -> int:
        return len(self.epochs)

    @property
    def W(self) -> np.ndarray:  # noqa: N802 (the math's name)
        return self.theta[:, :-1]

    @property
    def b(self) -> np.ndarray:
        return self.theta[:, -1]


@dataclass(frozen=True)
class _Part:
    """One Trainer.run() result and what was in force for it (α and λ cannot change inside a run)."""

    history: History
    learning_rate: float
    l2: float
    data_revision: int
    test_loss: np.ndarray | None = None  # of every epoch of `history`, when the points had a test set


class TrainingWorker(QObject):
    """Runs a Trainer in its thread. Slots run there; `submit_*` and `request_stop` are thread-safe."""

    batchReady = Signal(object)  # EpochBatch
    finished = Signal(object, int, int)  # StopInfo or None (paused), generation, run token (-1: step)
    failed = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        # Each hand-over and each reset request gets a serial number: a reset drops only the
        # edits handed over before it was requested, never one made just after (which a
        # queued reset would otherwise overwrite with its older snapshot).
        self._serial = 0
        self._pending_data: tuple[int, PointsSnapshot] | None = None
        self._pending_settings: tuple[int, TrainingSettings] | None = None
        # Stop requests (pause, reset, shutdown) so far; a run ends when this differs from its
        # token. Only ever increases, so a later start() cannot undo a stop (see the module doc).
        self._stops = threading.Condition(threading.Lock())
        self._stop_count = 0
        self._run_token = 0
        self._trainer: Trainer | None = None
        self._settings = TrainingSettings()
        self._revision = 0  # of the points the trainer has
        self._test: TestLoss | None = None  # the test points' loss, evaluated in the same pass
        self._generation = 0
        self.newest_generation = 0  # of the newest reset requested (written by the GUI thread)
        self._chunk = 1  # epochs per run() call at full speed, adapted to the machine
        self._epoch_credit = 0.0  # fractional epochs owed at speeds above one per frame

    # -- called from the GUI thread -------------------------------------------------------------
    def submit_data(self, points: PointsSnapshot) -> None:
        with self._lock:
            self._serial += 1
            self._pending_data = (self._serial, points)

    def submit_settings(self, settings: TrainingSettings) -> None:
        with self._lock:
            self._serial += 1
            self._pending_settings = (self._serial, settings)

    def request_stop(self) -> int:
        """Ask the running loop (if any) to end at once; returns the new stop count (a run token)."""
        with self._stops:
            self._stop_count += 1
            self._stops.notify_all()
            return self._stop_count

    def stop_count(self) -> int:
        """The token for a run that should go on until the next stop request."""
        with self._stops:
            return self._stop_count

    def reset_serial(self) -> int:
        """A serial for a reset request: edits handed over later survive that reset."""
        with self._lock:
            self._serial += 1
            return self._serial

    # -- slots, run in the worker thread ---------------------------------------------------------
    @Slot(object)
    def reset(self, payload: tuple) -> None:
        """A new Trainer; its first record is emitted, unless it resumes an epoch the GUI already holds."""
        points, settings, generation, resume, serial = payload
        if generation < self.newest_generation:
            return  # a newer reset is queued (opening a file asks twice): its trainer is the one kept
        with self._lock:  # the payload is newer than anything handed over before it
            if self._pending_data is not None and self._pending_data[0] < serial:
                self._pending_data = None
            if self._pending_settings is not None and self._pending_settings[0] < serial:
                self._pending_settings = None
        self._generation = generation
        self._settings = settings
        self._revision = points.revision
        try:
            w0, b0, start_epoch, *checkpoint = resume if resume is not None else (None, 0.0, 0)
            self._trainer = self._test = None  # the old design matrices go before the new ones are built
            self._trainer = build_trainer(points.train_X, points.train_y, settings,
                                          checkpoint=checkpoint[0] if checkpoint else None,
                                          w0=w0, b0=b0, start_epoch=start_epoch)
            self._set_test_points(points)
        except ValueError as error:
            self._trainer = None
            self.failed.emit(f"Cannot train: {error}", generation)
            return
        if resume is None:
            record = self._trainer.current
            self._emit([self._part(History(np.array([record.epoch]), record.w[None, :], np.array([record.b]),
                                           np.array([record.loss]), np.array([record.grad_norm])))])

    @Slot()
    def step(self) -> None:
        if not self._ready():
            return
        history = self._trainer.run(1)
        if len(history):
            self._emit([self._part(history)])
        if self._trainer.stop is not None:
            self.finished.emit(self._trainer.stop, self._generation, -1)

    @Slot(int)
    def run(self, token: int) -> None:
        """Train until a stop is requested after `token` was taken, or a stop rule fires."""
        self._run_token = token
        if self._interrupted():  # paused, reset or replaced before it began
            self.finished.emit(None, self._generation, token)
            return
        if not self._ready():
            return  # `failed` already said why
        while not self._interrupted():
            frame_start = time.perf_counter()
            parts = self._run_frame(frame_start)
            if parts is None:
                return  # failed; already reported
            if parts:
                self._emit(parts)
            if self._trainer.stop is not None:
                self.finished.emit(self._trainer.stop, self._generation, token)
                return
            self._wait_unless_stopped(self._pause_after(frame_start))
        self.finished.emit(None, self._generation, token)

    # -- the loop's parts ----------------------------------------------------------------------------
    def _run_frame(self, frame_start: float) -> list[_Part] | None:
        """The epochs of one frame: one at slow speeds, else as many as are due (or fit).

        Above one epoch a frame, the due epochs run in chunks that check the clock and stop
        requests, like full speed does: a speed beyond the machine (a damaged session's
        1e12 epochs/s) then runs as fast as it can instead of one endless Trainer.run()
        that ignores Pause. Epochs that did not fit in the frame are dropped, not owed.
        """
        if not self._take_pending():
            return None
        speed = self._settings.epochs_per_second
        if speed is not None and speed <= 1 / FRAME_SECONDS:
            history = self._trainer.run(1)
            return [self._part(history)] if len(history) else []
        budget: int | None = None
        if speed is not None:
            self._epoch_credit += speed * FRAME_SECONDS
            budget = int(min(self._epoch_credit, 1e9))
            self._epoch_credit -= math.floor(self._epoch_credit)
        parts: list[_Part] = []
        chunk = self._chunk
        done = 0
        while (budget is None or done < budget) and time.perf_counter() - frame_start < FRAME_SECONDS \
                and not self._interrupted():
            if parts and not self._take_pending():
                return None
            want = chunk if budget is None else min(chunk, budget - done)
            started = time.perf_counter()
            history = self._trainer.run(want)
            if len(history):
                parts.append(self._part(history))
            done += len(history)
            elapsed = time.perf_counter() - started
            if len(history) == chunk:  # adapt the chunk so one run() takes ~_CHUNK_SECONDS
                chunk = int(min(max(chunk * _CHUNK_SECONDS / max(elapsed, 1e-6), 1), 2 * chunk + 1, 100_000))
            if self._trainer.stop is not None or len(history) < want:
                break
        self._chunk = chunk
        return parts

    def _pause_after(self, frame_start: float) -> float:
        speed = self._settings.epochs_per_second
        if speed is None:
            return 0.0
        period = 1 / speed if speed <= 1 / FRAME_SECONDS else FRAME_SECONDS
        return max(0.0, period - (time.perf_counter() - frame_start))

    def _interrupted(self) -> bool:
        with self._stops:
            stopped = self._stop_count != self._run_token
        return stopped or QThread.currentThread().isInterruptionRequested()

    def _wait_unless_stopped(self, seconds: float) -> None:
        """Sleep until the next frame is due, waking at once for a stop request."""
        if seconds <= 0:
            return
        with self._stops:
            self._stops.wait_for(lambda: self._stop_count != self._run_token, timeout=seconds)

    def _ready(self) -> bool:
        if self._trainer is None:
            self.failed.emit("Cannot train: there is no valid data; place points of both classes "
                             "or open a data set, then press Reset.", self._generation)
            return False
        return self._take_pending()

    def _take_pending(self) -> bool:
        """Apply edits handed over by the GUI; False (and `failed` emitted) when they are unusable."""
        with self._lock:
            data = self._pending_data[1] if self._pending_data is not None else None
            settings = self._pending_settings[1] if self._pending_settings is not None else None
            self._pending_data = self._pending_settings = None
        try:
            if data is not None:
                self._trainer.set_data(mapped(data.train_X, self._settings), data.train_y)
                self._set_test_points(data)
                self._revision = data.revision
            if settings is not None:
                self._trainer.set_learning_rate(settings.learning_rate)
                self._trainer.set_l2(settings.l2)
                self._trainer.set_stop_rules(settings.max_epochs, settings.tol)
                self._settings = settings
        except ValueError as error:
            self.failed.emit(f"Cannot train: {error}", self._generation)
            return False
        return True

    def _set_test_points(self, points: PointsSnapshot) -> None:
        self._test = TestLoss(mapped(points.test_X, self._settings), points.test_y) if points.has_test else None

    def _part(self, history: History) -> _Part:
        """The epochs of one Trainer.run(), with the test loss of each (one pass over the test points)."""
        test_loss = None
        if self._test is not None and len(history):
            test_loss = self._test(history.W, history.b)
        return _Part(history, self._trainer.learning_rate, self._trainer.l2, self._revision, test_loss)

    def _emit(self, parts: list[_Part]) -> None:
        def column(value_of) -> np.ndarray:
            return np.concatenate([np.full(len(p.history), value_of(p)) for p in parts])

        histories = [p.history for p in parts]
        test_loss = tested = None
        if any(p.test_loss is not None for p in parts):
            test_loss = np.concatenate([p.test_loss if p.test_loss is not None else np.zeros(len(p.history))
                                        for p in parts])
            tested = np.concatenate([np.full(len(p.history), p.test_loss is not None) for p in parts])
        theta = np.concatenate([np.column_stack([h.W, h.b]) for h in histories])
        batch = EpochBatch(
            epochs=np.concatenate([h.epochs for h in histories]), theta=theta,
            loss=np.concatenate([h.loss for h in histories]),
            grad_norm=np.concatenate([h.grad_norm for h in histories]),
            learning_rate=column(lambda p: p.learning_rate), l2=column(lambda p: p.l2),
            data_revision=column(lambda p: p.data_revision).astype(np.int64), generation=self._generation,
            test_loss=test_loss, tested=tested, checkpoint=self._checkpoint())
        self.batchReady.emit(batch)

    def _checkpoint(self) -> dict | None:
        """The optimizer's state after the newest epoch (None for gd, or after a divergence)."""
        if not isinstance(self._trainer, OptimizedTrainer):
            return None
        try:
            return self._trainer.checkpoint()
        except ValueError:
            return None


class TrainingController(QObject):
    """The GUI thread's handle on the worker thread: start, pause, step, reset, edit, shut down."""

    batchReady = Signal(object)  # EpochBatch, current generation only
    finished = Signal(object)  # StopInfo, or None when paused
    failed = Signal(str)
    runningChanged = Signal(bool)

    _resetRequested = Signal(object)
    _runRequested = Signal(int)  # the run's token
    _stepRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # The GUI and the worker share the GIL. With small data the worker's NumPy calls never
        # release it, and every Python slot or paint() of the GUI waits up to the switch
        # interval (5 ms by default) for it: frames then take hundreds of ms. 1 ms keeps the
        # window responsive at a negligible cost to training.
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_SECONDS))
        self._generation = 0
        self._run_token = 0  # the newest run started; finished of older runs is ignored
        self._running = False
        self._shut_down = False
        self._thread = QThread()
        self._thread.setObjectName("lrviz-training")
        self._worker = TrainingWorker()
        self._worker.moveToThread(self._thread)
        self._resetRequested.connect(self._worker.reset)
        self._runRequested.connect(self._worker.run)
        self._stepRequested.connect(self._worker.step)
        self._worker.batchReady.connect(self._on_batch)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    @property
    def is_running(self) -> bool:
        return self._running

    def thread_finished(self) -> bool:
        return self._thread.isFinished()

    def reset(self, points: PointsSnapshot, settings: TrainingSettings,
              resume: tuple[np.ndarray, float, int] | None = None) -> None:
        """A new Trainer at epoch 0, whose record arrives as a batch; or at `resume` = (w, b,
        epoch), an epoch the caller already holds, to go on from it (no batch repeats it)."""
        self._worker.request_stop()
        self._generation += 1
        self._worker.newest_generation = self._generation
        self._set_running(False)
        self._resetRequested.emit((points, settings, self._generation, resume, self._worker.reset_serial()))

    def start(self) -> None:
        if self._running or self._shut_down:
            return
        self._run_token = self._worker.stop_count()
        self._set_running(True)
        self._runRequested.emit(self._run_token)

    def pause(self) -> None:
        """Stop the run now: a start() right after this one begins a new run (the old run's
        `finished` is then ignored); otherwise `finished(None)` follows when the loop ends."""
        self._worker.request_stop()
        self._set_running(False)

    def step(self) -> None:
        if not self._running and not self._shut_down:
            self._stepRequested.emit()

    def update_data(self, points: PointsSnapshot) -> None:
        self._worker.submit_data(points)

    def update_settings(self, settings: TrainingSettings) -> None:
        self._worker.submit_settings(settings)

    def shutdown(self) -> None:
        """Stop the loop and the thread, and wait for both; safe to call more than once."""
        if self._shut_down:
            return
        self._shut_down = True
        self._worker.request_stop()
        self._thread.requestInterruption()
        self._thread.quit()
        self._thread.wait()
        self._set_running(False)

    # -- from the worker ---------------------------------------------------------------------------
    @Slot(object)
    def _on_batch(self, batch: EpochBatch) -> None:
        if batch.generation == self._generation:
            self.batchReady.emit(batch)

    @Slot(object, int, int)
    def _on_finished(self, stop, generation: int, token: int) -> None:
        """From the newest run (or a step while none runs); a run replaced by a newer start is ignored."""
        current_run = token == self._run_token if token >= 0 else not self._running
        if generation == self._generation and current_run:
            self._set_running(False)
            self.finished.emit(stop)

    @Slot(str, int)
    def _on_failed(self, message: str, generation: int) -> None:
        if generation == self._generation:
            self._set_running(False)
            self.failed.emit(message)

    def _set_running(self, running: bool) -> None:
        if running != self._running:
            self._running = running
            self.runningChanged.emit(running)


__all__ = ["EpochBatch", "TrainingController", "TrainingWorker"]
