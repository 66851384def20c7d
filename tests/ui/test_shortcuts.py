"""The documented keyboard shortcuts, under real key events sent to the focused widget.

Keys go through QTest (qtbot.keyClick), which delivers a ShortcutOverride first and then the
key press, as a real keyboard does: a shortcut fires only when no focused widget claims the
key. The single-letter shortcuts (1, 2, Space, S, R, F) must therefore stay silent while a
spin box has the focus and the user types into it.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication

from lrviz.core.dataset import Dataset
from window_helpers import active_window, find_button

POINTS = Dataset([[-2.0, -1.0], [-1.5, -2.0], [-1.0, -1.5], [1.0, 1.5], [1.5, 2.0], [2.0, 1.0]],
                 [0, 0, 0, 1, 1, 1])
KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot):
    win = active_window(qtbot, POINTS)
    yield win
    win.close()


def _focus(qtbot, widget) -> None:
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def _press(qtbot, key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press and release at whatever widget has the keyboard focus, as a keyboard sends it."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


@pytest.fixture
def editor_focused(window, qtbot):
    """The focus on the point editor: it claims none of the shortcut keys."""
    _focus(qtbot, window.editor)
    return window


def test_shortcuts_are_the_documented_ones(window):
    expected = {
        "class0Action": "1", "class1Action": "2", "trainAction": "Space", "stepAction": "S",
        "resetAction": "R", "fitViewAction": "F", "undoAction": "Ctrl+Z",
    }
    for name, keys in expected.items():
        action = window.findChild(type(window.undo_action), name)
        assert action is not None, name
        assert action.shortcut().toString() == keys, name
    assert "Ctrl+Shift+Z" in [s.toString() for s in window.redo_action.shortcuts()]


def test_keys_1_and_2_choose_the_active_class(editor_focused, qtbot):
    win = editor_focused
    class0, class1 = find_button(win, "classButton0"), find_button(win, "classButton1")
    assert class0.isChecked() and not class1.isChecked()
    with qtbot.waitSignal(win.state.activeClassChanged, timeout=1000) as signal:
        _press(qtbot, KEY.Key_2)
    assert signal.args == [1]
    assert class1.isChecked() and not class0.isChecked()
    assert win.editor.active_class == 1 and win.state.active_class == 1
    _press(qtbot, KEY.Key_2)  # choosing the chosen class again changes nothing
    assert class1.isChecked()
    with qtbot.waitSignal(win.state.activeClassChanged, timeout=1000) as signal:
        _press(qtbot, KEY.Key_1)
    assert signal.args == [0]
    assert class0.isChecked() and not class1.isChecked() and win.editor.active_class == 0


def test_space_starts_and_pauses_training(editor_focused, qtbot):
    win = editor_focused
    c = win.controls
    c.max_epochs_spin.setValue(100_000_000)
    c.speed_slider.setValue(c.speed_slider.maximum() - 1)  # ~900 epochs/s: runs until paused
    train = find_button(win, "trainButton")
    assert not train.isChecked()
    _press(qtbot, KEY.Key_Space)
    assert train.isChecked() and train.text() == "Pause"
    assert win.training.is_running
    qtbot.waitUntil(lambda: win.run.history.last_epoch > 5, timeout=10000)
    with qtbot.waitSignal(win.training.finished, timeout=10000) as finished:
        _press(qtbot, KEY.Key_Space)
    assert finished.args == [None]  # paused, not stopped by a rule
    assert not train.isChecked() and train.text() == "Train"
    paused_at = win.run.history.last_epoch
    np.testing.assert_array_equal(win.run.history.epochs, np.arange(paused_at + 1))
    _press(qtbot, KEY.Key_Space)  # and Space resumes
    assert train.isChecked()
    qtbot.waitUntil(lambda: win.run.history.last_epoch > paused_at + 5, timeout=10000)
    with qtbot.waitSignal(win.training.finished, timeout=10000):
        _press(qtbot, KEY.Key_Space)


def test_s_steps_exactly_one_epoch_and_r_resets_to_epoch_0(editor_focused, qtbot):
    win = editor_focused
    for expected in (1, 2, 3):
        with qtbot.waitSignal(win.training.batchReady, timeout=5000) as batch:
            _press(qtbot, KEY.Key_S)
        assert list(batch.args[0].epochs) == [expected]  # one batch, one epoch
        assert win.run.history.last_epoch == expected and len(win.run.history) == expected + 1
        assert not find_button(win, "trainButton").isChecked()
    qtbot.waitUntil(lambda: win.readout.readout["epoch"].text() == "3")
    first_w = win.run.history.W[1].copy()
    assert np.any(first_w != 0)

    with qtbot.waitSignal(win.training.batchReady, timeout=5000) as batch:
        _press(qtbot, KEY.Key_R)
    assert list(batch.args[0].epochs) == [0]
    qtbot.waitUntil(lambda: len(win.run.history) == 1)
    assert win.run.history.last_epoch == 0
    np.testing.assert_array_equal(win.run.history.W[0], [0.0, 0.0])
    assert win.run.history.b[0] == 0.0
    qtbot.waitUntil(lambda: win.readout.readout["epoch"].text() == "0")
    # after a reset, S gives the same first epoch again
    with qtbot.waitSignal(win.training.batchReady, timeout=5000):
        _press(qtbot, KEY.Key_S)
    np.testing.assert_array_equal(win.run.history.W[1], first_w)


def _all_points_visible(win) -> bool:
    (x0, x1), (y0, y1) = win.editor.view_box.viewRange()
    X = win.points.dataset.X
    return bool(np.all((X[:, 0] > x0) & (X[:, 0] < x1) & (X[:, 1] > y0) & (X[:, 1] < y1)))


def test_f_fits_the_view_after_panning_away(editor_focused, qtbot):
    win = editor_focused
    assert _all_points_visible(win)
    win.editor.view_box.setRange(xRange=(50.0, 60.0), yRange=(-80.0, -70.0), padding=0)
    assert not _all_points_visible(win)
    _press(qtbot, KEY.Key_F)
    assert _all_points_visible(win)
    (x0, x1), (y0, y1) = win.editor.view_box.viewRange()
    assert x1 - x0 < 10 and y1 - y0 < 10  # fitted to the points, not merely zoomed far out


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_a_clicked_point(window, qtbot):
    editor = window.editor
    editor.view_box.setRange(xRange=(-4, 4), yRange=(-4, 4), padding=0)
    qtbot.waitUntil(lambda: editor.data_to_viewport(0.0, 3.0).y() > 0)
    before = window.points.dataset.copy()
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.data_to_viewport(0.5, 3.0).toPoint())
    assert len(window.points.dataset) == len(before) + 1
    placed = window.points.dataset.point(len(before))
    assert abs(placed[0] - 0.5) < 0.1 and abs(placed[1] - 3.0) < 0.1 and placed[2] == 0
    assert QApplication.focusWidget() is editor  # the click gave the editor the keyboard focus

    _press(qtbot, KEY.Key_Z, CTRL)
    assert window.points.dataset == before
    _press(qtbot, KEY.Key_Z, CTRL | SHIFT)
    assert len(window.points.dataset) == len(before) + 1
    assert window.points.dataset.point(len(before)) == placed
    _press(qtbot, KEY.Key_Z, CTRL)
    assert window.points.dataset == before
    _press(qtbot, KEY.Key_Z, CTRL)  # nothing left to undo: nothing happens
    assert window.points.dataset == before


# -- typing into a spin box must not trigger the single-key shortcuts --------------------------------
SINGLE_KEYS = [
    ("1", KEY.Key_1, "class0Action"),
    ("2", KEY.Key_2, "class1Action"),
    ("Space", KEY.Key_Space, "trainAction"),
    ("S", KEY.Key_S, "stepAction"),
    ("R", KEY.Key_R, "resetAction"),
    ("F", KEY.Key_F, "fitViewAction"),
]


def _count_triggers(win) -> dict[str, list[bool]]:
    fired: dict[str, list[bool]] = {}
    for _, _, name in SINGLE_KEYS:
        action = win.findChild(type(win.undo_action), name)
        fired[name] = []
        action.triggered.connect(lambda checked=False, log=fired[name]: log.append(True))
    return fired


@pytest.mark.parametrize("spin_name", ["learningRateSpin", "l2Spin", "maxEpochsSpin", "tolSpin"])
def test_typing_in_a_spin_box_does_not_fire_single_key_shortcuts(window, qtbot, spin_name):
    win = window
    fired = _count_triggers(win)
    spin = win.findChild(QAbstractSpinBox, spin_name)
    assert spin is not None, spin_name
    _focus(qtbot, spin)
    spin.lineEdit().clear()
    for _, key, _ in SINGLE_KEYS:
        _press(qtbot, key)
    assert all(log == [] for log in fired.values()), fired
    assert find_button(win, "classButton0").isChecked() and win.editor.active_class == 0
    assert not find_button(win, "trainButton").isChecked()
    assert len(win.run.history) == 1
    # the keys went to the spin box instead: the digits are in its text
    assert "12" in spin.lineEdit().text()

    # the same keys at the editor do fire: the spy above is able to see them
    spin.lineEdit().clear()
    _focus(qtbot, win.editor)
    _press(qtbot, KEY.Key_2)
    assert fired["class1Action"] == [True] and find_button(win, "classButton1").isChecked()
    _press(qtbot, KEY.Key_F)
    assert fired["fitViewAction"] == [True]
