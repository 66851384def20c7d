"""The window says when α is too large: in the status bar when training ends, in the math
panel, and in the learning-rate field's tooltip (the bound 2/L for the points on screen)."""

from __future__ import annotations

from window_helpers import shown_window, train_to

from lrviz.core.dataset import make_preset
from lrviz.core.step_size import round_down, step_size_bound

MOONS = make_preset("moons", 200, 0.1, 0)
LIMIT = round_down(step_size_bound(MOONS.X).largest_rate, 3)


def test_alpha_50_on_moons_is_explained_instead_of_ending_silently(qtbot):
    win = shown_window(qtbot, MOONS)
    win.controls.learning_rate_spin.setValue(50)
    train_to(qtbot, win, 300)
    message = win.statusBar().currentMessage()
    assert message.startswith("Reached the maximum of 300 epochs")
    assert f"α = 50 is above 2/L = {LIMIT:g} for these points: the loss oscillates" in message
    assert message.endswith(f"try α ≤ {LIMIT:g}.")
    win.math_action.trigger()
    win.state.clock.flush()
    text = win.math_panel.plain_text()
    assert f"⚠ α = 50 is above 2/L = {LIMIT:g}" in text
    win.close()


def test_a_safe_alpha_ends_with_the_usual_message(qtbot):
    win = shown_window(qtbot, MOONS)
    train_to(qtbot, win, 50)
    message = win.statusBar().currentMessage()
    assert message.startswith("Reached the maximum of 50 epochs") and "2/L" not in message
    win.math_action.trigger()
    win.state.clock.flush()
    assert "⚠" not in win.math_panel.plain_text()
    win.close()


def test_the_learning_rate_tooltip_states_the_bound_for_the_points(qtbot):
    win = shown_window(qtbot, MOONS)
    spin = win.controls.learning_rate_spin
    win.state.clock.flush()
    assert spin.toolTip().startswith("Learning rate α")
    assert f"α < 2/L = {LIMIT:g}" in spin.toolTip()
    win.points.move_point(0, 40.0, 40.0)  # a far point: a much smaller bound
    win.state.clock.request()
    win.state.clock.flush()
    moved = round_down(step_size_bound(win.run.points.X).largest_rate, 3)
    assert moved < LIMIT and f"α < 2/L = {moved:g}" in spin.toolTip()
    win.close()
