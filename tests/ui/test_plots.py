"""Live plots: every epoch kept, a few thousand points drawn, log scale safe."""

from __future__ import annotations

import numpy as np

from lrviz.ui.plots import DRAWN_BUCKETS, LossPlot, ParamsPlot, PeakDecimator


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
    plot = LossPlot()
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
    plot = ParamsPlot()
    qtbot.addWidget(plot)
    epochs = np.arange(50)
    W = np.c_[np.linspace(0, 2, 50), np.linspace(0, -1, 50)]
    plot.set_history(epochs, W, np.linspace(0, 0.5, 50))
    for name, last in (("w1", 2.0), ("w2", -1.0), ("b", 0.5)):
        x, y = plot.drawn_data(name)
        assert len(x) == 50 and y[-1] == last
