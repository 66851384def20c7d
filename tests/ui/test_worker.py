"""The worker thread: every epoch exactly once, in order, in a bounded number of batches."""

from __future__ import annotations

import time

import numpy as np
import pytest

from lrviz.core import STOP_DIVERGED, STOP_MAX_EPOCHS, Trainer
from lrviz.core.run import PointsSnapshot
from lrviz.core.settings import TrainingSettings
from lrviz.ui.worker import TrainingController, TrainingWorker

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 2))
Y = (X[:, 0] - 0.5 * X[:, 1] + rng.normal(size=200) > 0).astype(int)


@pytest.fixture
def controller(qtbot):
    ctrl = TrainingController()
    batches = []
    ctrl.batchReady.connect(lambda batch: batches.append((time.perf_counter(), batch)))
    ctrl.batches = batches
    yield ctrl
    ctrl.shutdown()


def _points(X, y, revision=0) -> PointsSnapshot:
    return PointsSnapshot(revision, np.array(X, dtype=float), np.array(y))


def _unchecked(settings: TrainingSettings, **values) -> TrainingSettings:
    """Settings no reader would let through (a damaged file's), to show the worker copes anyway."""
    for name, value in values.items():
        object.__setattr__(settings, name, value)
    return settings


def _reset(qtbot, ctrl, settings):
    with qtbot.waitSignal(ctrl.batchReady, timeout=5000):
        ctrl.reset(_points(X, Y), settings)


def _joined(batches):
    epochs = np.concatenate([b.epochs for _, b in batches])
    W = np.concatenate([b.W for _, b in batches])
    loss = np.concatenate([b.loss for _, b in batches])
    return epochs, W, loss


def test_full_speed_every_epoch_once_in_bounded_batches(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(max_epochs=None, epochs_per_second=None))
    controller.batches.clear()
    start = time.perf_counter()
    controller.start()
    qtbot.waitUntil(lambda: time.perf_counter() - start > 1.0, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000) as blocker:
        controller.pause()
    assert blocker.args == [None]
    elapsed = controller.batches[-1][0] - start
    epochs, W, loss = _joined(controller.batches)
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))  # no gap, no repeat
    assert len(controller.batches) <= 60 * elapsed + 2
    assert len(epochs) > 20 * len(controller.batches)  # many epochs per batch
    reference = Trainer(X, Y).run(len(epochs))
    np.testing.assert_array_equal(W, reference.W)
    np.testing.assert_array_equal(loss, reference.loss)


def test_slow_speed_sends_one_epoch_per_batch(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(epochs_per_second=20.0))
    controller.batches.clear()
    controller.start()
    qtbot.waitUntil(lambda: len(controller.batches) >= 4, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    assert all(len(batch) == 1 for _, batch in controller.batches)
    times = np.array([t for t, _ in controller.batches])
    assert np.median(np.diff(times)) > 0.02  # paced, not as fast as possible


def test_step_pause_resume_and_reset(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(epochs_per_second=None, max_epochs=None))
    with qtbot.waitSignal(controller.batchReady, timeout=5000) as blocker:
        controller.step()
    np.testing.assert_array_equal(blocker.args[0].epochs, [1])
    controller.start()
    qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > 50, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    controller.start()
    last = controller.batches[-1][1].epochs[-1]
    qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > last + 50, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    epochs, W, loss = _joined(controller.batches)
    np.testing.assert_array_equal(epochs, np.arange(len(epochs)))  # epoch 0 from the reset
    np.testing.assert_array_equal(loss[1:], Trainer(X, Y).run(len(epochs) - 1).loss)

    controller.batches.clear()
    _reset(qtbot, controller, TrainingSettings())
    np.testing.assert_array_equal(controller.batches[-1][1].epochs, [0])


def test_settings_edit_takes_effect_at_the_next_epoch(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(learning_rate=0.1, epochs_per_second=None, max_epochs=None))
    for _ in range(3):
        with qtbot.waitSignal(controller.batchReady, timeout=5000):
            controller.step()
    controller.update_settings(TrainingSettings(learning_rate=2.0, l2=0.3, epochs_per_second=None,
                                                max_epochs=None))
    with qtbot.waitSignal(controller.batchReady, timeout=5000):
        controller.step()
    reference = Trainer(X, Y, learning_rate=0.1)
    reference.run(3)
    reference.set_learning_rate(2.0)
    reference.set_l2(0.3)
    expected = reference.step()
    np.testing.assert_array_equal(controller.batches[-1][1].W[-1], expected.w)
    assert controller.batches[-1][1].loss[-1] == expected.loss


def test_data_edit_while_running_is_taken(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(epochs_per_second=None, max_epochs=None))
    controller.start()
    qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > 10, timeout=5000)
    controller.update_data(_points(X[:20], Y[:20], revision=1))
    qtbot.waitUntil(lambda: len(controller.batches) > 3, timeout=5000)
    n_before = len(controller.batches)
    qtbot.waitUntil(lambda: len(controller.batches) > n_before + 1, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    last = controller.batches[-1][1]
    # the epochs after the edit say they were computed on revision 1, and their loss is that of the 20 points
    assert last.data_revision[-1] == 1 and set(last.data_revision) <= {0, 1}
    expected = Trainer(X[:20], Y[:20], w0=last.W[-1], b0=float(last.b[-1])).current.loss
    assert last.loss[-1] == pytest.approx(expected, rel=1e-12)


def test_max_epochs_stops_with_the_reason(qtbot, controller):
    _reset(qtbot, controller, TrainingSettings(max_epochs=500, epochs_per_second=None))
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        controller.start()
    assert blocker.args[0].kind == STOP_MAX_EPOCHS
    assert controller.batches[-1][1].epochs[-1] == 500
    assert not controller.is_running


def test_divergence_stops_with_finite_values(qtbot, controller):
    with qtbot.waitSignal(controller.batchReady, timeout=5000):
        controller.reset(_points(X * 1e3, Y), TrainingSettings(learning_rate=1e6, l2=10.0, epochs_per_second=None))
    with qtbot.waitSignal(controller.finished, timeout=10000) as blocker:
        controller.start()
    assert blocker.args[0].kind == STOP_DIVERGED
    _, W, loss = _joined(controller.batches)
    assert np.all(np.isfinite(W)) and np.all(np.isfinite(loss))


def test_empty_data_fails_with_a_message(qtbot, controller):
    with qtbot.waitSignal(controller.failed, timeout=5000) as blocker:
        controller.reset(_points(np.empty((0, 2)), np.empty(0)), TrainingSettings())
    assert "no points" in blocker.args[0]


def test_shutdown_while_training_finishes_the_thread(qtbot):
    ctrl = TrainingController()
    with qtbot.waitSignal(ctrl.batchReady, timeout=5000):
        ctrl.reset(_points(X, Y), TrainingSettings(epochs_per_second=None, max_epochs=None))
    with qtbot.waitSignal(ctrl.batchReady, timeout=5000):
        ctrl.start()
    ctrl.shutdown()
    assert ctrl.thread_finished()
    ctrl.shutdown()  # twice is fine
    assert not ctrl.is_running


@pytest.mark.parametrize("edit_after_reset_request", [True, False])
def test_reset_keeps_only_edits_made_after_it_was_requested(qtbot, edit_after_reset_request):
    """A reset is queued to the worker thread while edits are handed over at once: an edit
    made just after the reset request (e.g. the speed slider moved right after opening a
    file) must survive the reset, and one made before it must not override its snapshot."""
    worker = TrainingWorker()  # slots called directly: the order of events is exact
    old = TrainingSettings(learning_rate=0.1)
    new = TrainingSettings(learning_rate=2.0)
    if edit_after_reset_request:
        serial = worker.reset_serial()
        worker.submit_settings(new)
    else:
        worker.submit_settings(new)
        serial = worker.reset_serial()
    worker.reset((_points(X, Y), old, 1, None, serial))
    batches = []
    worker.batchReady.connect(batches.append)
    worker.step()
    expected_rate = new.learning_rate if edit_after_reset_request else old.learning_rate
    reference = Trainer(X, Y, learning_rate=expected_rate).run(1)
    np.testing.assert_array_equal(batches[-1].W, reference.W)


def test_train_right_after_reset_runs_the_new_trainer(qtbot, controller):
    """reset() asks the running loop to stop, and a start() right after it (Reset then Train,
    or a data set loaded then Train, with no event processed in between) must not cancel that
    request: the old loop would go on training the old trainer, whose batches are dropped, and
    the queued reset and run would never execute (the window stuck with an empty history)."""
    for _ in range(5):
        _reset(qtbot, controller, TrainingSettings(epochs_per_second=None, max_epochs=None))
        controller.start()
        qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > 10, timeout=5000)
        controller.batches.clear()
        controller.reset(_points(X[:50], Y[:50]), TrainingSettings(learning_rate=0.5, epochs_per_second=None,
                                                          max_epochs=None))
        controller.start()  # no event processed since the reset
        qtbot.waitUntil(lambda: bool(controller.batches) and controller.batches[-1][1].epochs[-1] > 10, timeout=5000)
        assert controller.is_running
        with qtbot.waitSignal(controller.finished, timeout=5000):
            controller.pause()
        epochs, W, _ = _joined(controller.batches)
        np.testing.assert_array_equal(epochs, np.arange(len(epochs)))  # the new trainer, from epoch 0
        np.testing.assert_array_equal(W[1:], Trainer(X[:50], Y[:50], learning_rate=0.5).run(len(epochs) - 1).W)


def test_pause_then_start_keeps_running(qtbot, controller):
    """A pause followed at once by a start: the paused loop's `finished` must not switch the
    controller to "not running" while the new run trains, and no epoch is lost or repeated."""
    _reset(qtbot, controller, TrainingSettings(epochs_per_second=None, max_epochs=None))
    controller.start()
    qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > 10, timeout=5000)
    finished = []
    controller.finished.connect(finished.append)
    for _ in range(5):
        controller.pause()
        controller.start()
        last = controller.batches[-1][1].epochs[-1]
        qtbot.waitUntil(lambda: controller.batches[-1][1].epochs[-1] > last + 10, timeout=5000)
        assert controller.is_running and finished == []
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    assert not controller.is_running
    epochs, _, _ = _joined(controller.batches)
    np.testing.assert_array_equal(epochs, np.arange(len(epochs)))


def test_absurd_fixed_speed_is_bounded_by_the_frame_and_pausable(qtbot, controller):
    """A fixed speed far beyond the machine (a damaged session's epochs_per_second) must not
    turn one frame into one enormous Trainer.run(): each frame holds what fits in about a
    frame's time, a pause is answered at once, and every epoch still arrives once, in order."""
    _reset(qtbot, controller, _unchecked(TrainingSettings(max_epochs=None), epochs_per_second=1e8))
    controller.batches.clear()
    controller.start()
    qtbot.waitUntil(lambda: len(controller.batches) >= 5, timeout=5000)
    with qtbot.waitSignal(controller.finished, timeout=5000):  # answered, not after a huge run
        controller.pause()
    epochs, W, _ = _joined(controller.batches)
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))
    # a frame's budget is 1e8 / 40 = 2.5e6 epochs; what fits in a frame here is some thousands
    assert max(len(batch.epochs) for _, batch in controller.batches) < 250_000
    np.testing.assert_array_equal(W, Trainer(X, Y).run(len(epochs)).W)


def test_fixed_speed_above_the_frame_rate_keeps_its_pace(qtbot, controller):
    """At 400 epochs/s each frame (1/40 s) trains its 10 epochs, not as many as fit. Counted per
    frame, not per second of the wall clock, which a loaded machine stretches (a frame whose
    epochs do not fit in it drops the rest, so a batch may hold fewer, never more)."""
    _reset(qtbot, controller, TrainingSettings(epochs_per_second=400.0, max_epochs=None))
    controller.batches.clear()
    controller.start()
    qtbot.waitUntil(lambda: len(controller.batches) >= 8, timeout=10000)
    with qtbot.waitSignal(controller.finished, timeout=5000):
        controller.pause()
    sizes = [len(batch.epochs) for _, batch in controller.batches]
    assert max(sizes) <= 10 and float(np.median(sizes)) == 10.0
    epochs, _, _ = _joined(controller.batches)
    np.testing.assert_array_equal(epochs, np.arange(1, len(epochs) + 1))  # none lost or repeated
