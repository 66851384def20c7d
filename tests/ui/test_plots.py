"""Live plots: every epoch kept, a few thousand points drawn, log scale safe."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrviz.ui.plots.loss_plot import LossPlot
from lrviz.ui.plots.params_plot import ParamsPlot
from lrviz.ui.plots.series import DRAWN_BUCKETS, PeakDecimator, SteadyViewBox, steady_range
from lrviz.ui.state import WindowState



def _shown(qtbot, plot):
    """A plot on screen at 500×300 pixels (ranges and decimation depend on its size)."""
    qtbot.addWidget(plot)
    plot.resize(500, 300)
    plot.show()
    return plot

def test_decimation_keeps_every_extreme():
    rng = np.random.default_rng(0)
    n = 1_000_003
    x = np.arange(n)
    y = rng.normal(size=n)
    y[123_457] = 50.0  # one spike must survive
    xs, ys = PeakDecimator().decimate(x, y)
    assert len(xs) <= 2 * DRAWN_BUCKETS + 2 * 1024
    assert ys.max() == 50.0 and ys.min() == y.min()
    assert np.all(np.diff(xs) >= 0)


def test_incremental_decimation_equals_from_scratch():
    rng = np.random.default_rng(1)
    y = rng.normal(size=400_000)
    x = np.arange(len(y))
    incremental = PeakDecimator()
    for end in (10_000, 150_000, 150_001, 399_999, 400_000):
        xs, ys = incremental.decimate(x[:end], y[:end])
    fresh_x, fresh_y = PeakDecimator().decimate(x, y)
    np.testing.assert_array_equal(xs, fresh_x)
    np.testing.assert_array_equal(ys, fresh_y)


def test_loss_plot_with_a_million_epochs(qtbot):
    plot = LossPlot(WindowState())
    qtbot.addWidget(plot)
    epochs = np.arange(1_000_000)
    loss = np.exp(-epochs / 1e5)
    loss[-10:] = 0.0  # underflowed loss, as separable data gives
    plot.set_history(epochs, loss)
    kept_x, kept_y = plot.history_data()
    assert len(kept_y) == 1_000_000
    drawn_x, _ = plot.drawn_data()
    assert len(drawn_x) < 6000
    plot.set_log_scale(True)  # zero loss: no warning (warnings are errors here), no crash
    _, drawn_y = plot.drawn_data()  # log10 of what is drawn
    assert np.all(np.isfinite(drawn_y))
    plot.clear_history()
    assert len(plot.history_data()[1]) == 0


def test_params_plot_draws_three_curves(qtbot):
    plot = ParamsPlot(WindowState())
    qtbot.addWidget(plot)
    epochs = np.arange(50)
    W = np.c_[np.linspace(0, 2, 50), np.linspace(0, -1, 50)]
    plot.set_history(epochs, W, np.linspace(0, 0.5, 50))
    for name, last in (("w1", 2.0), ("w2", -1.0), ("b", 0.5)):
        x, y = plot.drawn_data(name)
        assert len(x) == 50 and y[-1] == last


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(0, 1e6)), min_size=1, max_size=30))
def test_steady_range_always_shows_the_data_and_never_mostly_empty(spans):
    shown = None
    for low, width in spans:
        data = (low, low + width)
        new = steady_range(shown, data)
        slack = 0.01 * (new[1] - new[0])  # within the 2 % margin the view adds on each side
        assert new[0] - slack <= data[0] and data[1] <= new[1] + slack
        if data[1] > data[0]:  # (a span below float spacing is a single value: see below)
            assert data[1] - data[0] >= 0.25 * (new[1] - new[0])  # a quarter of the range or more holds data
        if shown is not None and shown[0] <= data[0] and data[1] <= shown[1] \
                and width >= SteadyViewBox.MIN_FILL * (shown[1] - shown[0]):
            assert new == shown  # nothing to do: the axes stay as they are
        shown = new


def test_steady_range_keeps_a_loss_axis_at_zero():
    assert steady_range(None, (0.2, 0.7))[0] == pytest.approx(0.2 - 0.25 * 0.5)  # headroom above 0
    assert steady_range(None, (0.05, 0.7))[0] == pytest.approx(-0.0065)  # stops at 0 (1 % room)
    assert steady_range(None, (-0.2, 0.7))[0] < -0.2


def test_a_growing_curve_moves_the_axes_a_few_times_not_every_frame(qtbot):
    plot = _shown(qtbot, LossPlot(WindowState()))
    epochs = np.arange(200_000)
    loss = 0.7 * np.exp(-epochs / 3e4) + 0.1
    ranges = []
    for end in range(2_000, 200_001, 2_000):  # 100 frames of a live run
        plot.set_history(epochs[:end], loss[:end])
        plot.getPlotItem().getViewBox().prepareForPaint()
        ranges.append(tuple(map(tuple, plot.getPlotItem().getViewBox().viewRange())))
        (x0, x1), (y0, y1) = ranges[-1]
        assert x0 <= 0 and x1 >= end - 1 and y0 <= loss[end - 1] and y1 >= loss[0]
    changes = sum(a != b for a, b in zip(ranges, ranges[1:]))
    assert changes <= 25, changes


def test_decimation_follows_the_plot_width(qtbot):
    plot = _shown(qtbot, LossPlot(WindowState()))
    qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().width() > 100)
    width = plot.getPlotItem().getViewBox().width()
    plot.set_history(np.arange(1_000_000), np.linspace(1, 0, 1_000_000))
    drawn_x, _ = plot.drawn_data()
    assert width <= len(drawn_x) <= 4 * width + 2  # one or two buckets per pixel, 2 points each


def test_the_range_fits_the_curve_exactly_once_it_stops_growing(qtbot):
    plot = _shown(qtbot, ParamsPlot(WindowState()))
    epochs = np.arange(5_001)
    W = np.c_[np.linspace(0, 2, 5_001), np.linspace(0, -1, 5_001)]
    for end in (1_000, 3_000, 5_001):  # live: headroom beyond the newest epoch
        plot.set_history(epochs[:end], W[:end], np.linspace(0, 0.5, end))
    view = plot.getPlotItem().getViewBox()
    view.prepareForPaint()
    (x0, x1), _ = view.viewRange()
    assert x1 > 5_000 * 1.1  # room to grow while training runs
    qtbot.waitUntil(lambda: view.viewRange()[0][1] < 5_000 * 1.05, timeout=3000)  # settled: tight
    (x0, x1), (y0, y1) = view.viewRange()
    assert x0 <= 0 and x1 >= 5_000 and y0 <= -1 and y1 >= 2


def test_the_native_line_draws_what_the_curve_holds_on_linear_and_log_axes(qtbot):
    plot = LossPlot(WindowState())
    qtbot.addWidget(plot)
    epochs = np.arange(1_000)
    loss = 0.7 * np.exp(-epochs / 100) + 1e-3
    plot.set_history(epochs, loss)
    for log in (False, True):
        plot.set_log_scale(log)
        shown = np.log10(loss) if log else loss
        box = plot._line.path_item.path().boundingRect()
        assert box.top() == pytest.approx(shown.min()) and box.bottom() == pytest.approx(shown.max())
        assert box.left() == 0 and box.right() == 999
    plot.clear_history()
    assert plot._line.path_item.path().isEmpty()


def test_a_single_epoch_gets_a_readable_range(qtbot):
    assert steady_range(None, (0.0, 0.0)) == (-1.0, 1.0)
    assert steady_range(None, (0.69, 0.69)) == (0.0, 1.69)  # a loss axis stays at or above 0
    low, high = steady_range(None, (5e6, 5e6))
    assert low < 5e6 < high and high - low == pytest.approx(1e6)
    plot = LossPlot(WindowState())
    qtbot.addWidget(plot)
    plot.set_history(np.array([0]), np.array([0.693]))
    view = plot.getPlotItem().getViewBox()
    view.prepareForPaint()
    (x0, x1), (y0, y1) = view.viewRange()
    assert -1.1 <= x0 < 0 < x1 <= 1.1 and y0 <= 0.693 <= y1


def test_a_curve_is_drawn_from_a_device_cache_only_while_its_path_rests(qtbot):
    """Qt's partial device cache of a path wider than its clipped view left stale gaps where the
    epoch cursor had passed while training grew the path: no cache while it changes."""
    import pyqtgraph as pg

    from lrviz.ui.plots.series import NativeLine

    plot = _shown(qtbot, pg.PlotWidget())
    item = plot.plot([0.0, 1.0], [0.0, 1.0], pen=pg.mkPen("k"))
    line = NativeLine(item, plot.getPlotItem().getViewBox())
    assert line.cached  # at rest from the start
    item.setData(np.arange(3.0), np.arange(3.0))
    line.refresh()
    assert not line.cached  # the path just changed
    qtbot.waitUntil(lambda: line.cached, timeout=2000)  # and rests again
    assert line.path_item.path().elementCount() == 3


def test_the_params_plot_bounds_every_curve_and_shows_a_lone_epoch_as_dots(qtbot):
    """Its curves are native lines fed directly; one DataBounds item gives the auto-range the
    extent of all of them, and a lone epoch is still a dot (its data item holds that point)."""
    plot = _shown(qtbot, ParamsPlot(WindowState()))
    plot.set_history(np.arange(1), np.array([[0.5, -0.25]]), np.array([0.1]))
    assert all(plot._curves[name].opts["symbol"] == "o" for name in ("w1", "w2", "b"))
    epochs = np.arange(3_000)
    W = np.c_[np.linspace(0, 7, 3_000), -3 * np.sin(epochs / 300.0)]
    plot.set_history(epochs, W, np.full(3_000, 0.25))
    for name in ("w1", "w2", "b"):
        curve = plot._curves[name]
        assert curve.opts["symbol"] is None and curve.getData()[0] is None  # the line alone draws it
        x, y = plot.drawn_data(name)
        assert x[0] == 0 and x[-1] == 2_999 and len(x) < 3_000  # decimated, ends kept
        path = plot._lines[name].path_item.path()
        assert path.elementCount() == len(x)
        assert (path.elementAt(len(x) - 1).x, path.elementAt(len(x) - 1).y) == (x[-1], y[-1])
    assert plot._bounds.ranges() == ((0.0, 2_999.0), (float(np.min(W[:, 1])), 7.0))
    view = plot.getPlotItem().getViewBox()
    view.settle()
    (x0, x1), (y0, y1) = view.viewRange()
    assert x0 <= 0 and x1 >= 2_999 and y0 <= float(np.min(W[:, 1])) and y1 >= 7.0
    plot.clear_history()
    assert plot._bounds.ranges() == (None, None) and len(plot.drawn_data("w1")[0]) == 0


def test_a_dense_zigzag_is_stroked_thin_and_a_line_keeps_its_width(qtbot):
    """Qt fills a wide pen's outline of a long self-crossing path as one polygon: a noisy
    run's min/max buckets took seconds per paint at width 2 (a 200 MB session froze the
    window 2.5 s after opening). Where the curve is a dense band it is stroked 1 px wide."""
    import pyqtgraph as pg

    from lrviz.ui.plots.series import NativeLine

    plot = _shown(qtbot, pg.PlotWidget())
    plot.resize(600, 300)
    item = plot.plot([0.0, 1.0], [0.0, 1.0], pen=pg.mkPen("k", width=2))
    view = plot.getPlotItem().getViewBox()
    line = NativeLine(item, view)
    x = np.arange(4_000.0)
    view.setRange(xRange=(0, 4_000), yRange=(-1, 1), padding=0)
    line.refresh((x, np.sin(x / 600)))
    assert line.stroke_width == 2
    line.refresh((x, np.random.default_rng(0).uniform(-1, 1, x.size)))
    assert line.stroke_width == 1
    line.refresh((x, np.sin(x / 600)))
    assert line.stroke_width == 2


def test_the_on_screen_length_of_a_polyline():
    from lrviz.ui.render.dense_stroke import on_screen_length, stroke_width

    x, y = np.array([0.0, 3.0, 3.0]), np.array([0.0, 4.0, 4.0 + 2.0])
    assert on_screen_length(x, y, 1.0, 1.0) == pytest.approx(7.0)
    assert on_screen_length(x, y, 0.5, 2.0) == pytest.approx(np.hypot(6, 2) + 1.0)
    assert on_screen_length(x[:1], y[:1], 1.0, 1.0) == 0.0
    assert stroke_width(x, y, (1.0, 1.0), (0.1, 0.1), 2.0) == 1.0  # 7 px in a 0.1 px view: dense
    assert stroke_width(x, y, (1.0, 1.0), (100.0, 100.0), 2.0) == 2.0
