"""The window's counts read right for one: "1 epoch/s", "1 point", "Reached the maximum of 1 epoch."."""

from __future__ import annotations

from window_helpers import shown_window, train_to

from lrviz.core.dataset import Dataset, make_preset
from lrviz.ui.panels.controls import speed_label


def test_the_speed_label_is_singular_for_one():
    assert speed_label(1) == "1 epoch/s" and speed_label(30) == "30 epochs/s"


def test_one_point_in_the_status_bar(qtbot):
    win = shown_window(qtbot, Dataset([[0.5, 0.5]], [1]))
    assert win.status_points.text().startswith("1 point (")
    win.points.replace(make_preset("blobs", 20, seed=1), "Blobs")
    assert win.status_points.text().startswith("20 points (")
    win.mark_saved()
    win.close()


def test_a_run_of_one_epoch_ends_with_a_capitalised_singular_message(qtbot):
    win = shown_window(qtbot, make_preset("blobs", 20, seed=1))
    train_to(qtbot, win, 1)
    message = win.statusBar().currentMessage()
    assert message.startswith("Reached the maximum of 1 epoch. Raise “max epochs” to go on"), message
    win.mark_saved()
    win.close()
