"""What a new user ran into in the first hour, each checked the way they met it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from lrviz.core.dataset import make_preset
from lrviz.ui.preset_dialog import PresetDialog
from window_helpers import answer_file_dialogs, shown_window, train_to

POINTS = make_preset("blobs", n_points=30, seed=3)


def _questions(message_boxes):
    return [box for box in message_boxes.shown if box[0] == "question"]


@pytest.fixture
def trained(qtbot):
    win = shown_window(qtbot, POINTS)
    train_to(qtbot, win, 20)
    assert win.has_unsaved_changes()
    yield win
    win.mark_saved()
    win.close()


def test_a_file_that_cannot_be_opened_is_refused_without_asking_to_save(trained, tmp_path, monkeypatch,
                                                                         message_boxes):
    bad = tmp_path / "broken.csv"
    bad.write_text("x1,x2,label\n0,0,0\n1,one,1\n")
    answer_file_dialogs(monkeypatch, open_path=bad)
    trained.documents.open_data_action.trigger()
    assert _questions(message_boxes) == []
    assert message_boxes.shown[-1][1] == "Could not open the points" and "line 3" in message_boxes.shown[-1][2]
    assert trained.run.history.last_epoch == 20 and trained.has_unsaved_changes()


def test_three_classes_open_the_import_dialog_before_asking_to_save(trained, tmp_path, monkeypatch,
                                                                     message_boxes):
    three = tmp_path / "three_classes.csv"
    three.write_text("x1,x2,label\n0,0,0\n1,1,2\n2,0,1\n")
    answer_file_dialogs(monkeypatch, open_path=three)
    offered = []  # cancelled: nothing is asked, nothing changes
    monkeypatch.setattr("lrviz.ui.documents.ask_import", lambda parent, table, choice: offered.append(table))
    trained.documents.open_data_action.trigger()
    assert [name for name, _ in offered[0].classes("label")] == ["0", "1", "2"]
    assert _questions(message_boxes) == [] and message_boxes.shown == []
    assert trained.run.history.last_epoch == 20 and trained.has_unsaved_changes()


def _preset_dialogs(monkeypatch, answer: str) -> list:
    """PresetDialog.exec answers with the button named `answer` ("load", "save" or "cancel");
    the list collects every dialog shown."""
    shown = []

    def exec_(dialog):
        shown.append(dialog)
        dialog.points_spin.setValue(25)
        button = {"load": dialog.load_button, "save": dialog.save_button}.get(answer)
        if button is None:
            dialog.reject()
        else:
            button.click()
        return dialog.result()

    monkeypatch.setattr(PresetDialog, "exec", exec_)
    return shown


@pytest.mark.parametrize("answer", ["cancel", "load"])
def test_a_preset_after_training_is_one_dialog_that_also_asks_about_the_model(trained, qtbot, monkeypatch,
                                                                              message_boxes, answer):
    shown = _preset_dialogs(monkeypatch, answer)
    trained.findChild(type(trained.undo_action), "preset_moons").trigger()
    assert len(shown) == 1 and message_boxes.shown == []  # no Save/Discard box besides it
    dialog = shown[0]
    note = dialog.findChild(QLabel, "presetUnsavedNote")
    assert note is not None and note.isVisibleTo(dialog) and "not saved" in note.text()
    assert dialog.load_button.text() == "Discard and Load" and dialog.save_button.isDefault()  # Enter saves
    if answer == "cancel":
        assert trained.run.history.last_epoch == 20 and len(trained.points.dataset) == len(POINTS)
    else:
        assert len(trained.points.dataset) == 25
        qtbot.waitUntil(lambda: len(trained.run.history) == 1)  # a fresh epoch 0 on the new set
        assert not trained.has_unsaved_changes()


def test_a_preset_can_save_the_session_first_from_the_same_dialog(trained, monkeypatch, message_boxes, tmp_path):
    from lrviz.core.formats import read_session

    shown = _preset_dialogs(monkeypatch, "save")
    target = tmp_path / "before.lrviz.json"
    answer_file_dialogs(monkeypatch, save_path=target)
    trained.findChild(type(trained.undo_action), "preset_moons").trigger()
    assert len(shown) == 1 and message_boxes.shown == []
    assert read_session(target).to_run().history.last_epoch == 20  # the trained run was saved...
    assert len(trained.points.dataset) == 25  # ...and then the set was loaded


def test_a_preset_before_training_asks_only_for_its_size(qtbot, monkeypatch, message_boxes):
    win = shown_window(qtbot, POINTS)
    win.mark_saved()
    shown = _preset_dialogs(monkeypatch, "load")
    win.findChild(type(win.undo_action), "preset_xor").trigger()
    assert len(shown) == 1 and message_boxes.shown == []
    assert shown[0].save_button is None and shown[0].findChild(QLabel, "presetUnsavedNote") is None
    assert len(win.points.dataset) == 25
    win.close()


def test_after_clear_points_the_readout_shows_dashes(trained, qtbot):
    trained.clear_action.trigger()
    trained.state.clock.flush()
    QApplication.processEvents()
    assert all(label.text() == "–" for label in trained.readout.readout.values())
    assert "No points yet" in trained.readout.hint_label.text()


def test_after_enter_in_a_field_space_trains_and_an_out_of_range_value_says_the_range(qtbot):
    win = shown_window(qtbot, POINTS)
    qtbot.waitExposed(win)
    spin = win.controls.learning_rate_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "5e7")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 0.1  # out of range: the old value stays...
    message = win.statusBar().currentMessage()
    assert message.startswith("Learning rate α must be from 1e-06 to 1e+06") and "5e7" in message  # ...and the user is told why
    spin.selectAll()
    qtbot.keyClicks(spin, "0.5")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 0.5
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.editor)  # once the field has taken the Enter
    focused = QApplication.focusWidget()
    win.controls.max_epochs_spin.setValue(win.controls.max_epochs_spin.maximum())  # cannot end before the test looks
    win.controls.speed_slider.setValue(win.controls.speed_slider.maximum())
    with qtbot.waitSignal(win.training.runningChanged, timeout=5000):
        qtbot.keyClick(focused, Qt.Key.Key_Space)  # Space trains: the field no longer eats it
    assert win.controller.is_running
    qtbot.waitUntil(lambda: win.run.history.last_epoch > 5, timeout=5000)
    with qtbot.waitSignal(win.training.finished, timeout=5000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert win.run.history.learning_rate[-1] == 0.5
    win.mark_saved()
    win.close()


def _tick_labels(plot) -> list[str]:
    """The labels the epoch axis draws for its current range."""
    axis = plot.getPlotItem().getAxis("bottom")
    low, high = axis.range
    return [text for spacing, values in axis.tickValues(low, high, axis.width())
            for text in axis.tickStrings(values, 1.0, spacing)]


def test_epoch_axes_show_whole_epochs_and_epoch_0_is_drawn(qtbot):
    win = shown_window(qtbot, POINTS)
    qtbot.waitExposed(win)
    for plot in (win.loss_plot, win.params_plot):
        plot.refresh()
    for plot in (win.loss_plot, win.params_plot):
        labels = _tick_labels(plot)
        assert labels and all(text.replace(",", "").isdigit() for text in labels), labels
    assert win.loss_plot._curve.opts["symbol"] == "o"  # the lone epoch-0 point is a dot
    win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 1)
    win.loss_plot.refresh()
    assert all(text in ("0", "1") for text in _tick_labels(win.loss_plot))
    assert win.loss_plot._curve.opts["symbol"] is None  # two epochs: a line
    win.mark_saved()
    win.close()


def test_after_clear_points_every_read_out_is_empty_and_undo_brings_the_numbers_back(trained, qtbot):
    """The read-out's siblings: the metrics panel, the math panel, the z view and the split
    summary show no numbers of the cleared points; Undo shows the newest epoch's again."""
    from lrviz.ui.panels.math_panel import EMPTY_TEXT

    win = trained
    win.math_panel.show()
    win.z_view.show()
    qtbot.waitUntil(lambda: win.z_view.widget().explanation is not None)
    loss_before = win.readout.readout["loss"].text()
    win.clear_action.trigger()
    win.state.clock.flush()
    QApplication.processEvents()
    assert all(label.text() == "–" for label in win.readout.readout.values())
    metrics = win.quality.metrics_panel.values
    assert all(label.text() == ("0 + 0" if key == "points" else "–") for (key, _), label in metrics.items())
    assert win.math_panel.plain_text() == EMPTY_TEXT + "\n" and win.math_panel.explanation is None
    z_view = win.z_view.widget()
    assert z_view.explanation is None
    assert all(len(item.getData()[0] if item.getData()[0] is not None else []) == 0 for item in z_view.points)
    assert win.quality.split_panel.summary_label.text() == "no points yet"
    win.undo_action.trigger()
    win.state.clock.flush()
    QApplication.processEvents()
    row = win.run.row(win.run.history.last_epoch)
    assert win.readout.readout["loss"].text() == loss_before == f"{row.loss:.6g}"
    qtbot.waitUntil(lambda: win.math_panel.explanation is not None)  # at its live rate (2 a second)
    assert win.math_panel.explanation.epoch == row.epoch
    qtbot.waitUntil(lambda: z_view.explanation is not None)
    assert z_view.explanation.count == len(POINTS)
    assert win.quality.split_panel.summary_label.text() == f"all {len(POINTS)} points train (no test set)"
