"""NumPy warnings the window raised (issue 18, item 9); the suite fails on any of them.

The log-scale loss axis right after Reset, when the linear range had been large (pyqtgraph
took the old range as powers of ten: 10**1000 overflowed); a subnormal w in the editor's
frame-skip bound; points at ±1.8e308 in the scatter.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from window_helpers import shown_window

from lrviz.core.dataset import Dataset

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5]], [0, 0, 1, 1])


@pytest.mark.parametrize("old_loss", [50.0, 1e3, 1e200, 1e308])
@pytest.mark.parametrize("by_hand", [False, True])
def test_log_scale_right_after_reset_after_a_large_range(qtbot, old_loss, by_hand):
    win = shown_window(qtbot, POINTS)
    plot = win.loss_plot
    plot.set_history(np.arange(4), np.array([old_loss, old_loss / 3, 1.0, 0.5]))
    plot.getPlotItem().getViewBox().settle()
    if by_hand:  # a range panned by hand stays as it was: auto-range is off
        plot.getPlotItem().getViewBox().setYRange(0, old_loss)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        win.reset_training()
        win.log_scale_action.trigger()
        win.grab()
        (x0, x1), (y0, y1) = plot.getPlotItem().viewRange()
        assert -330 <= y0 < y1 <= 309  # powers of ten a float holds
        win.log_scale_action.trigger()
        win.grab()
        win.log_scale_action.trigger()
        win.grab()


@pytest.mark.parametrize("rate", [1e3, 1e6])
def test_log_scale_after_reset_of_a_trained_run_with_large_losses(qtbot, rate):
    from window_helpers import train_to

    from lrviz.core.dataset import make_preset

    win = shown_window(qtbot, make_preset("overlapping", n_points=40, seed=1))
    win.controls.learning_rate_spin.setValue(rate)
    train_to(qtbot, win, 300)
    win.grab()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        win.controls.reset_button.click()
        win.log_scale_action.trigger()
        win.grab()
        qtbot.waitUntil(lambda: len(win.run.history) == 1)
        win.grab()


@pytest.mark.parametrize("w", [(5e-324, 0.0), (0.0, 1e-320), (2.2e-308, 1e-310), (5e-324, 5e-324)])
def test_a_subnormal_w_in_the_editors_frame_skip_bound(qtbot, w):
    """‖w‖ subnormal: Δz/‖w‖ overflowed in the bound that skips unchanged frames."""
    win = shown_window(qtbot, POINTS)
    editor = win.editor
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        editor.set_parameters(np.array([1e-4, 0.0]), 0.0)  # a tiny step to w: the bound is computed
        editor._draw_model()
        editor.set_parameters(np.array(w), 0.0)
        editor._draw_model()
        editor.set_parameters(np.array(w) * 2, 0.0)
        editor._draw_model()
        win.grab()


@pytest.mark.parametrize("points", [[[1.7976931348623157e308, -1.7976931348623157e308], [0.0, 0.0]],
                                    [[8.9e307, 1e308], [-1e308, -1.7e308]],
                                    [[5e-324, 1.7976931348623157e308], [-1.7976931348623157e308, 0.0]]])
def test_points_at_the_ends_of_the_float_range_draw_without_warnings(qtbot, points):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        win = shown_window(qtbot, Dataset(points, [0, 1]))
        win.editor.fit_view()
        win.grab()
        win.editor.view_box.setRange(xRange=(-4, 4), yRange=(-4, 4))
        win.grab()
