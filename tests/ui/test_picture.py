"""Reading the picture: what the editor draws follows the shown epoch exactly, the arrow and
its label keep clear of the points, and exported images have no stair-steps."""

from __future__ import annotations

import numpy as np
import pytest

from lrviz.core.dataset import make_preset
from window_helpers import shown_window

POINTS = make_preset("blobs", n_points=60, seed=3)


@pytest.fixture
def window(qtbot):
    win = shown_window(qtbot, POINTS)
    qtbot.waitExposed(win)
    yield win
    win.mark_saved()
    win.close()


def _on_line(win, w, b) -> bool:
    ends = win.editor.boundary_points()
    return ends is not None and all(abs(np.dot(w, p) + b) < 1e-9 * (1 + abs(b)) for p in ends)


def test_a_start_chosen_in_the_landscape_is_drawn_at_once(window, qtbot):
    """Start Here replaces epoch 0 by another epoch 0: the editor drew the old one until the
    next epoch, as its key held only the epoch and the history's length."""
    w, b = np.array([3.0, -2.0]), 0.5
    assert window.controller.start_at(w, b)
    qtbot.waitUntil(lambda: _on_line(window, w, b))
    assert window.controller.start_at(w * 2, b)
    qtbot.waitUntil(lambda: _on_line(window, w * 2, b))
    window.undo_action.trigger()  # back to the first start
    qtbot.waitUntil(lambda: _on_line(window, w, b))
