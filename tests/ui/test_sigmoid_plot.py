"""The z view (sigmoidPlot): points at (zᵢ, yᵢ + jitter), ŷᵢ on σ(z), following the shown epoch
and the selected point; a click on a point selects it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from window_helpers import shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.model import sigmoid
from lrviz.ui.plots.sigmoid_plot import JITTER, SigmoidPlot, half_range, jitter

DATA = make_preset("overlapping", 40, 0.3, 6)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 25)
    yield win
    win.close()


def _show(win) -> SigmoidPlot:
    win.z_view_action.trigger()
    win.state.clock.flush()
    plot = win.findChild(SigmoidPlot, "sigmoidPlot")
    assert plot is not None and plot.isVisible()
    return plot


def _drawn(plot, label):
    x, y = plot.points[label].getData()
    cx, cy = plot.on_curve[label].getData()
    return np.asarray(x), np.asarray(y), np.asarray(cx), np.asarray(cy)


def test_points_sit_at_their_z_and_label_and_their_y_hat_on_the_curve(window):
    window.state.select_epoch(7)
    plot = _show(window)
    row = window.run.row(7)
    z = DATA.X @ row.w + row.b
    for label in (0, 1):
        mine = DATA.y == label
        x, y, cx, cy = _drawn(plot, label)
        np.testing.assert_allclose(x, z[mine], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(y, label + jitter(len(DATA))[mine], rtol=0, atol=1e-15)
        np.testing.assert_allclose(cy, sigmoid(z[mine]), rtol=1e-12, atol=1e-15)
        np.testing.assert_array_equal(cx, x)


def test_it_follows_the_shown_epoch(window, qtbot):
    plot = _show(window)
    window.state.select_epoch(0)
    window.state.clock.flush()
    x0 = _drawn(plot, 1)[0]
    np.testing.assert_array_equal(x0, 0.0)  # the zero start: every z is 0
    window.state.select_epoch(25)  # the newest: followed, so redrawn at the live rate
    window.state.clock.flush()
    qtbot.waitUntil(lambda: plot.explanation.epoch == 25)
    row = window.run.row(25)
    np.testing.assert_allclose(_drawn(plot, 1)[0], (DATA.X @ row.w + row.b)[DATA.y == 1], rtol=1e-12)
    assert plot.explanation.epoch == 25


def test_the_selected_point_is_ringed_and_a_click_selects(window, qtbot):
    plot = _show(window)
    window.state.select_point(4)
    window.state.clock.flush()
    ex = plot.explanation
    ring, on_curve = plot.rings
    assert ring.isVisible() and on_curve.isVisible()
    assert (ring.pos().x(), ring.pos().y()) == pytest.approx((ex.z[4], ex.y[4] + jitter(ex.m)[4]))
    assert on_curve.pos().y() == pytest.approx(ex.y_hat[4])
    window.state.select_point(None)
    assert not ring.isVisible()
    target = int(np.argmax(ex.z))  # the rightmost point: nothing else under it
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=plot.point_pixel(target).toPoint())
    assert window.state.selected_point == target


def test_hidden_it_computes_nothing(window):
    assert window.findChild(SigmoidPlot, "sigmoidPlot") is None  # not even built before it is first shown
    plot = window.z_view.content()  # built, still hidden
    window.state.select_epoch(3)
    window.state.clock.flush()
    assert plot.explanation is None


def test_jitter_and_range():
    offsets = jitter(1000)
    assert np.all(np.abs(offsets) <= JITTER) and len(np.unique(offsets)) == 1000
    np.testing.assert_array_equal(offsets, jitter(1000))
    assert half_range(np.array([0.5, -2.0])) == 6.0
    assert half_range(np.array([-20.0])) == 32.0
    assert half_range(np.array([np.nan])) == 6.0
