"""The side panel scrolls only vertically: whatever appears in it must fit its width."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from lrviz.core.dataset import default_dataset
from window_helpers import shown_window, side_panel_cut_off




def test_the_fields_of_a_chosen_optimizer_are_not_cut_off(qtbot):
    win = shown_window(qtbot, default_dataset())
    win.resize(1400, 900)
    qtbot.waitUntil(lambda: side_panel_cut_off(win) == [])
    combo = win.findChild(QComboBox, "optimizerCombo")
    combo.setCurrentIndex(combo.findData("adam"))
    qtbot.waitUntil(lambda: win.findChild(QWidget, "epsSpin").isVisibleTo(win))
    qtbot.waitUntil(lambda: side_panel_cut_off(win) == [])
    features = win.findChild(QComboBox, "featuresCombo")
    features.setCurrentIndex(features.count() - 1)  # the longest name
    qtbot.waitUntil(lambda: side_panel_cut_off(win) == [])
    win.close()
