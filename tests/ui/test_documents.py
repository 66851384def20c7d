"""Open, save, sessions, built-in data, recent files, and the unsaved-changes prompt."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from lrviz.core import STOP_MAX_EPOCHS, Trainer
from lrviz.core.dataset import Dataset, make_preset
from lrviz.core.formats import read_points_csv, write_points_csv
from lrviz.core.formats import read_session
from lrviz.ui.main_window import MainWindow
from window_helpers import answer_file_dialogs, shown_window, train_to

POINTS = Dataset([[-1.0, -0.5], [-0.5, -1.5], [0.8, 0.2], [1.0, 1.5], [0.2, -0.4], [-0.3, 0.9]],
                 [0, 0, 1, 1, 1, 0])


def _window(qtbot, dataset=None) -> MainWindow:
    return shown_window(qtbot, POINTS if dataset is None else dataset)


def _choose(monkeypatch, path) -> None:
    answer_file_dialogs(monkeypatch, path, path)


def test_open_and_save_points(qtbot, monkeypatch, tmp_path):
    win = _window(qtbot)
    source = tmp_path / "in.csv"
    data = make_preset("moons", n_points=33, seed=3)
    write_points_csv(source, data)
    _choose(monkeypatch, source)
    win.documents.open_data_action.trigger()
    assert win.points.dataset == data
    assert not win.has_unsaved_changes()
    assert str(source.resolve()) == win.documents.recent_files()[0]

    win.points.add_point(0.5, 0.5, 1)
    assert win.has_unsaved_changes()
    target = tmp_path / "out.csv"
    _choose(monkeypatch, target)
    win.documents.save_data_as_action.trigger()
    assert read_points_csv(target) == win.points.dataset
    assert win.points.undo_stack.isClean()


def test_bad_file_keeps_the_points_and_names_the_line(qtbot, monkeypatch, tmp_path, message_boxes):
    win = _window(qtbot)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,0\n3,four,1\n")
    _choose(monkeypatch, bad)
    win.documents.open_data_action.trigger()
    assert win.points.dataset == POINTS
    kind, title, text = message_boxes.shown[-1]
    assert kind == "warning" and "line 3" in text and "unchanged" in text


def test_session_round_trip_restores_and_resumes(qtbot, monkeypatch, tmp_path):
    win = _window(qtbot)
    win.controls.learning_rate_spin.setValue(0.5)
    win.controls.l2_spin.setValue(0.01)
    train_to(qtbot, win, 40)
    path = tmp_path / "s.lrviz.json"
    _choose(monkeypatch, path)
    win.documents.save_session_action.trigger()
    assert not win.has_unsaved_changes()
    saved = read_session(path)
    assert len(saved.history) == 41 and saved.settings.learning_rate == 0.5
    assert saved.stop is not None and saved.stop.kind == STOP_MAX_EPOCHS and saved.stop.epoch == 40

    other = _window(qtbot, make_preset("xor", 20))
    other.documents.open_session_action.trigger()
    assert other.points.dataset == POINTS
    assert other.controls.settings().learning_rate == 0.5 and other.controls.settings().l2 == 0.01
    np.testing.assert_array_equal(other.run.history.loss, win.run.history.loss)
    qtbot.waitUntil(lambda: other.readout.readout["epoch"].text() == "40")
    assert other.run.stop == saved.stop and "maximum of 40 epochs" in other.statusBar().currentMessage()
    # training resumes at epoch 40 with the same numbers as an uninterrupted run
    train_to(qtbot, other, 60)
    X, y = POINTS.snapshot()
    expected = Trainer(X, y, learning_rate=0.5, l2=0.01).run(60)
    np.testing.assert_allclose(other.run.history.W[1:], expected.W, rtol=1e-12)
    np.testing.assert_array_equal(other.run.history.epochs, np.arange(61))


def test_newer_or_damaged_session_is_refused_clearly(qtbot, monkeypatch, tmp_path, message_boxes):
    win = _window(qtbot)
    path = tmp_path / "new.lrviz.json"
    path.write_text(json.dumps({"format": "lrviz-session/7", "version": 7}))
    _choose(monkeypatch, path)
    win.documents.open_session_action.trigger()
    assert "newer lrviz" in message_boxes.shown[-1][2]
    path.write_text("{not json")
    win.documents.open_session_action.trigger()
    assert "not valid JSON" in message_boxes.shown[-1][2]
    assert win.points.dataset == POINTS


@pytest.mark.parametrize("answer, proceeds", [
    (QMessageBox.StandardButton.Cancel, False),
    (QMessageBox.StandardButton.Discard, True),
    (QMessageBox.StandardButton.Save, True),
])
def test_unsaved_prompt_on_close_open_and_new(qtbot, monkeypatch, tmp_path, message_boxes, answer, proceeds):
    win = _window(qtbot)
    win.points.add_point(2.0, 2.0, 1)
    message_boxes.answer = answer
    session_path = tmp_path / "saved.lrviz.json"
    _choose(monkeypatch, session_path)

    win.documents.new_action.trigger()
    assert message_boxes.shown[-1][0] == "question"
    assert (len(win.points.dataset) == 0) == proceeds
    assert session_path.exists() == (answer == QMessageBox.StandardButton.Save)
    if not proceeds:
        win.documents.open_data_action.trigger()  # cancelled again: nothing opened
        assert len(win.points.dataset) == len(POINTS) + 1
        win.close()
        assert win.isVisible()  # cancel keeps the window open
        message_boxes.answer = QMessageBox.StandardButton.Discard
    shown = len(message_boxes.shown)
    win.points.add_point(1.0, 1.0, 0)
    win.close()
    assert len(message_boxes.shown) == shown + 1 and not win.isVisible()


def test_nothing_to_save_asks_nothing(qtbot, message_boxes):
    win = _window(qtbot)
    win.mark_saved()
    win.close()
    assert message_boxes.shown == []


def test_presets_and_iris_from_the_menu(qtbot):
    win = _window(qtbot)
    win.load_preset("circles", n_points=77, noise=0.05, seed=9)
    assert win.points.dataset == make_preset("circles", 77, 0.05, 9)
    win.findChild(type(win.undo_action), "iris_setosa-versicolor").trigger()
    assert len(win.points.dataset) == 100
    assert win.points.dataset.feature_names == ("petal_length", "petal_width")
    win.undo_action.trigger()
    assert win.points.dataset == make_preset("circles", 77, 0.05, 9)


def test_a_million_points_open_andtrain_to(qtbot, monkeypatch, tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(1_000_000, 2))
    path = tmp_path / "big.csv"
    path.write_text("x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{int(a + b > 0)}" for a, b in X[:, :2].tolist()))
    win = _window(qtbot)
    _choose(monkeypatch, path)
    win.documents.open_data_action.trigger()
    assert len(win.points.dataset) == 1_000_000
    assert win.editor._density.isVisible()
    with qtbot.waitSignal(win.training.batchReady, timeout=10000):
        win.step_training()
    qtbot.waitUntil(lambda: win.run.history.last_epoch == 1, timeout=10000)


def test_opening_a_session_leaves_nothing_unsaved(qtbot, monkeypatch, tmp_path, message_boxes):
    """Opening a session sends no epoch back (training goes on from its newest epoch): the
    work just opened is saved, and closing must not ask to save it."""
    win = _window(qtbot)
    train_to(qtbot, win, 30)
    path = tmp_path / "s.lrviz.json"
    _choose(monkeypatch, path)
    win.documents.save_session_action.trigger()

    other = _window(qtbot, make_preset("xor", 20))
    other.mark_saved()
    other.documents.open_session_action.trigger()
    assert other.run.history.last_epoch == 30
    with qtbot.assertNotEmitted(other.training.batchReady, wait=200):
        pass  # the trainer at epoch 30 repeats nothing
    assert not other.has_unsaved_changes()
    other.close()
    assert message_boxes.shown == [] and not other.isVisible()

    third = _window(qtbot)  # training on from there does change the model
    third.documents.open_session_action.trigger()
    third.controls.max_epochs_spin.setValue(100)  # it had stopped at its maximum of 30
    with qtbot.waitSignal(third.training.batchReady, timeout=5000):
        third.step_training()
    assert third.run.history.last_epoch == 31 and third.has_unsaved_changes()
    third.mark_saved()


def test_damaged_session_settings_are_refused_and_the_work_stays(qtbot, monkeypatch, tmp_path, message_boxes):
    """Settings outside what the window can hold (a hand-edited or damaged session) are refused
    by the reader, naming the setting and its range; nothing of the file is half-applied."""
    win = _window(qtbot)
    train_to(qtbot, win, 20)
    path = tmp_path / "damaged.lrviz.json"
    _choose(monkeypatch, path)
    win.documents.save_session_action.trigger()
    data = json.loads(path.read_text())
    data["settings"].update(learning_rate=1e-9, epochs_per_second=1e12, max_epochs=None)
    path.write_text(json.dumps(data))

    other = _window(qtbot, make_preset("xor", 20))
    before = other.session()
    assert not other.documents.open_path(str(path))
    kind, title, text = message_boxes.shown[-1]
    assert title == "Could not open the session" and "learning_rate" in text and "1e-06" in text
    assert other.session().points == before.points and other.run.history == before.history
    assert other.controls.learning_rate_spin.value() == 0.1
    other.mark_saved()


def test_presets_and_iris_ask_before_discarding_a_trained_model(qtbot, message_boxes):
    """The Data menu replaces the points and resets training: like Open, it asks first when
    there is unsaved work (here a trained model), and Cancel keeps points and history."""
    win = _window(qtbot)
    win.mark_saved()
    train_to(qtbot, win, 25)
    assert win.has_unsaved_changes()
    message_boxes.answer = QMessageBox.StandardButton.Cancel
    win.findChild(type(win.undo_action), "iris_setosa-versicolor").trigger()
    assert message_boxes.shown[-1][0] == "question"
    win.load_preset("moons", n_points=50)
    assert len(message_boxes.shown) == 2
    assert win.points.dataset == POINTS and win.run.history.last_epoch == 25

    message_boxes.answer = QMessageBox.StandardButton.Discard
    win.load_preset("moons", n_points=50)
    assert len(message_boxes.shown) == 3 and win.points.dataset == make_preset("moons", 50)
    win.findChild(type(win.undo_action), "iris_versicolor-virginica").trigger()
    assert len(message_boxes.shown) == 3  # a built-in set as it came is not unsaved work
    assert len(win.points.dataset) == 100
    win.undo_action.trigger()  # back to the moons: a change from what was loaded
    assert win.has_unsaved_changes()
    win.mark_saved()


def test_save_after_a_preset_asks_for_a_name_instead_of_overwriting_the_opened_file(
        qtbot, monkeypatch, tmp_path):
    win = _window(qtbot)
    opened = tmp_path / "mine.csv"
    write_points_csv(opened, POINTS)
    _choose(monkeypatch, opened)
    win.documents.open_data_action.trigger()
    win.load_preset("xor", n_points=40)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (asked.append(a), ("", ""))[1])
    win.documents.save_data_action.trigger()
    assert asked  # a dialog, cancelled here
    assert read_points_csv(opened) == POINTS  # the opened file is untouched
    win.mark_saved()


def _big_points_file(path, rows: int) -> None:
    X = np.random.default_rng(0).normal(size=(rows, 2))
    path.write_text("x1,x2,label\n" + "\n".join(f"{a!r},{b!r},{int(a + b > 0)}" for a, b in X.tolist()))


def test_a_large_file_is_read_while_the_event_loop_runs(qtbot, monkeypatch, tmp_path):
    """Reading 10^6 rows takes seconds: the event loop must keep turning meanwhile (the read
    runs in a worker thread, in steps that hold the GIL only briefly), with a wait cursor, a
    status message and a window-modal progress dialog (the window itself stays enabled: no
    repaint in the disabled palette), and the points are exactly read_points_csv's. Shown
    without a clock: a 10 ms timer's ticks see the progress bar at many values, so the loop
    turned all through the read, not once before and once after it."""
    path = tmp_path / "big.csv"
    _big_points_file(path, 1_000_000)
    win = _window(qtbot)
    _choose(monkeypatch, path)
    ticks: list[tuple[int, int, bool, bool]] = []

    def tick() -> None:
        dialog = win.documents.progress_dialog()
        modal = (win.isEnabled() and dialog is not None and dialog.isVisible()
                 and dialog.windowModality() == Qt.WindowModality.WindowModal)
        ticks.append((dialog.value() if dialog is not None else -1, len(win.points.dataset), modal,
                      QApplication.overrideCursor() is not None))

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    win.documents.open_data_action.trigger()
    timer.stop()

    assert win.points.dataset == read_points_csv(path) and win.isEnabled()
    during = [(value, modal, busy) for value, n, modal, busy in ticks if n == len(POINTS)]  # before the points changed
    assert during and all(modal and busy for _, modal, busy in during)
    seen = sorted({value for value, _, _ in during if value > 0})
    assert len(seen) >= 5, seen  # the bar moved at least five times while the loop turned


@pytest.mark.parametrize("text", [
    "x1,x2,label\n1,2,0\n3,4,1\n",
    "\ufeff\n ,\nx1,x2,label\r\n1,2,0\r\n\r\n,,\r\n3.5, -4e-3 ,1.0\r\n5,6,0",
    "a,b,label\n" + "".join(f"{i * 0.1!r},{-i!r},{i % 2}\n" for i in range(200)) + "\n\n",
    "a,b,label\n1,2,0\r3,4,1\n",  # a lone CR ends a row too
    'a,b,label\n1,"2\n",0\n3,4,1\n',  # a quoted cell holding a line break
    "x1,x2,label\n",
    "x1,x2,label",
    "a,b,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(100)) + "7,x,1\n8,8,0\n",
    "a,b,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(100)) + "7,7,2\n",
    "a,b,label\n" + "".join(f"{i},{i},{i % 2}\n" for i in range(100)) + "7,7\n",
    "1,2,0\n3,4,1\n",
    "\n\n",
    "x1,x2,label\n" + "1" * 300 + ",2,0\n3,4,1\n",  # a line longer than many chunks
])
def test_reading_in_steps_gives_exactly_what_read_points_csv_gives(tmp_path, text):
    """The chunked reader must return the same points, or raise the same error (with the
    same line number), as read_points_csv, whatever the chunk size."""
    from lrviz.ui.documents import read_points_csv_in_steps

    path = tmp_path / "p.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        expected: object = read_points_csv(path)
    except ValueError as error:
        expected = (type(error), str(error))
    for chunk in (1, 7, 64, 1 << 18):
        try:
            got: object = read_points_csv_in_steps(path, chunk_chars=chunk)
        except ValueError as error:
            got = (type(error), str(error))
        assert got == expected, chunk


def test_a_bad_row_late_in_a_large_file_names_its_line_and_changes_nothing(qtbot, monkeypatch, tmp_path,
                                                                           message_boxes):
    path = tmp_path / "big_bad.csv"
    _big_points_file(path, 60_000)
    with path.open("a") as f:
        f.write("\n1.0,oops,1\n")
    win = _window(qtbot)
    _choose(monkeypatch, path)
    win.documents.open_data_action.trigger()
    kind, _, text = message_boxes.shown[-1]
    assert kind == "warning" and "line 60002" in text and "unchanged" in text
    assert win.points.dataset == POINTS and win.isEnabled()


def test_closing_while_a_large_file_is_read_gives_it_up(qtbot, monkeypatch, tmp_path):
    """The window can close during a long read: the read is given up and nothing changes."""
    path = tmp_path / "big.csv"
    _big_points_file(path, 300_000)
    win = _window(qtbot)
    win.mark_saved()
    _choose(monkeypatch, path)
    QTimer.singleShot(50, win.close)
    win.documents.open_data_action.trigger()
    assert not win.isVisible() and win.training.thread_finished()
    assert win.points.dataset == POINTS and not win.documents.is_loading()
