"""A long run in the window: the views read what they draw, never a copy of every epoch.

Issue 18 (item 8): resident memory ≤ 1 GB at 10^8 epochs. The history lives on disk beyond
64 MB a column (history_store); these tests check the views' side without timing or memory
readings: what they ask the history for, and that the drawing stays exact where it must.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.core.history import RunHistory
from lrviz.core.path_digest import READ_ROWS
from lrviz.ui.plots.series import PeakDecimator
from tests.ui.test_landscape_plot import overlapping, wait_for_picture, with_landscape

LONG = 200_000


def grow(win, epochs: int, batch: int = 5000, frame_every: int = 4) -> None:
    """Append a drifting path of `epochs` epochs after the newest, in batches as
    RunController._on_batch does, with a frame every few batches (the views follow)."""
    run = win.run
    last = run.history.row(run.history.last_epoch)
    first = last.epoch + 1
    for k, start in enumerate(range(first, first + epochs, batch)):
        e = np.arange(start, min(start + batch, first + epochs))
        t = np.log1p(e - last.epoch)[:, None]
        theta = last.theta + t * np.array([0.3, -0.2, 0.1]) + 0.01 * np.sin(e)[:, None]
        run.append_epochs(e, theta, last.loss / (1 + t[:, 0]), np.full(len(e), 0.1), run.settings.learning_rate,
                          run.settings.l2, run.revision)
        if k % frame_every == frame_every - 1:
            win.state.clock.flush()


class Reads:
    """Records the slices the window asks the history's θ for, and every use of the whole θ."""

    def __init__(self, monkeypatch) -> None:
        self.slices: list[int] = []
        self.whole = 0
        theta_rows, theta = RunHistory.theta_rows, RunHistory.theta

        def recorded_rows(history, start, stop):
            rows = theta_rows(history, start, stop)
            self.slices.append(len(rows))
            return rows

        def recorded_whole(history):
            self.whole += 1
            return theta.fget(history)

        monkeypatch.setattr(RunHistory, "theta_rows", recorded_rows)
        monkeypatch.setattr(RunHistory, "theta", property(recorded_whole))


def test_the_landscape_reads_each_new_epoch_once_and_never_the_whole_path(qtbot, monkeypatch):
    win, plot = with_landscape(qtbot, overlapping())
    wait_for_picture(qtbot, plot)
    reads = Reads(monkeypatch)
    grow(win, LONG)
    win.state.clock.flush()
    for epoch in (0, LONG // 2 + 17, LONG):  # selecting epochs reads their rows, not the path
        win.state.select_epoch(epoch)
        win.state.clock.flush()
    assert reads.whole == 0  # no view took every epoch's θ
    assert max(reads.slices) <= READ_ROWS
    # each new epoch once, plus the bucket still filling at each frame (≤ its size: 128 rows here)
    frames = LONG // 5000 // 4 + 5
    assert plot.digest.rows_read <= LONG + 1 + frames * 128
    assert len(plot.path_points()) < 25_000  # vertices, not 200,001 epochs
    win.mark_saved()


@pytest.mark.parametrize("where", ["first", "middle", "newest"])
def test_the_drawn_path_passes_exactly_through_the_shown_epoch(qtbot, where):
    win, plot = with_landscape(qtbot, overlapping())
    wait_for_picture(qtbot, plot)
    grow(win, LONG)
    history = win.run.history
    epoch = {"first": 0, "middle": LONG // 2 + 17, "newest": history.last_epoch}[where]
    win.state.select_epoch(epoch)
    win.state.clock.flush()
    wait_for_picture(qtbot, plot)
    drawn = plot.drawn_path()
    shown = plot.shown(history.row(epoch).theta)[list(plot.pair)]
    assert any(np.array_equal(vertex, shown) for vertex in drawn)  # the exact row, on the line
    assert plot.marker_position() == tuple(shown)
    ends = plot.shown(np.array([history.row(0).theta, history.row(history.last_epoch).theta]))[:, list(plot.pair)]
    np.testing.assert_array_equal(drawn[[0, -1]], ends)  # the first and the newest epoch stay
    rows = {tuple(p) for p in plot.shown(history.theta)[:, list(plot.pair)].tolist()}
    assert all(tuple(p) in rows for p in drawn.tolist())  # every vertex an epoch's own θ
    win.mark_saved()


def test_a_cut_and_longer_regrowth_redraws_the_path_and_the_curves_of_the_new_epochs(qtbot):
    win, plot = with_landscape(qtbot, overlapping())
    wait_for_picture(qtbot, plot)
    grow(win, 30_000)
    win.state.clock.flush()
    win.run.truncate_after(5_000)  # as Train from an earlier epoch does
    grow(win, 40_000, frame_every=10**9)  # back past the old length before any frame
    win.state.clock.flush()
    history = win.run.history
    fresh = PeakDecimator()
    fresh.set_buckets(win.loss_plot._decimator._buckets)
    np.testing.assert_array_equal(win.loss_plot.drawn_data()[1], fresh.decimate(history.epochs, history.loss)[1])
    rows = {tuple(p) for p in plot.shown(history.theta)[:, list(plot.pair)].tolist()}
    assert all(tuple(p) in rows for p in plot.path_points().tolist())
    win.mark_saved()


@given(st.lists(st.integers(1, 60_000), min_size=1, max_size=12), st.integers(128, 1024))
@settings(max_examples=25, deadline=None)
def test_growing_series_are_read_once_across_bucket_doublings(batches, buckets):
    rng = np.random.default_rng(len(batches))
    y = rng.normal(size=sum(batches))
    x = np.arange(len(y))
    decimator, read = PeakDecimator(buckets), []
    end = 0
    for k in batches:
        end += k
        xs, ys = decimator.decimate(x[:end], y[:end], on_read=read.append)
    # finished buckets merge when they double (an odd last one is read again: < one new bucket
    # per doubling), so the rows are read about once, not once per doubling
    final_bucket = 1 << max(0, int(np.ceil(np.log2(len(y) / buckets))))
    assert sum(read) <= len(y) + 2 * final_bucket
    fresh_x, fresh_y = PeakDecimator(buckets).decimate(x, y)
    np.testing.assert_array_equal(xs, fresh_x)
    np.testing.assert_array_equal(ys, fresh_y)


def test_a_cut_series_keeps_only_the_buckets_before_the_cut():
    rng = np.random.default_rng(5)
    y = rng.normal(size=100_000)
    x = np.arange(len(y))
    decimator = PeakDecimator(256)
    decimator.decimate(x, y)
    y2 = np.concatenate([y[:40_000], rng.normal(size=70_000)])  # cut at 40,000, longer again
    xs, ys = decimator.decimate(np.arange(len(y2)), y2, kept=40_000)
    fresh_x, fresh_y = PeakDecimator(256).decimate(np.arange(len(y2)), y2)
    np.testing.assert_array_equal(xs, fresh_x)
    np.testing.assert_array_equal(ys, fresh_y)
