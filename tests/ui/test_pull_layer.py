"""perPointLossAction and gradientArrowsAction: halos sized by each point's loss (2-2) and
arrows along each point's pull −(ŷᵢ − yᵢ)·xᵢ, at the shown epoch."""

from __future__ import annotations

import numpy as np
import pytest
from window_helpers import shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.model import sigmoid
from lrviz.ui.editor.pull_layer import ARROW_PX, HALO_PX, halo_sizes

DATA = make_preset("overlapping", 40, 0.3, 8)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, DATA)
    train_to(qtbot, win, 20)
    win.state.select_epoch(12)
    yield win
    win.close()


def _direct(win, epoch):
    row = win.run.row(epoch)
    z = DATA.X @ row.w + row.b
    y_hat = sigmoid(z)
    y = DATA.y
    loss = -y * np.log(y_hat) - (1 - y) * np.log(1 - y_hat)
    pull = -(y_hat - y)[:, None] * DATA.X
    return loss, pull


def test_the_actions_are_checkable_in_the_view_menu_and_off_at_first(window):
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    for action in (window.per_point_loss_action, window.gradient_arrows_action):
        assert action.isCheckable() and not action.isChecked() and action in view.actions()
    assert window.per_point_loss_action.objectName() == "perPointLossAction"
    assert window.gradient_arrows_action.objectName() == "gradientArrowsAction"
    layer = window.editor.pulls
    assert not layer.halos.isVisible() and not layer.arrows.isVisible()


def test_halo_sizes_follow_the_loss(window):
    window.per_point_loss_action.trigger()
    window.state.clock.flush()
    layer = window.editor.pulls
    assert layer.halos.isVisible()
    loss, _ = _direct(window, 12)
    sizes = layer.halos.data["size"]
    np.testing.assert_allclose(sizes, halo_sizes(loss), rtol=1e-12)
    worst, best = int(np.argmax(loss)), int(np.argmin(loss))
    assert sizes[worst] > sizes[best] >= HALO_PX[0]
    window.per_point_loss_action.trigger()
    assert not layer.halos.isVisible()


def test_arrows_point_along_each_points_pull(window):
    window.gradient_arrows_action.trigger()
    window.state.clock.flush()
    layer = window.editor.pulls
    assert layer.arrows.isVisible() and not layer.arrows.path().isEmpty()
    _, pull = _direct(window, 12)
    segments = layer.arrow_segments()
    np.testing.assert_array_equal(segments[:, 0], DATA.X)
    ppu = window.editor._pixels_per_unit()
    drawn_px = (segments[:, 1] - segments[:, 0]) * ppu
    lengths = np.hypot(*drawn_px.T)
    pull_px = np.hypot(*(pull * ppu).T)
    strongest = int(np.argmax(pull_px))
    assert lengths[strongest] == pytest.approx(ARROW_PX)
    np.testing.assert_allclose(lengths / ARROW_PX, pull_px / pull_px[strongest], rtol=1e-9)
    # the same direction as the pull (on the plane, in data units)
    direction = segments[:, 1] - segments[:, 0]
    cosine = np.sum(direction * pull, axis=1) / (np.hypot(*direction.T) * np.hypot(*pull.T))
    np.testing.assert_allclose(cosine, 1.0, rtol=1e-9)


def test_the_layer_follows_the_shown_epoch(window):
    window.per_point_loss_action.trigger()
    window.state.select_epoch(3)
    window.state.clock.flush()
    loss, _ = _direct(window, 3)
    np.testing.assert_allclose(window.editor.pulls.halos.data["size"], halo_sizes(loss), rtol=1e-12)
