"""With a feature map the editor draws no straight threshold line: ŷ = t is then a curve, and a
line from w1, w2 and b alone (what the straight case draws) would not be the model's."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QComboBox, QSlider

from lrviz.core.dataset import make_preset
from tests.ui.window_helpers import shown_window, train_to

MOONS = make_preset("moons", n_points=80, noise=0.1, seed=3)


def choose_features(win, data: str) -> None:
    combo = win.findChild(QComboBox, "featuresCombo")
    combo.setCurrentIndex(combo.findData(data))


def test_the_threshold_line_is_not_drawn_for_a_curved_model(qtbot):
    win = shown_window(qtbot, MOONS)
    choose_features(win, "3")
    qtbot.waitUntil(lambda: len(win.run.history.names) == 10 and len(win.run.history) == 1)
    train_to(qtbot, win, 30)
    win.findChild(QSlider, "thresholdSlider").setValue(80)
    win.state.clock.flush()
    win.editor.draw_model_now()
    assert win.state.threshold == 0.8 and np.shape(win.state.shown_row().w) == (9,)
    assert win.editor.boundary_curves()  # the model is drawn: its boundary as curves
    assert win.editor.threshold_line.segment() is None  # but no straight line from w1, w2, b
    win.mark_saved()
