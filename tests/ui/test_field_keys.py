"""The side panel's number fields under real key events: a value outside a field's range is
typed as it is and refused with the range in words, and Enter, Escape or a clicked button
leave Space, S and R to training's shortcuts.

Keys go through QTest (qtbot.keyClick / keyClicks) to the focused widget, as a keyboard
sends them (a ShortcutOverride first, then the key press).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from window_helpers import active_window, find_button

from lrviz.core.dataset import make_preset
from lrviz.core.settings import OPTIMIZER_SPECS, SETTING_SPECS

POINTS = make_preset("blobs", n_points=30, seed=3)


@pytest.fixture
def window(qtbot):
    win = active_window(qtbot, POINTS)
    yield win
    win.mark_saved()
    win.close()


def _type_into(qtbot, spin, text: str, key=Qt.Key.Key_Return) -> None:
    spin.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is spin)
    spin.selectAll()
    qtbot.keyClicks(spin, text)
    if key is not None:
        qtbot.keyClick(spin, key)


def _fields(win):
    c, split = win.controls, win.quality.split_panel
    p = c.model_box.parameter_fields
    return {
        # object: (optimizer shown, typed, range in words)
        "learningRateSpin": (c.learning_rate_spin, "gd", "1e9", SETTING_SPECS["learning_rate"].describe_range(False)),
        "l2Spin": (c.l2_spin, "gd", "5000", SETTING_SPECS["l2"].describe_range(False)),
        "maxEpochsSpin": (c.max_epochs_spin, "gd", "500000000", SETTING_SPECS["max_epochs"].describe_range(False)),
        "tolSpin": (c.tol_spin, "gd", "3", SETTING_SPECS["tol"].describe_range(False)),
        "seedSpin": (c.seed_spin, "sgd", "3000000000", SETTING_SPECS["seed"].describe_range(False)),
        "batchSizeSpin": (p["batch_size"], "sgd", "0", OPTIMIZER_SPECS["batch_size"].describe_range(False)),
        "momentumSpin": (p["momentum"], "momentum", "1.5", OPTIMIZER_SPECS["momentum"].describe_range(False)),
        "beta1Spin": (p["beta1"], "adam", "2", OPTIMIZER_SPECS["beta1"].describe_range(False)),
        "beta2Spin": (p["beta2"], "adam", "-1", OPTIMIZER_SPECS["beta2"].describe_range(False)),
        "epsSpin": (p["eps"], "adam", "5", OPTIMIZER_SPECS["eps"].describe_range(False)),
        "testShareSpin": (split.test_share_spin, "gd", "60", "from 0 % to 50 %"),
        "splitSeedSpin": (split.split_seed_spin, "gd", "3000000000", "from 0 to 2,147,483,647"),
    }


@pytest.mark.parametrize("name", ["learningRateSpin", "l2Spin", "maxEpochsSpin", "tolSpin", "seedSpin",
                                  "batchSizeSpin", "momentumSpin", "beta1Spin", "beta2Spin", "epsSpin",
                                  "testShareSpin", "splitSeedSpin"])
def test_every_number_field_says_its_range_when_a_typed_value_is_outside_it(window, qtbot, name):
    spin, optimizer, typed, range_text = _fields(window)[name]
    combo = window.controls.model_box.optimizer_combo
    combo.setCurrentIndex(combo.findData(optimizer))
    qtbot.waitUntil(spin.isVisible)
    before, text_before = spin.value(), spin.text()
    _type_into(qtbot, spin, typed, key=None)
    assert spin.cleanText().replace(",", "") == typed  # every key was taken: nothing vanished silently
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == before and spin.text() == text_before  # the old value stays...
    message = window.statusBar().currentMessage()
    assert f"must be {range_text}; {typed} is outside that range, so it stays" in message, message  # ...and why


def test_leaving_a_field_with_a_value_out_of_range_says_the_range_too(window, qtbot):
    spin = window.controls.learning_rate_spin
    _type_into(qtbot, spin, "5e9", key=None)
    window.controls.max_epochs_spin.setFocus(Qt.FocusReason.TabFocusReason)  # Tab, or a click elsewhere
    qtbot.waitUntil(lambda: "must be from 1e-06 to 1e+06; 5e9" in window.statusBar().currentMessage())
    assert spin.value() == 0.1


def test_a_value_in_range_is_taken_and_no_refusal_is_shown(window, qtbot):
    _type_into(qtbot, window.controls.max_epochs_spin, "250")
    assert window.controls.max_epochs_spin.value() == 250
    assert "must be" not in window.statusBar().currentMessage()
    assert window.run.settings.max_epochs == 250


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape])
def test_after_enter_or_escape_in_a_field_s_steps_and_r_resets(window, qtbot, key):
    _type_into(qtbot, window.controls.max_epochs_spin, "50", key=key)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S)  # S steps, not typed into the field
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 1)
    assert window.controls.max_epochs_spin.value() == 50  # Escape too: the field took the value on leaving
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 0)


def test_an_optimizer_field_gives_the_keys_back_after_enter(window, qtbot):
    combo = window.controls.model_box.optimizer_combo
    combo.setCurrentIndex(combo.findData("sgd"))
    batch = window.controls.model_box.parameter_fields["batch_size"]
    qtbot.waitUntil(batch.isVisible)
    _type_into(qtbot, batch, "8")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor)
    assert batch.value() == 8 and batch.text() == "8"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 1)


def test_a_clicked_button_leaves_space_to_train(window, qtbot):
    window.editor.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor)
    step = find_button(window, "stepButton")
    qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.run.history.last_epoch == 1)
    qtbot.mouseClick(find_button(window, "classButton1"), Qt.MouseButton.LeftButton)
    assert window.state.active_class == 1
    check = window.controls.standardize_check
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton, pos=QPoint(8, check.height() // 2))  # its box
    assert window.controls.standardize_check.isChecked()
    assert QApplication.focusWidget() is window.editor  # a click took the focus from no one
    window.controls.max_epochs_spin.setValue(window.controls.max_epochs_spin.maximum())  # cannot end before the test looks
    window.controls.speed_slider.setValue(window.controls.speed_slider.maximum())
    with qtbot.waitSignal(window.training.runningChanged, timeout=5000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)  # trains: not a second Step
    assert window.controller.is_running
    with qtbot.waitSignal(window.training.finished, timeout=10000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)


def test_a_refused_value_keeps_the_focus_in_its_field_for_the_correction(window, qtbot):
    spin = window.controls.learning_rate_spin
    _type_into(qtbot, spin, "5e7")
    qtbot.waitUntil(lambda: spin.lineEdit().selectedText() == "0.1")  # the old value, selected
    assert QApplication.focusWidget() is spin
    qtbot.keyClicks(spin, "0.5")  # typed over it, as a user goes on typing
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 0.5
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.editor)
